"""The fictional fiscal-2024 filing: the draft draws findings from the post-2009 requirements and the
staff's frequent topics, the corrected draft none; effective dates hold the newer rules back from
earlier fiscal years."""
from __future__ import annotations

import collections
import json

import jsonschema
import pytest
from conftest import ROOT, assert_engines_agree_in_any_order, golden
from precomment.resources import load_schema
from precomment.sources.load import load_file

DRAFT = "filings/lanternfish-fy2024-20f.yaml"
CORRECTED = "filings/lanternfish-fy2024-20f-corrected.yaml"
NOT_SHOWN = {"PC-16A-001", "PC-16B-001", "PC-16J-001", "PC-17-001", "PC-3-006"}  # why: the draft's header


def test_draft_table_report(cli):
    code, out, err = cli("check", DRAFT)
    assert (code, err) == (1, "")
    assert out == golden("lanternfish-fy2024-20f.table.txt", out)
    assert out.splitlines()[-1] == ("257 findings in 1 filing (60 error, 171 warning, 26 info); 15 rules not assessed. "
                                    "Gate --fail-on error: FAILED by 60 findings at or above error.")


def test_draft_json_report(cli, ruleset):
    code, out, err = cli("check", DRAFT, "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    jsonschema.Draft202012Validator(load_schema("report.schema.json")).validate(report)
    assert out == golden("lanternfish-fy2024-20f.json", out)
    filing = report["filings"][0]
    # ASU 2023-09 (income taxes) applies from fiscal years beginning after 15 December 2024: not yet to fiscal 2024
    assert {r["rule"] for r in filing["rules_not_applicable"]} == {"PC-18-176", "PC-18-177"}
    fired = collections.Counter(f["rule_id"] for f in filing["findings"])
    # every rule a bundled first draft can show is shown: tests/test_bundled_drafts.py
    letter_rules = {rule.id for rule in ruleset.rules if any(p.letter == "iij-2009-09-30" for p in rule.precedents)}
    assert len(set(fired) - letter_rules) >= 150, "the draft exercises the requirements beyond the 2009 letter"


@pytest.mark.parametrize("engine", ["durable", "oracle"])
def test_corrected_draft_has_no_findings(checker, engine):
    assert checker.findings(load_file(ROOT / CORRECTED), engine) == []


def test_corrected_draft_passes_the_gate(cli):
    code, out, err = cli("check", CORRECTED, "--fail-on", "info")
    assert (code, err) == (0, "")
    assert "\nNo findings, but 15 rules could not assess this filing (see Coverage).\n" in out
    assert out.endswith("\n\n0 findings in 1 filing (0 error, 0 warning, 0 info); 15 rules not assessed. "
                        "Gate --fail-on info: passed.\n")


@pytest.mark.parametrize("filing", [DRAFT, CORRECTED])
def test_engines_agree_on_the_fy2024_filings_in_any_order(checker, filing):
    assert_engines_agree_in_any_order(checker, filing, seeds=10)


def test_the_same_draft_for_fiscal_2021_is_not_held_to_later_requirements(checker, ruleset):
    document = load_file(ROOT / DRAFT)
    document.data["filer"].update(fiscal_year_end="2021-12-31", filing_date="2022-04-29")
    later = {rule.id for rule in ruleset.rules
             if rule.effective and rule.effective.not_yet(document.data["filer"])}
    assert {"PC-16K-001", "PC-16J-001", "PC-6-006", "PC-19-005", "PC-18-011"} <= later
    fired = {f.rule_id for f in checker.findings(document)}
    assert fired and not fired & later
    assert set(checker.not_applicable(document)) == later
