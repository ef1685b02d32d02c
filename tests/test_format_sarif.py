"""The SARIF report: valid against the OASIS SARIF 2.1.0 schema in every situation (waivers, a baseline, bad
input, a hostile filing), with stable rule ids, fingerprints and regions that point at the subject's line."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import IIJ, IIJ_AMENDED, ROOT, golden, run_process
from precomment.checking.findings import fingerprint, value_at
from precomment.language.rulebook import load_rules
from precomment.reports.formats.sarif import artifact_location

SCHEMA_PATH = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "2b19d2358baef0251d7d24e208d05ffabf1b2a3ab5e1b3a816066fc57fd4a7e8"
"""The OASIS schema, carried unmodified with its notice (tests/data/sarif/NOTICE.md)."""
WAIVERS = "tests/data/iij-waivers.yaml"
HOSTILE = "tests/data/hostile-20f.yaml"
GOLDEN_ARGS = (IIJ, "--waivers", WAIVERS, "--today", "2009-09-30", "--letter-date", "2009-09-30", "--format", "sarif")
# RFC 3986: a URI reference is made of these characters and %HH escapes only.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-F]{2})*$")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    raw = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the SARIF schema must stay the OASIS one, unmodified"
    schema = json.loads(raw)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def assert_valid(validator: jsonschema.Draft7Validator, document: dict[str, Any]) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    for uri in all_values(document, "uri"):
        assert URI_REFERENCE.match(uri), uri
        assert uri.startswith("file:///") or ":" not in uri.split("/")[0], f"{uri} would read as a scheme"


def all_values(node: Any, key: str) -> list[Any]:
    """Every value of `key` anywhere in a JSON document."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == key] + [x for v in node.values() for x in all_values(v, key)]
    if isinstance(node, list):
        return [x for item in node for x in all_values(item, key)]
    return []


def run_sarif(cli, *args: str) -> tuple[int, dict[str, Any], str]:
    status, out, err = cli("check", *args, "--format", "sarif")
    return status, json.loads(out), err


def by_key(run: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Results by (rule id, JSON pointer of the subject), which is unique within one filing."""
    results = {(r["ruleId"], r["properties"]["pointer"]): r for r in run["results"]}
    assert len(results) == len(run["results"])
    return results


# --- the golden file ------------------------------------------------------------------------------------

def test_iij_with_waivers_matches_the_golden_file_and_the_schema(cli, validator):
    status, out, err = cli("check", *GOLDEN_ARGS)
    assert (status, err) == (1, "")
    assert out == golden("iij-fy2009-20f.sarif", out)
    document = json.loads(out)
    assert_valid(validator, document)
    assert document["$schema"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
    assert document["version"] == "2.1.0"


def test_the_same_bytes_in_another_process_and_hash_seed(cli):
    status, out, err = cli("check", *GOLDEN_ARGS)
    process = run_process("check", *GOLDEN_ARGS, env={"PYTHONHASHSEED": "12345"})
    assert (process.returncode, process.stderr) == (1, "")
    assert process.stdout == out


def test_the_run_says_how_it_ended_without_timestamps(cli):
    status, document, err = run_sarif(cli, IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    run = document["runs"][0]
    assert run["invocations"] == [{
        "executionSuccessful": True, "exitCode": 1,
        "exitCodeDescription": "45 findings in 1 filing (14 error, 31 warning, 0 info), 2 waived; 165 rules not "
                               "assessed. Gate --fail-on error: FAILED by 13 findings at or above error."}]
    assert run["properties"] == {
        "gate": {"fail_on": "error", "only_new": False, "failed": True, "allow_incomplete": False},
        "coverage": {"fired": 22, "passed": 40, "not-applicable": 185, "not-assessed": 165, "unaccounted_items": 0},
        "today": "2009-09-30"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["artifacts"][0]["location"] == {"uri": "filings/iij-fy2009-20f.yaml", "uriBaseId": "%SRCROOT%"}
    assert not any(key.endswith("TimeUtc") for key in json.dumps(document).split('"'))


# --- rules and results ----------------------------------------------------------------------------------

def test_rules_are_those_of_the_run_in_form_order_and_results_point_at_them(cli):
    status, out, err = cli("check", IIJ, "--format", "json")
    not_in_force = {entry["rule"] for entry in json.loads(out)["filings"][0]["rules_not_applicable"]}
    status, document, err = run_sarif(cli, IIJ)
    driver = document["runs"][0]["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert (driver["name"], driver["version"]) == ("precomment", "0.1.0")
    # Every rule of the run, those not yet in force for 2009 included, saying when they apply.
    assert len(ids) == len(load_rules().rules) == len(set(ids)) and "PC-16K-001" in not_in_force
    cyber = driver["rules"][ids.index("PC-16K-001")]
    assert cyber["properties"]["in_force"].startswith("applies to fiscal years ending on or after 2023-12-15")
    # the filing as a whole (General) first, as the staff's letters put general comments first
    assert ids[:4] == ["PC-GEN-001", "PC-GEN-002", "PC-GEN-003", "PC-3-001"] and ids[-1].startswith("PC-19-")
    for result in document["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_rule_descriptor_carries_its_help_citations_and_precedents(cli):
    status, document, err = run_sarif(cli, IIJ)
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules["PC-6-001"]
    assert rule["name"] == "share-owner-percent-missing"
    assert rule["shortDescription"] == {"text": "A director's or officer's shareholding is given without the percentage of the class"}
    assert rule["fullDescription"]["text"].startswith("Item 6.E.1 asks, for each person listed in Item 6.B,")
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["helpUri"] == "https://www.sec.gov/files/form20-f.pdf"
    assert rule["properties"] == {
        "tags": ["form-20-f", "item-6"], "form_item": "6.E", "severity": "error",
        "authorities": ["Form 20-F, Part I, Item 6.E.1"], "precedents": ["iij-2009-09-30, comment 7"],
        "in_force": "applies to every filing"}
    text = rule["help"]["text"]
    assert ("Likely comment: In future filings please include here the percentage of shares outstanding, in "
            "addition to the number of shares, for directors, senior management and employees, including "
            "{{holder.name}} ({{holder.shares}} shares). Refer to Item 6.E.1 of Form 20-F.") in text  # 3.11.5
    assert ("Remedy: Give the percentage of the class {{holder.name}} owns, computed on the shares of the class "
            "outstanding at the table date, or state that the holding is less than 1% of the class.\n"
            "Record in the description: Record the percentage as `item6.share_ownership.holders\\[\\].percent_of_class` "
            "for {{holder.name}}, or set `item6.share_ownership.holders\\[\\].less_than_one_percent` to true.\n") in text
    assert "- Form 20-F, Part I, Item 6.E.1 <https://www.sec.gov/files/form20-f.pdf>\n  Not yet verified: " in text
    assert text.endswith("\n\nPrecedents: iij-2009-09-30, comment 7\n\nThe rule applies to every filing.")
    markdown = rule["help"]["markdown"]
    assert "- [Form 20-F, Part I, Item 6.E.1](<https://www.sec.gov/files/form20-f.pdf>)\n  - Not yet verified: " in markdown
    assert ("**Remedy:** Give the percentage of the class \\{{holder.name\\}} owns, computed on the shares of the class "
            "outstanding at the table date, or state that the holding is less than 1% of the class.\n\n"
            "**Record in the description:** Record the percentage as `item6.share_ownership.holders[].percent_of_class` "
            "for \\{{holder.name\\}}, or set `item6.share_ownership.holders[].less_than_one_percent` to "
            "true.") in markdown  # shown literally, code spans kept: tests/test_format_hardening.py
    assert "**Precedents:** iij-2009-09-30, comment 7" in markdown


def test_only_the_rules_with_results_carry_their_help_so_the_report_stays_small(cli, validator):
    status, document, err = run_sarif(cli, IIJ)
    run = document["runs"][0]
    fired = {result["ruleId"] for result in run["results"]}
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules if "help" in rule} == fired
    assert {rule["id"] for rule in rules if "fullDescription" in rule} == fired
    cyber = next(rule for rule in rules if rule["id"] == "PC-16K-001")  # not in force for 2009: no result
    assert set(cyber) == {"id", "name", "shortDescription", "defaultConfiguration", "helpUri", "properties"}
    assert cyber["shortDescription"]["text"].startswith("Item 16K")
    assert_valid(validator, document)
    _, with_results, _ = cli("check", IIJ, "--format", "sarif")
    status, out, err = cli("check", IIJ_AMENDED, "--format", "sarif")  # no finding: no rule's help at all
    # smaller, though not by half since the rules passed 300: the catalogue's short entries and the coverage
    # notifications of a clean run are most of it (BENCHMARKS.md, SARIF size)
    assert (status, len(out) < len(with_results)) == (0, True)
    assert not any("help" in rule for rule in json.loads(out)["runs"][0]["tool"]["driver"]["rules"])


def test_a_result_is_the_finding(cli):
    status, out, err = cli("check", IIJ, "--format", "json")
    finding = next(f for f in json.loads(out)["filings"][0]["findings"] if f["rule_id"] == "PC-6-001")
    status, document, err = run_sarif(cli, IIJ)
    result = by_key(document["runs"][0])[("PC-6-001", "/item6/share_ownership/holders/0")]
    assert result == {
        "ruleId": "PC-6-001",
        "ruleIndex": result["ruleIndex"],
        "level": "error",
        "message": {"text": finding["comment"]},
        "locations": [{"physicalLocation": {
                           "artifactLocation": {"uri": "filings/iij-fy2009-20f.yaml", "uriBaseId": "%SRCROOT%"},
                           "region": {"startLine": finding["line"], "startColumn": finding["column"]}},
                       "logicalLocations": [{"fullyQualifiedName": "item6.share_ownership.holders[Koichi Suzuki]"}]}],
        "partialFingerprints": {"precommentFingerprint/v2": finding["fingerprint"]},
        "properties": {"form_item": "6.E", "page": "50", "subject": "Koichi Suzuki",
                       "pointer": "/item6/share_ownership/holders/0", "key": "item6.share_ownership.holders[Koichi Suzuki]",
                       "remedy": finding["remedy"], "record": finding["record"], "fails_gate": True},
    }


def test_levels_follow_severities_as_configured(cli, tmp_path):
    config = tmp_path / "precomment.yaml"
    config.write_text("severity:\n  PC-6-001: info\n  PC-4-001: error\n", encoding="utf-8")
    status, document, err = run_sarif(cli, IIJ, "--config", str(config))
    run = document["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert (levels["PC-6-001"], levels["PC-4-001"], levels["PC-5-001"]) == ("note", "error", "warning")
    defaults = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in run["tool"]["driver"]["rules"]}
    assert (defaults["PC-6-001"], defaults["PC-4-001"]) == ("note", "error")


def test_every_region_points_at_the_subject_in_the_filing(cli):
    status, document, err = run_sarif(cli, IIJ)
    data = yaml.safe_load((ROOT / IIJ).read_text(encoding="utf-8"))
    lines = (ROOT / IIJ).read_text(encoding="utf-8").splitlines()
    for result in document["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        subject = value_at(data, result["properties"]["pointer"])
        at = lines[region["startLine"] - 1][region["startColumn"] - 1:]
        first_key = next(iter(subject))
        assert at.startswith("{" + first_key + ":") or at.startswith(first_key + ":"), (result["ruleId"], at)
    results = by_key(document["runs"][0])
    def assert_line(key, text):
        return text in lines[results[key]["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
    assert assert_line(("PC-6-001", "/item6/share_ownership/holders/0"), "- name: Koichi Suzuki")
    assert assert_line(("PC-6-001", "/item6/share_ownership/holders/1"), "- name: Akihisa Watai")
    assert assert_line(("PC-4-001", "/item3/risk_factors/1/dependencies/0"), "- {counterparty: NTT Communications,")
    assert assert_line(("PC-19-003", "/item4/property/leases/0"), "- description: head office")


# --- fingerprints ---------------------------------------------------------------------------------------

def test_fingerprints_are_rule_key_and_value_and_survive_edits_elsewhere(cli, tmp_path):
    status, document, err = run_sarif(cli, IIJ)
    data = yaml.safe_load((ROOT / IIJ).read_text(encoding="utf-8"))
    before = by_key(document["runs"][0])
    for (rule_id, pointer), result in before.items():
        expected = fingerprint(rule_id, result["properties"]["key"], value_at(data, pointer))
        assert result["partialFingerprints"] == {"precommentFingerprint/v2": expected}
        assert result["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": result["properties"]["key"]}]
    shifted = tmp_path / "iij.yaml"
    shifted.write_text("# a comment line added at the top\n" + (ROOT / IIJ).read_text(encoding="utf-8"), encoding="utf-8")
    status, document, err = run_sarif(cli, str(shifted))
    after = by_key(document["runs"][0])
    assert after.keys() == before.keys()
    for key, result in after.items():
        assert result["partialFingerprints"] == before[key]["partialFingerprints"]
        def line(r):
            return r["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert line(result) == line(before[key]) + 1


# --- waivers ---------------------------------------------------------------------------------------------

def test_waived_findings_are_results_with_an_accepted_suppression(cli, validator):
    status, document, err = run_sarif(cli, IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    entries = yaml.safe_load((ROOT / WAIVERS).read_text(encoding="utf-8"))["waivers"]
    results = by_key(document["runs"][0])
    assert len(results) == 45, "a waived finding is never dropped"
    suppressed = {key: r["suppressions"] for key, r in results.items() if "suppressions" in r}
    assert suppressed == {
        ("PC-4-002", "/item3/risk_factors/1/dependencies/4"): [{
            "kind": "external", "status": "accepted", "justification": entries[0]["reason"],
            "location": {"physicalLocation": {
                "artifactLocation": {"uri": "tests/data/iij-waivers.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 5}}},
            "properties": {"owner": "IR team (legal@iij.example)", "expires": "2010-03-31"}}],
        ("PC-19-003", "/item4/property/leases/0"): [{
            "kind": "external", "status": "accepted", "justification": entries[1]["reason"],
            "location": {"physicalLocation": {
                "artifactLocation": {"uri": "tests/data/iij-waivers.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 8, "startColumn": 5}}},
            "properties": {"owner": "Controller", "expires": "2010-06-30", "fingerprint": "bff4c9947a6c7e8e"}}],
    }
    lines = (ROOT / WAIVERS).read_text(encoding="utf-8").splitlines()
    assert lines[2].strip() == "- rule: PC-4-002" and lines[7].strip() == "- rule: PC-19-003"
    assert results[("PC-19-003", "/item4/property/leases/0")]["properties"]["fails_gate"] is False


def test_expired_and_unused_waivers_are_configuration_notifications(cli, tmp_path, validator):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text((ROOT / WAIVERS).read_text(encoding="utf-8") + "  - rule: PC-6-001\n    pointer: /nowhere\n"
                       "    reason: Kept from last year.\n", encoding="utf-8")
    status, document, err = run_sarif(cli, IIJ, "--waivers", str(waivers), "--today", "2010-04-01")
    assert_valid(validator, document)
    invocation = document["runs"][0]["invocations"][0]
    uri = artifact_location(str(waivers))
    assert invocation["toolConfigurationNotifications"] == [
        {"level": "error",
         "message": {"text": "the waiver of PC-4-002 at item3.risk_factors\\[We rely greatly on other telecommunications "
                             "carriers and other suppliers, and could be affected by disruptions\\].dependencies"
                             "\\[Cisco Systems\\] expired on 2010-03-31; "
                             "its finding counts again and the gate fails\n"
                             "hint: renew the waiver with a later `expires`, or fix the finding and remove it"},
         "descriptor": {"id": "expired-waiver"},
         "locations": [{"physicalLocation": {"artifactLocation": uri, "region": {"startLine": 3, "startColumn": 5}}}],
         "properties": {}},
        {"level": "warning",
         "message": {"text": "the waiver of PC-6-001 at /nowhere matched no finding\n"
                             "hint: remove it if the finding was fixed, or correct its rule, pointer or filing"},
         "descriptor": {"id": "unused-waiver"},
         "locations": [{"physicalLocation": {"artifactLocation": uri, "region": {"startLine": 15, "startColumn": 5}}}],
         "properties": {}},
    ]
    results = by_key(document["runs"][0])
    assert "suppressions" not in results[("PC-4-002", "/item3/risk_factors/1/dependencies/4")]
    assert "suppressions" in results[("PC-19-003", "/item4/property/leases/0")], "not expired until 2010-06-30"
    assert invocation["exitCode"] == 1 and document["runs"][0]["properties"]["gate"]["failed"] is True


# --- baselines -------------------------------------------------------------------------------------------

def edited_iij(tmp_path: Path) -> Path:
    """IIJ with Koichi Suzuki's percentage added (one PC-6-001 fixed) and a new holder without one (one new)."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    assert text.count("        shares: 12000\n") == 1 and text.count("        shares: 60\n") == 1
    text = text.replace("        shares: 12000\n", "        shares: 12000\n        percent_of_class: 5.85\n")
    text = text.replace("        shares: 60\n", "        shares: 60\n      - name: Hana Mori\n        role: director\n"
                                               "        position: Director\n        shares: 500\n")
    path = tmp_path / "iij-draft-2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_baseline_states_new_unchanged_and_absent(cli, tmp_path, validator):
    status, out, err = cli("check", IIJ, "--format", "json")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(out, encoding="utf-8")
    status, document, err = run_sarif(cli, str(edited_iij(tmp_path)), "--baseline", str(baseline))
    assert_valid(validator, document)
    results = by_key(document["runs"][0])
    states = {key: r["baselineState"] for key, r in results.items()}
    assert {key for key, state in states.items() if state == "new"} == {("PC-6-001", "/item6/share_ownership/holders/2")}
    assert {key for key, state in states.items() if state == "absent"} == {("PC-6-001", "/item6/share_ownership/holders/0")}
    assert sum(1 for state in states.values() if state == "unchanged") == 44
    fixed = results[("PC-6-001", "/item6/share_ownership/holders/0")]
    assert (fixed["kind"], fixed["level"]) == ("pass", "none")
    assert fixed["message"]["text"].startswith("Fixed since the baseline: In future filings please include here")
    assert "region" not in fixed["locations"][0]["physicalLocation"], "its line was in the earlier file"
    assert fixed["properties"]["baseline"] == "fixed" and fixed["properties"]["fails_gate"] is False
    assert results[("PC-6-001", "/item6/share_ownership/holders/2")]["properties"]["subject"] == "Hana Mori"
    assert document["runs"][0]["properties"]["baseline"] == str(baseline)


# --- bad input and hostile text --------------------------------------------------------------------------

def test_a_filing_that_cannot_be_checked_is_an_execution_notification(cli, validator):
    expected = (ROOT / "tests/bad/wrong-type.err").read_text(encoding="utf-8").splitlines()
    location, _, rest = expected[0].partition(": error [wrong-type] at ")
    source, line, column = location.rsplit(":", 2)
    pointer, _, message = rest.partition(": ")
    status, document, err = run_sarif(cli, "tests/bad/wrong-type.yaml", IIJ)
    assert status == 2 and err.startswith(expected[0])
    assert_valid(validator, document)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["exitCode"] == 2 and invocation["executionSuccessful"] is True
    assert invocation["exitCodeDescription"].endswith("; 1 file could not be checked. Failed: bad input.")
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error",
        "message": {"text": message + "\nhint: " + expected[1].removeprefix("  hint: ")},
        "descriptor": {"id": "wrong-type"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": source, "uriBaseId": "%SRCROOT%"},
                                            "region": {"startLine": int(line), "startColumn": int(column)}}}],
        "properties": {"pointer": pointer}}]
    artifacts = document["runs"][0]["artifacts"]
    assert [a["properties"]["status"] for a in artifacts] == ["invalid", "checked"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]} == {"filings/iij-fy2009-20f.yaml"}


def test_hostile_text_stays_text(cli, validator):
    status, out, err = cli("check", HOSTILE, "--format", "sarif")
    document = json.loads(out)
    assert_valid(validator, document)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out), "no raw control character"
    results = by_key(document["runs"][0])
    koichi = results[("PC-6-001", "/item6/share_ownership/holders/0")]
    assert koichi["properties"]["subject"] == (
        "Koichi \\u001b[31mRED\\u001b[0m \\u202eevil\\u202c [link](javascript:alert(1)) `code` # heading")
    assert ("including Koichi \\\\u001b\\[31mRED\\\\u001b\\[0m \\\\u202eevil\\\\u202c \\[link\\](javascript:alert(1)) "
            "`code` # heading (12,000 shares)") in koichi["message"]["text"], "no embedded link, no escape sequence"
    hyperlink = results[("PC-5-001", "/item3/risk_factors/0/key_indicators/0")]
    assert hyperlink["properties"]["subject"] == '=HYPERLINK("http://evil.example","contracts") <img src=x onerror=alert(1)>'
    artifact = document["runs"][0]["artifacts"][0]
    assert artifact["properties"]["filer"]["name"] == yaml.safe_load((ROOT / HOSTILE).read_text(encoding="utf-8"))["filer"]["name"]


# --- paths -------------------------------------------------------------------------------------------------

def test_a_path_with_spaces_and_unicode_is_a_percent_encoded_uri(cli, tmp_path, monkeypatch, validator):
    folder = tmp_path / "drafts 2009"
    folder.mkdir()
    (folder / "iij ü 20-F.yaml").write_text((ROOT / IIJ).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, document, err = run_sarif(cli, "drafts 2009/iij ü 20-F.yaml", "--no-config")
    assert_valid(validator, document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == {"drafts%202009/iij%20%C3%BC%2020-F.yaml"}


@pytest.mark.parametrize("path, expected", [
    ("filings/iij-fy2009-20f.yaml", {"uri": "filings/iij-fy2009-20f.yaml", "uriBaseId": "%SRCROOT%"}),
    ("./drafts/../drafts/a#1?.yaml", {"uri": "drafts/a%231%3F.yaml", "uriBaseId": "%SRCROOT%"}),
    ("c:draft.yaml", {"uri": "c%3Adraft.yaml", "uriBaseId": "%SRCROOT%"}),
    ("<stdin>", {"uri": "%3Cstdin%3E", "uriBaseId": "%SRCROOT%"}),
    ("/srv/drafts/20 F.yaml", {"uri": "file:///srv/drafts/20%20F.yaml"}),
])
def test_artifact_locations(path, expected, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert artifact_location(path) == expected
    assert URI_REFERENCE.match(expected["uri"])


def test_an_absolute_path_inside_the_working_directory_is_relative(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert artifact_location(str(ROOT / IIJ)) == {"uri": IIJ, "uriBaseId": "%SRCROOT%"}
