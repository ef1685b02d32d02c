"""The Markdown and CSV reports: exact output, escaping of hostile filing text, waivers and baselines."""
from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import IIJ, IIJ_AMENDED, golden, run_process
from precomment.reports.formats.csv_rows import COLUMNS
from precomment.reports.text import csv_cell

WAIVERS = "tests/data/iij-waivers.yaml"
HOSTILE = "tests/data/hostile-20f.yaml"
TODAY = ("--today", "2009-09-30")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # GFM: a pipe not backslash-escaped ends a cell


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _table_rows(markdown: str) -> list[list[str]]:
    """The cells of every table row, split as GitHub splits them."""
    return [[cell.strip() for cell in _CELL_SEPARATOR.split(line)[1:-1]]
            for line in markdown.splitlines() if line.startswith("| ")]


def test_iij_markdown_golden(cli):
    code, out, err = cli("check", IIJ, "--waivers", WAIVERS, *TODAY, "--format", "markdown")
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.md", out)


def test_iij_csv_golden(cli):
    code, out, err = cli("check", IIJ, "--waivers", WAIVERS, *TODAY, "--format", "csv")
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.csv", out)
    assert "\r" not in out  # rows end with \n (see csv_rows.py)


def test_markdown_summary_and_gate_come_first(cli):
    _, out, _ = cli("check", IIJ, "--waivers", WAIVERS, *TODAY, "--format", "markdown")
    assert out.split("\n\n")[:3] == [
        "# precomment report",
        "**Gate failed.** 45 findings in 1 filing \\(14 error, 31 warning, 0 info\\), 2 waived; 165 rules not "
        "assessed. Gate --fail-on error: FAILED by 13 findings at or above error.",
        "| Severity | Findings | Waived | Failing the gate |\n| --- | ---: | ---: | ---: |\n| error | 14 | 1 | 13 |\n"
        "| warning | 31 | 1 | 0 |\n| info | 0 | 0 | 0 |\n| **total** | 45 | 2 | 13 |"]


def test_markdown_escapes_hostile_text_and_keeps_every_table_row_whole(cli):
    code, out, _ = cli("check", HOSTILE, *TODAY, "--format", "markdown")
    assert code == 1
    assert "## tests/data/hostile-20f.yaml: Initiative \\<script\\>document.title='PWNED';document.body.innerHTML=" \
           "'PWNED'\\</script\\> &amp; Co. \\*\\*Ltd\\*\\* \\| x, Form 20-F, fiscal year ended 2009-03-31" in out
    koichi = next(row for row in _table_rows(out) if row[0] == "PC-6-001" and "Koichi" in row[4])
    assert koichi[4] == ("Koichi \\\\u001b\\[31mRED\\\\u001b\\[0m \\\\u202eevil\\\\u202c \\[link\\]\\(javascript:alert"
                         "\\(1\\)\\) \\`code\\` \\# heading")
    rows = _table_rows(out)
    finding_rows = [row for row in _table_rows(out.split("### Coverage")[0]) if len(row) == 7]
    assert out.count("\n### Item ") == 7  # Items 4, 5, 6, 7, 10, 18 and 19
    assert len(finding_rows) == 2 * 7 + 45  # a header and an alignment row per table, and the 45 findings
    assert all(len(row) in (3, 4, 7) for row in rows)  # no pipe from the filing split a cell
    assert not re.search(r"(?<!\\)<", out)  # no raw markup: every < is escaped
    assert not re.search(r"[\x1b\u202a-\u202e]", out)


def test_markdown_and_csv_show_fixed_and_new_findings_against_a_baseline(cli, tmp_path):
    before = tmp_path / "before.json"
    cli("check", IIJ, *TODAY, "--format", "json", "--output", str(before))
    code, out, _ = cli("check", IIJ_AMENDED, *TODAY, "--baseline", str(before), "--format", "markdown")
    assert code == 0
    assert "### Fixed since the baseline (45)\n\n| Rule | Item | Subject | Pointer |\n| --- | --- | --- | --- |\n" \
           "| PC-4-001 | 4.B | NTT Communications | /item3/risk\\_factors/1/dependencies/0 |" in out
    _, out, _ = cli("check", IIJ_AMENDED, *TODAY, "--baseline", str(before), "--format", "csv")
    rows = _rows(out)
    assert {row["status"] for row in rows} == {"fixed"} and len(rows) == 45
    assert rows[0]["source"] == IIJ_AMENDED
    clean = tmp_path / "clean.json"
    cli("check", IIJ_AMENDED, *TODAY, "--format", "json", "--output", str(clean))
    _, out, _ = cli("check", IIJ, *TODAY, "--waivers", WAIVERS, "--baseline", str(clean), "--format", "csv")
    assert sorted({row["status"] for row in _rows(out)}) == ["new", "waived, new"]


def test_csv_has_one_row_per_finding_with_waivers_and_authorities(cli):
    _, out, _ = cli("check", IIJ, "--waivers", WAIVERS, *TODAY, "--format", "csv")
    reader = csv.reader(io.StringIO(out))
    assert tuple(next(reader)) == COLUMNS
    rows = _rows(out)
    assert len(rows) == 45
    assert [row["status"] for row in rows].count("open") == 43
    waived = [row for row in rows if row["status"] == "waived"]
    assert [(r["rule_id"], r["subject"], r["waiver_owner"], r["waiver_expires"]) for r in waived] == [
        ("PC-4-002", "Cisco Systems", "IR team (legal@iij.example)", "2010-03-31"),
        ("PC-19-003", "head office", "Controller", "2010-06-30")]
    assert waived[1]["waiver_reason"] == ("The head office lease is a standard form lease on market terms; counsel "
                                          "judged it not material.")
    first = rows[0]
    assert (first["line"], first["column"], first["pointer"]) == ("33", "11", "/item3/risk_factors/1/dependencies/0")
    assert first["authorities"] == (
        "Form 20-F, Part I, Item 4.B.6 (extent of dependence on patents or licences, industrial, commercial or financial "
        "contracts, and new manufacturing processes); Form 20-F, Instructions as to Exhibits, paragraph 4(b)(ii)")


def test_csv_says_in_a_row_that_a_filing_was_not_checked(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("filer: {name: X\n", encoding="utf-8")
    code, out, err = cli("check", str(broken), IIJ_AMENDED, "--format", "csv")
    assert code == 2 and "yaml-syntax" in err
    [row] = _rows(out)  # the amended filing has no finding: no row
    assert {key: value for key, value in row.items() if value} == {
        "source": str(broken), "comment": "not checked: 1 input error (reported on standard error)",
        "status": "not checked"}
    _, table, _ = cli("check", str(broken), "--format", "table")
    assert f"{broken}: not checked: 1 input error (reported on standard error)" in table  # as the table says it


def test_csv_defuses_formulas_from_a_hostile_filing(cli):
    _, out, _ = cli("check", HOSTILE, *TODAY, "--format", "csv")
    rows = _rows(out)
    hyperlink = next(row for row in rows if "HYPERLINK" in row["subject"])
    assert hyperlink["subject"] == "'=HYPERLINK(\"http://evil.example\",\"contracts\") <img src=x onerror=alert(1)>"
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    assert "\x1b" not in out and "\\u001b[31mRED" in out


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-607,917", "'-607,917"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "\\u000d=1"), ("a=1", "a=1"), ("", ""), ("\x1b[31m", "\\u001b[31m"),
])
def test_csv_cell(text: str, expected: str):
    assert csv_cell(text) == expected


def test_markdown_and_csv_are_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("0", "4242"):
        md, rows = tmp_path / f"{seed}.md", tmp_path / f"{seed}.csv"
        run_process("check", IIJ, "--waivers", WAIVERS, *TODAY, "--format", "markdown", "--output", str(md),
                    "--format", "csv", "--output", str(rows), env={"PYTHONHASHSEED": seed})
        outputs.append((md.read_bytes(), rows.read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].startswith(b"source,rule_id,severity,") and b"\r" not in outputs[0][1]
