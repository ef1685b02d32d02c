"""Shared fixtures: the bundled rules loaded once, a checker, and a way to run the CLI as a user does."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The rule cache of the test run: its own, never the user's ~/.cache (subprocesses inherit it), removed
# when the run ends (pytest_unconfigure).
TEST_CACHE = tempfile.mkdtemp(prefix="precomment-test-cache-")
os.environ["PRECOMMENT_CACHE_DIR"] = TEST_CACHE
os.environ.pop("PRECOMMENT_NO_CACHE", None)

from precomment.checking.pipeline import Checker
from precomment.cli import main
from precomment.language.rulebook import RuleSet, load_rules

ROOT = Path(__file__).resolve().parents[1]
FILINGS = ROOT / "filings"
REAL_DOCUMENTS = ROOT / "tests" / "data" / "real" / "documents"  # real 20-F documents (README there)
LONCOR = REAL_DOCUMENTS / "loncor-20f-fy2015-0001062993-16-008650.html"
AEGON = REAL_DOCUMENTS / "aegon-20f-fy2000-0000928385-01-500187.html"
MUESTRA = REAL_DOCUMENTS / "muestra" / "muestra-20171231.htm"
GOLDEN = Path(__file__).resolve().parent / "golden"
IIJ = "filings/iij-fy2009-20f.yaml"
IIJ_AMENDED = "filings/iij-fy2009-20f-amended.yaml"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def checker(ruleset: RuleSet) -> Checker:
    return Checker(ruleset)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `precomment ARGS...` in-process from the repository root; returns (exit code, stdout, stderr)."""
    return runner_in(ROOT, monkeypatch, capsys)


def runner_in(directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """A runner of `precomment ARGS...` in-process in `directory`, returning (exit code, stdout, stderr);
    its `.path` is the directory."""
    monkeypatch.chdir(directory)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    run.path = directory  # type: ignore[attr-defined]
    return run


def run_process(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
                executable: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or `python -m precomment`) in a separate process."""
    command = [executable] if executable else [sys.executable, "-m", "precomment"]
    return subprocess.run(command + list(args), cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def expected_text(path: Path, actual: str) -> str:
    """An exact-output file's text; with PRECOMMENT_UPDATE_GOLDEN=1 it is first rewritten from `actual`."""
    if os.environ.get("PRECOMMENT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def golden(name: str, actual: str) -> str:
    return expected_text(GOLDEN / name, actual)


PROBE_RULE = """\
id: PC-19-{n:03d}
name: probe-{n}
title: A probe rule of the engine's tests, number {n}
form_item: "19"
severity: info
authorities: [{{cite: test}}]
precedents: []
when:
{when}subject: {subject}
comment: Probe {n} matched a fact in the test filing.
remedy: Nothing to do.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{{name: f, findings: [x], filing: {{}}}}]
  pass: [{{name: p, filing: {{}}}}]
"""


def write_probe_rule(directory: Path, n: int, subject: str, when: str) -> None:
    """Rule PC-19-00N in `directory`: the patterns `when` (YAML list items, indented two spaces), reporting
    on the alias `subject`; its examples are placeholders that tests loading it do not run."""
    text = PROBE_RULE.format(n=n, subject=subject, when=when)
    (directory / f"probe-{n}.yaml").write_text(text, encoding="utf-8")


def assert_engines_agree_in_any_order(checker: Checker, filing: str, seeds: int) -> None:
    """durable-rules and the oracle give the same matches on a bundled filing, in its order and shuffled."""
    import random

    from precomment.sources.load import load_file
    facts = checker.facts(load_file(ROOT / filing)).facts
    expected = checker.matches(facts, "oracle")
    assert checker.matches(facts, "durable") == expected
    for seed in range(seeds):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert checker.matches(shuffled, "durable") == expected, f"shuffle seed {seed}"
