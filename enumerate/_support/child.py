"""Long numba kernels in a forked child process, so that Ctrl-C ends them at once.

A numba kernel cannot see a KeyboardInterrupt until it returns (and a signal arriving
inside one can crash the process); run in a child, the parent waits, Ctrl-C interrupts the
wait, and leaving the pool terminates the child.

>>> run_in_child(divmod, 7, 2)
(3, 1)
"""

from __future__ import annotations

__all__ = ["run_in_child"]


def run_in_child(func, *args):
    """``func(*args)`` in a forked child process (``func`` and the result must pickle)."""
    import multiprocessing

    # fork, not spawn: a spawned child re-imports the caller's main module, which re-runs a user's
    # unguarded script (or fails for stdin); the child only runs the kernel
    with multiprocessing.get_context("fork").Pool(1) as pool:  # leaving the block terminates the child
        return pool.apply_async(func, args).get()
