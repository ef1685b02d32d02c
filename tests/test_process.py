"""What only a separate process shows: byte-identical reports across runs and hash seeds, and no crash on
a filing without findings (durable-rules freed uninitialised memory there, see durable_rules/evaluator.py)."""
from __future__ import annotations

import pytest
from conftest import GOLDEN, IIJ, IIJ_AMENDED, run_process


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_reports_are_byte_identical_across_hash_seeds(fmt):
    outputs = set()
    for seed in ("0", "1", "4242"):
        result = run_process("check", IIJ, "--format", fmt, env={"PYTHONHASHSEED": seed})
        assert (result.returncode, result.stderr) == (1, "")
        outputs.add(result.stdout)
    assert len(outputs) == 1
    name = "iij-fy2009-20f.table.txt" if fmt == "table" else "iij-fy2009-20f.json"
    assert outputs.pop() == (GOLDEN / name).read_text(encoding="utf-8")  # written by test_iij.py


def test_a_filing_without_findings_never_crashes():
    # Before the sentinel rule this crashed (SIGSEGV/SIGABRT) in most runs.
    for seed in range(6):
        result = run_process("check", IIJ_AMENDED, env={"PYTHONHASHSEED": str(seed)})
        assert (result.returncode, result.stderr) == (0, ""), f"run {seed}: exit {result.returncode}"


def test_fail_on_levels_set_the_exit_code():
    expectations = {"error": 1, "warning": 1, "info": 1, "never": 0}
    for level, code in expectations.items():
        result = run_process("check", IIJ, "--fail-on", level, "--format", "json")
        assert result.returncode == code, level
    assert run_process("check", IIJ_AMENDED, "--fail-on", "info").returncode == 0


def test_usage_errors_exit_2():
    result = run_process("check")
    assert result.returncode == 2
    assert "usage: precomment check" in result.stderr
    result = run_process("check", IIJ, "--fail-on", "sometimes")
    assert result.returncode == 2
    assert "invalid choice: 'sometimes'" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_engine_built_wrong_for_this_python_is_a_setup_error_with_the_mend(tmp_path, jobs):
    """durable-rules built on Python 3.13 without the README's flag fails to import ("undefined symbol:
    PyEval_CallObject"). That is the environment, not a bug: exit 2 and the command that rebuilds it."""
    (tmp_path / "durable_rules_engine.py").write_text(
        "raise ImportError('durable_rules_engine.cpython-313-x86_64-linux-gnu.so: undefined symbol: "
        "PyEval_CallObject')\n", encoding="utf-8")
    result = run_process("check", IIJ, "--no-cache", "--jobs", jobs, env={"PYTHONPATH": str(tmp_path)})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "precomment: durable-rules, the rule engine, was built for this Python without the flag it needs from "
        "Python 3.13 on (durable_rules_engine.cpython-313-x86_64-linux-gnu.so: undefined symbol: PyEval_CallObject)\n"
        "  hint: rebuild it: CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject pip install --no-cache-dir "
        "--force-reinstall --no-deps durable-rules==2.0.28\n")
