"""Coverage: a clean report means checked. Every Form item is accounted for or fails the gate; every rule
is fired, passed, not applicable or NOT ASSESSED (with what it lacked); a finding gone because its rule
could not look is not "fixed"; every format shows it. Asserted as a user sees it, through the command."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import IIJ, IIJ_AMENDED, ROOT, runner_in
from precomment.language.conditions import AllOf, AnyOf, decided
from precomment.language.conditions import Test as FieldTest
from precomment.validation.formitems import ADDED_LATER, within

FILER_ONLY = "format_version: 1\nfiler: {name: Example Filer Ltd., form: 20-F, fiscal_year_end: 2024-12-31}\n"
LANTERNFISH_CORRECTED = "filings/lanternfish-fy2024-20f-corrected.yaml"


def last_line(text: str) -> str:
    return text.rstrip("\n").splitlines()[-1]


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def iij_without(tmp_path: Path, *pointers: str, name: str = "draft.yaml", **extra: Any) -> str:
    """The IIJ description with the sections at `pointers` deleted (and top-level keys `extra` set)."""
    data = yaml.safe_load((ROOT / IIJ).read_text(encoding="utf-8"))
    for pointer in pointers:
        *parents, last = pointer.strip("/").split("/")
        node = data
        for token in parents:
            node = node[token]
        del node[last]
    data.update(extra)
    return write(tmp_path / name, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def coverage(out: str) -> dict[str, Any]:
    return json.loads(out)["filings"][0]["coverage"]


def outcome(out: str, rule: str) -> dict[str, Any]:
    return next(r for r in coverage(out)["rules"] if r["rule"] == rule)


# --- the gate -------------------------------------------------------------------------------------------

def tally_of(cli, path: str) -> dict[str, int]:
    """The coverage tally `check --format json` gives the file: what the human formats must agree with."""
    return coverage(cli("check", path, "--format", "json", "--allow-incomplete")[1])["tally"]


def test_a_filer_block_alone_fails_the_default_gate_naming_the_unaccounted_items(cli, tmp_path):
    path = write(tmp_path / "filer.yaml", FILER_ONLY)
    tally = tally_of(cli, path)
    assert tally["fired"] == tally["passed"] == 0 and tally["not-assessed"] > 80
    status, out, err = cli("check", path)
    assert (status, err) == (1, "")
    assert f"No findings, but {tally['not-assessed']} rules could not assess this filing (see Coverage)." in out
    line = last_line(out)
    assert line.startswith(f"0 findings in 1 filing (0 error, 0 warning, 0 info); {tally['not-assessed']} rules not "
                           "assessed; "
                           "not accounted for: Items 1, 2, 3, 4, 4A, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16A, ")
    assert line.endswith(", 16K, 18, 19. Gate --fail-on error: FAILED by 29 Form items not accounted for.")


@pytest.mark.parametrize("fail_on", ["error", "info"])
def test_allow_incomplete_lets_work_in_progress_pass_and_still_says_what_was_not_assessed(cli, tmp_path, fail_on):
    path = write(tmp_path / "filer.yaml", FILER_ONLY)
    status, out, _ = cli("check", path, "--fail-on", fail_on, "--allow-incomplete")
    assert status == 0
    assert last_line(out).endswith(f"Gate --fail-on {fail_on} --allow-incomplete: passed.")
    assert f"{tally_of(cli, path)['not-assessed']} rules not assessed; not accounted for: Items 1, 2," in last_line(out)


def test_allow_incomplete_from_the_configuration(tmp_path, monkeypatch, capsys):
    write(tmp_path / ".precomment.yaml", "allow_incomplete: true\n")
    write(tmp_path / "filer.yaml", FILER_ONLY)
    status, out, _ = runner_in(tmp_path, monkeypatch, capsys)("check", "filer.yaml")
    assert status == 0 and last_line(out).endswith("--allow-incomplete: passed.")


def test_the_gate_off_passes_an_incomplete_description(cli, tmp_path):
    status, _, _ = cli("check", write(tmp_path / "filer.yaml", FILER_ONLY), "--fail-on", "never")
    assert status == 0


@pytest.mark.parametrize("empty", ["item6: {}\n", "item16: {}\n", "item19: {}\n"])
def test_an_empty_section_accounts_for_nothing(cli, tmp_path, empty):
    item = {"item6: {}\n": "6", "item16: {}\n": "16A", "item19: {}\n": "19"}[empty]
    status, out, _ = cli("check", write(tmp_path / "f.yaml", FILER_ONLY + empty), "--format", "json")
    assert status == 1
    assert item in coverage(out)["unaccounted"]


@pytest.mark.parametrize("filing", [IIJ_AMENDED, LANTERNFISH_CORRECTED])
def test_a_complete_description_with_declared_items_passes(cli, filing):
    status, out, err = cli("check", filing, "--fail-on", "info")
    assert (status, err) == (0, "")
    assert "not accounted for" not in last_line(out)


# --- declarations ---------------------------------------------------------------------------------------

def test_an_item_declared_not_applicable_makes_its_rules_not_applicable(cli, tmp_path):
    path = iij_without(tmp_path, "/item6/share_ownership",
                       not_applicable={"1": "Not applicable.", "2": "Not applicable.", "6.E": "No share ownership."})
    status, out, _ = cli("check", path, "--format", "json")
    rule = outcome(out, "PC-6-001")
    assert rule["outcome"] == "not-applicable"
    assert rule["reason"] == "Item 6.E is declared not applicable: No share ownership."
    items = {i["item"]: i for i in coverage(out)["items"]}
    assert items["6.E"] == {"item": "6.E", "state": "not-applicable", "reason": "No share ownership."}
    # IIJ's 6.A to 6.D are omitted (not reconstructed): with 6.E not applicable, Item 6 as a whole is omitted
    assert items["6"]["state"] == "omitted" and items["6"]["reason"].endswith("6.E: No share ownership.")


def test_an_omitted_item_is_accounted_for_but_its_rules_are_not_assessed(cli, tmp_path):
    data = yaml.safe_load((ROOT / IIJ).read_text(encoding="utf-8"))
    omitted = dict(data["omitted"], **{"6.E": "table still being drafted"})
    path = iij_without(tmp_path, "/item6/share_ownership", omitted=omitted)
    status, out, _ = cli("check", path, "--format", "json")
    rule = outcome(out, "PC-6-001")
    assert rule == {"rule": "PC-6-001", "item": "6.E", "outcome": "not-assessed",
                    "reason": "Item 6.E is declared omitted: table still being drafted",
                    "lacking": ["item6.share_ownership"]}
    assert coverage(out)["unaccounted"] == []
    assert not [f for f in json.loads(out)["filings"][0]["findings"] if f["rule_id"] == "PC-6-001"]


@pytest.mark.parametrize("declaration, message", [
    ('not_applicable: {"16Z": none}\n', r"\[unknown-item\] at /not_applicable/16Z: '16Z' is not an item of Form 20-F"
                                        r"\n  hint: did you mean '16K'\?"),
    ('not_applicable: {"13": none}\nomitted: {"13": later}\n',
     r"\[declared-twice\] at /omitted/13: Item 13 is declared both not applicable and omitted"),
    ('not_applicable: {"13": none}\nitem13: {page: 4}\n',
     r"\[declared-and-described\] at /not_applicable/13: Item 13 is declared not applicable, but item13 describes it"
     r"\n  hint: remove item13, or remove this declaration"),
])
def test_a_wrong_declaration_is_bad_input_at_its_line(cli, tmp_path, declaration, message):
    status, _, err = cli("check", write(tmp_path / "f.yaml", FILER_ONLY + declaration))
    assert status == 2
    assert re.search(r"f\.yaml:\d+:\d+: error " + message, err), err


# --- rules: not assessed, not applicable ---------------------------------------------------------------

def test_deleting_a_section_makes_its_rules_not_assessed_instead_of_silently_passing(cli, tmp_path):
    status, out, _ = cli("check", iij_without(tmp_path, "/item6/share_ownership"), "--format", "json")
    rule = outcome(out, "PC-6-001")
    assert rule["outcome"] == "not-assessed"
    assert rule["reason"] == "item6.share_ownership (Item 6.E) is not described"
    assert "6.E" in coverage(out)["unaccounted"]  # IIJ's 6.A to 6.D are declared omitted; 6.E is its table


def test_absence_from_a_section_nobody_described_is_not_a_finding(cli, tmp_path):
    """IIJ's agreements it depends on without its exhibit index: "not filed as an exhibit" cannot be known."""
    _, before, _ = cli("check", IIJ, "--format", "json")
    assert len([f for f in json.loads(before)["filings"][0]["findings"] if f["rule_id"] == "PC-19-001"]) == 4
    _, out, _ = cli("check", iij_without(tmp_path, "/item19"), "--format", "json")
    assert not [f for f in json.loads(out)["filings"][0]["findings"] if f["rule_id"] == "PC-19-001"]
    rule = outcome(out, "PC-19-001")
    assert rule["outcome"] == "not-assessed" and "item19 (Item 19) is not described" in rule["reason"]


def test_a_cover_condition_that_does_not_hold_makes_a_rule_not_applicable(cli):
    _, out, _ = cli("check", IIJ, "--format", "json")
    assert outcome(out, "PC-17-001") == {
        "rule": "PC-17-001", "item": "17", "outcome": "not-applicable",
        "reason": "not for this filer: applies where filer.basis_of_accounting equals IFRS", "lacking": []}


def test_the_bundled_filings_tally(cli):
    """Every rule of the run has exactly one outcome; the closing note quotes these figures."""
    _, out, _ = cli("check", IIJ, "--format", "json")
    report = json.loads(out)
    tally = coverage(out)["tally"]
    assert sum(tally.values()) == report["rules"]
    assert tally["fired"] == len({f["rule_id"] for f in report["filings"][0]["findings"]})


# --- three-valued conditions ----------------------------------------------------------------------------

@pytest.mark.parametrize("condition, fact, expected", [
    (FieldTest("material", "equals", True), {}, None),                                  # unanswered: unknown
    (FieldTest("material", "equals", True), {"material": False}, False),
    (AllOf((FieldTest("material", "equals", True), FieldTest("kind", "equals", "x"))), {"kind": "y"}, False),  # F and ? = F
    (AnyOf((FieldTest("material", "equals", True), FieldTest("kind", "equals", "x"))), {"kind": "x"}, True),   # T or ? = T
    (AnyOf((FieldTest("material", "equals", True), FieldTest("kind", "equals", "x"))), {"kind": "y"}, None),
    (FieldTest("note", "missing", True), {}, True),                                      # not a question: 2-valued
])
def test_a_condition_on_an_unanswered_question_is_undecided(condition, fact, expected):
    assert decided(condition, fact, lambda key: key == "material") is expected


# --- baselines ------------------------------------------------------------------------------------------

def test_a_deleted_section_is_not_assessed_against_the_baseline_never_fixed(cli, tmp_path):
    _, baseline, _ = cli("check", IIJ, "--format", "json")
    base = write(tmp_path / "baseline.json", baseline)
    path = iij_without(tmp_path, "/item6/share_ownership", name="iij-fy2009-20f.yaml")
    status, out, _ = cli("check", path, "--baseline", base, "--format", "json", "--allow-incomplete")
    filing = json.loads(out)["filings"][0]
    assert not [f for f in filing["fixed"] if f["rule_id"] == "PC-6-001"]
    gone = [f for f in filing["not_assessed_since_baseline"] if f["rule_id"] == "PC-6-001"]
    assert len(gone) == 2 and {f["baseline"] for f in gone} == {"not-assessed"}
    assert "PC-6-001" in filing["coverage_drop"]
    assert json.loads(out)["summary"]["baseline"]["not_assessed"] >= 2


def test_fail_on_new_fails_when_coverage_drops(cli, tmp_path):
    _, baseline, _ = cli("check", IIJ_AMENDED, "--format", "json")
    base = write(tmp_path / "baseline.json", baseline)
    data = yaml.safe_load((ROOT / IIJ_AMENDED).read_text(encoding="utf-8"))
    del data["item6"]["share_ownership"]
    data["omitted"]["6.E"] = "being redrafted"
    path = write(tmp_path / "iij-fy2009-20f-amended.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    status, out, _ = cli("check", path, "--baseline", base, "--fail-on-new")
    assert status == 1
    assert last_line(out).endswith("--fail-on-new: FAILED by 5 rules the baseline assessed no longer assessed.")
    status, _, _ = cli("check", str(ROOT / IIJ_AMENDED), "--baseline", base, "--fail-on-new")
    assert status == 0


def test_a_baseline_from_before_coverage_still_works(cli, tmp_path):
    _, baseline, _ = cli("check", IIJ, "--format", "json")
    report = json.loads(baseline)
    for filing in report["filings"]:
        for key in ("coverage", "coverage_drop", "not_assessed_since_baseline"):
            del filing[key]
    base = write(tmp_path / "baseline.json", json.dumps(report))
    status, out, err = cli("check", IIJ, "--baseline", base, "--fail-on-new")
    assert (status, err) == (0, "")
    assert "against the baseline: 0 new, 45 still open, 0 fixed" in last_line(out)


# --- every format shows it ------------------------------------------------------------------------------

def test_every_format_shows_coverage(cli, tmp_path):
    path = write(tmp_path / "filer.yaml", FILER_ONLY)
    tally = tally_of(cli, path)
    _, table, _ = cli("check", path)
    assert (f"Coverage: 0 rules fired, 0 passed, {tally['not-applicable']} not applicable, {tally['not-assessed']} "
            "NOT ASSESSED.") in table
    assert re.search(r"^13 +NOT ACCOUNTED FOR +2$", table, re.M)
    assert "  PC-13-001 (Item 13): item13 (Item 13) is not described" in table
    _, markdown, _ = cli("check", path, "--format", "markdown")
    assert "### Coverage" in markdown and "| 13 | NOT ACCOUNTED FOR |  |  |  |  | 2 |" in markdown
    _, html, _ = cli("check", path, "--format", "html")
    assert "<h3 id=\"f1-coverage-heading\">Coverage</h3>" in html
    _, sarif, _ = cli("check", path, "--format", "sarif")
    run = json.loads(sarif)["runs"][0]
    assert run["properties"]["coverage"]["not-assessed"] == tally["not-assessed"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {n["properties"]["item"] for n in notes if n["descriptor"]["id"] == "unaccounted-item"} >= {"13", "19"}
    assert run["artifacts"][0]["properties"]["coverage"]["tally"] == tally
    _, junit, _ = cli("check", path, "--format", "junit")
    cases = {case.get("name"): case for case in ET.fromstring(junit).iter("testcase")}
    assert cases["Item 13 accounted for"].find("failure") is not None
    assert cases["PC-13-001 assessed"].find("skipped").get("message") == \
        "not assessed: item13 (Item 13) is not described"


def test_the_items_added_later_take_effect_when_their_rules_do(ruleset):
    """formitems.ADDED_LATER dates each added item as the earliest `effective` date of the rules on it."""
    for item, (start, basis, _) in ADDED_LATER.items():
        dated = sorted((r.effective.start.isoformat(), r.effective.basis) for r in ruleset.rules
                       if r.effective and within(r.form_item, item))
        assert dated and dated[0] == (start, basis), item


# --- precomment coverage --------------------------------------------------------------------------------

def test_the_coverage_command_says_what_is_left_to_describe(cli, tmp_path):
    path = write(tmp_path / "filer.yaml", FILER_ONLY)
    tally = tally_of(cli, path)
    status, out, err = cli("coverage", path)
    assert (status, err) == (1, "")  # an unaccounted item, as the default gate of `check` would fail
    assert out.startswith(f"{path}: Example Filer Ltd., Form 20-F, fiscal year ended 2024-12-31\n\nCoverage: 0 rules "
                          f"fired, 0 passed, {tally['not-applicable']} not applicable, {tally['not-assessed']} NOT "
                          "ASSESSED.\n")
    assert "  PC-13-001 (Item 13): item13 (Item 13) is not described" in out
    status, out, _ = cli("coverage", IIJ_AMENDED, "--format", "json")
    assert status == 0
    (filing,) = json.loads(out)["filings"]
    assert filing["source"] == IIJ_AMENDED and filing["coverage"]["unaccounted"] == []
    assert filing["coverage"]["tally"] == tally_of(cli, IIJ_AMENDED)
    assert filing["coverage"]["tally"]["fired"] == 0
    status, _, err = cli("coverage", "tests/bad/wrong-type.yaml")
    assert status == 2 and "[wrong-type]" in err


def test_a_question_left_unanswered_makes_the_rule_not_assessed_and_an_answer_makes_it_pass(cli, tmp_path):
    """PC-3-001 asks whether a risk factor worded as hypothetical has already occurred: a risk factor that
    leaves `has_occurred` out (x-absent: unanswered) cannot be decided, and coverage names it and the field."""
    risk = "item3:\n  risk_factors:\n    - {caption: We may lose our largest customer, page: 5%s}\n"
    _, out, _ = cli("check", write(tmp_path / "open.yaml", FILER_ONLY + risk % ""), "--format", "json")
    rule = outcome(out, "PC-3-001")
    assert rule["outcome"] == "not-assessed"
    assert rule["reason"].startswith('not answered: item3.risk_factors[].has_occurred of "We may lose our largest '
                                     'customer"')
    assert "item3.risk_factors[].has_occurred" in rule["lacking"]
    _, out, _ = cli("check", write(tmp_path / "answered.yaml", FILER_ONLY + risk % ", has_occurred: false"),
                    "--format", "json")
    assert outcome(out, "PC-3-001")["outcome"] == "passed"


def test_the_rules_not_assessed_are_wrapped_to_the_tables_width(cli):
    _, out, _ = cli("check", IIJ)
    block = out[out.index("\nNot assessed ("):out.index("\nSeverity ")]
    assert max(len(line) for line in block.splitlines()) <= 120
    assert ("  PC-3-001 (Item 3.D): not answered: item3.risk_factors[].has_occurred of \"We may not maintain our "
            "current level of\n    revenues or achieve") in block
