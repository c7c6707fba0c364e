"""The fast exact counter against brute force, table for table, and its invariants."""


from hypothesis import given, settings
from hypothesis import strategies as st

import enumerate.counting.fast as fast
from enumerate.counting.fast import fast_supported

from enumerate.testing import specs
import json
import signal
import subprocess
import sys
from collections import Counter
import pytest
import enumerate.counting.kernels.fast as fk
from enumerate import NetworkSpec, count_prior
from enumerate.counting.brute import count_brute
from enumerate.counting.budget import BudgetError
from enumerate.cli import main
from enumerate.counting.fast import count_fast, estimate_fast
from tests.helpers import ROOT, one_line_error


def same_as_brute(spec):
    f = count_fast(spec, progress=False)
    b = count_brute(spec, progress=False)
    assert f.method == "fast"
    assert f.counts == b.counts
    return f


@settings(max_examples=80, deadline=None)
@given(specs(max_settings=30_000))
def test_fast_equals_brute_every_family(spec):
    if fast_supported(spec):
        same_as_brute(spec)


@settings(max_examples=25, deadline=None)
@given(specs(max_settings=200_000, families=("fc", "sfc")), st.sampled_from(["-1", "+1", "0"]))
def test_fast_equals_brute_deeper_fc(spec, zl):
    spec = NetworkSpec(spec.arch, spec.q, spec.act, spec.domain, zl, spec.scale_q)
    same_as_brute(spec)


@settings(max_examples=20, deadline=None)
@given(specs(max_settings=30_000), st.booleans(), st.booleans(), st.booleans())
def test_every_code_path_agrees(spec, residues, hash_conv, no_symmetry):
    """Residue (CRT) counts, the hash-map convolution and the orbit reduction are
    each switched on/off; the counts never change."""
    if not fast_supported(spec):
        return
    mp = pytest.MonkeyPatch()
    try:
        if residues:
            mp.setattr(fast, "primes_for", lambda total: [2147483647, 2147483629, 2147483587][: 1 + total.bit_length() // 31])
        if hash_conv:
            mp.setattr(fast._Codec, "fits", staticmethod(lambda bound, n: False))
        if no_symmetry:
            mp.setattr(fast, "_point_perms", lambda model: None)
        same_as_brute(spec)
    finally:
        mp.undo()


@pytest.mark.parametrize(
    "arch,q,act,domain,zl",
    [
        ("fc:3,3,1", "-1,0,1", "sign", "01", "-1"),
        ("sfc:2,2,1,1", "-1,0,1", "sign", "pm1", "0"),
        ("fc:2,2,2,2,1", "-1,1", "relu", "01", "+1"),
        ("fc:2,2,2,1", "-1,0,1", "hardtanh", "01", "0"),
        ("cnn:1x4/2k2s1/flat", "-1,0,1", "relu", "01", "-1"),
        ("scnn:1x4/2k3s1/sum", "-1,0,1", "step", "pm1", "0"),
        ("cnn:1x5/1k2s1/1k2s2/flat", "-1,0,1", "sign", "01", "-1"),  # two conv layers
        ("fc:2,2,1", "-1,-1/2,0,1/2,1", "leaky:1/3", "01", "+1"),
        ("sfc:2,2,1", "grid:2", "identity", "pm1", "0"),
    ],
)
def test_fast_equals_brute_fixed(arch, q, act, domain, zl):
    same_as_brute(NetworkSpec.parse(arch, q, act, domain, zl))


def test_scale_set_and_custom_domain():
    spec = NetworkSpec.parse("sfc:2,2,1", "-1,0,1", "relu", "[[0, 0], [1, '1/2'], [2, -1]]", "0", scale_q="0,1/2,2")
    same_as_brute(spec)


@pytest.mark.parametrize("n,q,expected", [(1, "-1,0,1", 4), (2, "int:2", 14), (3, "int:3", 104), (4, "int:5", 1882)])
def test_threshold_functions_a000609(n, q, expected):
    """fc:n,1 realizes exactly the linear threshold functions of n inputs (OEIS A000609)
    once Q is wide enough: a published table as the second method."""
    prior = count_fast(NetworkSpec.parse(f"fc:{n},1", q, "sign", "01"))
    assert prior.num_functions == expected
    assert prior.is_complete


def test_wide_layer_counts_are_invariant_under_input_permutations():
    # fc:3,5,1 (2.5e12 settings) is beyond brute force here (tests/counting/test_second_methods.py checks
    # it against samples): permuting the inputs permutes the tables, counts are invariant
    spec = NetworkSpec.parse("fc:3,5,1", "-1,0,1", "sign", "01")
    prior = count_fast(spec)
    perm = lambda t: "".join(t[int(f"{i:03b}"[1] + f"{i:03b}"[0] + f"{i:03b}"[2], 2)] for i in range(8))
    assert all(prior.counts[perm(t)] == c for t, c in prior.counts.items())
    assert len({perm(t) for t in prior.counts}) == prior.num_functions


def test_auto_uses_fast_and_says_so():
    spec = NetworkSpec.parse("fc:2,2,1", "-1,0,1", "sign", "01")
    assert count_prior(spec, "auto", progress=False).method == "fast"
    assert count_prior(spec, "brute", progress=False).method == "brute"


def test_fast_supported_limits():
    assert not fast_supported(NetworkSpec.parse("fc:6,1", "-1,0,1", "sign", "01", "0"))  # 64 points
    with pytest.raises(Exception, match="method"):
        count_fast(NetworkSpec.parse("fc:6,1", "-1,0,1", "sign", "01", "0"))


def test_cli_fast_json(tmp_path):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "fc:2,3,1", "--q=-1,0,1", "--method", "fast", "--quiet", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    brute = count_brute(NetworkSpec.parse("fc:2,3,1", "-1,0,1"), progress=False)
    assert data["method"] == "fast"
    assert {f["table"]: f["count"] for f in data["functions"]} == brute.counts


def test_cli_bad_method_exit_2(tmp_path, capsys):
    out = tmp_path / "p.json"
    assert main(["prior", "--arch", "fc:2,1", "--q=-1,0,1", "--method", "quick", "--out", str(out)]) == 2
    assert "--method" in capsys.readouterr().err
    assert not out.exists()


def _sum_distribution(values, m):
    """{s: number of ways m i.i.d. values sum to s}, by plain polynomial multiplication."""
    dist = Counter({0: 1})
    for _ in range(m):
        new = Counter()
        for s, c in dist.items():
            for v in values:
                new[s + v] += c
        dist = new
    return dist


def test_depth_one_counts_beyond_2_63_are_exact():
    # f = sum of 45 values of {-1,0,1} on the single point (1,...,1); + iff f > 0
    spec = NetworkSpec.parse("fc:44,1", "-1,0,1", "sign", [[1] * 44])
    assert spec.total > 2**63
    dist = _sum_distribution((-1, 0, 1), 45)
    expected = {"+": sum(c for s, c in dist.items() if s > 0), "-": sum(c for s, c in dist.items() if s <= 0)}
    assert count_fast(spec, progress=False).counts == expected


def test_readout_merge_beyond_2_63_is_exact():
    # h = relu(sum of 22 values of int:3), f = v h + c: the readout contributions pass 2^63
    spec = NetworkSpec.parse("fc:21,1,1", "int:3", "relu", [[1] * 21])
    assert spec.total > 2**63
    q = range(-3, 4)
    plus = sum(cnt * sum(1 for v in q for c in q if v * max(s, 0) + c > 0)
               for s, cnt in _sum_distribution(q, 22).items())
    assert count_fast(spec, progress=False).counts == {"+": plus, "-": spec.total - plus}


def test_chunked_kernels_give_the_same_counts(monkeypatch):
    spec = NetworkSpec.parse("fc:3,3,1", "-1,0,1", "sign", "01")
    expected = count_brute(spec, progress=False).counts
    monkeypatch.setattr(fk, "CHUNK_PAIRS", 7)  # many chunks, every one in the worker thread
    monkeypatch.setattr(fk, "INLINE_PAIRS", 0)
    assert count_fast(spec, progress=False).counts == expected


def test_interrupt_inside_numba_is_a_keyboard_interrupt(monkeypatch):
    def kernel(*args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:  # what numba's dispatcher reports for a signal mid-call
            raise SystemError("CPUDispatcher(...) returned a result with an exception set") from exc

    with pytest.raises(KeyboardInterrupt):
        fk._interruptible(1, kernel)


#: a child whose fast-counter kernels never finish: each one says so on stdout, then blocks
#: until its stdin closes (so the worker thread ends once the test is done with the child)
_BLOCKED_FAST_COUNT = """
import sys
import enumerate.counting.kernels.fast as fk
from enumerate.cli import main

def blocked(*args):
    print("kernel started", flush=True)
    sys.stdin.read()
    raise RuntimeError("released")

fk.INLINE_PAIRS = 0  # every kernel call goes to the worker thread, as a long one does
fk._conv_rows = fk._collapse_rows = fk._merge_steps = blocked
sys.exit(main(["prior", "--arch", "fc:2,3,1", "--q=-1,0,1", "--method", "fast", "--quiet"]))
"""


def test_ctrl_c_during_a_fast_count_prints_one_line():
    # the count cannot finish (its kernel blocks): the test waits for the kernel to start, not for a time
    proc = subprocess.Popen([sys.executable, "-c", _BLOCKED_FAST_COUNT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout.readline() == "kernel started\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=300)  # closes stdin (releasing the worker); a hang guard only
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert err.strip().startswith("python -m enumerate: interrupted after") and err.strip().count("\n") == 0, err


def test_fast_method_estimates_and_refuses_beyond_its_budget(capsys):
    spec = NetworkSpec.parse("fc:5,10,10,1", "-1,0,1")
    est = estimate_fast(spec)
    assert est["seconds"] > 3600 * 24 * 365 and est["bytes"] > 0
    with pytest.raises(BudgetError, match="^force: the fast counter .* estimated"):
        count_fast(spec, progress=False)
    assert main(["prior", "--arch", "fc:5,10,10,1", "--q=-1,0,1", "--method", "fast"]) == 2
    one_line_error(capsys, "--force")
    small = NetworkSpec.parse("fc:2,3,1", "-1,0,1")
    with pytest.raises(BudgetError):
        count_fast(small, progress=False, max_seconds=0)
    assert count_fast(small, progress=False, max_seconds=0, force=True).is_complete
