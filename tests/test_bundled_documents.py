"""The bundled filing documents (filings/documents/, built by tests/bundled_documents.py from the bundled
Lanternfish descriptions): each is current, and checking it with its answers file amounts to checking the
description it was drawn from, plus what only the document can show."""
from __future__ import annotations

import pytest
from bundled_documents import DOCUMENTS, DRAFTS, build
from conftest import ROOT
from precomment.extraction.inputs import read_filing
from precomment.sources.load import load_file

DOCUMENT_ONLY = {  # the first draft's slips, which only the document shows (bundled_documents.EDITS_FIRST_DRAFT)
    ("PC-GEN-001", "document"),
    ("PC-GEN-002", "document.missing_items[16J]"),
    ("PC-GEN-003", 'document.inconsistencies["WFOE"]'),
    ("PC-4-426", "document.sanctioned_country_mentions[Cuba]"),
}


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda draft: draft.name)
def test_the_bundled_documents_are_current(draft):
    """Regenerate with `python tests/bundled_documents.py` after changing the renderer, the readers or the
    descriptions, and review the diff."""
    raw, answers = build(draft)
    assert (DOCUMENTS / f"{draft.name}.htm").read_bytes() == raw
    assert (DOCUMENTS / f"{draft.name}.answers.yaml").read_text(encoding="utf-8") == answers


@pytest.mark.parametrize("engine", ["durable", "oracle"])
@pytest.mark.parametrize("draft", DRAFTS, ids=lambda draft: draft.name)
def test_the_document_with_its_answers_draws_the_descriptions_findings_and_the_documents_own(checker, draft, engine):
    described = {(f.rule_id, f.key) for f in checker.findings(load_file(ROOT / "filings" / draft.description), engine)}
    read = {(f.rule_id, f.key) for f in checker.findings(read_filing(str(DOCUMENTS / f"{draft.name}.htm")), engine)}
    only_document = DOCUMENT_ONLY if draft.edits else set()
    assert (sorted(described - read), sorted(read - described)) == ([], sorted(only_document))


def test_findings_cite_the_documents_pages_and_lines(checker):
    findings = {f.rule_id: f for f in checker.findings(read_filing(str(DOCUMENTS / "lanternfish-fy2024-20f.htm")))}
    cuba = findings["PC-4-426"]
    assert (cuba.source.endswith("lanternfish-fy2024-20f.htm"), cuba.page) == (True, "17")
    assert "refers to Cuba on page 17" in cuba.comment
    # a subject the answers describe (a section the reader does not read) is located in the answers file
    directors = [f for f in findings.values() if f.pointer.startswith("/item6/directors_and_management")]
    assert directors and all(f.source.endswith("lanternfish-fy2024-20f.answers.yaml") for f in directors)
