"""The bundled first drafts demonstrate the rules, the corrected drafts answer them: every rule fires on at least
one first draft (IIJ's 2009 report, Lanternfish for US GAAP and the post-2009 items, Brightwater for IFRS,
Harbourline for a bank in fiscal 2025, Zeeland for a home-country GAAP oil and gas producer; the rules that read
only the document, on Lanternfish's first draft as a document, filings/documents/) unless listed below with why
it cannot, and no rule fires on a corrected draft, on either evaluator."""
from __future__ import annotations

import pytest
from conftest import ROOT, assert_engines_agree_in_any_order
from precomment.extraction.inputs import read_filing

FIRST_DRAFTS = ("filings/iij-fy2009-20f.yaml", "filings/lanternfish-fy2024-20f.yaml", "filings/brightwater-fy2024-20f.yaml",
                "filings/harbourline-fy2025-20f.yaml", "filings/zeeland-fy2024-20f.yaml")
CORRECTED = ("filings/iij-fy2009-20f-amended.yaml", "filings/lanternfish-fy2024-20f-corrected.yaml",
             "filings/brightwater-fy2024-20f-corrected.yaml", "filings/harbourline-fy2025-20f-corrected.yaml",
             "filings/zeeland-fy2024-20f-corrected.yaml", "filings/documents/lanternfish-fy2024-20f-corrected.htm")
FIRST_DOCUMENTS = ("filings/documents/lanternfish-fy2024-20f.htm",)  # each read with its answers file beside it
NOT_DEMONSTRATED = {
    "PC-3-006": "no China-based issuer section contradicts Lanternfish's, which draws PC-3-002 to PC-3-005",
    "PC-17-003": "Zeeland, the home-GAAP draft, has the one reconciliation a filing holds, as PC-17-004/005/390/392 need",
    "PC-17-391": "needs an IAS 7 or US GAAP cash flow statement; Zeeland's is on the Dutch GAAP basis, as PC-17-390 needs",
    "PC-18-390": "needs a US GAAP filer with two reportable segments; Lanternfish and Harbourline report one, on which it passes",
    "PC-18-163": "needs an IFRS filer reporting one segment; Brightwater reports two, which its other segment rules need",
}


@pytest.fixture(scope="module")
def fired(checker) -> set[str]:
    return {f.rule_id for path in FIRST_DRAFTS + FIRST_DOCUMENTS for f in checker.findings(read_filing(str(ROOT / path)))}


def test_every_rule_fires_on_a_first_draft_or_says_why_not(ruleset, fired):
    silent = {rule.id for rule in ruleset.rules} - fired
    assert sorted(silent - set(NOT_DEMONSTRATED)) == [], "fires on no bundled first draft: extend one, or list it here with why"
    assert sorted(set(NOT_DEMONSTRATED) & fired) == [], "now demonstrated: remove from NOT_DEMONSTRATED"


@pytest.mark.parametrize("engine", ["durable", "oracle"])
@pytest.mark.parametrize("path", CORRECTED)
def test_no_rule_fires_on_a_corrected_draft(checker, path, engine):
    assert [f"{f.rule_id} {f.subject}" for f in checker.findings(read_filing(str(ROOT / path)), engine)] == []


@pytest.mark.parametrize("path", ["filings/brightwater-fy2024-20f.yaml", "filings/brightwater-fy2024-20f-corrected.yaml"])
def test_engines_agree_on_the_ifrs_drafts_in_any_order(checker, path):
    assert_engines_agree_in_any_order(checker, path, seeds=5)
