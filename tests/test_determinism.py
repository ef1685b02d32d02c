"""The same input gives byte-identical reports: across runs, PYTHONHASHSEED values (set and string
iteration order changes with it) and worker counts. Each run is a separate process, as a user runs it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import IIJ, ROOT, run_process
from precomment.reports.formats import FORMATS

# Every report format (FORMATS) must be byte-identical across the runs below.

RUNS = ("0", "1", "12345", "random", "random")
"""PYTHONHASHSEED of each run: fixed values, and twice a fresh random one."""

TODAY = "2025-06-30"
"""Passed as --today, so that formats that print a date print the same one whenever the test runs."""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    """For each run: every format's report of the IIJ filing, as the bytes written by one process
    (the table also on standard output, as `stdout`)."""
    found = []
    for index, seed in enumerate(RUNS):
        directory = tmp_path_factory.mktemp(f"run-{index}")
        args = ["check", IIJ, "--today", TODAY, "--no-progress", "--format", "table"]
        for fmt in FORMATS:
            args += ["--format", fmt, "--output", str(directory / fmt)]
        result = run_process(*args, env={"PYTHONHASHSEED": seed})
        assert (result.returncode, result.stderr) == (1, ""), f"PYTHONHASHSEED={seed}: {result.stderr}"
        found.append({"stdout": result.stdout.encode("utf-8"),
                      **{fmt: (directory / fmt).read_bytes() for fmt in FORMATS}})
    return found


@pytest.mark.parametrize("fmt", [*FORMATS, "stdout"])
def test_reports_are_byte_identical_across_runs_and_hash_seeds(reports, fmt):
    first = reports[0][fmt]
    assert b"Koichi Suzuki" in first  # a real report, not an empty file (every format names the subjects)
    differing = [f"run {index} (PYTHONHASHSEED={seed})" for index, (seed, run) in enumerate(zip(RUNS, reports))
                 if run[fmt] != first]
    assert differing == []


def test_reports_do_not_depend_on_the_number_of_workers(tmp_path: Path):
    outputs = []
    for jobs in ("1", "2"):
        result = run_process("check", "filings", "--format", "json", "--jobs", jobs, "--no-progress",
                             "--today", TODAY, "--output", str(tmp_path / f"jobs-{jobs}.json"))
        assert (result.returncode, result.stderr) == (1, "437 findings in 10 filings (98 error, 287 warning, 52 info); "
                                                      "1710 rules not assessed. Gate --fail-on error: FAILED by 98 "
                                                      "findings at or above error.\n")
        outputs.append((tmp_path / f"jobs-{jobs}.json").read_bytes())
    assert outputs[0] == outputs[1]
    assert [f["source"] for f in json.loads(outputs[0])["filings"]] == sorted(
        f"filings/{path.name}" for path in (ROOT / "filings").glob("*.yaml"))
