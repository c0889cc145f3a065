# Two commands on a fresh machine:
#   make handouts   set up everything, then build every handout in every language into dist/
#   make test       set up everything, then run the tests
VENV    ?= .venv
PYTHON  ?= python3
DEBS    := libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk gettext fontconfig poppler-utils zbar-tools chromium cups printer-driver-cups-pdf default-jdk-headless libjaxb-java
STAMP   := $(VENV)/.installed

.PHONY: handouts test check-all bench setup system lint clean mutation

handouts: setup
	$(VENV)/bin/make-handouts build

test: setup
	$(VENV)/bin/ruff check handoutkit tests make_handouts.py
	$(VENV)/bin/python -m pytest -q -m "not sweep"

# make test, then the slow, exhaustive sweeps (make test runs a sample of each), one command a line:
# every chapter through speech recognition; every language in every PDF edition through
# veraPDF, the read-back and the whole-section checks.
check-all: test
	$(VENV)/bin/python -m pytest -q -m sweep
	HANDOUTKIT_CHECK_ALL=1 $(VENV)/bin/python -m pytest -q tests/test_pdf_structure.py

# Mutation testing (slow, not part of make test): one module at a time, against tests/unit only.
MUTATED := catalogs source plan spoken

mutation: setup
	rm -rf mutants
	for module in $(MUTATED); do $(VENV)/bin/mutmut run --max-children 2 "handoutkit.$$module*" >/dev/null || exit 1; done
	$(VENV)/bin/python scripts/mutation_scores.py

bench: setup
	$(VENV)/bin/python bench/bench.py

lint: setup
	$(VENV)/bin/ruff check handoutkit tests make_handouts.py

setup: system $(STAMP)

system:
	@scripts/ensure-debs.sh $(DEBS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test,piper]'
	touch $(STAMP)

clean:
	rm -rf dist .cache mutants
