# Two commands on a fresh machine:
#   make handouts   set up everything, then build every handout in every language into dist/
#   make test       set up everything, then run the tests
VENV    ?= .venv
PYTHON  ?= python3
DEBS    := libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk gettext fontconfig poppler-utils zbar-tools chromium cups printer-driver-cups-pdf default-jdk-headless libjaxb-java liblouis-bin liblouis-data
STAMP   := $(VENV)/.installed
# Ace by DAISY (the EPUB accessibility checker) from npm, run in Debian's Chromium: no browser download
ACE     := .npm/node_modules/.bin/ace-puppeteer

.PHONY: handouts test check-all bench setup system lint clean mutation

handouts: setup
	$(VENV)/bin/make-handouts build

test: setup
	$(VENV)/bin/ruff check handoutkit tests make_handouts.py
	$(VENV)/bin/python -m pytest -q -m "not sweep" -n auto --dist loadfile

# make test, then the slow, exhaustive sweeps (make test runs a sample of each), one command a line:
# every chapter through speech recognition; every language's audio, talking EPUB (EPUBCheck) and
# phone page with its audio; every language in every PDF edition and the bilingual edition through
# veraPDF, the read-back and the whole-section checks.
check-all: test
	$(VENV)/bin/python -m pytest -q -m sweep
	HANDOUTKIT_CHECK_ALL=1 $(VENV)/bin/python -m pytest -q -n auto --dist loadfile tests/test_languages.py \
		tests/test_pdf_structure.py tests/test_bilingual.py

# Mutation testing (slow, not part of make test): one module at a time, against tests/unit only.
MUTATED := catalogs gate text source plan spoken

# mutmut in its own virtualenv: the newest mutmut (the one that works with pytest 9) needs a
# click that gTTS refuses, so it cannot share .venv; the unit tests need the core's libraries only.
MUTVENV := .venv-mutation
MUTDEPS := "mutmut==3.8.1" "pytest>=8" "weasyprint==70.0" "babel>=2.16" "jinja2>=3.1" "markdown-it-py>=3" \
           "mdit-py-plugins>=0.4" "pyyaml>=6" "textstat==0.7.4" "fontpkg-atkinson-hyperlegible>=1.6" \
           "espeakng-loader==0.2.4" "requests>=2.31" "numpy>=1.26" "scipy>=1.11" "soundfile>=0.12" \
           "pyloudnorm>=0.1.1" "lameenc>=1.7" "mutagen>=1.47" "rich>=13" "segno>=1.5" "pykakasi==2.3.0"

mutation: system
	test -x $(MUTVENV)/bin/python || $(PYTHON) -m venv $(MUTVENV)
	$(MUTVENV)/bin/pip install -q --disable-pip-version-check $(MUTDEPS)
	$(MUTVENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	rm -rf mutants
	for module in $(MUTATED); do $(MUTVENV)/bin/mutmut run --max-children 2 "handoutkit.$$module*" >/dev/null || exit 1; done
	$(MUTVENV)/bin/python scripts/mutation_scores.py

bench: setup
	$(VENV)/bin/python bench/bench.py

lint: setup
	$(VENV)/bin/ruff check handoutkit tests make_handouts.py

setup: system $(STAMP) $(ACE)

system:
	@scripts/ensure-debs.sh $(DEBS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test,piper]'
	touch $(STAMP)

$(ACE):
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .npm --no-audit --no-fund --silent @daisy/ace@1.4.6

clean:
	rm -rf dist .cache mutants
