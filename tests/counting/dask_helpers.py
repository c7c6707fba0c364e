"""Hooks shared by the Dask tests of brute force and of the class counter: a run calls them
after each finished task with ``(i, finished, n)`` (the cluster is the ``client`` fixture of
``conftest.py``)."""

import os


def stop_after(tasks, exc=KeyboardInterrupt):
    """A hook that raises ``exc`` in the client once ``tasks`` tasks have finished."""

    def hook(_i, finished, _n):
        if finished == tasks:
            raise exc

    return hook


def kill_one_worker(client, killed):
    """A hook that kills one busy worker after the second finished task (its name goes in ``killed``);
    other tasks are running and finished results sit on the workers."""

    def hook(_i, finished, _n):
        if finished == 2 and not killed:
            victim = next(iter(client.processing()))
            killed.append(victim)
            try:
                client.run(os._exit, 1, workers=[victim])
            except Exception:  # the worker dies before it can answer
                pass

    return hook
