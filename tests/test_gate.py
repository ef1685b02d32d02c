"""The gate: --fail-on, waivers (expired, unused, mismatched, duplicate) and baselines (new, open, fixed),
as a user sees them: exit codes, the summary line, the warnings on standard error and the JSON records."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT

WAIVERS = "tests/data/iij-waivers.yaml"
SUMMARY = "45 findings in 1 filing (14 error, 31 warning, 0 info)"
COVERAGE = "; 165 rules not assessed"  # the IIJ description leaves sections out (omitted), whose rules cannot look
CISCO = ("item3.risk_factors[We rely greatly on other telecommunications carriers and other suppliers, and could be "
         "affected by disruptions].dependencies[Cisco Systems]")


def last_line(text: str) -> str:
    return text.rstrip("\n").splitlines()[-1]


def findings(out: str) -> list[dict]:
    return json.loads(out)["filings"][0]["findings"]


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def waiver(rule: str, key: str, **extra: str) -> str:
    """A waiver naming its finding by rule and key, as docs/gate.md says to write one."""
    lines = [f"  - rule: {rule}", f"    key: {json.dumps(key)}", "    reason: Accepted after review by counsel."]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


# --- --fail-on ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_on, code, verdict", [
    ("error", 1, "Gate --fail-on error: FAILED by 14 findings at or above error."),
    ("warning", 1, "Gate --fail-on warning: FAILED by 45 findings at or above warning."),
    ("info", 1, "Gate --fail-on info: FAILED by 45 findings at or above info."),
    ("never", 0, "Gate: off (--fail-on never)."),
])
def test_fail_on_sets_exit_code_and_says_what_failed(cli, fail_on, code, verdict):
    status, out, err = cli("check", IIJ, "--fail-on", fail_on)
    assert (status, err) == (code, "")
    assert last_line(out) == f"{SUMMARY}{COVERAGE}. {verdict}"


def test_a_clean_filing_passes_every_gate(cli):
    status, out, err = cli("check", IIJ_AMENDED, "--fail-on", "info")
    assert (status, err) == (0, "")
    assert last_line(out) == ("0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. "
                              "Gate --fail-on info: passed.")


# --- waivers ------------------------------------------------------------------------------------------

def test_waived_findings_are_reported_as_waived_and_do_not_fail_the_gate(cli):
    status, out, err = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2009-09-30", "--format", "json")
    assert (status, err) == (1, "")
    report = json.loads(out)
    waived = {(f["rule_id"], f["key"]): f["waiver"] for f in findings(out) if f["waiver"]}
    assert waived == {
        ("PC-4-002", CISCO): {
            "reason": "Cisco equipment is bought at list price from several resellers; no agreement is material.",
            "owner": "IR team (legal@iij.example)", "expires": "2010-03-31", "fingerprint": None,
            "source": WAIVERS, "line": 3},
        ("PC-19-003", "item4.property.leases[head office]"): {
            "reason": "The head office lease is a standard form lease on market terms; counsel judged it not material.",
            "owner": "Controller", "expires": "2010-06-30", "fingerprint": "bff4c9947a6c7e8e",
            "source": WAIVERS, "line": 8}}
    assert report["summary"]["findings"] == 45, "a waived finding is never dropped"
    assert report["summary"]["waived"] == 2
    assert report["gate"] == {"fail_on": "error", "only_new": False, "failed": True, "failing_findings": 13,
                              "expired_waivers": 0, "allow_incomplete": False, "unaccounted_items": 0,
                              "coverage_drop": 0}
    assert report["review_notes"] == []


def test_waivers_in_the_table_summary(cli):
    status, out, err = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2009-09-30")
    assert (status, err) == (1, "")
    assert last_line(out) == f"{SUMMARY}, 2 waived{COVERAGE}. Gate --fail-on error: FAILED by 13 findings at or above error."
    assert "| Status" in out and "| waived" in out
    assert ("error       14          1         13\n"
            "warning     31          1         0\n") in out


def test_waiving_every_error_passes_the_error_gate(cli, tmp_path):
    status, out, err = cli("check", IIJ, "--format", "json")
    errors = [f for f in findings(out) if f["severity"] == "error"]
    path = write(tmp_path / "w.yaml", "waivers:\n" + "".join(waiver(f["rule_id"], f["key"]) for f in errors))
    status, out, err = cli("check", IIJ, "--waivers", path)
    assert (status, err) == (0, "")
    assert last_line(out) == f"{SUMMARY}, 14 waived{COVERAGE}. Gate --fail-on error: passed."


def test_an_expired_waiver_no_longer_applies_and_fails_the_gate(cli):
    status, out, err = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2010-04-01")
    assert status == 1
    assert err == (f"{WAIVERS}:3:5: error [expired-waiver] at /: the waiver of PC-4-002 at "
                   f"{CISCO} expired on 2010-03-31; its finding counts again and the "
                   "gate fails\n"
                   "  hint: renew the waiver with a later `expires`, or fix the finding and remove it\n")
    assert last_line(out) == (f"{SUMMARY}, 1 waived{COVERAGE}. Gate --fail-on error: FAILED by 13 findings at or above error "
                              "and 1 expired waiver.")


def test_a_waiver_applies_on_its_expiry_date(cli):
    status, out, err = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2010-03-31")
    assert err == ""
    assert f"{SUMMARY}, 2 waived{COVERAGE}." in last_line(out)


def test_an_expired_waiver_alone_fails_the_gate(cli, tmp_path):
    """Nothing else fails (every error waived, warnings below the gate), only the expired waiver does."""
    status, out, err = cli("check", IIJ, "--format", "json")
    errors = [f for f in findings(out) if f["severity"] == "error"]
    entries = [waiver(f["rule_id"], f["key"]) for f in errors[1:]]
    entries.append(waiver(errors[0]["rule_id"], errors[0]["key"], expires="2009-01-31"))
    path = write(tmp_path / "w.yaml", "waivers:\n" + "".join(entries))
    status, out, err = cli("check", IIJ, "--waivers", path, "--today", "2009-09-30", "--format", "json")
    assert status == 1
    assert "[expired-waiver]" in err
    assert json.loads(out)["gate"] == {"fail_on": "error", "only_new": False, "failed": True,
                                       "failing_findings": 1, "expired_waivers": 1, "allow_incomplete": False,
                                       "unaccounted_items": 0, "coverage_drop": 0}
    status, out, err = cli("check", IIJ, "--waivers", path, "--today", "2009-09-30", "--fail-on", "never")
    assert status == 0, "--fail-on never turns the whole gate off, expired waivers included"


def test_an_unused_waiver_is_warned_about_without_failing_the_gate(cli, tmp_path):
    path = write(tmp_path / "w.yaml", "waivers:\n" + waiver("PC-6-001", "item6.share_ownership.holders[Nobody]")
                 + waiver("PC-4A-901", "item6.share_ownership.holders[Koichi Suzuki]"))
    status, out, err = cli("check", IIJ_AMENDED, "--waivers", path)
    assert status == 0
    assert err == (f"{path}:2:5: warning [unused-waiver] at /: the waiver of PC-6-001 at "
                   "item6.share_ownership.holders[Nobody] matched no finding\n"
                   "  hint: remove it if the finding was fixed, or correct its rule, key or filing\n"
                   f"{path}:5:5: warning [unused-waiver] at /: the waiver of PC-4A-901 at "
                   "item6.share_ownership.holders[Koichi Suzuki] matched no finding\n"
                   "  hint: no rule PC-4A-901 is in force; did you mean PC-4A-001?\n")


def test_a_waiver_for_another_filing_does_not_apply(cli, tmp_path):
    path = write(tmp_path / "w.yaml", "waivers:\n" + waiver("PC-6-001", "item6.share_ownership.holders[Koichi Suzuki]",
                                                            filing="filings/other.yaml"))
    status, out, err = cli("check", IIJ, "--waivers", path, "--format", "json")
    assert "[unused-waiver]" in err and "holders[Koichi Suzuki] in filings/other.yaml matched no finding" in err
    assert json.loads(out)["summary"]["waived"] == 0


def test_a_mismatched_fingerprint_leaves_the_finding_open(cli, tmp_path):
    path = write(tmp_path / "w.yaml", "waivers:\n" + waiver("PC-19-003", "item4.property.leases[head office]",
                                                            fingerprint="'0000000000000000'"))
    status, out, err = cli("check", IIJ, "--waivers", path, "--format", "json")
    assert status == 1
    assert err == (f"{path}:2:5: warning [mismatched-waiver] at /: the value at item4.property.leases[head office] "
                   f"in {IIJ} has changed since PC-19-003 was waived (waived fingerprint 0000000000000000, now "
                   "bff4c9947a6c7e8e); the finding is open again\n"
                   "  hint: review the finding; if the waiver still holds, update its fingerprint\n")
    assert json.loads(out)["summary"]["waived"] == 0
    assert [n["code"] for n in json.loads(out)["review_notes"]] == ["mismatched-waiver"]


def test_a_changed_value_changes_the_fingerprint(cli, tmp_path):
    """The fingerprint follows the subject's value: edit the lease and the finding's fingerprint changes."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    assert "head office" in text
    edited = write(tmp_path / "edited.yaml", text.replace("head office", "head office (Chiyoda)", 1))
    before = {(f["rule_id"], f["pointer"]): f["fingerprint"] for f in findings(cli("check", IIJ, "--format", "json")[1])}
    after = {(f["rule_id"], f["pointer"]): f["fingerprint"] for f in findings(cli("check", edited, "--format", "json")[1])}
    assert before.keys() == after.keys()
    changed = {key for key in before if before[key] != after[key]}
    assert ("PC-19-003", "/item4/property/leases/0") in changed
    assert ("PC-6-001", "/item6/share_ownership/holders/0") not in changed


def test_two_waivers_of_one_finding(cli, tmp_path):
    entry = waiver("PC-19-003", "item4.property.leases[head office]")
    path = write(tmp_path / "w.yaml", "waivers:\n" + entry + entry)
    status, out, err = cli("check", IIJ, "--waivers", path)
    assert err == (f"{path}:5:5: warning [duplicate-waiver] at /: PC-19-003 at item4.property.leases[head office] is already "
                   f"waived at {path}:2:5\n"
                   "  hint: remove one of the two waivers\n")


@pytest.mark.parametrize("body, expected", [
    ("waivers:\n  - rule: PC-6-001\n    pointer: /item6\n",
     "{path}:2:5: error [missing-key] at /waivers/0: required key 'reason' is missing"),
    ("waivers:\n  - rule: PC-6-001\n    pointer: /item6\n    reason: ok\n",
     "{path}:4:13: error [bad-value] at /waivers/0/reason: 'ok' is too short"),
    ("waivers:\n  - rule: PC-6-001\n    pointer: /item6\n    reason: Accepted after review.\n    expires: 2010-02-30\n",
     "{path}:5:14: error [bad-value] at /waivers/0/expires: '2010-02-30' is not a valid date"),
    ("waivers:\n  - rule: PC-6-001\n    pointer: /item6\n    reason: Accepted after review.\n    onwer: me\n",
     "{path}:5:5: error [unknown-key] at /waivers/0/onwer: unknown key 'onwer'"),
])
def test_a_bad_waivers_file_is_bad_input(cli, tmp_path, body, expected):
    path = write(tmp_path / "w.yaml", body)
    status, out, err = cli("check", IIJ, "--waivers", path)
    assert (status, out) == (2, "")
    assert err.splitlines()[0] == expected.format(path=path)


def test_waivers_from_the_configuration(cli, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "waivers.yaml").write_text((ROOT / WAIVERS).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".precomment.yaml").write_text("waivers: waivers.yaml\n", encoding="utf-8")
    (tmp_path / "filings").mkdir()
    (tmp_path / IIJ).write_text((ROOT / IIJ).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from precomment.cli import main
    assert main(["check", IIJ, "--today", "2009-09-30", "--format", "json", "--output", "r.json"]) == 1
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["waived"] == 2


# --- baselines ----------------------------------------------------------------------------------------

@pytest.fixture
def baseline_of(cli, tmp_path):
    """A JSON report of IIJ with some rules disabled, written to a file: the baseline."""
    def make(*disabled: str) -> str:
        config = write(tmp_path / f"config-{len(disabled)}.yaml", f"disable: [{', '.join(disabled)}]\n")
        status, out, err = cli("check", IIJ, "--format", "json", "--config", config)
        return write(tmp_path / f"baseline-{'-'.join(disabled) or 'all'}.json", out)
    return make


def test_baseline_marks_findings_new_open_and_not_assessed(cli, tmp_path, baseline_of):
    baseline = baseline_of("PC-6-001")  # the baseline lacks PC-6-001's two findings: now they are new
    # PC-19-001's four findings are gone because the rule no longer runs: not assessed, never fixed
    config = write(tmp_path / "now.yaml", "disable: [PC-19-001]\n")
    status, out, err = cli("check", IIJ, "--baseline", baseline, "--config", config, "--format", "json")
    assert (status, err) == (1, "")
    report = json.loads(out)
    states = {(f["rule_id"], f["baseline"]) for f in findings(out)}
    assert {rule for rule, state in states if state == "new"} == {"PC-6-001"}
    assert report["filings"][0]["fixed"] == []
    gone = report["filings"][0]["not_assessed_since_baseline"]
    assert [(f["rule_id"], f["subject"], f["baseline"]) for f in gone] == [
        ("PC-19-001", "NTT Communications", "not-assessed"), ("PC-19-001", "KDDI", "not-assessed"),
        ("PC-19-001", "NTT East", "not-assessed"), ("PC-19-001", "NTT West", "not-assessed")]
    assert report["summary"]["baseline"] == {"report": baseline, "new": 2, "open": 39, "fixed": 0, "not_assessed": 4}
    status, out, err = cli("check", IIJ, "--baseline", baseline, "--config", config)
    assert last_line(out) == ("41 findings in 1 filing (10 error, 31 warning, 0 info); against the baseline: "
                              f"2 new, 39 still open, 0 fixed, 4 not assessed{COVERAGE}. Gate --fail-on error: "
                              "FAILED by 10 findings at or above error.")
    assert ("Not assessed since the baseline (4 findings, not fixed):\n"
            "  PC-19-001 19 NTT Communications (/item3/risk_factors/1/dependencies/0)") in out


def test_a_baseline_written_before_rules_said_what_to_record_still_reads(cli, tmp_path, baseline_of):
    """A report of an earlier precomment has no `record` in its findings: it is still a baseline, and its
    fixed findings are shown without one (HTML and JUnit leave the label out, SARIF the property)."""
    old = json.loads(Path(baseline_of()).read_text(encoding="utf-8"))
    for filing in old["filings"]:
        for finding in filing["findings"]:
            del finding["record"]
    baseline = write(tmp_path / "old.json", json.dumps(old))
    config = write(tmp_path / "now.yaml", "disable: [PC-19-001]\n")
    status, out, err = cli("check", IIJ, "--baseline", baseline, "--config", config, "--format", "json")
    assert (status, err) == (1, "")
    gone = json.loads(out)["filings"][0]["not_assessed_since_baseline"]  # the rule is disabled: not fixed
    assert [(f["rule_id"], f["record"]) for f in gone] == [("PC-19-001", "")] * 4
    status, out, err = cli("check", IIJ, "--baseline", baseline, "--config", config, "--format", "junit")
    fixed_cases = out.split("Not assessed this run (not fixed): its rule could not look.")[1:]
    assert len(fixed_cases) == 4
    assert all("\n\nRemedy:\n" in case.split("</system-out>")[0] for case in fixed_cases)
    assert not any("Record in the description" in case.split("</system-out>")[0] for case in fixed_cases)


def test_fail_on_new_gates_only_new_findings(cli, baseline_of):
    new_errors = baseline_of("PC-6-001")
    status, out, err = cli("check", IIJ, "--baseline", new_errors, "--fail-on-new")
    assert status == 1
    assert last_line(out).endswith("Gate --fail-on error --fail-on-new: FAILED by 2 new findings at or above error.")
    new_warnings = baseline_of("PC-4-001")  # six warnings new, no new error
    status, out, err = cli("check", IIJ, "--baseline", new_warnings, "--fail-on-new")
    assert status == 0
    assert last_line(out).endswith(f"against the baseline: 6 new, 39 still open, 0 fixed{COVERAGE}. "
                                   "Gate --fail-on error --fail-on-new: passed.")


def test_a_fixed_draft_against_its_baseline(cli, baseline_of):
    status, out, err = cli("check", IIJ_AMENDED, "--baseline", baseline_of(), "--format", "json")
    assert status == 0
    report = json.loads(out)
    assert report["summary"]["baseline"]["fixed"] == 45
    assert len(report["filings"][0]["fixed"]) == 45, "a renamed draft is compared with the baseline's only filing"


def test_fail_on_new_needs_a_baseline(cli):
    status, out, err = cli("check", IIJ, "--fail-on-new")
    assert (status, out) == (2, "")
    assert err == "precomment: --fail-on-new needs --baseline REPORT (a previous `check --format json` report)\n"


def test_a_baseline_that_is_not_a_report_is_bad_input(cli, tmp_path):
    path = write(tmp_path / "old.json", '{"filings": []}\n')
    status, out, err = cli("check", IIJ, "--baseline", path)
    assert (status, out) == (2, "")
    assert err.startswith(f"{path}:1:1: error [missing-key] at /: required key 'format_version' is missing")


# --- which baseline filing a filing is compared with ----------------------------------------------------

def iij_as(path: Path, **filer: str) -> str:
    """The IIJ description written to `path`, with some of its filer fields changed (None: removed)."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    for key, value in filer.items():
        line = "" if value is None else f"  {key}: {value}\n"
        text, count = re.subn(rf"^  {key}: .*\n", line, text, count=1, flags=re.M)
        assert count == 1, key
    return write(path, text)


def states(cli, *args: str) -> tuple[int, list[tuple[str, dict[str, int]]]]:
    """Exit code, and per filing its source and how many findings are new, open and fixed."""
    status, out, err = cli("check", *args, "--format", "json")
    assert err == ""
    return status, [(filing["source"], {"new": sum(f["baseline"] == "new" for f in filing["findings"]),
                                        "open": sum(f["baseline"] == "open" for f in filing["findings"]),
                                        "fixed": len(filing["fixed"])})
                    for filing in json.loads(out)["filings"]]


ALL_NEW = {"new": 45, "open": 0, "fixed": 0}
ALL_OPEN = {"new": 0, "open": 45, "fixed": 0}


def test_another_filer_beside_the_baselines_only_filing_is_not_compared_with_it(cli, tmp_path, baseline_of):
    """The renamed-draft fallback used to compare any filing with a baseline of one filing: a new filer's
    45 findings were all "still open" and --fail-on-new passed."""
    other = iij_as(tmp_path / "other.yaml", name="Other Filer K.K.", file_number="000-99999")
    status, out, err = cli("check", IIJ, other, "--baseline", baseline_of(), "--fail-on-new")
    assert (status, err) == (1, "")
    assert last_line(out) == ("90 findings in 2 filings (28 error, 62 warning, 0 info); against the baseline: "
                              "45 new, 45 still open, 0 fixed; 330 rules not assessed. Gate --fail-on error "
                              "--fail-on-new: FAILED by 14 new findings at or above error.")


def test_a_renamed_draft_is_compared_with_its_filers_baseline_filing_among_others(cli, tmp_path):
    baseline = write(tmp_path / "baseline.json", cli("check", IIJ, "filings/lanternfish-fy2024-20f.yaml",
                                                     "--format", "json")[1])
    renamed = iij_as(tmp_path / "iij-draft-2.yaml")
    assert states(cli, renamed, "--baseline", baseline, "--fail-on-new") == (0, [(renamed, ALL_OPEN)])


@pytest.mark.parametrize("filer, matched", [
    ({"name": "IIJ Holdings Inc."}, True),  # renamed company: the Commission file number is the same
    ({"file_number": None}, True),  # no file number on one side: the same name
    ({"name": "internet  initiative japan inc."}, True),  # names compared ignoring case and spacing
    ({"file_number": "000-99999"}, False),  # another registrant under the same name
    ({"file_number": "0-30204", "name": "IIJ"}, True),  # the file number as a cover page prints it
    ({"fiscal_year_end": "2010-03-31"}, True),  # the same file, rolled forward a year: the path says it
])
def test_a_filing_at_the_baselines_path_is_compared_with_it_only_if_it_is_the_same_filers(
        cli, tmp_path, filer, matched):
    draft = iij_as(tmp_path / "draft.yaml")
    baseline = write(tmp_path / "baseline.json", cli("check", draft, "--format", "json")[1])
    iij_as(tmp_path / "draft.yaml", **filer)
    status, filings = states(cli, draft, "--baseline", baseline)
    [(source, counts)] = filings
    if matched:
        assert counts == ALL_OPEN
    else:
        assert counts["open"] == counts["fixed"] == 0 and counts["new"] > 0


def test_a_renamed_draft_of_another_fiscal_year_is_not_compared_with_the_baseline(cli, tmp_path, baseline_of):
    next_year = iij_as(tmp_path / "iij-fy2010.yaml", fiscal_year_end="2010-03-31")
    status, filings = states(cli, next_year, "--baseline", baseline_of())
    [(source, counts)] = filings
    assert counts["open"] == counts["fixed"] == 0 and counts["new"] > 0


def test_of_two_baseline_drafts_of_one_filer_a_renamed_draft_takes_the_one_of_its_fiscal_year(cli, tmp_path):
    next_year = iij_as(tmp_path / "iij-fy2010.yaml", fiscal_year_end="2010-03-31")
    baseline = write(tmp_path / "baseline.json", cli("check", IIJ, next_year, "--format", "json")[1])
    renamed = iij_as(tmp_path / "iij-fy2009-v2.yaml")
    assert states(cli, renamed, "--baseline", baseline) == (1, [(renamed, ALL_OPEN)])


def test_a_renamed_draft_that_two_baseline_filings_could_be_is_compared_with_neither(cli, tmp_path):
    """Two baseline filings of the same filer and fiscal year (here the draft and its amendment): which one
    the renamed draft continues cannot be told, so all its findings are new rather than wrongly open."""
    baseline = write(tmp_path / "baseline.json", cli("check", IIJ, IIJ_AMENDED, "--format", "json")[1])
    renamed = iij_as(tmp_path / "renamed.yaml")
    assert states(cli, renamed, "--baseline", baseline) == (1, [(renamed, ALL_NEW)])


def damaged(report: dict, pointer: str, value: object) -> dict:
    """A copy of `report` with the value at a JSON pointer replaced."""
    report = json.loads(json.dumps(report))
    *parents, last = [int(t) if t.isdigit() else t for t in pointer.strip("/").split("/")]
    node = report
    for token in parents:
        node = node[token]
    node[last] = value
    return report


@pytest.mark.parametrize("pointer, value, message, hint", [
    ("/filings", {"x": 1}, "expected a list, got a mapping",
     "write a JSON list, in brackets ([...]), even when it holds one item"),
    ("/filings/0/filer", [1], "expected a mapping of keys to values, got a list",
     'write a JSON object, in braces ({"key": value, ...})'),
    ("/filings/0/findings/0/rule_id", True, "expected text, got the boolean true",
     'write text in double quotes ("..."): true and false without them are booleans'),
    ("/filings/0/findings/0/rule_id", 4.1, "expected text, got the number 4.1",
     'write text in double quotes ("4.10"): without them it is a number, and trailing zeros are lost'),
    ("/filings/0/findings/0/line", "1,234", "expected a whole number or null, got the text '1,234'",
     "write the number alone, e.g. 1234, without separators, currency or words"),
    ("/filings/0/findings/0/line", "2.05e5", "expected a whole number or null, got the text '2.05e5'",
     "remove the quotes: 205000 written without quotes is a number"),
])
def test_a_json_baseline_off_the_report_schema_gets_json_hints(cli, tmp_path, baseline_of, pointer, value, message,
                                                                hint):
    """A baseline is a JSON report: the hints of its errors speak JSON (brackets, braces, double quotes),
    never YAML's `- ` items, `key: value` lines or its reading of yes and no."""
    report = json.loads(Path(baseline_of()).read_text(encoding="utf-8"))
    path = write(tmp_path / "report.json", json.dumps(damaged(report, pointer, value), indent=2))
    status, out, err = cli("check", IIJ, "--baseline", path)
    assert (status, out) == (2, "")
    assert err.endswith(f"error [wrong-type] at {pointer}: {message}\n  hint: {hint}\n")


def test_a_baseline_that_is_not_an_object_gets_a_json_hint(cli, tmp_path):
    status, out, err = cli("check", IIJ, "--baseline", write(tmp_path / "report.json", "[]\n"))
    assert (status, out) == (2, "")
    assert err.endswith("error [wrong-type] at /: expected a mapping of keys to values, got a list\n"
                        "  hint: the file must be a JSON object ({...}) at its top level\n")
