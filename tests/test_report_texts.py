"""What the reports say must be true of the filing (issue 15, item 8): amounts with their currency and unit,
the page of the item a comment is about, the financial statements item the filer reports under, and a draft
asked to be revised rather than promised future filings. Each through `check`, as the user reads it."""
from __future__ import annotations

import json
import re

import pytest
from conftest import FILINGS, runner_in
from precomment.language.template import Money, format_value
from precomment.reports.drafts import draft_text

IIJ_TEXT = (FILINGS / "iij-fy2009-20f.yaml").read_text(encoding="utf-8")


@pytest.fixture
def check_iij(tmp_path, monkeypatch, capsys):
    """`check --format json` of the IIJ filing with its text changed by `edit`: {rule id: [comments]}."""
    run = runner_in(tmp_path, monkeypatch, capsys)

    def check(edit=lambda text: text, *options: str) -> dict[str, list[str]]:
        (tmp_path / "filing.yaml").write_text(edit(IIJ_TEXT), encoding="utf-8")
        code, out, err = run("check", "filing.yaml", "--no-config", "--format", "json", *options)
        assert code in (0, 1), err
        comments: dict[str, list[str]] = {}
        for finding in json.loads(out)["filings"][0]["findings"]:
            comments.setdefault(finding["rule_id"], []).append(finding["comment"])
        return comments
    return check


def test_an_amount_reads_with_the_currency_and_unit_of_the_filer_block(check_iij):
    comments = check_iij()
    assert comments["PC-18-006"][0].startswith(
        "We note that the company's valuation allowance for deferred tax assets changed by -¥607,917 thousand "
        "in fiscal 2007 (page F-27).")
    # a value derived from amounts (the portfolio's total less its components) is an amount too
    assert "the remaining ¥442,060 thousand of this portfolio" in comments["PC-18-008"][0]


def test_without_a_currency_an_amount_is_the_number_as_written(check_iij):
    comments = check_iij(lambda text: text.replace("  reporting_currency: JPY\n", ""))
    assert "changed by -607,917 in fiscal 2007 (page F-27)." in comments["PC-18-006"][0]


@pytest.mark.parametrize("value, money, expected", [
    (607917, Money("JPY", "thousands"), "¥607,917 thousand"),
    (-41200, Money("JPY", "thousands"), "-¥41,200 thousand"),
    (1.5, Money("USD", "millions"), "$1.5 million"),
    (215600, Money("CNY", "thousands"), "RMB215,600 thousand"),
    (1200, Money("CHF", "units"), "CHF 1,200"),     # a code without a sign the staff use: the code and a space
    (1200, Money("EUR", None), "€1,200"),           # no unit given: the amount as written
    (-41200, Money(None, "thousands"), "-41,200"),  # no currency: nothing added, not even the unit
])
def test_an_amount_says_its_currency_and_unit_as_the_staff_write_them(value, money, expected):
    assert format_value(value, "amount", money) == expected


def test_a_number_that_is_no_amount_takes_no_currency():
    assert format_value(2009, "year", Money("JPY", "thousands")) == "2009"
    assert format_value(12000, "integer", Money("JPY", "thousands")) == "12,000"


LANTERNFISH_TEXT = (FILINGS / "lanternfish-fy2024-20f.yaml").read_text(encoding="utf-8")


@pytest.fixture
def check_lanternfish(tmp_path, monkeypatch, capsys):
    """`check` of the Lanternfish draft with its text changed by `edit`, in the format given: the output."""
    run = runner_in(tmp_path, monkeypatch, capsys)

    def check(edit=lambda text: text, format: str = "json") -> str:
        (tmp_path / "filing.yaml").write_text(edit(LANTERNFISH_TEXT), encoding="utf-8")
        code, out, err = run("check", "filing.yaml", "--no-config", "--format", format)
        assert code == 1, err
        return out
    return check


def _findings(out: str, rule_id: str) -> list[dict[str, object]]:
    return [f for f in json.loads(out)["filings"][0]["findings"] if f["rule_id"] == rule_id]


def test_a_finding_is_on_the_page_its_comment_cites_when_that_page_is_in_the_section(check_lanternfish):
    # the second estimate is printed on page 102 of the critical accounting estimates (from page 101)
    estimates = _findings(check_lanternfish(), "PC-5-013")
    assert [(f["page"], "on page 102" in str(f["comment"])) for f in estimates] == [("101", False), ("102", True)]
    letter = check_lanternfish(format="letter")
    assert "\nCritical Accounting Estimates, pages 101 and 102\n" in letter


def test_a_page_of_another_item_is_never_the_page_of_a_finding(check_lanternfish):
    # the letter of the former accountant is asked for under Item 16F, whose section is on page 134; the
    # exhibit index the rule anchors to is on page 180, Item 19's
    [letter_request] = _findings(check_lanternfish(), "PC-16F-002")
    assert letter_request["page"] == "134"
    # a risk factor on page 58 behind a comment on Item 16G: the comment cites it, the finding is on 16G's page
    practices = _findings(check_lanternfish(), "PC-16G-001")
    assert [f["page"] for f in practices] == ["135", "135"]
    assert "in the risk factors on page 58 that" in str(practices[0]["comment"])


def test_an_element_discussed_in_another_item_does_not_take_the_page_of_the_section_it_is_listed_under(
        check_lanternfish):
    out = check_lanternfish(lambda text: text.replace(
        "      mentioned_in: Item 6.B, Compensation\n      page: 109\n", "      mentioned_in: Item 6.B, Compensation\n"))
    comments = [str(f["comment"]) for f in _findings(out, "PC-16G-001")]
    assert "in Item 6.B, Compensation on page [page not given] that" in comments[1]
    assert "page 135" not in comments[1]


IFRS_FILING = """\
filer: {name: Example Filer plc, form: 20-F, fiscal_year_end: 2024-12-31, basis_of_accounting: IFRS}
financial_statements:
  basis_of_preparation: {page: F-9, framework_stated: ifrs_eu, statement_explicit_and_unreserved: true,
                         auditor_opines_on_iasb_compliance: false}
"""


@pytest.mark.parametrize("format, shown, hidden", [
    ("letter", "\nItem 18. Financial Statements\n\nBasis of Preparation, page F-9\n", "Item 17."),
    ("table", "\nItem 18. Financial Statements\n", "Item 17."),
    ("csv", "PC-17-001,error,18,F-9,", ",17,"),
])
def test_an_ifrs_filer_s_financial_statements_findings_are_under_item_18(tmp_path, monkeypatch, capsys, format,
                                                                          shown, hidden):
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "filing.yaml").write_text(IFRS_FILING, encoding="utf-8")
    code, out, err = run("check", "filing.yaml", "--no-config", "--format", format)
    assert code == 1, err
    assert shown in out
    assert hidden not in out.replace("Items 17 and 18", "")  # the comment's own reference to the two items


@pytest.mark.parametrize("filing_date, today, drafted", [
    ("2009-09-29", "2009-09-30", False),  # filed the day before: the staff's words, for future filings
    ("2009-09-29", "2009-09-29", False),  # filed that day
    ("2009-10-15", "2009-09-30", True),   # to be filed: a draft
    (None, "2009-09-30", True),           # no filing date: a draft
])
def test_a_draft_is_asked_to_be_revised_not_promised_future_filings(check_iij, filing_date, today, drafted):
    def edit(text: str) -> str:
        dated = f"  filing_date: {filing_date}\n" if filing_date else ""
        return re.sub(r"  filing_date: 2009-09-29[^\n]*\n", dated, text)
    [comment, _] = check_iij(edit, "--today", today)["PC-6-001"]
    expected = ("Please revise your draft to include here the percentage of shares outstanding" if drafted
                else "In future filings please include here the percentage of shares outstanding")
    assert comment.startswith(expected)


@pytest.mark.parametrize("written, asked", [
    ("In future filings please include here the percentage.", "Please revise your draft to include here the percentage."),
    ("In future filings, please revise to disclose the fees.", "Please revise your draft to disclose the fees."),
    ("Please expand your disclosure in future filings to describe it.", "Please revise your draft to describe it."),
    ("Please confirm that you will disclose it in future filings.", "Please confirm that you will disclose it in your draft."),
    ("Please amend your filing to include the attestation report.", "Please revise your draft to include the attestation report."),
    ("Please revise to disclose the fees.", "Please revise to disclose the fees."),  # nothing to reword
    ("the comments of 2024-03-01 remained unresolved when you filed it. Please disclose",
     "the comments of 2024-03-01 remain unresolved as you prepare it. Please disclose"),
    ("We note that you filed the Carrier Agreement as Exhibit 4.1 to the Form 20-F.",
     "We note that you file the Carrier Agreement as Exhibit 4.1 to the Form 20-F."),
    ("Please tell us whether you filed the notice required by Section 13(r)(3)",
     "Please tell us whether you will file the notice required by Section 13(r)(3)"),
])
def test_the_phrases_of_a_filed_report_as_a_draft_is_asked_them(written, asked):
    assert draft_text(written) == asked


def test_the_letter_of_a_draft_says_when_it_is_to_be_filed_not_that_it_was(cli, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text("format_version: 1\nfiler: {name: Draft Co. Ltd., form: 20-F, fiscal_year_end: 2025-12-31, "
                     "filing_date: 2026-12-20}\n", encoding="utf-8")
    for name in ("letter", "response"):
        _, out, _ = cli("check", str(draft), "--format", name, "--today", "2026-12-06", "--allow-incomplete")
        assert "\n    To be filed December 20, 2026\n" in out and "Filed December" not in out
        _, out, _ = cli("check", str(draft), "--format", name, "--today", "2026-12-21", "--allow-incomplete")
        assert "\n    Filed December 20, 2026\n" in out
