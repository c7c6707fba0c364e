"""The docs and the tools say the same thing (issue 18, part 5)."""

import importlib.util
import inspect
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_enumerate_testing_comes_with_the_testing_extra_everywhere():
    texts = {p: p.read_text() for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]}
    wrong = [str(p.name) for p, t in texts.items() for line in t.splitlines()
             if "enumerate.testing" in line and "[test]" in line]
    assert not wrong
    assert any("[testing]" in t for p, t in texts.items() if p.name == "installation.md")


def test_the_cli_page_lists_peer_grids_and_every_command():
    text = (ROOT / "docs" / "cli.md").read_text()
    assert "peer:B" in text
    from enumerate.cli import COMMANDS
    from proofs.cli import COMMANDS as PROOFS

    synopsis = text.split("```", 2)[1]
    assert all(f"python -m enumerate {c}" in synopsis for c in COMMANDS)
    assert all(c in synopsis for c in PROOFS)
    assert max(len(line) for line in synopsis.splitlines()) <= 88  # fits a laptop screen


def test_proofs_help_lists_the_subcommands(capsys):
    from proofs.cli import COMMANDS, main

    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert all(c in out.split("subcommands", 1)[1] for c in COMMANDS)


def _conf():
    spec = importlib.util.spec_from_file_location("docs_conf_api", ROOT / "docs" / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def test_the_api_page_names_the_modules_the_pages_import():
    conf = _conf()
    listed = conf.page_imports()
    assert {"proofs.bounds", "proofs.claims.embedding_union", "enumerate.analysis.plots"} <= set(listed)
    assert not set(listed) & set(conf.api_modules())
    assert "% PAGE-IMPORTS" in (ROOT / "docs" / "api.md").read_text()
    source = [(ROOT / "docs" / "api.md").read_text()]

    class App:
        srcdir = str(ROOT / "docs")

    conf._api_table(App, "api", source)
    assert "`proofs.bounds`" in source[0] and "% PAGE-IMPORTS" not in source[0]


@pytest.mark.parametrize("cls", ["FunctionPrior", "ClassPrior"])
def test_every_public_query_of_a_prior_has_a_description(cls):
    import enumerate.results.prior as prior

    klass = getattr(prior, cls)
    empty = [name for name, member in inspect.getmembers(klass) if not name.startswith("_")
             and (isinstance(member, property) or inspect.isfunction(member))
             and not (inspect.getdoc(member) or "").strip()]
    assert not empty, f"{cls}: no description for {empty}"


def test_several_networks_on_the_same_inputs_share_one_uniform_line():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from enumerate import NetworkSpec, count_prior
    from enumerate.analysis.plots import plot_ones
    from enumerate.analysis.simplicity import analyze

    fig, ax = plt.subplots()
    for arch in ("fc:3,1", "fc:3,2,1"):
        plot_ones(analyze(count_prior(NetworkSpec.parse(arch, "-1,0,1"), progress=False), lz=False), ax)
    labels = ax.get_legend_handles_labels()[1]
    plt.close(fig)
    assert sum(bool(re.match("uniform", x)) for x in labels) == 1 and len(labels) == 3
