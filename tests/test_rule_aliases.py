"""Renamed rules: a rule lists its former ids as `aliases`, and the waivers and baselines a team wrote
under a former id still match its findings, with a note saying the id changed. As a user sees it: exit
codes, the notes on standard error and the JSON report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import IIJ, ROOT

LEASE_RULE = ROOT / "rules" / "item19" / "material-lease-not-filed.yaml"
POINTER = "/item4/property/leases/0"
KEY = "item4.property.leases[head office]"  # the subject at POINTER
FINGERPRINT = "bff4c9947a6c7e8e"  # of PC-19-003's finding of KEY in IIJ: recorded under the former id


@pytest.fixture
def packs(tmp_path: Path) -> tuple[str, str]:
    """The lease rule as it was (PC-19-003), and renamed to PC-19-903 with PC-19-003 as its alias."""
    text = LEASE_RULE.read_text(encoding="utf-8")
    assert "id: PC-19-003\n" in text
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    (before / LEASE_RULE.name).write_text(text, encoding="utf-8")
    (after / LEASE_RULE.name).write_text(text.replace("id: PC-19-003\n", "id: PC-19-903\naliases: [PC-19-003]\n"),
                                         encoding="utf-8")
    return str(before), str(after)


def check(cli, pack: str, *args: str) -> tuple[int, dict, str]:
    code, out, err = cli("check", IIJ, "--no-builtin-rules", "--rules", pack, "--format", "json", *args)
    return code, json.loads(out), err


def test_a_waiver_naming_the_former_id_waives_the_renamed_rules_finding(cli, tmp_path, packs):
    before, after = packs
    code, report, _ = check(cli, before)
    assert [(f["rule_id"], f["pointer"], f["key"], f["fingerprint"]) for f in report["filings"][0]["findings"]] == [
        ("PC-19-003", POINTER, KEY, FINGERPRINT)]
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - rule: PC-19-003\n    key: {KEY}\n    reason: Filed with the 2008 20-F.\n"
                       f"    fingerprint: '{FINGERPRINT}'\n", encoding="utf-8")
    code, report, err = check(cli, after, "--waivers", str(waivers))
    assert code == 0
    assert err == (f"{waivers}:2:5: warning [renamed-rule] at /: the waiver names PC-19-003, the former id of "
                   "PC-19-903; it applies to PC-19-903's findings\n"
                   "  hint: write `rule: PC-19-903`\n")
    [finding] = report["filings"][0]["findings"]
    assert (finding["rule_id"], finding["waiver"]["reason"]) == ("PC-19-903", "Filed with the 2008 20-F.")
    assert finding["fingerprint"] != FINGERPRINT, "the fingerprint covers the rule id: only the alias matches it"
    assert report["summary"]["waived"] == 1
    assert [note["code"] for note in report["review_notes"]] == ["renamed-rule"]


def test_a_waiver_naming_the_former_id_with_another_value_leaves_the_finding_open(cli, tmp_path, packs):
    _, after = packs
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - rule: PC-19-003\n    key: {KEY}\n    reason: Filed with the 2008 20-F.\n"
                       "    fingerprint: '0000000000000000'\n", encoding="utf-8")
    code, report, err = check(cli, after, "--waivers", str(waivers))
    assert code == 1
    assert [note["code"] for note in report["review_notes"]] == ["renamed-rule", "mismatched-waiver"]
    assert (f"warning [mismatched-waiver] at /: the value at {KEY} in {IIJ} has changed since PC-19-903 was "
            "waived (waived fingerprint 0000000000000000, now ") in err
    assert report["summary"]["waived"] == 0


def test_a_baseline_recorded_under_the_former_id_keeps_the_finding_open(cli, tmp_path, packs):
    before, after = packs
    baseline = tmp_path / "baseline.json"
    baseline.write_text(cli("check", IIJ, "--no-builtin-rules", "--rules", before, "--format", "json")[1],
                        encoding="utf-8")
    code, report, err = check(cli, after, "--baseline", str(baseline))
    assert err == (f"{baseline}: warning [renamed-rule] at /: the baseline's findings of PC-19-003 are compared "
                   "with PC-19-903's: PC-19-003 is its former id\n"
                   "  hint: save this check's JSON report as the new baseline to record the id now\n")
    assert [(f["rule_id"], f["baseline"]) for f in report["filings"][0]["findings"]] == [("PC-19-903", "open")]
    assert report["summary"]["baseline"]["new"] == 0 and report["summary"]["baseline"]["fixed"] == 0
    code, out, err = cli("check", IIJ, "--no-builtin-rules", "--rules", after, "--baseline", str(baseline),
                         "--fail-on-new")
    assert code == 0, "a renamed rule's finding is not new"
    assert out.rstrip("\n").splitlines()[-1].endswith("against the baseline: 0 new, 1 still open, 0 fixed. "
                                                      "Gate --fail-on error --fail-on-new: passed.")


def test_without_the_alias_the_renamed_rules_finding_is_new(cli, tmp_path, packs):
    """What the alias prevents: the renamed rule's finding taken for a new one, and the old one's for gone (not
    assessed: no rule of that id looked)."""
    before, after = packs
    rule = Path(after) / LEASE_RULE.name
    rule.write_text(rule.read_text(encoding="utf-8").replace("aliases: [PC-19-003]\n", ""), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(cli("check", IIJ, "--no-builtin-rules", "--rules", before, "--format", "json")[1],
                        encoding="utf-8")
    code, report, err = check(cli, after, "--baseline", str(baseline))
    assert (code, err) == (1, "")
    assert report["summary"]["baseline"]["new"] == 1 and report["summary"]["baseline"]["fixed"] == 0
    assert report["summary"]["baseline"]["not_assessed"] == 1
