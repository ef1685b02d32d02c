"""A failure inside ONE rule's action, while durable-rules evaluates, is an internal error naming that
rule and the filing (exit 3): that filing is reported as not checked, above all never "No findings" for a
filing whose check did not finish, and the other filings get their report."""
from __future__ import annotations

import json

import pytest
from conftest import IIJ, IIJ_AMENDED
from precomment.evaluation.durable_rules import evaluator as evaluate

FAILING_RULE = "PC-6-001"
"""A rule that matches the IIJ filing (Koichi Suzuki's shares without a percentage) and not the amended one."""


@pytest.fixture
def one_rule_fails(monkeypatch):
    """Recording a match of FAILING_RULE raises, inside the action durable-rules calls; other rules record."""
    recorded = evaluate.Match

    def record(rule_id, bindings):
        if rule_id == FAILING_RULE:
            raise RuntimeError("simulated failure while recording a match")
        return recorded(rule_id, bindings)
    monkeypatch.setattr(evaluate, "Match", record)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_whose_action_fails_is_an_internal_error_naming_it(cli, one_rule_fails, jobs):
    # The amended filing, checked first, has no finding of its own and gets its report; the IIJ filing,
    # whose check did not finish, is not checked (never "No findings."), and the run exits 3.
    code, out, err = cli("check", IIJ_AMENDED, IIJ, "--no-progress", "--jobs", jobs)
    assert code == 3
    assert out.startswith(f"{IIJ_AMENDED}: Internet Initiative Japan Inc., Form 20-F/A, fiscal year ended 2009-03-31\n\n"
                          "No findings, but 164 rules could not assess this filing (see Coverage).\n\nCoverage: ")
    assert out.endswith(f"\n\n{IIJ}: not checked: internal error (reported on standard error)\n\n"
                        "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed; 1 file could not "
                        "be checked (1 internal error). Failed: internal error.\n")
    assert err == (f"{IIJ}: error [internal-error] at /: internal error: rule {FAILING_RULE}: the rule's action "
                   "failed during evaluation: RuntimeError('simulated failure while recording a match')\n"
                   "  hint: a bug in precomment, not in this file; the other files were checked. Please report it "
                   "with this file (PRECOMMENT_DEBUG=1 shows the traceback)\n")


def test_the_json_report_says_which_filing_was_not_checked(cli, one_rule_fails):
    code, out, err = cli("check", IIJ_AMENDED, IIJ, "--format", "json")
    filings = json.loads(out)["filings"]
    assert code == 3
    assert [(f["status"], f["findings"]) for f in filings] == [("checked", []), ("internal-error", [])]
    assert filings[1]["errors"][0]["message"].startswith(f"internal error: rule {FAILING_RULE}: ")


def test_the_traceback_is_shown_only_to_a_developer(cli, one_rule_fails, monkeypatch):
    assert "Traceback" not in cli("check", IIJ)[2]
    monkeypatch.setenv("PRECOMMENT_DEBUG", "1")
    code, out, err = cli("check", IIJ)
    assert code == 3
    assert err.startswith("Traceback (most recent call last):\n")
    assert f"precomment.errors.InternalError: rule {FAILING_RULE}: the rule's action failed" in err
    assert err.endswith(f"{IIJ}: error [internal-error] at /: internal error: rule {FAILING_RULE}: the rule's action "
                        "failed during evaluation: RuntimeError('simulated failure while recording a match')\n"
                        "  hint: a bug in precomment, not in this file; the other files were checked. Please report it "
                        "with this file (PRECOMMENT_DEBUG=1 shows the traceback)\n")


def test_without_the_failure_the_same_run_reports_findings(cli):
    # The control: the same command reports findings (exit 1), including the failing rule's.
    code, out, err = cli("check", IIJ_AMENDED, IIJ, "--no-progress", "--format", "json")
    assert (code, err) == (1, "")
    assert f'"rule_id": "{FAILING_RULE}"' in out
