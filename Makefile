# Two entry points for a fresh machine with python3 (3.11, 3.12 or 3.13), make and a C compiler
# (durable-rules ships only as source): `make demo` and `make test`. Each creates .venv when missing,
# with the exact versions, checked by hash, of requirements-test.txt (the lock) and requirements-build.txt.
# Another Python: `make PYTHON=python3.13 test` (after `make clean` if .venv was made with another one).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements-test.txt
BUILD_LOCK := requirements-build.txt

# Quiet: a first run prints one line saying it sets up, then the report. What pip and the compiler say
# goes to $(VENV)/setup.log, shown whole if a step fails.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
PIP = $(1)/python -m pip --quiet
LOG := $(VENV)/setup.log
quietly = { $(1); } >> $(LOG) 2>&1 || { cat $(LOG) >&2; echo "make: setting up $(VENV) failed (above; kept in $(LOG))" >&2; exit 1; }

# durable-rules 2.0.28, its last release, calls PyEval_CallObject, which Python 3.13 removed; it is the
# same call as PyObject_CallObject. Defining one as the other lets durable-rules build and import on 3.13
# (on 3.11 and 3.12 Python's own definition of the name stands). --no-cache-dir: pip would otherwise
# reuse a wheel of durable-rules built earlier without this flag (its cache key ignores CPPFLAGS).
DURABLE_BUILD := CPPFLAGS="$$CPPFLAGS -DPyEval_CallObject=PyObject_CallObject" PIP_NO_CACHE_DIR=1

.PHONY: demo lint test test-latest lock wheel clean docs goldens

# $(call new_venv,DIR): a virtual environment of $(PYTHON), refused unless it is 3.11 to 3.13.
define new_venv
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 14) else "precomment needs Python 3.11, 3.12 or 3.13; this is " + sys.version.split()[0] + ": run make PYTHON=python3.13 ...")'
	@$(PYTHON) -m venv $(1)
endef

# .venv must be of $(PYTHON): `make PYTHON=python3.13 test` beside a .venv of 3.11 would test 3.11.
version = $$($(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
same_python = [ "$(call version,$(PYTHON))" = "$(call version,$(BIN)/python)" ] \
	|| { echo "make: $(VENV) is Python $(call version,$(BIN)/python), not $(PYTHON) ($(call version,$(PYTHON))): run make clean first" >&2; exit 2; }

$(BIN)/python:
	$(call new_venv,$(VENV))

# The locked tools and libraries, then precomment itself (editable: code and rules are used as they are),
# built by the locked setuptools. Reinstalled when the metadata or a lock changes.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK) $(BUILD_LOCK)
	@$(same_python)
	@echo "Setting up $(VENV) from $(LOCK) (once; about 20 s, needs PyPI)" >&2
	@: > $(LOG)
	@$(call quietly,$(call PIP,$(BIN)) install --require-hashes --no-deps -r $(BUILD_LOCK))
	@$(call quietly,$(DURABLE_BUILD) $(call PIP,$(BIN)) install --require-hashes --no-deps --no-build-isolation -r $(LOCK))
	@$(call quietly,$(call PIP,$(BIN)) install --no-deps --no-build-isolation -e .)
	@touch $@

# Exit 1 means "findings at or above the gate", which is the point of the demo; 2 or 3 still fail.
demo: $(VENV)/.installed
	@$(same_python)
	@$(BIN)/precomment check filings/iij-fy2009-20f.yaml || [ $$? -eq 1 ]

# ruff (pyflakes, pycodestyle, isort, pyupgrade, bugbear: engine/, tests/, benchmarks/) and mypy --strict on the
# package, as pyproject.toml configures them: a few seconds, before the suite, each failure at its file:line.
lint: $(VENV)/.installed
	@$(same_python)
	@$(BIN)/ruff check --quiet || { echo "make: ruff found the problems above (many are fixed by $(BIN)/ruff check --fix)" >&2; exit 1; }
	@$(BIN)/mypy || { echo "make: mypy found the type errors above" >&2; exit 1; }

test: lint
	$(BIN)/python -m pytest

# The suite against the newest release of every dependency, in a venv of its own made afresh: drift is
# seen here before a user meets it. Not locked, so not part of `make test`.
test-latest:
	rm -rf .venv-latest
	$(call new_venv,.venv-latest)
	$(DURABLE_BUILD) $(call PIP,.venv-latest/bin) install --upgrade setuptools -e '.[test]'
	.venv-latest/bin/python -m pip list --format freeze
	.venv-latest/bin/python -m pytest

# Refresh the locks to the newest releases that pyproject.toml allows (one resolution good on 3.11 to 3.13
# and every platform), with uv; read the diff, run `make clean test`, commit.
UV_VERSION ?= 0.13.9
lock:
	[ -x .venv-lock/bin/uv ] || { $(PYTHON) -m venv .venv-lock && $(call PIP,.venv-lock/bin) install uv==$(UV_VERSION); }
	.venv-lock/bin/uv pip compile --quiet --upgrade --universal --python-version 3.11 --generate-hashes \
		--index-url https://pypi.org/simple --custom-compile-command "make lock" \
		pyproject.toml --extra test --group pyproject.toml:build -o $(LOCK)
	.venv-lock/bin/uv pip compile --quiet --upgrade --universal --python-version 3.11 --generate-hashes \
		--index-url https://pypi.org/simple --custom-compile-command "make lock" \
		--group pyproject.toml:build -o $(BUILD_LOCK)

# Generated reference docs (docs/fact-types.md from the filing schema, docs/rules.md from the rules): after
# adding or changing a rule or a fact type.
docs: $(VENV)/.installed
	$(BIN)/python -m precomment.commands.docs

# The golden outputs rewritten from the code (tests/golden, tests/bad, tests/bad_rules): after a change that
# is meant to change what users see, such as a new rule (docs/architecture.md says which goldens list every
# rule). Read the diff before committing it: it is what users will see.
GOLDEN_TESTS := tests/test_iij.py tests/test_fy2024.py tests/test_format_sarif.py tests/test_format_junit.py \
	tests/test_format_html.py tests/test_format_letter.py tests/test_format_markdown_csv.py tests/test_ruletools.py \
	tests/test_bad_input.py tests/test_bad_rules.py
goldens: $(VENV)/.installed
	-PRECOMMENT_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q $(GOLDEN_TESTS) > /dev/null
	$(BIN)/python -m pytest -q $(GOLDEN_TESTS)
	git status --short tests

wheel: $(VENV)/.installed
	$(call PIP,$(BIN)) wheel --no-deps --no-build-isolation . -w dist

clean:
	rm -rf $(VENV) .venv-latest .venv-lock build dist *.egg-info .mypy_cache .ruff_cache
