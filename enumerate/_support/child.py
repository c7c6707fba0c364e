"""Long numba kernels in a forked child process, so that Ctrl-C ends them at once.

A numba kernel cannot see a KeyboardInterrupt until it returns (and a signal arriving
inside one can crash the process); run in a child, the parent waits, Ctrl-C interrupts the
wait, and leaving the pool terminates the child.

>>> run_in_child(divmod, 7, 2)
(3, 1)
"""

from __future__ import annotations

__all__ = ["run_in_child", "run_in_child_reporting"]


def run_in_child(func, *args):
    """``func(*args)`` in a forked child process (``func`` and the result must pickle)."""
    import multiprocessing

    # fork, not spawn: a spawned child re-imports the caller's main module, which re-runs a user's
    # unguarded script (or fails for stdin); the child only runs the kernel
    with multiprocessing.get_context("fork").Pool(1) as pool:  # leaving the block terminates the child
        return pool.apply_async(func, args).get()


def run_in_child_reporting(work, report):
    """``work(report)`` in a forked child process, where ``work`` calls its argument with
    progress; each call comes back through a pipe to ``report`` in the parent. Ctrl-C (or any
    error) in the parent terminates the child at once; an error in the child is raised as a
    ``RuntimeError`` naming it.

    >>> seen = []
    >>> run_in_child_reporting(lambda report: (report(2), report(3), 7)[-1], seen.append), seen
    (7, [2, 3])
    """
    import multiprocessing
    import signal

    ctx = multiprocessing.get_context("fork")  # not spawn: see run_in_child
    recv, send = ctx.Pipe(duplex=False)

    def target():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        try:
            send.send(("done", work(lambda w: send.send(("progress", w)))))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            send.close()

    proc = ctx.Process(target=target, daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            try:
                kind, value = recv.recv()
            except EOFError:
                raise RuntimeError(f"the counting process ended without a result (exit code {proc.exitcode})") from None
            if kind == "progress":
                report(value)
            elif kind == "done":
                return value
            else:
                raise RuntimeError(f"the counting process failed: {value}")
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
        recv.close()
