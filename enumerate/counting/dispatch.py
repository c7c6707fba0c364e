"""Which counter runs: :func:`count_prior` and the methods it chooses among.

>>> from enumerate import NetworkSpec
>>> METHODS, DEFAULT_METHOD
(('auto', 'brute', 'fast', 'classes'), 'auto')
>>> count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1"), progress=False).num_functions
13
"""

from __future__ import annotations

from .._support.errors import SpecError
from ..core.spec import require_spec
from .brute import DEFAULT_MAX_SETTINGS
from .budget import AUTO_QUICK_SECONDS

__all__ = ["count_prior", "choose_method", "uses_classes", "METHODS", "DEFAULT_METHOD", "AUTO_QUICK_SECONDS"]

#: the counting methods of :func:`count_prior` (and of ``--method`` on the command line)
METHODS = ("auto", "brute", "fast", "classes")

#: the default counting method, shared by :func:`count_prior` and the command line
DEFAULT_METHOD = "auto"



def choose_method(spec, *, max_settings=None, threads=None) -> str:
    """The counter ``method="auto"`` runs, chosen by the estimates of time and memory.

    The class counter for perceptrons with at least 3 inputs; otherwise the fast counter,
    unless it does not support the spec, or brute force fits its budget (time, memory and
    settings) and the fast counter either does not fit its own (time or memory) or is
    estimated slower than brute force and above :data:`AUTO_QUICK_SECONDS`.

    >>> from enumerate import NetworkSpec
    >>> choose_method(NetworkSpec.parse("fc:2,2,1", "-1,0,1")), choose_method(NetworkSpec.parse("fc:4,1", "-1,0,1"))
    ('fast', 'classes')
    >>> many = ",".join(str(i) for i in range(-500, 500))  # the fast counter would hold 10^9 vectors
    >>> choose_method(NetworkSpec.parse("fc:2,1", many))
    'brute'
    """
    from .brute import estimate_brute
    from .budget import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS
    from .deep import prefer_deep
    from .fast import estimate_fast, fast_supported
    from .hidden import prefer_hidden
    from .perceptron import prefer_classes

    if prefer_classes(spec) or prefer_hidden(spec) or prefer_deep(spec):
        return "classes"
    if not fast_supported(spec):
        return "brute"
    if spec.total >= 2**62 or spec.total > (DEFAULT_MAX_SETTINGS if max_settings is None else max_settings):
        return "fast"
    brute = estimate_brute(spec, threads)
    if brute.seconds > DEFAULT_MAX_SECONDS or brute.bytes > DEFAULT_MAX_BYTES:
        return "fast"
    fast = estimate_fast(spec)
    fast_fits = fast["seconds"] <= DEFAULT_MAX_SECONDS and fast["bytes"] <= DEFAULT_MAX_BYTES
    if not fast_fits or (fast["seconds"] > AUTO_QUICK_SECONDS and brute.seconds < fast["seconds"]):
        return "brute"
    return "fast"


def count_prior(spec, method=DEFAULT_METHOD, *, progress=None, force=False, max_settings=None, checkpoint=None,
                threads=None, scheduler=None, **cluster_options):
    """The exact prior over functions of ``spec``: every parameter setting, counted.

    Parameters
    ----------
    spec : NetworkSpec
        The network (architecture, Q, activation, domain, zero-label rule).
    method : {"auto", "brute", "fast", "classes"}
        ``"brute"`` evaluates every setting (numba kernels), ``"fast"`` runs the
        structured exact counter, ``"classes"`` a symmetry-reduced class counter: the
        perceptron counter for ``fc:d,1``, the hidden-layer counter
        (:mod:`enumerate.counting.hidden`) for ``fc:d,k,1`` and ``sfc:d,k,1``, the
        two-hidden-layer counter (:mod:`enumerate.counting.deep`) for ``fc:d,k1,k2,1`` and
        ``sfc:d,k1,k2,1`` (its result is a
        :class:`~enumerate.results.prior.ClassPrior` with the same queries).
        ``"auto"`` (the default, as on the command line) takes the class counter for
        perceptrons with at least 3 inputs, the hidden-layer counter for one hidden layer on
        at least 3 inputs where its estimate beats the fast counter's (or the fast counter
        cannot run), the same for the two-hidden-layer counter, else the fast counter or
        brute force, whichever the estimates of time and memory say is cheaper (:func:`choose_method`). Every
        method gives the same exact counts.
    progress : bool or None
        Progress bar on stderr; ``None``: only when stderr is a terminal.
    force : bool
        Brute force: run even above the ``max_settings`` budget.
    max_settings : int or None
        Brute force: the size budget (``None``: the default budget).
    checkpoint : str or None
        Brute force: save progress to / resume from this file.
    threads : int or None
        Brute force and the class counters: worker threads (``None``: every core).
    scheduler : distributed.Client, str or None
        Run on Dask: a ``Client``, a scheduler address or ``"local"``. Brute force
        (:func:`enumerate.counting.distributed.count_distributed`, ``cluster_options``
        ``shards``, ``retries``, ``workers`` ...) and the perceptron class counter
        (:func:`enumerate.counting.distributed_classes.count_classes_distributed`, ``blocks``,
        ``retries``, ``workers`` ...) and the hidden-layer class counter
        (:func:`enumerate.counting.distributed_hidden.count_hidden_distributed`, the same
        options) run there; ``"auto"`` distributes what it picks, and the fast and
        two-hidden-layer counters are refused in one line.

    Returns
    -------
    FunctionPrior or ClassPrior
        Exact integer counts per truth table; they sum to ``spec.total`` = |Q|^P.

    Raises
    ------
    SpecError
        An unknown ``method``, or (``BudgetError``) a brute-force run above the budget.

    Examples
    --------
    >>> from enumerate import NetworkSpec, count_prior
    >>> spec = NetworkSpec.parse("fc:1,1", "-1,0,1")
    >>> prior = count_prior(spec, progress=False)
    >>> prior.counts == count_prior(spec, "brute", progress=False).counts, prior.total
    (True, 9)
    """
    require_spec(spec, "count_prior")
    if method not in METHODS:
        raise SpecError("--method", f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    budget = DEFAULT_MAX_SETTINGS if max_settings is None else max_settings
    if scheduler is not None:
        if threads is not None:
            raise SpecError("--threads", "sets the in-process threads; Dask workers run one thread each "
                            "(choose the workers' threads when starting them, e.g. dask worker --nthreads)")
        method = _distributable(spec, method, budget)
        if method == "hidden":
            from .distributed_hidden import count_hidden_distributed

            return count_hidden_distributed(spec, scheduler, progress=progress, force=force, checkpoint=checkpoint,
                                            **cluster_options)
        if method == "classes":
            from .distributed_classes import count_classes_distributed

            return count_classes_distributed(spec, scheduler, progress=progress, force=force, checkpoint=checkpoint,
                                             **cluster_options)
        from .distributed import count_distributed

        return count_distributed(spec, scheduler, progress=progress, force=force, max_settings=budget,
                                 checkpoint=checkpoint, **cluster_options)
    if cluster_options:
        raise TypeError(f"count_prior() got unexpected keyword arguments {sorted(cluster_options)} (without scheduler)")

    try:
        return _count(spec, method, progress, force, budget, checkpoint, threads)
    except SpecError as exc:
        if not getattr(exc, "unsupported", None):
            raise
        raise SpecError(exc.argument, f"{exc.message}; {_advice(spec, exc.unsupported)}") from None


def _distributable(spec, method, budget) -> str:
    """The method a ``--dask`` run distributes (``"brute"``, ``"classes"``: the perceptron
    class counter, ``"hidden"``: the hidden-layer class counter), or a one-line refusal
    saying why the method asked for (or picked by ``auto``) cannot be distributed."""
    from .hidden import hidden_supported
    from .perceptron import classes_supported

    picked = choose_method(spec, max_settings=budget) if method == "auto" else method
    if picked == "brute" or (picked == "classes" and classes_supported(spec)):
        return picked
    if picked == "classes" and hidden_supported(spec):
        return "hidden"
    why = "--method auto picks the {} for this network, which" if method == "auto" else "the {}"
    what = "two-hidden-layer class counter" if picked == "classes" else "fast counter"
    raise SpecError("--dask", f"{why.format(what)} runs in-process only (Dask runs brute force and the perceptron "
                              "and hidden-layer class counters); drop --dask, or pass --method brute")


def _advice(spec, refused) -> str:
    """Where to turn when the ``refused`` method cannot count ``spec``: another method that
    can (never one that sends back), or what to change."""
    from .deep import deep_supported
    from .fast import fast_supported
    from .hidden import hidden_supported
    from .perceptron import classes_supported

    able = {"classes": classes_supported(spec) or hidden_supported(spec) or deep_supported(spec),
            "fast": fast_supported(spec), "brute": spec.total < 2**62}
    others = [m for m, ok in able.items() if ok and m != refused]
    if others:
        return f"use --method {others[0]}"
    return ("no exact counter handles this network (brute force: |Q|^P < 2^62; fast: at most 62 domain points; "
            "classes: perceptrons fc:D,1, D <= 12): use fewer inputs, fewer parameters or a smaller Q")


def _count(spec, method, progress, force, budget, checkpoint, threads):
    # the counters load their numba kernels on first use: ``from enumerate import count_prior`` stays cheap
    from .brute import count_brute
    from .deep import count_deep, deep_supported
    from .fast import count_fast
    from .hidden import count_hidden, hidden_supported
    from .perceptron import classes_supported, count_classes

    if method == "auto":
        method = choose_method(spec, max_settings=budget, threads=threads)
    if method == "classes":
        if hidden_supported(spec) and not classes_supported(spec):
            return count_hidden(spec, progress=progress, force=force, threads=threads)
        if deep_supported(spec):
            return count_deep(spec, progress=progress, force=force, threads=threads)
        return count_classes(spec, progress=progress, force=force, threads=threads)
    if method == "brute":
        return count_brute(spec, progress=progress, force=force, max_settings=budget, checkpoint=checkpoint,
                           threads=threads)
    return count_fast(spec, progress=progress, force=force, checkpoint=checkpoint)


def uses_classes(spec, method=DEFAULT_METHOD) -> bool:
    """True when :func:`count_prior` with ``method`` answers with a class-form prior.

    >>> from enumerate import NetworkSpec
    >>> uses_classes(NetworkSpec.parse("fc:7,2,1", "-1,0,1")), uses_classes(NetworkSpec.parse("fc:2,2,1", "-1,0,1"))
    (True, False)
    """
    if method not in METHODS:
        raise SpecError("--method", f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    return method == "classes" or (method == "auto" and choose_method(spec) == "classes")
