"""Saved priors: every invariant checked on load (one SpecError line), and equality is
spec plus counts for every form (issue: reliability, results that scale)."""

import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enumerate import FunctionPrior, NetworkSpec, count_prior
from enumerate.results.prior import load_prior
from enumerate import SpecError
from enumerate.testing import reference_prior, specs

SMALL = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "pm1", "0")  # three labels, a class form
PLAIN = NetworkSpec.parse("fc:3,1", "-1,0,1", "sign", "01")  # 8 points


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("priors")
    out = {}
    for name, spec in (("small", SMALL), ("plain", PLAIN)):
        prior = count_prior(spec, "brute", progress=False)
        for ext in ("json", "npz"):
            path = folder / f"{name}.{ext}"
            prior.save(path)
            out[name, ext] = (prior, path.read_bytes())
        cpath = folder / f"{name}-classes.npz"
        prior.to_classes().save(cpath)
        out[name, "classes"] = (prior, cpath.read_bytes())
    return out


def _load_bytes(tmp_path, data, ext):
    path = tmp_path / f"x.{ext}"
    path.write_bytes(data)
    return load_prior(path)


def _refused_or_same(tmp_path, data, ext, prior):
    try:
        back = _load_bytes(tmp_path, data, ext)
    except SpecError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("prior: ")
        return "refused"
    assert back == prior  # a change the content does not depend on (a timing, a version)
    return "same"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["small", "plain"]), st.sampled_from(["npz", "classes"]), st.data())
def test_one_flipped_byte_of_an_npz_is_refused_in_one_line(saved, tmp_path, name, form, data):
    prior, raw = saved[name, form]
    i = data.draw(st.integers(0, len(raw) - 1))
    bit = data.draw(st.integers(0, 7))
    bad = bytearray(raw)
    bad[i] ^= 1 << bit
    _refused_or_same(tmp_path, bytes(bad), "npz", prior)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["small", "plain"]), st.data())
def test_one_changed_digit_of_a_json_prior_is_refused(saved, tmp_path, name, data):
    prior, raw = saved[name, "json"]
    text = raw.decode()
    where = [i for i, ch in enumerate(text) if ch.isdigit()]
    i = data.draw(st.sampled_from(where))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != text[i]]))
    got = _refused_or_same(tmp_path, (text[:i] + new + text[i + 1 :]).encode(), "json", prior)
    in_functions = i > text.index('"functions"')
    assert got == "refused" or not in_functions  # every count and table is covered by the checks


def _edit_json(raw, edit, digest=False):
    data = json.loads(raw)
    if not digest:
        data.pop("digest")
    edit(data)
    return json.dumps(data).encode()


def _add_entry(d):
    have = {f["table"] for f in d["functions"]}
    n = len(d["functions"][0]["table"])
    new = next(t for t in ("".join("+-"[(k >> j) & 1] for j in range(n)) for k in range(2**n)) if t not in have)
    d["functions"].append({"table": new, "count": 1})


@pytest.mark.parametrize("digest", [False, True])
@pytest.mark.parametrize("edit", [
    lambda d: d["functions"].pop(),                                      # an entry removed
    _add_entry,                                                          # an entry added
    lambda d: d["functions"][0].update(count=-d["functions"][0]["count"]),
    lambda d: d["functions"][0].update(count=float(d["functions"][0]["count"])),
    lambda d: d["functions"][0].update(count=str(d["functions"][0]["count"])),
    lambda d: d["functions"][-1].update(count=True),
    lambda d: d["functions"][0].update(count=0),
    lambda d: d["functions"][0].update(table="+-"),
    lambda d: d["functions"][0].update(table="xxxxxxxx"),
    lambda d: d["functions"].append(dict(d["functions"][0])),           # a table twice
    lambda d: d["functions"][0].update(count=d["functions"][0]["count"] + d["total"]),  # covered > total
    lambda d: d.update(num_functions=d["num_functions"] + 1),
    lambda d: d.update(covered=d["covered"] - 1),
    lambda d: d.update(total=d["total"] + 1),
    lambda d: d["spec"].update(arch="fc:3,2,1"),                        # total no longer matches
    lambda d: d.update(count_spectrum={"1": 1}),
    lambda d: d.update(functions={"a": 1}),
    lambda d: d.update(spec="fc:3,1"),
    lambda d: d["functions"].__setitem__(0, ["+-", 3]),
], ids=lambda f: getattr(f, "__name__", "edit"))
def test_every_invariant_of_a_json_prior_is_checked(saved, tmp_path, edit, digest):
    prior, raw = saved["plain", "json"]
    with pytest.raises(SpecError) as exc:
        _load_bytes(tmp_path, _edit_json(raw, edit, digest), "json")
    assert "\n" not in str(exc.value)


def test_a_spec_edit_that_keeps_the_totals_is_caught_by_the_digest(saved, tmp_path):
    prior, raw = saved["plain", "json"]

    def other_q(d):
        d["spec"]["q"]["values"] = ["-2", "0", "1"] if isinstance(d["spec"]["q"], dict) else d["spec"]["q"]

    edited = json.loads(raw)
    spec = json.dumps(edited["spec"])
    assert "-1" in spec
    edited["spec"] = json.loads(spec.replace('"-1"', '"-2"', 1))
    assert NetworkSpec.from_json(edited["spec"]).total == prior.total  # the invariants cannot see this
    with pytest.raises(SpecError, match="digest"):
        _load_bytes(tmp_path, json.dumps(edited).encode(), "json")
    del edited["digest"]
    assert _load_bytes(tmp_path, json.dumps(edited).encode(), "json").spec != prior.spec  # no digest: loads


def _rewrite_npz(raw, tmp_path, change):
    path = tmp_path / "in.npz"
    path.write_bytes(raw)
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    out = tmp_path / "out.npz"
    np.savez(out, **arrays)
    return out.read_bytes()


def _header(arrays, **kw):
    h = json.loads(str(arrays["header"]))
    h.pop("digest", None)
    h.update(kw)
    arrays["header"] = np.array(json.dumps(h))


@pytest.mark.parametrize("change", [
    lambda a: (a.update(tables=a["tables"][1:], counts=a["counts"][1:]), _header(a)),   # an entry removed
    lambda a: (a.update(tables=np.concatenate([a["tables"], a["tables"][:1]]),
                        counts=np.concatenate([a["counts"], a["counts"][:1]])), _header(a)),  # a table twice
    lambda a: (a["tables"].__setitem__((0, 0, 0), a["tables"][0, 0, 0] | np.uint64(1 << 40)), _header(a)),
    lambda a: (a["counts"].__setitem__((0, 0), 0), _header(a)),
    lambda a: _header(a, spec={**json.loads(str(a["header"]))["spec"], "arch": "fc:3,2,1"}),
    lambda a: a.update(counts=a["counts"].astype(np.int64)),
    lambda a: a.pop("header"),
], ids=["removed", "twice", "stray-bit", "zero-count", "spec", "dtype", "no-header"])
def test_an_edited_npz_is_refused(saved, tmp_path, change):
    prior, raw = saved["plain", "npz"]
    with pytest.raises(SpecError) as exc:
        _load_bytes(tmp_path, _rewrite_npz(raw, tmp_path, change), "npz")
    assert "\n" not in str(exc.value)


def test_class_sizes_are_checked(saved, tmp_path):
    prior, raw = saved["small", "classes"]
    bad = _rewrite_npz(raw, tmp_path, lambda a: (a["sizes"].__setitem__(0, 10**6), _header(a)))
    with pytest.raises(SpecError, match="class size|covered|num_functions|cover"):
        _load_bytes(tmp_path, bad, "npz")


def test_the_checks_pass_unchanged_files(saved, tmp_path):
    for (name, form), (prior, raw) in saved.items():
        back = _load_bytes(tmp_path, raw, "json" if form == "json" else "npz")
        assert back == prior and prior == back


# ---- equality: spec plus counts, for every form


def test_equal_priors_compare_equal():
    a, b = count_prior(SMALL, progress=False), count_prior(SMALL, progress=False)
    assert a.meta is not b.meta and a == b
    assert count_prior(PLAIN, "brute", progress=False) == count_prior(PLAIN, "fast", progress=False) == reference_prior(PLAIN)
    cp = a.to_classes()
    assert cp == a and a == cp and cp.expand() == a and cp == a.to_classes()
    wrong = FunctionPrior(a.spec, {**a.counts, "0000": a.counts.get("0000", 0) + 1})
    assert wrong != a and a != wrong and cp != wrong and wrong != cp
    other = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "pm1", "-1")
    assert count_prior(other, progress=False) != a
    assert a != "not a prior" and a != a.counts


@settings(max_examples=15, deadline=None)
@given(specs(max_settings=1000))
def test_saved_and_loaded_priors_are_equal_for_random_specs(tmp_path_factory, spec):
    prior = count_prior(spec, progress=False)
    folder = tmp_path_factory.mktemp("rt")
    for ext in ("json", "npz"):
        path = os.path.join(folder, f"p.{ext}")
        prior.save(path)
        back = load_prior(path)
        assert back == prior and back.counts == reference_prior(spec).counts  # a second method
    if prior.spec.arch.kind in ("fc", "sfc") and prior.spec.domain.kind in ("01", "pm1"):
        cp = prior.to_classes()
        path = os.path.join(folder, "c.npz")
        cp.save(path)
        assert load_prior(path) == prior == cp


# ---- JSON read as a stream


@settings(max_examples=25, deadline=None)
@given(specs(max_settings=1000), st.sampled_from([1, 2, 3, 1 << 15]), st.booleans(), st.data())
def test_the_streamed_json_reader_equals_the_dict_reader(spec, chunk, header_last, data):
    """Chunks of any size, header keys before or after the functions, counts past 2^63:
    the stream gives the prior ``json.load`` + the dict checks give."""
    import io

    from enumerate.results.checks import _Entries, parse_json_prior, read_json_prior

    prior = reference_prior(spec)
    doc = prior.to_json()
    if data.draw(st.booleans()) and doc["functions"]:  # a count past 2^63 (the totals no longer match)
        doc["functions"][0]["count"] = 2**70
    if header_last:
        doc = {"functions": doc.pop("functions"), **doc}
    text = json.dumps(doc).encode()
    saved_chunk, _Entries.CHUNK = _Entries.CHUNK, chunk
    try:
        try:
            want = FunctionPrior(*parse_json_prior(json.loads(text)))
        except SpecError as exc:
            with pytest.raises(SpecError) as got:
                read_json_prior(io.BytesIO(text))
            assert str(got.value) == str(exc)
            return
        assert FunctionPrior(*read_json_prior(io.BytesIO(text))) == want == prior
    finally:
        _Entries.CHUNK = saved_chunk


@pytest.mark.parametrize("cut", [1, 0.5, -3])
def test_a_truncated_json_prior_is_refused_in_one_line(saved, tmp_path, cut):
    prior, raw = saved["plain", "json"]
    end = cut if cut >= 1 else int(len(raw) * cut) if cut > 0 else len(raw) + cut
    with pytest.raises(SpecError) as exc:
        _load_bytes(tmp_path, raw[:end], "json")
    assert "\n" not in str(exc.value) and "not a valid prior" in str(exc.value)
    assert _load_bytes(tmp_path, raw, "json") == prior  # the whole file loads
