"""A `precomment check` of one filing registers only the durable-rules rulesets that filing can fire
(evaluator.one_document_process): the same findings as registering every ruleset, fewer rulesets, and no
registration after a session (which can crash durable-rules: architecture.md, 'Registration').

The mode is process-wide and one-way, so each case runs in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT
from precomment.sources.load import load_file

FILINGS = sorted(path.name for path in (ROOT / "filings").glob("*.yaml"))

_ONE_DOCUMENT = """
import json, sys
from precomment.checking.pipeline import Checker
from precomment.evaluation.durable_rules import evaluator
from precomment.language.rulebook import load_rules
from precomment.sources.load import load_file
evaluator.one_document_process()
checker = Checker(load_rules())
document = load_file(sys.argv[1])
findings = checker.findings(document)
present = {fact["_type"] for fact in checker.facts(load_file(sys.argv[1])).facts}
print(json.dumps({
    "findings": [[f.rule_id, f.pointer, f.subject] for f in findings],
    "registered": len(evaluator._REGISTERED),
    "partitions": len(checker.durable.partitions),
    "firing": sum(p.can_fire(present) for p in checker.durable.partitions),
    "rules": sum(len(p.rules) for p in checker.durable.partitions if p.can_fire(present)),
    "rules_firing": sum(len(p.only_firing(present).rules) for p in checker.durable.partitions if p.can_fire(present)),
}))
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("name", ["iij-fy2009-20f.yaml", "lanternfish-fy2024-20f.yaml"])
def test_one_document_gets_the_same_findings_from_only_the_rulesets_it_can_fire(name, checker):
    done = _run(_ONE_DOCUMENT, str(ROOT / "filings" / name))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    everything = checker.findings(load_file(ROOT / "filings" / name))  # here every ruleset is registered
    assert seen["findings"] == [[f.rule_id, f.pointer, f.subject] for f in everything]
    assert seen["registered"] == seen["firing"] < seen["partitions"]
    assert seen["rules_firing"] < seen["rules"]  # rules that cannot match this filing are left out too


@pytest.mark.parametrize("second", ["lanternfish-fy2024-20f.yaml", "iij-fy2009-20f-amended.yaml"])
def test_a_second_document_is_refused_not_crashed_nor_short_of_findings(second):
    # After IIJ, another document could need a rule left out, or a ruleset registered after a session,
    # which durable-rules may crash on: the process says so as an internal error instead.
    code = _ONE_DOCUMENT + """
from precomment.errors import InternalError
try:
    Checker(checker.ruleset).findings(load_file(sys.argv[2]))
except InternalError as error:
    print("refused:", error)
"""
    done = _run(code, str(ROOT / "filings/iij-fy2009-20f.yaml"), str(ROOT / "filings" / second))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "refused: durable-rules holds only the rules one document could fire, and this process was set to check "
        "one filing only (one_document_process)")


def test_the_command_checking_one_filing_reports_what_the_in_process_check_reports(cli, tmp_path):
    """`precomment check FILE` (its own process: one filing, the rulesets it can fire) writes, for every
    bundled description, the report `cli.main` writes in this process (every ruleset registered)."""
    for name in FILINGS:
        command = [sys.executable, "-m", "precomment", "check", f"filings/{name}", "--format", "json",
                   "--output", str(tmp_path / "own.json"), "--today", "2026-12-06"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        code, _, _ = cli("check", f"filings/{name}", "--format", "json", "--output", str(tmp_path / "here.json"),
                         "--today", "2026-12-06")
        assert done.returncode == code, (name, done.stderr)
        assert (tmp_path / "own.json").read_bytes() == (tmp_path / "here.json").read_bytes(), name
