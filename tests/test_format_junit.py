"""The JUnit XML report: parsed back with ElementTree, its counts, names and outcomes agree with the gate and
the exit code, testcase names are unique, and text from a hostile filing round-trips as text."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import IIJ, ROOT, golden

WAIVERS = "tests/data/iij-waivers.yaml"
HOSTILE = "tests/data/hostile-20f.yaml"
KOICHI = "item6.share_ownership.holders[Koichi Suzuki]"
CARRIERS = ("item3.risk_factors[We rely greatly on other telecommunications carriers and other suppliers, and could be "
            "affected by disruptions]")
LEASE = "item4.property.leases[head office]"
LANTERNFISH = "filings/lanternfish-fy2024-20f.yaml"
OUTCOMES = ("failure", "error", "skipped")


def run_junit(cli, *args: str) -> tuple[int, ET.Element, str]:
    status, out, err = cli("check", *args, "--format", "junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="precomment" ')
    return status, ET.fromstring(out.encode("utf-8")), err


def json_report(cli, *args: str) -> dict:
    status, out, err = cli("check", *args, "--format", "json")
    return json.loads(out)


def outcome(case: ET.Element) -> str:
    """failure, error, skipped or passed: what a CI viewer shows for the testcase."""
    return next((tag for tag in OUTCOMES if case.find(tag) is not None), "passed")


def cases(root: ET.Element, suite: str) -> dict[str, ET.Element]:
    found = root.find(f"testsuite[@name='{suite}']")
    assert found is not None, suite
    return {case.get("name"): case for case in found.iter("testcase")}


def case_named(root: ET.Element, suite: str, prefix: str) -> ET.Element:
    """The one testcase whose name (rule and key) starts with `prefix`: for a key holding hostile text."""
    [case] = [case for name, case in cases(root, suite).items() if name.startswith(prefix)]
    return case


def assert_counts(root: ET.Element) -> None:
    """Every suite's counts, and the root's, are those of the testcases it holds."""
    for element in [root, *root.iter("testsuite")]:
        held = list(element.iter("testcase"))
        assert element.get("tests") == str(len(held))
        for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert element.get(attribute) == str(sum(1 for case in held if outcome(case) == tag)), (element.get("name"), tag)


# --- the golden file -------------------------------------------------------------------------------------

def test_iij_with_waivers_matches_the_golden_file(cli):
    status, out, err = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2009-09-30", "--letter-date",
                           "2009-09-30", "--format", "junit")
    assert (status, err) == (1, "")
    assert out == golden("iij-fy2009-20f.junit.xml", out)
    root = ET.fromstring(out.encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("211", "13", "0", "167")


def test_outcomes_follow_the_gate(cli):
    report = json_report(cli, IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    status, root, err = run_junit(cli, IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    assert_counts(root)
    found = cases(root, IIJ)
    assert outcome(found.pop("valid filing description")) == "passed"
    not_assessed = {f"{rule['rule']} assessed" for rule in report["filings"][0]["coverage"]["rules"]
                    if rule["outcome"] == "not-assessed"}
    assert all(outcome(found.pop(name)) == "skipped" for name in not_assessed)
    findings = {f"{f['rule_id']} {f['key']}": f for f in report["filings"][0]["findings"]}
    assert found.keys() == findings.keys()
    for name, case in found.items():
        finding = findings[name]
        expected = "skipped" if finding["waiver"] else "failure" if finding["severity"] == "error" else "passed"
        assert outcome(case) == expected, name
        assert case.get("classname") == f"precomment.Item{finding['form_item'].split('.')[0]}"
        assert (case.get("file"), case.get("line")) == (IIJ, str(finding["line"]))
        if expected == "failure":
            failure = case.find("failure")
            assert (failure.get("message"), failure.get("type")) == (finding["comment"], "error")
            assert (f"Likely comment:\n{finding['comment']}\n\nRemedy:\n{finding['remedy']}\n\n"
                    f"Record in the description:\n{finding['record']}\n") in failure.text
    assert sum(1 for case in found.values() if outcome(case) == "failure") == report["gate"]["failing_findings"] == 13


def test_a_failure_carries_the_whole_finding(cli):
    status, root, err = run_junit(cli, IIJ)
    failure = cases(root, IIJ)[f"PC-6-001 {KOICHI}"].find("failure")
    assert failure.text == (
        "PC-6-001 (error) Item 6.E, page 50: A director's or officer's shareholding is given without the percentage "
        "of the class\n"
        "Subject: Koichi Suzuki at /item6/share_ownership/holders/0 (filings/iij-fy2009-20f.yaml:120:9)\n\n"
        "Likely comment:\n"
        "In future filings please include here the percentage of shares outstanding, in addition to the number of "
        "shares, for directors, senior management and employees, including Koichi Suzuki (12,000 shares). Refer to "
        "Item 6.E.1 of Form 20-F.\n\n"
        "Remedy:\n"
        "Give the percentage of the class Koichi Suzuki owns, computed on the shares of the class outstanding at the "
        "table date, or state that the holding is less than 1% of the class.\n\n"
        "Record in the description:\n"
        "Record the percentage as `item6.share_ownership.holders[].percent_of_class` for Koichi Suzuki, or set "
        "`item6.share_ownership.holders[].less_than_one_percent` to true.\n\n"
        "Authorities: Form 20-F, Part I, Item 6.E.1\n"
        "Precedents: iij-2009-09-30, comment 7")


def test_waived_findings_are_skipped_with_reason_owner_and_date(cli):
    status, root, err = run_junit(cli, IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    found = cases(root, IIJ)
    skipped = {name: case.find("skipped") for name, case in found.items()
               if outcome(case) == "skipped" and not name.endswith(" assessed")}
    assert {name: element.get("message") for name, element in skipped.items()} == {
        f"PC-4-002 {CARRIERS}.dependencies[Cisco Systems]":
            "waived: Cisco equipment is bought at list price from several resellers; no agreement is material. "
            "(IR team (legal@iij.example), until 2010-03-31)",
        f"PC-19-003 {LEASE}":
            "waived: The head office lease is a standard form lease on market terms; counsel judged it not "
            "material. (Controller, until 2010-06-30)"}
    assert ("Waived at tests/data/iij-waivers.yaml:8:5: The head office lease is a standard form lease"
            in skipped[f"PC-19-003 {LEASE}"].text)


@pytest.mark.parametrize("fail_on, failures, first_line", [
    ("warning", 45, None),
    ("never", 0, "Does not fail the gate: the gate is off (--fail-on never)."),
])
def test_below_the_gate_a_finding_passes_and_says_why(cli, fail_on, failures, first_line):
    status, root, err = run_junit(cli, IIJ, "--fail-on", fail_on)
    assert_counts(root)
    assert (status, root.get("failures")) == (1 if failures else 0, str(failures))
    case = cases(root, IIJ)[f"PC-4-001 {CARRIERS}.dependencies[NTT Communications]"]
    if first_line:
        assert case.find("system-out").text.startswith(first_line + "\n\nPC-4-001 (warning) Item 4.B, page 12: ")
    else:
        assert case.find("failure").get("type") == "warning"


def test_a_warning_below_the_default_gate_says_so(cli):
    status, root, err = run_junit(cli, IIJ)
    text = cases(root, IIJ)[f"PC-4-001 {CARRIERS}.dependencies[NTT Communications]"].find("system-out").text
    assert text.startswith("Does not fail the gate (--fail-on error): its severity is warning.\n\n")


# --- names ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filing", [IIJ, HOSTILE, LANTERNFISH])
def test_testcase_names_are_unique_within_each_suite(cli, filing):
    status, root, err = run_junit(cli, filing, "--today", "2025-06-30")
    for suite in root.iter("testsuite"):
        names = [case.get("name") for case in suite.iter("testcase")]
        assert len(names) == len(set(names)) > 1, suite.get("name")


# --- the gate's other failures ---------------------------------------------------------------------------

def test_expired_waivers_fail_in_the_waivers_suite(cli, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text((ROOT / WAIVERS).read_text(encoding="utf-8") + "  - rule: PC-6-001\n    pointer: /nowhere\n"
                       "    reason: Kept from last year.\n", encoding="utf-8")
    status, root, err = run_junit(cli, IIJ, "--waivers", str(waivers), "--today", "2010-07-01")
    assert status == 1
    assert_counts(root)
    notes = cases(root, str(waivers))
    assert {name: outcome(case) for name, case in notes.items()} == {
        "expired-waiver at line 3": "failure", "expired-waiver at line 8": "failure", "unused-waiver at line 15": "passed"}
    failure = notes["expired-waiver at line 3"].find("failure")
    assert failure.get("type") == "expired-waiver"
    assert failure.get("message") == (f"the waiver of PC-4-002 at {CARRIERS}.dependencies[Cisco Systems] expired on "
                                      "2010-03-31; its finding counts again and the gate fails")
    assert notes["unused-waiver at line 15"].find("system-out").text == (
        f"{waivers}:15:5: warning [unused-waiver] at /: the waiver of PC-6-001 at /nowhere matched no finding\n"
        "  hint: remove it if the finding was fixed, or correct its rule, pointer or filing")
    assert root.get("failures") == str(14 + 2), "every error fails again, and so do both expired waivers"
    status, root, err = run_junit(cli, IIJ, "--waivers", str(waivers), "--today", "2010-07-01", "--fail-on", "never")
    assert (status, root.get("failures")) == (0, "0")


def test_a_filing_that_cannot_be_checked_is_an_error_testcase(cli):
    expected = (ROOT / "tests/bad/wrong-type.err").read_text(encoding="utf-8").rstrip("\n")
    status, root, err = run_junit(cli, "tests/bad/wrong-type.yaml", IIJ)
    assert status == 2
    assert_counts(root)
    found = cases(root, "tests/bad/wrong-type.yaml")
    assert list(found) == ["wrong-type at /financial_statements/income_taxes/valuation_allowance_changes/0/change"]
    case = next(iter(found.values()))
    error = case.find("error")
    assert (case.get("classname"), case.get("line"), error.get("type")) == ("precomment.input", "9", "wrong-type")
    assert error.get("message") == "expected a number, got the text '¥607,917 thousand'"
    assert error.text == expected
    assert (root.get("errors"), root.get("failures")) == ("1", "14")


# --- baselines ------------------------------------------------------------------------------------------

def test_fixed_findings_pass_and_fail_on_new_fails_only_new_ones(cli, tmp_path):
    config = tmp_path / "precomment.yaml"
    config.write_text("disable: [PC-6-001]\n", encoding="utf-8")
    status, out, err = cli("check", IIJ, "--config", str(config), "--format", "json")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(out, encoding="utf-8")
    status, root, err = run_junit(cli, IIJ, "--baseline", str(baseline), "--fail-on-new")
    assert status == 1
    assert_counts(root)
    failing = [name for name, case in cases(root, IIJ).items() if outcome(case) == "failure"]
    assert failing == [f"PC-6-001 {KOICHI}", "PC-6-001 item6.share_ownership.holders[Akihisa Watai]"]
    open_error = cases(root, IIJ)[f"PC-19-003 {LEASE}"].find("system-out").text
    assert open_error.startswith("Does not fail the gate (--fail-on error --fail-on-new): it was already in the baseline.")
    status, root, err = run_junit(cli, IIJ, "--config", str(config), "--baseline", str(json_report_path(cli, tmp_path)))
    unassessed = cases(root, IIJ)[f"PC-6-001 {KOICHI}"]  # its rule did not run: not fixed
    assert outcome(unassessed) == "passed"
    assert unassessed.find("system-out").text.startswith(
        "Not assessed this run (not fixed): its rule could not look.\n\nPC-6-001 (error) Item 6.E, page 50: ")
    draft = tmp_path / "iij-fy2009-20f.yaml"
    draft.write_text((ROOT / IIJ).read_text(encoding="utf-8").replace(
        "      - name: Koichi Suzuki\n", "      - name: Koichi Suzuki\n        less_than_one_percent: true\n"), "utf-8")
    status, root, err = run_junit(cli, str(draft), "--baseline", str(json_report_path(cli, tmp_path)))
    fixed = cases(root, str(draft))[f"PC-6-001 {KOICHI}"]
    assert outcome(fixed) == "passed"
    assert fixed.find("system-out").text.startswith("Fixed since the baseline.\n\nPC-6-001 (error) Item 6.E, page 50: ")


def json_report_path(cli, tmp_path: Path) -> Path:
    """A baseline with every IIJ finding."""
    status, out, err = cli("check", IIJ, "--format", "json")
    path = tmp_path / "baseline-all.json"
    path.write_text(out, encoding="utf-8")
    return path


# --- hostile text -----------------------------------------------------------------------------------------

def test_hostile_text_round_trips_as_text(cli):
    status, out, err = cli("check", HOSTILE, "--format", "junit")
    assert "\x1b" not in out and "\u202e" not in out and "<script>" not in out
    root = ET.fromstring(out.encode("utf-8"))
    assert_counts(root)
    filer = yaml.safe_load((ROOT / HOSTILE).read_text(encoding="utf-8"))["filer"]["name"]
    suite = root.find(f"testsuite[@name='{HOSTILE}']")
    assert suite.find("properties/property[@name='filer.name']").get("value") == filer
    koichi = case_named(root, HOSTILE, "PC-6-001 item6.share_ownership.holders[Koichi ").find("failure")
    shown = "Koichi \\u001b[31mRED\\u001b[0m \\u202eevil\\u202c [link](javascript:alert(1)) `code` # heading"
    assert f"including {shown} (12,000 shares)" in koichi.get("message")
    assert f"Subject: {shown} at /item6/share_ownership/holders/0" in koichi.text
    caption = cases(root, HOSTILE)["PC-19-001 " + CARRIERS.replace("[We", "[</td></tr></table><h1>Injected</h1> We")
                                   + ".dependencies[NTT Communications]"]
    assert "</td></tr></table><h1>Injected</h1> We rely greatly" in caption.find("failure").get("message")


def test_characters_xml_cannot_hold_are_shown_escaped(cli, tmp_path):
    text = (ROOT / IIJ).read_text(encoding="utf-8").replace("- name: Koichi Suzuki", '- name: "Koichi \\uFFFF\\x01 Suzuki"')
    path = tmp_path / "iij.yaml"
    path.write_text(text, encoding="utf-8")
    status, root, err = run_junit(cli, str(path))
    failure = cases(root, str(path))["PC-6-001 item6.share_ownership.holders[Koichi \\uffff\\u0001 Suzuki]"].find("failure")
    assert "including Koichi \\uffff\\u0001 Suzuki (12,000 shares)" in failure.get("message")
    assert "including Koichi \\uffff\\u0001 Suzuki (12,000 shares)" in failure.text
