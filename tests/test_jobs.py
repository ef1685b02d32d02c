"""--jobs N: many filings in worker processes give the same report, byte for byte, as one process, and
the worst exit status of any filing."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import IIJ, IIJ_AMENDED, ROOT
from precomment.errors import InternalError
from precomment.pipeline import Checker

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


def test_an_internal_error_in_a_worker_is_exit_3_naming_the_rule(cli, portfolio, monkeypatch):
    """Workers are forked from this process, so the broken evaluator reaches them."""
    real = Checker.matches

    def broken(self, facts, engine="durable"):
        if any(f.get("_type") == "filer" and "Lanternfish" in str(f.get("name")) for f in facts):
            raise InternalError("the rule's action failed during evaluation: boom", "PC-3-002")
        return real(self, facts, engine)
    monkeypatch.setattr(Checker, "matches", broken)
    code, out, err = cli("check", str(portfolio), "--jobs", "2")
    assert (code, out) == (3, "")
    assert err == "precomment: internal error: rule PC-3-002: the rule's action failed during evaluation: boom\n"


def test_standard_input_among_files(portfolio):
    run = lambda jobs: subprocess.run(
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
