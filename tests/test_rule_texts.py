"""Rule texts as they read on the filings that showed them reading wrongly (issue 15, item 8): each case
is one of the rule's own examples, and the test holds the finding's page and text as a user sees them."""
from __future__ import annotations

import copy

from precomment.checking.examples import EXAMPLE_FILER, example_findings
from precomment.language.rulebook import load_rules
from precomment.sources.document import Document

RULES = {rule.id: rule for rule in load_rules().rules}


def findings_of(checker, rule_id: str, example_name: str):
    rule = RULES[rule_id]
    example = next(example for example in rule.examples if example.name == example_name)
    return example_findings(checker, rule, example)


def test_a_trend_in_the_filings_words_is_quoted_at_its_own_page(checker):
    """PC-5-003 once read "your discussion on page 54 of the We expect ..." under page 65, the section's."""
    [finding] = findings_of(checker, "PC-5-003", "a trend in the filing's words, on its own page")
    assert finding.page == "54"
    assert finding.comment.startswith(
        'We note your discussion on page 54 of "We expect the shift to cloud services to reduce hardware '
        'revenues over the next two years.". Please tell us whether you considered')
    assert finding.remedy == (
        'Discuss the reasonably likely future effect of the trend on page 54 ("We expect the shift to cloud services '
        'to reduce hardware revenues over the next two years.") on revenues, margins and liquidity, quantified '
        "where possible.")


def test_a_contact_the_filing_never_mentions_is_commented_on_as_silence(checker):
    """PC-4-007 once wrote "your reference on page [page not given]" for a country the filing is silent on."""
    [silent] = findings_of(checker, "PC-4-009", "sales into Iran through a distributor, not mentioned in the filing")
    assert silent.comment.startswith(
        "Your Form 20-F does not include disclosure about contacts with Iran, although we are aware of information "
        "indicating that you may have such contacts. Iran is designated")
    assert silent.page is None and "[page not given]" not in silent.comment
    assert findings_of(checker, "PC-4-007", "a contact the filing does not mention is PC-4-009's") == []
    [mentioned] = findings_of(checker, "PC-4-007", "sales into Iran through a distributor, mentioned in passing")
    assert mentioned.comment.startswith(
        "We note your reference on page 52 to contacts with Iran (CDN services resold by a distributor in Dubai).")


def test_working_capital_findings_carry_the_cash_flow_discussions_page(checker):
    """PC-5-004 once quoted the balance-sheet line's page (45 here) where the staff heads its comment with the
    cash flow discussion's (43); the comment names no page, so the two cannot disagree."""
    findings = findings_of(checker, "PC-5-004", "receivables up 25% then down 12%, no explanation")
    assert [(f.subject, f.page) for f in findings] == [("fiscal 2008", "43"), ("fiscal 2009", "43")]
    assert findings[0].comment.startswith(
        "Your discussion of cash flows does not appear to address changes in your balance sheet that materially "
        "affected your operating cash flows. For example, we note that accounts receivable changed by 25% from the "
        "end of fiscal 2007 (12,000,000) to the end of fiscal 2008 (15,000,000) and the reasons")
    assert not any("page" in f.comment for f in findings)


def test_without_the_cash_flow_page_a_working_capital_finding_has_the_liquidity_sections(checker):
    rule = RULES["PC-5-004"]
    example = next(e for e in rule.examples if e.name == "receivables up 25% then down 12%, no explanation")
    data = copy.deepcopy(dict(example.filing))
    del data["item5"]["liquidity"]["cash_flows_page"]
    data["filer"] = dict(EXAMPLE_FILER)
    findings = checker.rule_findings(rule, Document("draft.yaml", data, {}), "oracle")
    assert [(f.subject, f.page) for f in findings] == [("fiscal 2008", "41"), ("fiscal 2009", "41")]


def test_ads_of_cpos_are_asked_for_the_number_of_cpos(checker):
    """PC-9-001 once fired on every ADS of preferred shares or CPOs, whose ratio had no field."""
    [finding] = findings_of(checker, "PC-9-001", "ADSs of CPOs without the number of CPOs per ADS")
    assert finding.comment == (
        "We note your disclosure on page 98 regarding your American depositary shares, each representing CPOs "
        "(exchange: New York Stock Exchange). Please identify each stock exchange or other regulated market on which "
        "these securities are listed or traded and, for American depositary shares, state the number of CPOs that "
        "each ADS represents. Refer to Item 9.C of Form 20-F.")
    assert findings_of(checker, "PC-9-001", "ADSs of preferred shares and of CPOs, each with its own ratio") == []
