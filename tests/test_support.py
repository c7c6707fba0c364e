"""The shared helpers of enumerate._support: jobs on threads and work in a child process."""

import threading

import pytest

from enumerate._support.child import run_in_child_reporting
from enumerate._support.threads import run_jobs


def test_child_process_returns_results_and_reports_errors():
    seen = []
    assert run_in_child_reporting(lambda report: (report(2), report(3), 7)[-1], seen.append) == 7
    assert seen == [2, 3]

    def fails(report):
        raise ValueError("boom")

    with pytest.raises(RuntimeError, match="ValueError: boom"):
        run_in_child_reporting(fails, seen.append)


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_jobs_run_once_each_and_results_keep_their_order(threads):
    calls, lock = [], threading.Lock()

    def job(i):
        def run():
            with lock:
                calls.append(i)
            return 10 * i
        return run

    assert run_jobs([job(i) for i in range(23)], threads) == [10 * i for i in range(23)]
    assert sorted(calls) == list(range(23))
    assert run_jobs([], threads) == []


def test_a_failing_job_stops_the_rest_and_raises_its_error():
    ran = []

    def job(i):
        def run():
            ran.append(i)
            if i == 0:
                raise ValueError("job 0 failed")
        return run

    with pytest.raises(ValueError, match="job 0 failed"):
        run_jobs([job(i) for i in range(1000)], 1)
    assert ran == [0]  # one thread: nothing after the failing job was started
