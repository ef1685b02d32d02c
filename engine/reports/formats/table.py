"""The terminal report: per filing, one table per Form item, then a summary by severity and the gate.

The subject and comment columns are wrapped so that the table fits the context's width: the terminal's on
a terminal (COLUMNS when set), else `model.TABLE_WIDTH`, so that output to a file or a pipe is the same
everywhere. Severity is coloured only when the report says so (a terminal, and NO_COLOR unset).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from ...checking.findings import Finding
from ...checking.result import FilingResult
from ...validation.formitems import caption
from ..grid import grid, simple
from ..model import Context, Report
from ..text import one_line
from ..text import wrap as text_wrap
from ..wording import not_checked, summary_line
from . import Parts, joined
from .common import by_item, heading, no_findings, status, tally
from .matrix import coverage_block

COMMENT_WIDTH = (24, 96)
"""The comment column's least and greatest width: narrower, a sentence takes a line per phrase; wider, a line
is too long to read back. Below the least the table is wider than the terminal rather than unreadable."""
SUBJECT_WIDTH = (10, 24)
"""The subject column's least and greatest width; a subject is wrapped at the greatest even on a wide terminal."""
_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def part(result: FilingResult, number: int, context: Context) -> str:
    return "\n\n".join(_filing(result, context))


def document(report: Report, parts: Parts) -> Iterator[str]:
    closing = ([_severity_summary(report)] if report.tally().findings else []) + [summary_line(report)]
    yield from joined("\n\n", itertools.chain(parts(), closing))
    yield "\n"


def _filing(result: FilingResult, context: Context) -> list[str]:
    if result.problems:
        return [one_line(f"{result.source}: not checked: {not_checked(result.problems)} (reported on standard error)")]
    blocks = [heading(result)]
    if not result.findings:
        blocks.append(no_findings(result))
    with_status = context.baseline is not None or any(f.waived for f in result.findings)
    for item, findings in by_item(result.findings):
        blocks.append(caption(item) + "\n" + _grid(findings, with_status, context.color, context.width))
    if result.fixed:
        lines = [f"Fixed since the baseline ({len(result.fixed)}):"]
        lines += [f"  {f.rule_id} {f.form_item} {one_line(f.subject)} ({f.pointer})" for f in result.fixed]
        blocks.append("\n".join(lines))
    if result.coverage is not None:
        blocks.append(coverage_block(result.coverage, result.unassessed, context.width))
    return blocks


def _grid(findings: list[Finding], with_status: bool, color: bool, width: int) -> str:
    headers = ["Rule", "Severity", "Item", "Page", "Subject", "Likely comment"] + (["Status"] if with_status else [])
    rows = []
    for f in findings:
        row = [f.rule_id, f.severity, f.form_item, f.page or "", one_line(f.subject), one_line(f.comment)]
        rows.append(row + ([status(f)] if with_status else []))
    subject, comment = fit(headers, rows, width)
    widths = [None, None, None, None, subject, comment] + ([None] if with_status else [])
    rows = [[wrap(cell, width) if width else cell for cell, width in zip(row, widths)] for row in rows]
    if color:
        rows = [[row[0], f"{_COLOURS[row[1]]}{row[1]}{_RESET}", *row[2:]] for row in rows]
    return grid(rows, headers)


def fit(headers: list[str], rows: list[list[str]], width: int) -> tuple[int, int]:
    """The subject's and the comment's column widths for a grid `width` columns wide: the other columns as
    tabulate sizes them (their longest cell, or their header and 2 spaces), each column taking 3 more for
    its padding and rule, and 1 for the last rule; the subject a quarter of what is left (within
    SUBJECT_WIDTH, and no wider than its longest cell), the comment the rest (within COMMENT_WIDTH)."""
    fixed = [max(len(column[0]) + 2, *(len(cell) for cell in column[1:]))
             for i, column in enumerate(zip(headers, *rows)) if i not in (4, 5)]
    room = width - sum(fixed) - 3 * len(headers) - 1
    longest = max(len(row[4]) for row in rows) if rows else 0
    subject = max(min(room // 4, SUBJECT_WIDTH[1], longest), SUBJECT_WIDTH[0])
    comment = max(min(room - subject, COMMENT_WIDTH[1]), COMMENT_WIDTH[0])
    return subject, comment


def wrap(cell: str, width: int) -> str:
    """A cell wrapped to `width` columns as tabulate(maxcolwidths=...) wraps it (`text.wrap`, breaking after
    hyphens too), at a fraction of the cost, measured in characters (cells have no escape characters after
    `one_line`). Unlike tabulate, the text is never cast first: with maxcolwidths tabulate showed a subject
    "False" as "True" and failed on "1,000"."""
    lines = (text_wrap(line, width, hyphens=True) for line in cell.splitlines() if line.strip() != "")
    return "\n".join("\n".join(wrapped) for wrapped in lines)


def _severity_summary(report: Report) -> str:
    rows = [[severity, *tally(counts)] for severity, counts in report.by_severity().items()]
    rows.append(["total", *tally(report.tally())])
    return simple(rows, headers=["Severity", "Findings", "Waived", "Failing the gate"])
