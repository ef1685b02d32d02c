# Two entry points for a fresh machine with python3 (3.11 or 3.12), make and a C compiler
# (durable-rules ships only as source): `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test wheel clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else "precomment needs Python 3.11 or 3.12 (durable-rules 2.0.28 does not import on 3.13); run: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the packaging metadata changes; the editable install picks up code and rules as they are.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Exit 1 means "findings at or above the gate", which is the point of the demo; 2 or 3 still fail.
demo: $(VENV)/.installed
	$(BIN)/precomment check filings/iij-fy2009-20f.yaml || [ $$? -eq 1 ]

test: $(VENV)/.installed
	$(BIN)/python -m pytest

wheel: $(VENV)/.installed
	$(BIN)/python -m pip wheel --quiet --no-deps . -w dist

clean:
	rm -rf $(VENV) build dist *.egg-info
