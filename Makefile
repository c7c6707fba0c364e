# Two-command quick start:  make demo  |  make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup demo test test-random test-all docs bench proofs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,docs]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the project with test and docs extras

demo: setup  ## the built-in worked example
	$(BIN)/python -m enumerate demo

test: setup  ## every test: doctests, property tests, cross-checks, worked examples (CI runs it, then test-random)
	$(BIN)/python -m pytest -q -p no:randomly

# every test again in a random order (pytest-randomly; the seed is printed: SEED=N replays it)
SEED ?=
test-random: setup  ## every test in a random order, to show order dependence (CI runs it after test)
	$(BIN)/python -m pytest -q $(if $(SEED),--randomly-seed=$(SEED),)

test-all: test  ## an alias of test (there is no slow-test exclusion)

docs: setup  ## build the HTML docs; the build executes every worked example
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: setup  ## every benchmark, results in benchmarks/results/*.json (summarised on the docs' benchmarks page)
	for b in benchmarks/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

proofs: setup  ## check every claim of the paper against exact counts
	$(BIN)/python -m proofs

clean:
	rm -rf docs/_build docs/jupyter_execute .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
