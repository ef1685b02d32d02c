"""The motivating case: the IIJ fiscal 2009 Form 20-F as the SEC staff's letter of 30 September 2009
describes it yields the letter's comments, and the amended description yields none."""
from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT, assert_engines_agree_in_any_order, golden
from precomment.resources import load_schema
from precomment.sources.load import load_file

LETTER = "iij-2009-09-30"

# (rule, subject, page the comment is anchored to, letter comment it predicts)
EXPECTED = [
    ("PC-4-001", "NTT Communications", "12", 1),
    ("PC-4-001", "KDDI", "12", 1),
    ("PC-4-001", "NTT East", "12", 1),
    ("PC-4-001", "NTT West", "12", 1),
    ("PC-4-001", "Cisco Systems", "12", 1),
    ("PC-4-002", "Cisco Systems", "12", 1),
    ("PC-4-001", "Juniper Networks", "12", 1),
    ("PC-4-002", "Juniper Networks", "12", 1),
    ("PC-4-003", "Property, Plants and Equipment", "26", 2),
    ("PC-4-005", "head office", "26", 2),
    ("PC-5-001", "number of network service contracts", "27", 3),
    ("PC-5-001", "revenue per network service contract", "27", 3),
    ("PC-5-001", "systems integration order backlog", "27", 3),
    ("PC-5-002", "fiscal 2008", "29", 4),   # equipment sales, no change entry
    ("PC-5-002", "fiscal 2009", "29", 4),   # equipment sales, explained without attribution
    ("PC-5-002", "fiscal 2008", "29", 4),   # systems integration revenues
    ("PC-5-002", "fiscal 2009", "29", 4),
    ("PC-5-003", "shift from equipment sales to systems construction services with a higher margin", "29", 5),
    ("PC-5-003", "weak Japanese economy affecting systems construction revenues", "29", 5),
    ("PC-5-004", "fiscal 2008", "43", 6),   # accounts receivable +25%
    ("PC-5-004", "fiscal 2009", "43", 6),   # accounts receivable -12%
    ("PC-6-001", "Koichi Suzuki", "50", 7),
    ("PC-6-001", "Akihisa Watai", "50", 7),
    ("PC-7-001", "Major Shareholders", "54", 8),
    ("PC-7-004", "Limitation of liability agreements with outside directors", "54", 9),
    ("PC-7-004", "Limitation of liability agreements with outside corporate auditors", "54", 9),
    ("PC-10-001", "Limitation of liability agreements with outside directors", "61", 10),
    ("PC-10-001", "Limitation of liability agreements with outside corporate auditors", "61", 10),
    ("PC-18-001", "connectivity services", "F-12", 11),
    ("PC-18-001", "outsourcing services", "F-12", 11),
    ("PC-18-002", "system construction contracts", "F-12", 12),
    ("PC-18-004", "telephone rights", "F-22", 13),
    ("PC-18-004", "trademarks", "F-22", 13),
    ("PC-18-005", "customer relationships", "F-22", 13),
    ("PC-18-006", "fiscal 2007", "F-27", 14),
    ("PC-18-006", "fiscal 2008", "F-27", 14),
    ("PC-18-006", "fiscal 2009", "F-27", 14),
    ("PC-18-007", "other change in valuation allowance", "F-29", 14),  # its own page in the note (from F-27), as its comment cites
    ("PC-18-008", "other investments", "F-41", 15),
    ("PC-18-009", "investments in funds of unlisted stocks", "F-41", 15),
    ("PC-19-001", "NTT Communications", "77", 16),
    ("PC-19-001", "KDDI", "77", 16),
    ("PC-19-001", "NTT East", "77", 16),
    ("PC-19-001", "NTT West", "77", 16),
    ("PC-19-003", "head office", "77", 2),
]


def letter_comments(finding) -> list[int]:
    return [p.comment for p in finding.precedents if p.letter == LETTER]


@pytest.mark.parametrize("engine", ["durable", "oracle"])
def test_iij_findings_are_the_letters_comments(checker, engine):
    findings = checker.findings(load_file(ROOT / IIJ), engine)
    assert [(f.rule_id, f.subject, f.page, *letter_comments(f)) for f in findings] == EXPECTED


def test_every_iij_finding_traces_to_the_letter_and_covers_all_sixteen_comments(cli):
    code, out, err = cli("check", IIJ, "--format", "json")
    assert (code, err) == (1, "")
    findings = json.loads(out)["filings"][0]["findings"]
    comments = [[p["comment"] for p in f["precedents"] if p["letter"] == LETTER] for f in findings]
    untraced = [(f["rule_id"], f["subject"]) for f, c in zip(findings, comments) if not c]
    assert untraced == [], "every finding on the IIJ filing names the letter comment it predicts"
    assert {n for c in comments for n in c} == set(range(1, 17))


def test_amended_iij_json_report_has_no_findings(cli):
    code, out, err = cli("check", IIJ_AMENDED, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["filings"][0]["findings"] == []
    assert report["summary"]["findings"] == 0


def test_iij_comment_text_is_filled_from_the_filing(checker):
    findings = {(f.rule_id, f.subject): f for f in checker.findings(load_file(ROOT / IIJ))}
    assert findings[("PC-6-001", "Koichi Suzuki")].comment == (
        "In future filings please include here the percentage of shares outstanding, in addition to the "
        "number of shares, for directors, senior management and employees, including Koichi Suzuki "
        "(12,000 shares). Refer to Item 6.E.1 of Form 20-F.")
    nttc = findings[("PC-19-001", "NTT Communications")]
    assert nttc.comment.startswith(
        'We note from your disclosure under the risk factor subcaption "We rely greatly on other '
        'telecommunications carriers and other suppliers, and could be affected by disruptions" on page 11 '
        "that you rely on NTT Communications for network backbone.")
    assert (nttc.source, nttc.line, nttc.column, nttc.pointer) == (
        str(ROOT / IIJ), 33, 11, "/item3/risk_factors/1/dependencies/0")
    receivables = [f.comment for f in findings.values() if f.rule_id == "PC-5-004"]
    assert [c[c.index("accounts receivable"):c.index(" and the reasons")] for c in receivables] == [
        "accounts receivable changed by 25% from the end of fiscal 2007 (¥12,000,000 thousand) to the end of fiscal "
        "2008 (¥15,000,000 thousand)",
        "accounts receivable changed by -12% from the end of fiscal 2008 (¥15,000,000 thousand) to the end of fiscal "
        "2009 (¥13,200,000 thousand)"]
    assert findings[("PC-18-008", "other investments")].comment == (
        'We note on page F-41 that the company\'s "other investments" portfolio of ¥1,914,594 thousand is comprised, '
        "in part, of the 3 components you describe, which total ¥1,472,534 thousand. Please tell us what the "
        "remaining ¥442,060 thousand of this portfolio represents, how it is measured, and whether it is included in "
        "your fair value disclosures.")


@pytest.mark.parametrize("engine", ["durable", "oracle"])
def test_amended_iij_has_no_findings(checker, engine):
    assert checker.findings(load_file(ROOT / IIJ_AMENDED), engine) == []


@pytest.mark.parametrize("filing", [IIJ, IIJ_AMENDED])
def test_engines_agree_on_bundled_filings_in_any_order(checker, filing):
    assert_engines_agree_in_any_order(checker, filing, seeds=40)


def test_table_report(cli):
    code, out, err = cli("check", IIJ)
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.table.txt", out)
    assert out.splitlines()[-1] == (
        "45 findings in 1 filing (14 error, 31 warning, 0 info); 165 rules not assessed. "
        "Gate --fail-on error: FAILED by 14 findings at or above error.")


def test_json_report_is_valid_and_stable(cli):
    code, out, err = cli("check", IIJ, "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    jsonschema.Draft202012Validator(load_schema("report.schema.json")).validate(report)
    assert out == golden("iij-fy2009-20f.json", out)
    assert report["summary"] == {"filings": 1, "findings": 45, "by_severity": {"error": 14, "warning": 31, "info": 0},
                                 "waived": 0, "baseline": None,
                                 "coverage": {"fired": 22, "passed": 40, "not-applicable": 185, "not-assessed": 165,
                                              "unaccounted": {}}}
    first = report["filings"][0]["findings"][0]
    assert first["precedents"] == [{"letter": LETTER, "comment": 1}]
    assert first["matched"] == {"dependency": "/item3/risk_factors/1/dependencies/0"}


def test_amended_table_report(cli):
    code, out, err = cli("check", IIJ_AMENDED)
    assert (code, err) == (0, "")
    assert out.startswith(
        "filings/iij-fy2009-20f-amended.yaml: Internet Initiative Japan Inc., Form 20-F/A, fiscal year ended 2009-03-31\n"
        "\n"
        "No findings, but 164 rules could not assess this filing (see Coverage).\n"
        "\n"
        "Coverage: 0 rules fired, 63 passed, 185 not applicable, 164 NOT ASSESSED.\n")
    assert out.endswith("\n\n0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. "
                        "Gate --fail-on error: passed.\n")
