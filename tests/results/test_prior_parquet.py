"""Parquet priors (the optional pyarrow extra): round trips against a second method, exact
counts past 2^63, every invariant checked on load, one clear line without pyarrow."""

import os
import sys

import pytest
from hypothesis import given, settings

from enumerate import FunctionPrior, NetworkSpec, SpecError, count_prior
from enumerate.results.prior import load_prior
from enumerate.testing import reference_prior, specs

SMALL = NetworkSpec.parse("fc:2,1", "-1,0,1", "sign", "pm1", "0")  # three labels, a class form


def test_without_pyarrow_saving_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    prior = count_prior(SMALL, progress=False)
    with pytest.raises(SpecError, match=r"pip install 'qnet-priors\[parquet\]'"):
        prior.save(tmp_path / "p.parquet")
    assert not os.path.exists(tmp_path / "p.parquet")


@settings(max_examples=15, deadline=None)
@given(specs(max_settings=1000))
def test_parquet_round_trip_equals_the_reference_for_random_specs(tmp_path_factory, spec):
    pytest.importorskip("pyarrow")
    prior = count_prior(spec, progress=False)
    path = os.path.join(tmp_path_factory.mktemp("pq"), "p.parquet")
    prior.save(path)
    back = load_prior(path)
    assert back == prior and back.counts == reference_prior(spec).counts  # a second method
    if spec.arch.kind in ("fc", "sfc") and spec.domain.kind in ("01", "pm1"):
        classes = prior.to_classes()
        classes.save(path)
        again = load_prior(path)
        assert again == classes == prior and again.num_classes == classes.num_classes


def test_columns_are_the_documented_schema_and_readable_by_pyarrow(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    prior = count_prior(SMALL, progress=False)
    prior.save(tmp_path / "p.parquet")
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.column_names == ["table", "count"]
    assert dict(zip(table.column("table").to_pylist(), table.column("count").to_pylist())) == prior.counts
    prior.to_classes().save(tmp_path / "c.parquet")
    ctable = pq.read_table(tmp_path / "c.parquet")
    assert ctable.column_names == ["table", "count", "class_size"]
    assert sum(c * s for c, s in zip(ctable.column("count").to_pylist(), ctable.column("class_size").to_pylist())) \
        == prior.total


def test_counts_past_two_to_the_63_are_decimal_strings_and_exact(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    spec = NetworkSpec.parse("fc:2,16,1", "-1,0,1")  # 3^65 settings: counts past int64
    prior = FunctionPrior(spec, {"++--": 2**70 + 1, "+-+-": 5})
    prior.save(tmp_path / "big.parquet")
    assert pq.read_table(tmp_path / "big.parquet").column("count").to_pylist() == [str(2**70 + 1), "5"]
    back = load_prior(tmp_path / "big.parquet")
    assert back == prior and back.count("++--") == 2**70 + 1


def _rewrite(path, out, edit):
    """The file at ``path`` with its columns changed by ``edit`` (the header kept as it was)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    edit(cols)
    types = {name: table.schema.field(name).type for name in cols}
    new = pa.table({k: pa.array(v, types[k]) for k, v in cols.items()}).replace_schema_metadata(table.schema.metadata)
    pq.write_table(new, out)


@pytest.mark.parametrize("edit, why", [
    (lambda c: c["count"].__setitem__(0, c["count"][0] + 1), "count"),          # covered/spectrum/digest
    (lambda c: c["table"].__setitem__(0, c["table"][0][:-1]), "characters"),     # a short table
    (lambda c: c["table"].__setitem__(0, "x" * len(c["table"][0])), "characters"),
    (lambda c: c["count"].__setitem__(0, 0), "count"),
    (lambda c: c["table"].__setitem__(1, c["table"][0]), "twice"),
])
def test_an_edited_parquet_is_refused_in_one_line(tmp_path, edit, why):
    pytest.importorskip("pyarrow")
    prior = count_prior(SMALL, progress=False)
    prior.save(tmp_path / "p.parquet")
    assert load_prior(tmp_path / "p.parquet") == prior  # the unchanged file loads
    _rewrite(tmp_path / "p.parquet", tmp_path / "bad.parquet", edit)
    with pytest.raises(SpecError) as exc:
        load_prior(tmp_path / "bad.parquet")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("prior: ")


def test_a_truncated_parquet_is_refused(tmp_path):
    pytest.importorskip("pyarrow")
    prior = count_prior(SMALL, progress=False)
    prior.save(tmp_path / "p.parquet")
    data = (tmp_path / "p.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2] + data[-8:])
    with pytest.raises(SpecError, match="not a valid prior"):
        load_prior(tmp_path / "cut.parquet")
