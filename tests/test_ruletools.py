"""`precomment rules list | explain | test`: exact output, exit codes, and the effective dates rules carry."""
from __future__ import annotations

import datetime
import json

import pytest
from conftest import IIJ, ROOT, expected_text, golden
from precomment.language.records import Effective

PACKS = "tests/rule_packs"


def test_rules_list_prints_every_rule_in_form_order(cli, ruleset):
    code, out, err = cli("rules", "list")
    assert (code, err) == (0, "")
    assert out == golden("rules-list.txt", out)
    assert out.endswith(f"\n\n{len(ruleset.rules)} rules.\n")
    listed = [line.split()[0] for line in out.splitlines()[2:-2]]
    assert sorted(listed) == sorted(rule.id for rule in ruleset.rules)


def test_rules_list_json_is_the_same_list(cli):
    _, text, _ = cli("rules", "list")
    code, out, _ = cli("rules", "list", "--format", "json")
    records = json.loads(out)
    assert code == 0
    assert [r["id"] for r in records] == [line.split()[0] for line in text.splitlines()[2:-2]]
    by_id = {r["id"]: r for r in records}
    assert by_id["PC-7-001"] == {
        "id": "PC-7-001", "name": "beneficial-ownership-basis-unstated", "form_item": "7.A", "severity": "warning",
        "title": "The major shareholders table does not say that it counts shares holders may acquire within 60 days",
        "effective": None}
    assert by_id["PC-16K-001"]["effective"] == {"from": "2023-12-15", "basis": "fiscal_year_end"}


def test_rules_explain_prints_text_authorities_precedents_and_examples(cli):
    code, out, err = cli("rules", "explain", "PC-7-001")
    assert (code, err) == (0, "")
    assert out == golden("rules-explain-PC-7-001.txt", out)
    for heading in ("Authorities", "Precedents", "Likely comment", "Remedy", "Record in the description", "Examples"):
        assert f"\n{heading}\n" in out
    assert "  - iij-2009-09-30, comment 8\n" in out


def test_rules_explain_accepts_lower_case_and_suggests_on_a_typo(cli):
    assert cli("rules", "explain", "pc-7-001")[0] == 0
    code, out, err = cli("rules", "explain", "PC-16J-01")
    assert (code, out) == (2, "")
    assert err == "precomment: no rule has the id 'PC-16J-01'; did you mean PC-16J-001?\n"


def test_rules_test_runs_every_builtin_example(cli, ruleset):
    code, out, err = cli("rules", "test")
    examples = sum(len(rule.examples) for rule in ruleset.rules)
    assert (code, err) == (0, "")
    assert out.endswith(f"{examples} examples of {len(ruleset.rules)} rules on durable-rules and the oracle: "
                        f"{examples} passed, 0 failed.\n")
    assert out.count("\n  ok     ") == examples


def test_rules_test_says_which_example_failed_and_why(cli):
    code, out, err = cli("rules", "test", f"{PACKS}/broken", f"{PACKS}/effective")
    assert (code, err) == (1, "")
    assert out == expected_text(ROOT / PACKS / "rules-test.out", out)


def test_user_rule_packs_add_to_the_builtin_rules(cli, ruleset):
    code, out, _ = cli("rules", "list", "--rules", f"{PACKS}/effective", "--rules", f"{PACKS}/derived-order")
    assert code == 0 and "PC-16J-900" in out and "PC-5-900" in out
    assert out.endswith(f"\n{len(ruleset.rules) + 2} rules.\n")


def test_a_pack_with_failing_examples_is_refused_but_can_be_tested(cli):
    """Failing examples are refused when rules load (list, explain, check); `rules test` shows why."""
    code, out, err = cli("rules", "list", "--rules", f"{PACKS}/broken")
    assert (code, out) == (2, "")
    assert err.count("error [failing-example]") == 2 and err.count("error [invalid-example]") == 1
    code, out, err = cli("rules", "test", f"{PACKS}/broken")
    assert code == 1 and "FAILED" in out


# -- effective dates ---------------------------------------------------------------------------------
def effective(basis: str, start: str = "2023-12-15") -> Effective:
    return Effective(datetime.date.fromisoformat(start), basis, "Release X")


@pytest.mark.parametrize("basis, filer, applies", [
    ("fiscal_year_end", {"fiscal_year_end": "2023-12-15"}, True),
    ("fiscal_year_end", {"fiscal_year_end": "2023-12-14"}, False),
    ("fiscal_year_start", {"fiscal_year_end": "2024-12-14"}, True),   # began 2023-12-15
    ("fiscal_year_start", {"fiscal_year_end": "2024-12-13"}, False),  # began 2023-12-14
    ("filing_date", {"fiscal_year_end": "2020-12-31", "filing_date": "2023-12-15"}, True),
    ("filing_date", {"fiscal_year_end": "2030-12-31", "filing_date": "2023-12-01"}, False),
    ("filing_date", {"fiscal_year_end": "2020-12-31"}, True),  # no filing date given: the rule applies
])
def test_effective_dates_at_their_edge(basis, filer, applies):
    assert (effective(basis).not_yet(filer) is None) == applies


def test_a_fiscal_year_ending_on_29_february_began_on_1_march():
    assert effective("fiscal_year_start", "2023-03-01").not_yet({"fiscal_year_end": "2024-02-29"}) is None
    assert effective("fiscal_year_start", "2023-03-02").not_yet({"fiscal_year_end": "2024-02-29"}) is not None


def test_a_rule_not_yet_in_force_is_listed_not_run(cli):
    code, out, _ = cli("check", IIJ, "--no-builtin-rules", "--rules", f"{PACKS}/effective", "--format", "json")
    filing = json.loads(out)["filings"][0]
    assert code == 0 and filing["findings"] == []
    assert filing["rules_not_applicable"] == [{
        "rule": "PC-16J-900",
        "reason": "fiscal year began 2008-04-01; applies to fiscal years beginning on or after 2023-04-01 (a test date)"}]
