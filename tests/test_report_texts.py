"""What the reports say must be true of the filing (issue 15, item 8): amounts with their currency and unit,
the page of the item a comment is about, the financial statements item the filer reports under, and a draft
asked to be revised rather than promised future filings. Each through `check`, as the user reads it."""
from __future__ import annotations

import json

import pytest
from conftest import FILINGS, runner_in
from precomment.language.template import Money, format_value

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
