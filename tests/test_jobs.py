"""--jobs N: many filings in worker processes give the same report, byte for byte, as one process, and
the worst exit status of any filing."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys

import jsonschema
import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT
from precomment.checking import pipeline
from precomment.checking.pipeline import Checker
from precomment.errors import InternalError, SetupError
from precomment.reports.formats import FORMATS
from precomment.resources import load_schema

FY2024 = "filings/lanternfish-fy2024-20f.yaml"


@pytest.fixture
def portfolio(tmp_path):
    """A directory of 9 filings (the bundled ones, repeated), in sorted order a.yaml ... i.yaml."""
    directory = tmp_path / "portfolio"
    directory.mkdir()
    for name, source in zip("abcdefghi", [IIJ, IIJ_AMENDED, FY2024] * 3):
        shutil.copy(ROOT / source, directory / f"{name}.yaml")
    return directory


@pytest.mark.parametrize("fmt", ["json", "table", "sarif"])
def test_workers_give_the_same_report_as_one_process(cli, portfolio, fmt):
    one = cli("check", str(portfolio), "--format", fmt, "--jobs", "1")
    two = cli("check", str(portfolio), "--format", fmt, "--jobs", "2")
    assert one == two
    assert one[0] == 1
    assert all(f"{portfolio}/{name}.yaml" in one[1] for name in "abcdefghi"), "every filing is in the report"


def test_filings_are_reported_in_the_order_given(cli, portfolio):
    code, out, err = cli("check", str(portfolio / "i.yaml"), str(portfolio), "--format", "json", "--jobs", "2")
    sources = [filing["source"] for filing in json.loads(out)["filings"]]
    assert sources == [str(portfolio / "i.yaml")] + [str(portfolio / f"{n}.yaml") for n in "abcdefghi"]


def test_the_worst_status_wins(cli, portfolio):
    shutil.copy(ROOT / "tests/bad/unknown-key.yaml", portfolio / "e.yaml")
    code, out, err = cli("check", str(portfolio), "--jobs", "2")
    assert code == 2
    assert err.startswith(f"{portfolio}/e.yaml:")
    assert out.endswith("1 file could not be checked. Failed: bad input.\n")


def test_an_internal_error_in_a_worker_names_the_rule_and_the_file(cli, portfolio, monkeypatch):
    """Workers are forked from this process, so the broken evaluator reaches them."""
    real = Checker.matches

    def broken(self, facts, engine="durable"):
        if any(f.get("_type") == "filer" and "Lanternfish" in str(f.get("name")) for f in facts):
            raise InternalError("the rule's action failed during evaluation: boom", "PC-3-002")
        return real(self, facts, engine)
    monkeypatch.setattr(Checker, "matches", broken)
    code, out, err = cli("check", str(portfolio), "--jobs", "2")
    assert code == 3
    assert out.endswith("3 files could not be checked (3 internal errors). Failed: internal error.\n")
    assert err == "".join(f"{portfolio}/{name}.yaml: error [internal-error] at /: internal error: rule PC-3-002: the "
                          f"rule's action failed during evaluation: boom\n{INTERNAL_HINT}" for name in "cfi")


def test_standard_input_among_files(portfolio):
    def run(jobs):
        return subprocess.run(
            [sys.executable, "-m", "precomment", "check", "-", str(portfolio / "b.yaml"), "--format", "json",
             "--jobs", jobs], input=(ROOT / IIJ).read_bytes(), capture_output=True, cwd=ROOT, timeout=120)
    one, two = run("1"), run("2")
    assert (one.returncode, one.stderr) == (1, b"")
    assert one.stdout == two.stdout
    assert b'"source": "<stdin>"' in one.stdout


@pytest.mark.parametrize("value", ["-1", "two"])
def test_jobs_must_be_a_count(cli, value):
    with pytest.raises(SystemExit) as stop:
        cli("check", IIJ, "--jobs", value)
    assert stop.value.code == 2


# --- one filing's internal error costs only that filing ----------------------------------------------------

INTERNAL_HINT = ("  hint: a bug in precomment, not in this file; the other files were checked. Please report it with "
                 "this file (PRECOMMENT_DEBUG=1 shows the traceback)\n")


@pytest.fixture
def three(tmp_path):
    """a.yaml: the amended IIJ filing (no findings); b.yaml: the Lanternfish draft; c.yaml: the IIJ filing."""
    for name, source in zip("abc", [IIJ_AMENDED, FY2024, IIJ]):
        shutil.copy(ROOT / source, tmp_path / f"{name}.yaml")
    return tmp_path


def fail_on(monkeypatch, name, error):
    """Building the facts of the filing whose path ends in `name` raises `error`: a bug only that filing
    meets (like a crash on one hostile amount). Workers are forked from this process, so it reaches them."""
    real = pipeline.build_facts

    def build(document, deriver):
        if document.source.endswith(name):
            raise error
        return real(document, deriver)
    monkeypatch.setattr(pipeline, "build_facts", build)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_in_one_filing_is_that_filings_outcome(cli, three, monkeypatch, jobs):
    fail_on(monkeypatch, "b.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", str(three / "a.yaml"), str(three / "b.yaml"), "--jobs", jobs, "--no-progress")
    assert code == 3
    assert out.startswith(f"{three}/a.yaml: Internet Initiative Japan Inc., Form 20-F/A, fiscal year ended 2009-03-31\n\n"
                          "No findings, but 164 rules could not assess this filing (see Coverage).\n\nCoverage: ")
    assert out.endswith(f"\n\n{three}/b.yaml: not checked: internal error (reported on standard error)\n\n"
                        "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed; 1 file could not "
                        "be checked (1 internal error). Failed: internal error.\n")
    assert err == f"{three}/b.yaml: error [internal-error] at /: internal error: ZeroDivisionError\n" + INTERNAL_HINT
    assert multiprocessing.active_children() == [], "no worker process is left behind"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_filings_around_an_internal_error_get_their_whole_report(cli, three, monkeypatch, jobs):
    files = [str(three / f"{name}.yaml") for name in "abc"]
    code, clean, err = cli("check", *files, "--format", "json", "--jobs", jobs)
    assert (code, err) == (1, "")
    fail_on(monkeypatch, "b.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", *files, "--format", "json", "--jobs", jobs)
    assert code == 3
    jsonschema.Draft202012Validator(load_schema("report.schema.json")).validate(json.loads(out))
    filings, expected = json.loads(out)["filings"], json.loads(clean)["filings"]
    assert (filings[0], filings[2]) == (expected[0], expected[2]), "the checker after the failure is as good as new"
    assert filings[1] == {
        "source": files[1], "status": "internal-error", "filer": {}, "findings": [], "fixed": [],
        "not_assessed_since_baseline": [], "coverage_drop": [], "rules_not_applicable": [], "coverage": None,
        "errors": [{"source": files[1], "line": None, "column": None, "pointer": "", "code": "internal-error",
                    "message": "internal error: ZeroDivisionError", "hint": INTERNAL_HINT[len("  hint: "):-1]}]}


def test_an_internal_error_is_never_hidden_behind_a_gate_that_is_off(cli, three, monkeypatch):
    fail_on(monkeypatch, "a.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", str(three / "a.yaml"), "--fail-on", "never")
    assert code == 3
    assert out.endswith("0 findings in 0 filings (0 error, 0 warning, 0 info); 1 file could not be checked "
                        "(1 internal error). Failed: internal error.\n")


def test_bad_input_and_an_internal_error_together_exit_3(cli, three, monkeypatch):
    shutil.copy(ROOT / "tests/bad/unknown-key.yaml", three / "a.yaml")
    fail_on(monkeypatch, "b.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", str(three / "a.yaml"), str(three / "b.yaml"), str(three / "c.yaml"), "--jobs", "2")
    assert code == 3
    assert out.endswith("2 files could not be checked (1 internal error, 1 bad input). Failed: internal error.\n")


NOT_CHECKED = {
    "table": ["b.yaml: not checked: internal error (reported on standard error)"],
    "markdown": ["**Failed: internal error.**", "Not checked: internal error (reported on standard error)."],
    "html": ['<p class="verdict failed" id="verdict"><span class="word">Failed</span>',
             "<td>not checked: internal error</td>", "(not checked: internal error)",
             "<p>Not checked: internal error. It is a bug in precomment, not in the file: please report it.</p>",
             "b.yaml: error [internal-error] at /: internal error: ZeroDivisionError"],
    "letter": ["b.yaml: not checked: internal error (reported on standard error)"],
    "response": ["b.yaml: not checked: internal error (reported on standard error)"],
    "junit": ['<error message="internal error: ZeroDivisionError" type="internal-error">'],
    "json": ['"status": "internal-error"', '"code": "internal-error"'],
}
SAID_ELSEWHERE = {"sarif": "test_sarif_says_the_run_did_not_succeed",
                  "csv": "a row per finding: the file has none, and only the exit code (3) says why"}


def test_every_format_is_held_to_saying_a_filing_was_not_checked():
    # The list of formats is defined once, in reports.formats; a new format must be added here.
    assert set(NOT_CHECKED) | set(SAID_ELSEWHERE) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(NOT_CHECKED))
def test_every_format_says_a_filing_was_not_checked_for_an_internal_error(cli, three, monkeypatch, fmt):
    fail_on(monkeypatch, "b.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", str(three / "b.yaml"), "--format", fmt)
    assert code == 3
    words = " ".join(out.split())  # the letter wraps its lines
    for text in NOT_CHECKED[fmt]:
        assert text in words
    assert "No findings" not in out and "no comments" not in out


def test_sarif_says_the_run_did_not_succeed(cli, three, monkeypatch):
    fail_on(monkeypatch, "b.yaml", ZeroDivisionError("division by zero"))
    code, out, err = cli("check", str(three / "b.yaml"), "--format", "sarif")
    run = json.loads(out)["runs"][0]
    invocation = run["invocations"][0]
    assert (code, invocation["executionSuccessful"], invocation["exitCode"]) == (3, False, 3)
    assert [n["descriptor"]["id"] for n in invocation["toolExecutionNotifications"]] == ["internal-error"]
    assert run["artifacts"][0]["properties"]["status"] == "internal-error"


# --- a worker that dies -----------------------------------------------------------------------------------

def kill_worker_on(monkeypatch, name, once=None):
    """Building the facts of the filing whose path ends in `name` kills the worker process checking it, as
    the kernel's OOM killer or a crash in durable-rules' C code would (never this test's own process). With
    `once` (a path), only the first time: the file is made when the worker dies."""
    real, parent = pipeline.build_facts, os.getpid()

    def build(document, deriver):
        if document.source.endswith(name) and os.getpid() != parent and not (once and once.exists()):
            if once:
                once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(document, deriver)
    monkeypatch.setattr(pipeline, "build_facts", build)


def test_a_worker_that_dies_costs_only_the_filing_it_was_checking(cli, portfolio, monkeypatch):
    code, clean, err = cli("check", str(portfolio), "--format", "json", "--jobs", "2")
    assert (code, err) == (1, "")
    kill_worker_on(monkeypatch, "e.yaml")
    code, out, err = cli("check", str(portfolio), "--format", "json", "--jobs", "2")
    assert code == 3
    assert err == (f"{portfolio}/e.yaml: error [internal-error] at /: internal error: the worker process checking "
                   "this file died (killed, or crashed in native code)\n"
                   "  hint: the other files were checked. If it happens again with this file, it is a bug in "
                   "precomment: please report it with this file\n")
    filings, expected = json.loads(out)["filings"], json.loads(clean)["filings"]
    assert [f["status"] for f in filings] == ["checked"] * 4 + ["internal-error"] + ["checked"] * 4
    assert filings[:4] + filings[5:] == expected[:4] + expected[5:]
    assert multiprocessing.active_children() == [], "no worker process is left behind"


def test_filings_in_flight_when_a_worker_died_are_checked_again(cli, portfolio, monkeypatch, tmp_path):
    """A worker killed once, by something else than its filing (the OOM killer choosing it): nothing is lost."""
    code, clean, err = cli("check", str(portfolio), "--format", "json", "--jobs", "2")
    kill_worker_on(monkeypatch, "b.yaml", once=tmp_path / "died")
    assert cli("check", str(portfolio), "--format", "json", "--jobs", "2") == (1, clean, "")
    assert (tmp_path / "died").exists(), "a worker did die"
    assert multiprocessing.active_children() == []


def in_workers_only(monkeypatch, do):
    """Making a worker's Checker calls `do()` first, in worker processes only."""
    real, parent = Checker.__init__, os.getpid()

    def init(self, ruleset):
        if os.getpid() != parent:
            do()
        real(self, ruleset)
    monkeypatch.setattr(Checker, "__init__", init)


def test_workers_that_die_as_they_start_are_one_error_not_every_filings(cli, portfolio, monkeypatch):
    in_workers_only(monkeypatch, lambda: os._exit(70))
    assert cli("check", str(portfolio), "--jobs", "2") == (
        3, "", "precomment: internal error: a worker process died as it started\n")
    assert multiprocessing.active_children() == []


def test_an_error_making_a_worker_is_the_runs_error_without_a_traceback(cli, portfolio, monkeypatch):
    def fail():
        raise SetupError("durable-rules, the rule engine, cannot be loaded (simulated)")
    in_workers_only(monkeypatch, fail)
    assert cli("check", str(portfolio), "--jobs", "2") == (
        2, "", "precomment: durable-rules, the rule engine, cannot be loaded (simulated)\n")
    assert multiprocessing.active_children() == []
