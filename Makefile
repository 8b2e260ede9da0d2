# Makefile: the two commands in the README, and a few more.
#   make book         set up .venv (first run) and build the student edition -> _build/html
#   make test         set up what the tests need and run them (builds both editions first)
#   make instructor   build the instructor edition -> _build/instructor/html
#   make student-notebooks   runnable student notebooks + data/ + edition/ -> _build/student-notebooks.zip
#   make reader       the student edition's readings as one PDF -> _build/reader.pdf
#   make check        check data/ against every rule
#   make bench        measure build time, page weight and speed -> book/benchmarks.md
#   make clean        remove _build/
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BOOK_STAMP := $(VENV)/.book-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: book instructor student-notebooks reader test check clean setup bench

$(BOOK_STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): $(BOOK_STAMP) requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

setup: $(BOOK_STAMP)

check: $(BOOK_STAMP)
	$(PY) -m edition check

book: check
	$(PY) -m edition build student

instructor: check
	$(PY) -m edition build instructor

student-notebooks: check
	$(PY) -m edition student-notebooks

reader: check
	$(PY) -m edition reader

test: $(TEST_STAMP) check
	$(PY) -m edition build student
	$(PY) -m edition build instructor
	$(PY) -m edition student-notebooks
	$(PY) -m pytest

bench: $(TEST_STAMP)
	$(PY) tools/benchmark.py

clean:
	rm -rf _build
