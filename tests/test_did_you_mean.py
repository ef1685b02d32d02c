"""The "did you mean" hint, defined once in errors.did_you_mean: what it suggests, and what each message
that uses it says when nothing is close enough (the suggestions themselves are in tests/bad*/*.err and
the config, gate and rules tests)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT, runner_in
from precomment.errors import did_you_mean

RULE_IDS = ["PC-6-001", "PC-7-001", "PC-19-002"]


def test_the_closest_choice_is_suggested_quoted_as_a_value_in_a_file():
    assert did_you_mean("PC-7-01", RULE_IDS) == "did you mean 'PC-7-001'?"


def test_a_rule_id_named_on_the_command_line_or_in_a_waiver_is_suggested_bare():
    assert did_you_mean("PC-7-01", RULE_IDS, quote=False) == "did you mean PC-7-001?"


def test_ignoring_case_the_choice_is_suggested_as_it_is_spelt():
    assert did_you_mean("us gaap", ["US GAAP", "IFRS"], ignore_case=True) == "did you mean 'US GAAP'?"
    assert did_you_mean("us gaap", ["US GAAP", "IFRS"]) is None, "case counts unless ignore_case"


def test_nothing_is_suggested_when_no_choice_is_close():
    assert did_you_mean("PC-99-999", RULE_IDS) is None
    assert did_you_mean("anything", []) is None


def test_the_suggestion_does_not_depend_on_the_choices_order():
    """Sets and dictionaries are passed as they are: a tie must not be decided by iteration order."""
    choices = ["PC-7-001", "PC-7-002", "PC-6-001"]  # PC-7-00 is as close to PC-7-001 as to PC-7-002
    assert {did_you_mean("PC-7-00", order) for order in (choices, choices[::-1], set(choices))} == {
        "did you mean 'PC-7-002'?"}


def test_rules_explain_without_a_close_id_points_to_rules_list(cli):
    code, out, err = cli("rules", "explain", "PC-99-999")
    assert (code, out) == (2, "")
    assert err == "precomment: no rule has the id 'PC-99-999'; `precomment rules list` shows the ids\n"


def test_a_waiver_of_an_unknown_rule_without_a_close_id_points_to_rules_list(cli, tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - rule: PC-99-999\n    pointer: /item6/share_ownership/holders/0\n"
                    "    reason: Accepted after review by counsel.\n", encoding="utf-8")
    status, _, err = cli("check", IIJ_AMENDED, "--waivers", str(path))
    assert status == 0
    assert err == (f"{path}:2:5: warning [unused-waiver] at /: the waiver of PC-99-999 at "
                   "/item6/share_ownership/holders/0 matched no finding\n"
                   "  hint: no rule PC-99-999 is in force; `precomment rules list` shows the ids\n")


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    """A repository directory (it holds .git) to run precomment in; returns a runner."""
    (tmp_path / ".git").mkdir()
    return runner_in(tmp_path, monkeypatch, capsys)


def test_a_configured_rule_id_without_a_close_id_points_to_rules_list(project):
    (project.path / ".precomment.yaml").write_text("disable:\n  - PC-99-999\n", encoding="utf-8")
    code, out, err = project("check", str(ROOT / IIJ))
    assert (code, out) == (2, "")
    assert err == (".precomment.yaml:2:5: error [unknown-rule] at /disable/0: no rule has the id 'PC-99-999'\n"
                   "  hint: `precomment rules list` shows the rule ids\n")
