"""Comments on a draft: what the staff ask of a filed report ("In future filings please include ...") asked
of a report not yet filed, which can still be revised ("Please revise your draft to include ...").

A filing is a draft when its filer block gives no filing date, or one after the run's date (`--today`).
Rule texts are written as the staff write to a filer after filing; the few phrases that promise future
filings are reworded here, once, for every report format (formats/__init__.py applies `as_drafted`
before any format reads a finding). A rule author writes the staff's words; `DRAFT_WORDING` lists every
phrase reworded, and docs/rule-format.md says which phrases to use.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..checking.findings import Finding
from ..checking.result import FilingResult

DRAFT_WORDING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bIn future filings,? please (?:(?:revise|expand) (?:your disclosure )?to )?"), "Please revise your draft to "),
    (re.compile(r"\bPlease (?:revise|expand) (?:your disclosure )?in future filings to "), "Please revise your draft to "),
    (re.compile(r"\bPlease amend your (?:filing|annual report|Form 20-F) to "), "Please revise your draft to "),
    (re.compile(r"\bin (?:your )?future filings\b"), "in your draft"),
    (re.compile(r"\bremained unresolved when you filed it\b"), "remain unresolved as you prepare it"),
    (re.compile(r"\bWe note that you filed (the .+?) as Exhibit\b"), r"We note that you file \1 as Exhibit"),
    (re.compile(r"\bwhether you filed the notice\b"), "whether you will file the notice"),
)
"""The staff's phrases for a filed report (pattern) and what a draft is asked instead: "In future filings
please include here" and "Please amend your filing to include" -> "Please revise your draft to include";
any other "in future filings" -> "in your draft"; and the past tense of filing, which a draft has not done
("when you filed it", "you filed the X as Exhibit", "whether you filed the notice": PC-4A-001, PC-10-002,
PC-4-008)."""


def is_draft(filer: Mapping[str, Any], today: datetime.date) -> bool:
    """Whether the filing is not yet filed on `today`: no filing date, or a later one. A filing date that is
    no date (the filer block as written) is taken as a draft's."""
    written = filer.get("filing_date")
    if written is None:
        return True
    try:
        return datetime.date.fromisoformat(str(written)) > today
    except ValueError:
        return True


def draft_text(text: str) -> str:
    """A comment or remedy written for a filed report, as it is asked of a draft."""
    for pattern, wording in DRAFT_WORDING:
        text = pattern.sub(wording, text)
    return text


def as_drafted(result: FilingResult, today: datetime.date) -> FilingResult:
    """The result with its findings' texts asked of a draft when the filing is one (else the result itself)."""
    if result.problems or not is_draft(result.filer, today):
        return result
    return replace(result, findings=[_drafted(finding) for finding in result.findings])


def _drafted(finding: Finding) -> Finding:
    comment, remedy = draft_text(finding.comment), draft_text(finding.remedy)
    if (comment, remedy) == (finding.comment, finding.remedy):
        return finding
    return replace(finding, comment=comment, remedy=remedy)
