"""A failure inside ONE rule's action, while durable-rules evaluates, is an internal error naming that
rule (exit 3), never a report: above all never "No findings" for a filing whose check did not finish."""
from __future__ import annotations

import pytest

from conftest import IIJ, IIJ_AMENDED
from precomment import evaluate

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


@pytest.mark.parametrize("options", [["--format", "table"], ["--format", "json"], ["--jobs", "2"]])
def test_a_rule_whose_action_fails_is_an_internal_error_naming_it(cli, one_rule_fails, options):
    # The amended filing, checked first, has no finding of its own: its "No findings." must not be
    # printed either, since the run as a whole failed.
    code, out, err = cli("check", IIJ_AMENDED, IIJ, "--no-progress", *options)
    assert (code, out) == (3, "")
    assert err == (f"precomment: internal error: rule {FAILING_RULE}: the rule's action failed during evaluation: "
                   "RuntimeError('simulated failure while recording a match')\n")


def test_without_the_failure_the_same_run_reports_findings(cli):
    # The control: the same command reports findings (exit 1), including the failing rule's.
    code, out, err = cli("check", IIJ_AMENDED, IIJ, "--no-progress", "--format", "json")
    assert (code, err) == (1, "")
    assert f'"rule_id": "{FAILING_RULE}"' in out
