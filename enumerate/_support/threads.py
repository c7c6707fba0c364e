"""Jobs on a few threads, for numba kernels that release the GIL.

Each counter cuts its work into jobs (blocks of its own enumeration) and runs them here.
Ctrl-C is raised at once and no more jobs are handed out; the running ones end in the
background (a numba kernel cannot see the interrupt), so the counters keep jobs short or
run long counts in a child process (:mod:`enumerate._support.child`).

>>> run_jobs([lambda i=i: i * i for i in range(5)], threads=2)
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, wait

__all__ = ["run_jobs"]


def run_jobs(jobs, threads):
    """Call every function of ``jobs`` on ``threads`` threads, each thread taking the next
    job when it finishes one; returns their results in the order of ``jobs``.

    A job that raises stops the handing out and its error is raised at once; so does Ctrl-C
    (``KeyboardInterrupt``). Jobs still running then end in the background.
    """
    results = [None] * len(jobs)
    lock = threading.Lock()
    todo = iter(range(len(jobs)))
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            with lock:
                i = next(todo, None)
            if i is None:
                return
            results[i] = jobs[i]()

    n = max(1, min(threads, len(jobs)))
    pool = ThreadPoolExecutor(n)
    pending = {pool.submit(loop) for _ in range(n)}
    try:
        while pending:
            done, pending = wait(pending, timeout=0.5)
            for f in done:
                if f.exception() is not None:  # a job failed: hand out no more, raise its error
                    raise f.exception()
    except BaseException:  # an error or Ctrl-C: the running jobs end in the background
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results
