"""numba kernels of the counters in :mod:`enumerate.counting`."""
