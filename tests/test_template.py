"""Comment and remedy templates (engine/language/template.py): what a finding's text reads like, and what a
rule author is told about a malformed template. End to end through `check` where the author would see it,
and directly for the edge cases of filling placeholders and formatting values."""
from __future__ import annotations

import json

import pytest
from conftest import runner_in
from precomment.language.template import (
    Placeholder,
    TemplateError,
    format_value,
    parse,
    render,
    resolve_in,
)

RULE = """\
id: PC-6-902
name: template-test
title: A rule whose texts use each kind of placeholder
form_item: "6.E"
severity: warning
authorities: [{{cite: "Form 20-F, Item 6.E.1"}}]
precedents: []
when:
  - fact: share_owner
    as: holder
    where:
      shares: {{gt: 0}}
subject: holder
comment: >
  {comment}
remedy: Add the percentage for {{holder.label}}.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{{name: f, findings: [A], filing: {{item6: {{share_ownership: {{holders: [{{name: A, role: director, shares: 1200}}]}}}}}}}}]
  pass: [{{name: p, filing: {{}}}}]
"""
FILING = """\
filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}
item6:
  share_ownership:
    holders:
      - {name: Jane Roe, role: director, shares: 1234567}
"""


@pytest.fixture
def check_with(tmp_path, monkeypatch, capsys):
    """`check` of a one-holder filing against one rule whose comment is the template given: (exit code,
    the findings' comment and remedy texts, standard error)."""
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "filing.yaml").write_text(FILING, encoding="utf-8")

    def check(comment: str) -> tuple[int, list[tuple[str, str]], str]:
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "rules" / "rule.yaml").write_text(RULE.format(comment=comment), encoding="utf-8")
        code, out, err = run("check", "filing.yaml", "--no-builtin-rules", "--rules", "rules", "--no-config",
                             "--no-cache", "--format", "json", "--allow-incomplete")
        findings = json.loads(out)["filings"][0]["findings"] if out else []
        return code, [(finding["comment"], finding["remedy"]) for finding in findings], err
    return check


def test_a_finding_reads_its_placeholders_filled_braces_doubled_and_lines_folded(check_with):
    code, texts, err = check_with("Please state the {{percentage}} held by {holder.name}\n"
                                  "  ({holder.shares} shares; percent: {holder.percent_of_class|none given}),\n"
                                  "  on {holder.page}.")
    assert (code, err) == (0, "")
    assert texts == [(("Please state the {percentage} held by Jane Roe (1,234,567 shares; percent: none given), "
                      "on [page not given]."), "Add the percentage for Jane Roe.")]


@pytest.mark.parametrize("comment, at, message", [
    ("Please disclose the {holder.name. share", 21, "unmatched '{'; write {{ for a literal brace"),
    ("Please disclose holder.name} in the table.", 28, "unmatched '}'; write }} for a literal brace"),
    ("Please disclose the holding of {holder}.", 32, "placeholder {holder} must be alias.field, e.g. {holder.name}"),
    ("Please disclose the holding of {Holder.Name}.", 32,
     "placeholder {Holder.Name} must be alias.field, e.g. {holder.name}"),
    ("Please disclose the holding of {}.", 32, "placeholder {} must be alias.field, e.g. {holder.name}"),
])
def test_a_malformed_template_is_refused_where_the_rule_loads(check_with, comment, at, message):
    """The character is counted in the text as YAML reads it, 1-based, so the author can find it."""
    code, texts, err = check_with(comment)
    assert (code, texts) == (2, [])
    assert err == f"rules/rule.yaml:14:10: error [bad-placeholder] at /comment: {message} (at character {at})\n"


def test_parse_splits_literal_text_from_placeholders():
    assert parse("{{Item}} {x.parent.caption|the table}, page {x.page}") == [
        "{", "Item", "}", " ", Placeholder("x", ("parent", "caption"), "the table", 9), ", page ",
        Placeholder("x", ("page",), None, 44)]
    assert parse("") == []
    assert parse("{ x.name }") == [Placeholder("x", ("name",), None, 0)]  # spaces inside the braces are allowed


def test_a_template_error_says_where():
    with pytest.raises(TemplateError) as caught:
        parse("ok {x.name} then } here")
    assert (str(caught.value), caught.value.offset) == ("unmatched '}'; write }} for a literal brace", 17)


@pytest.mark.parametrize("template, expected", [
    ("{x.name}", "[not disclosed]"),           # a missing field, without a fallback
    ("page {x.page}", "page [page not given]"),  # a missing page says so
    ("{x.name|the holder}", "the holder"),      # the fallback, as written
    ("{x.name|}", ""),                          # an empty fallback: nothing at all
    ("a {x.name|}  b", "a b"),                  # ... and the spaces around it fold into one
])
def test_a_missing_value_reads_as_its_fallback_or_says_it_is_missing(template, expected):
    assert render(parse(template), lambda placeholder: None) == expected


@pytest.mark.parametrize("value, kind, expected", [
    (None, None, "[not disclosed]"),
    (607917, None, "607,917"),
    (-1500, None, "-1,500"),
    (2009, "year", "2009"),           # a year is no amount: no thousands separator
    (24.0, None, "24"),
    (24.39, None, "24.39"),
    (0.125, None, "0.12"),            # two decimals at most, rounded half to even
    (1234.5, None, "1,234.5"),        # trailing zeros dropped
    (True, None, "yes"),
    (False, None, "no"),
    (["director", "officer"], None, "director, officer"),
    ((1000, 2.5), None, "1,000, 2.5"),
    ("Tokyo", None, "Tokyo"),
])
def test_values_read_as_the_staff_writes_them(value, kind, expected):
    assert format_value(value, kind) == expected


def test_a_resolver_climbs_to_parents_and_reads_labels_pages_params_and_derived_values():
    by_id = {"t1": {"_type": "table", "caption": "Share Ownership", "_page": "50"}}
    holder = {"_type": "holder", "_parent": "t1", "shares": 1200, "derived__ratio": 0.5, "year": 2009}
    resolve = resolve_in({"x": holder}, by_id, {"threshold": 5000}, labeller=lambda fact: "Jane Roe",
                         kind_of=lambda fact_type, key: "year" if key == "year" else None)
    template = ("{x.label}: {x.shares} shares ({x.derived.ratio}) in {x.year}; "
                "{x.parent.caption}, page {x.parent.page}; over {param.threshold}; {x.parent.parent.caption}; "
                "{param.missing|no limit}")
    assert render(parse(template), resolve) == ("Jane Roe: 1,200 shares (0.5) in 2009; Share Ownership, page 50; "
                                                "over 5,000; [not disclosed]; no limit")
