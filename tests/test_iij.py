"""The motivating case: the IIJ fiscal 2009 Form 20-F as the SEC staff's letter of 30 September 2009
describes it yields the letter's comments, and the amended description yields none."""
from __future__ import annotations

import json
import random

import jsonschema
import pytest

from conftest import IIJ, IIJ_AMENDED, ROOT, golden
from precomment.load import load_file
from precomment.resources import load_schema

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
    ("PC-6-001", "Koichi Suzuki", "50", 7),
    ("PC-6-001", "Akihisa Watai", "50", 7),
    ("PC-7-001", "Major Shareholders", "54", 8),
    ("PC-7-004", "Limitation of liability agreements with outside directors", "54", 9),
    ("PC-7-004", "Limitation of liability agreements with outside corporate auditors", "54", 9),
    ("PC-10-001", "Limitation of liability agreements with outside directors", "61", 10),
    ("PC-10-001", "Limitation of liability agreements with outside corporate auditors", "61", 10),
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


def test_iij_findings_cover_comments_1_2_7_8_9_10_16(checker):
    findings = checker.findings(load_file(ROOT / IIJ))
    covered = {comment for f in findings for comment in letter_comments(f)}
    assert covered == {1, 2, 7, 8, 9, 10, 16}
    assert all(letter_comments(f) for f in findings), "every finding carries its precedent"


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


@pytest.mark.parametrize("engine", ["durable", "oracle"])
def test_amended_iij_has_no_findings(checker, engine):
    assert checker.findings(load_file(ROOT / IIJ_AMENDED), engine) == []


@pytest.mark.parametrize("filing", [IIJ, IIJ_AMENDED])
def test_engines_agree_on_bundled_filings_in_any_order(checker, filing):
    facts = checker.facts(load_file(ROOT / filing)).facts
    expected = checker.matches(facts, "oracle")
    assert checker.matches(facts, "durable") == expected
    for seed in range(40):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert checker.matches(shuffled, "durable") == expected, f"shuffle seed {seed}"


def test_table_report(cli):
    code, out, err = cli("check", IIJ)
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.table.txt", out)
    assert out.splitlines()[-1] == (
        "22 findings in 1 filing (13 error, 9 warning, 0 info). "
        "Gate --fail-on error: FAILED by 13 findings at or above error.")


def test_json_report_is_valid_and_stable(cli):
    code, out, err = cli("check", IIJ, "--format", "json")
    assert (code, err) == (1, "")
    report = json.loads(out)
    jsonschema.Draft202012Validator(load_schema("report.schema.json")).validate(report)
    assert out == golden("iij-fy2009-20f.json", out)
    assert report["summary"] == {"filings": 1, "findings": 22, "by_severity": {"error": 13, "warning": 9, "info": 0}}
    first = report["filings"][0]["findings"][0]
    assert first["precedents"] == [{"letter": LETTER, "comment": 1}]
    assert first["matched"] == {"dependency": "/item3/risk_factors/1/dependencies/0"}


def test_amended_table_report(cli):
    code, out, err = cli("check", IIJ_AMENDED)
    assert (code, err) == (0, "")
    assert out == (
        "filings/iij-fy2009-20f-amended.yaml: Internet Initiative Japan Inc., Form 20-F/A, fiscal year ended 2009-03-31\n"
        "\n"
        "No findings.\n"
        "\n"
        "0 findings in 1 filing (0 error, 0 warning, 0 info). Gate --fail-on error: passed.\n")
