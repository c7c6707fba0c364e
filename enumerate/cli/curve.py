"""``python -m enumerate curve``: exact learning curves of guess-and-check posteriors.

Registers the ``curve`` command in :data:`enumerate.cli.COMMANDS` on import. The JSON
written (schema ``enumerate.curve/1``) holds the student spec, the target and its exact
rho~, and a ``curve`` list, for n = 0..N i.i.d. uniform draws, of::

    {"n": int,
     "expected_error": "p/q",            # E_S E_(h~P_S) L_D(h)
     "fit_probability": "p/q",           # E_S[P_theta(h_theta fits S)], optimal-set volume
     "expected_kl": float,               # E_S[KL(P_S || P)] = E_S[-ln P(fits S)]
     "bound_expected_error": float|null, # the bound (C~ + 1)/n (null at n = 0)
     "uniform_expected_error": "p/q",    # the same for the uniform prior over all tables
     "uniform_fit_probability": "p/q",
     "decimal": {KEY: float}}            # every "p/q" above as a float, for reading

plus ``lemma``: for each requested (eps, delta), the lemma's sample size
N0 = ceil((C~ + 3 ln(2/delta))/eps) and, where N0 <= N, the exact
P(L_D(h) >= eps) there.

With ``--label-noise EPS`` (each training label flipped with probability EPS, see
:mod:`enumerate.analysis.noisy`) the report also records ``"label_noise": "p/q"`` and each row
is the noisy model's::

    {"n": int,
     "fit_probability": "p/q",           # E_S[P(h fits S)]
     "interpolable_probability": "p/q",  # P_S(some setting fits S)
     "expected_error": "p/q"|null,       # E_S[E_(h~P_S) L_D(h) | S interpolable], clean labels
     "noisy_error": "p/q"|null,          # the same against noisy labels
     "decimal": {the four values as floats},
     "uniform_...": the same for the uniform prior over all tables}

(the lemma and the (C~ + 1)/n bound are for noise-free labels: left out). EPS = 0
gives exactly the noise-free values.

Values starting with ``-`` need the ``=`` form: ``--q=-1,0,1 --teacher-table=---+``.

>>> from enumerate import NetworkSpec, count_prior
>>> prior = count_prior(NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "01"), progress=False)
>>> rep = curve_report(prior, "---+", 2)
>>> [(p["n"], p["expected_error"], p["uniform_expected_error"]) for p in rep["curve"]]
[(0, '11/27', '1/2'), (1, '25/72', '3/8'), (2, '79/288', '9/32')]
"""

from __future__ import annotations

from fractions import Fraction

from .args import add_count_args, add_student_args, add_teacher_args, compute_prior, student_spec, teacher_target
from .._support.files import write_json
from .parser import check_out, int_at_least
from ..analysis.noisy import NoisyFamily, parse_noise
from ..analysis.posterior import MAX_EXACT_POINTS, PosteriorFamily, curve_cost, lemma_sample_size
from ..counting.budget import check_cost
from ..results.io import fraction_str, versions
from ..core.spec import SpecError, parse_rational

__all__ = ["curve_report", "SCHEMA", "HELP", "add_arguments", "run"]

HELP = "exact learning curve of guess-and-check posteriors (expected test error, optimal-set volume)"

SCHEMA = "enumerate.curve/1"
DEFAULT_LEMMA = "1/4:1/10"


def add_arguments(p):
    add_student_args(p)
    add_teacher_args(p, table=True)
    add_count_args(p)
    p.add_argument("--n-max", dest="n_max", type=int_at_least(0), required=True, help="largest training-set size N")
    p.add_argument("--lemma", default=DEFAULT_LEMMA,
                   help=f"eps:delta pairs for the lemma's sample size, comma-separated (default {DEFAULT_LEMMA})")
    p.add_argument("--no-kl", dest="kl", action="store_false", help="skip E_S[KL(P_S || P)] (a float report)")
    p.add_argument("--label-noise", dest="label_noise", default=None,
                   help="flip each training label with this probability (a rational in [0, 1], e.g. 1/10): "
                        "exact curves of the random interpolator under label noise")
    p.add_argument("--out", default=None, help="write the result as JSON (default: print a summary)")


def _parse_lemma(text):
    pairs = []
    for item in (s for s in text.split(",") if s.strip()):
        parts = item.split(":")
        if len(parts) != 2:
            raise SpecError("--lemma", f"{item!r}: need eps:delta, e.g. 1/4:1/10")
        eps, delta = (parse_rational(s, "--lemma") for s in parts)
        if not (0 < eps <= 1 and 0 < delta < 1):
            raise SpecError("--lemma", f"{item!r}: need 0 < eps <= 1 and 0 < delta < 1")
        pairs.append((eps, delta))
    return pairs


def _target(spec, args):
    """Validate the target arguments before any counting; returns (table or None, teacher or None)."""
    n = len(spec.domain)
    if n > MAX_EXACT_POINTS:
        raise SpecError("--domain", f"exact curves need |X| <= {MAX_EXACT_POINTS} points, got {n}")
    return teacher_target(spec, args)


def curve_report(prior, table, n_max, lemma=(), teacher=None, kl=True, label_noise=None) -> dict:
    """The JSON of ``python -m enumerate curve`` (exact; see the module docstring)."""
    fam = PosteriorFamily.of(prior, table)
    if fam.target_count == 0:
        raise SpecError("--teacher-table", f"{table} is not realized by any setting of {prior.spec.arch}: "
                        "the posterior is undefined; choose a realizable target")
    base = PosteriorFamily.uniform_functions(table, fam.weights if not fam.uniform else None)
    extra = {"draws": "N i.i.d. uniform points of the domain, labelled by the target"}
    if label_noise is not None:
        eps = parse_noise(label_noise)
        rows, lem = _noisy_rows(fam, base, eps, n_max), []
        extra = {"label_noise": fraction_str(eps),
                 "draws": "N i.i.d. uniform points of the domain, each label flipped with probability label_noise"}
    else:
        rows, lem = _rows(fam, base, n_max, kl), _lemma(fam, lemma, n_max)
    return {
        "schema": SCHEMA,
        "spec": prior.spec.to_json(),
        "target": {"table": table, **({"teacher": teacher.to_json()} if teacher is not None else {})},
        "count": fam.target_count,
        "total": prior.total,
        "rho": fraction_str(fam.rho),
        "C": fam.complexity,
        "domain_size": fam.n,
        "n_max": n_max,
        **extra,
        "curve": rows,
        "lemma": lem,
        "uniform_baseline": base.source if base.target_count else None,
        "method": prior.method,
        "versions": versions(),
    }


def _rows(fam, base, n_max, kl):
    C = fam.complexity
    ucurve = base.curve(n_max) if base.target_count else None
    rows = []
    for i, pt in enumerate(fam.curve(n_max, kl=kl)):
        row = pt.to_json()
        row["bound_expected_error"] = (C + 1) / pt.n if pt.n else None
        if ucurve is not None:
            row["uniform_expected_error"] = fraction_str(ucurve[i].expected_error)
            row["uniform_fit_probability"] = fraction_str(ucurve[i].fit_probability)
        row["decimal"] = {k: float(Fraction(v)) for k, v in row.items() if isinstance(v, str) and "/" in v}
        rows.append(row)
    return rows


def _noisy_rows(fam, base, eps, n_max):
    rows = [pt.to_json() for pt in NoisyFamily(fam, eps).curve(n_max)]
    if base.target_count:
        for row, upt in zip(rows, NoisyFamily(base, eps).curve(n_max)):
            u = upt.to_json()
            row.update({f"uniform_{k}": u[k] for k in ("expected_error", "fit_probability", "interpolable_probability")})
    return rows


def _lemma(fam, lemma, n_max):
    lem = []
    for eps, delta in lemma:
        N0 = lemma_sample_size(fam.rho, eps, delta)
        entry = {"eps": fraction_str(eps), "delta": fraction_str(delta), "N0": N0}
        if N0 <= n_max:
            tail = fam.tail_probability(N0, eps)
            entry["tail_at_N0"] = fraction_str(tail)
            entry["holds"] = tail <= delta
        lem.append(entry)
    return lem


def run(args):
    spec = student_spec(args)
    table, teacher = _target(spec, args)
    lemma = _parse_lemma(args.lemma)
    noise = None if args.label_noise is None else parse_noise(args.label_noise)
    if noise is not None:
        NoisyFamily.check_target(table)
    check_out(args.out)
    check_cost(spec, curve_cost(spec, args.n_max), force=args.force)  # before the count, too
    prior = compute_prior(spec, args)
    rep = curve_report(prior, table, args.n_max, lemma, teacher, kl=args.kl, label_noise=noise)
    if args.out:
        write_json(args.out, rep)
        print(f"wrote {args.out}: ", end="")
    print(f"rho~ = {rep['rho']} (C~ = {rep['C']:.3f})")
    step = max(1, len(rep["curve"]) // 10)
    print(f"{'n':>5}  {'E[error]':>10}  {'(C~+1)/n':>10}  {'uniform':>10}  {'E[P(fits S)]':>12}")
    for row in rep["curve"][::step] + ([] if (len(rep["curve"]) - 1) % step == 0 else rep["curve"][-1:]):
        d = {**row["decimal"], "bound": row.get("bound_expected_error")}
        f = {k: "undefined" if d.get(k) is None else f"{d[k]:.4g}"
             for k in ("expected_error", "bound", "uniform_expected_error", "fit_probability")}
        print(f"{row['n']:>5}  {f['expected_error']:>10}  {f['bound']:>10}  {f['uniform_expected_error']:>10}  "
              f"{f['fit_probability']:>12}")
    for e in rep["lemma"]:
        tail = f", P(L_D >= eps) = {float(Fraction(e['tail_at_N0'])):.4g} at N0" if "tail_at_N0" in e else ""
        print(f"lemma eps={e['eps']} delta={e['delta']}: N0 = {e['N0']}{tail}")
    return 0
