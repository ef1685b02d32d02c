"""The terminal report: per filing, one table per Form item, then a summary by severity and the gate.

Columns are wrapped to fixed widths (never the terminal's), so the output is the same everywhere.
Severity is coloured only when the report says so (a terminal, and NO_COLOR unset).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from tabulate import tabulate

from ...checking.findings import Finding
from ...checking.result import FilingResult
from ...validation.formitems import caption
from ..model import Context, Report
from ..text import one_line
from ..text import wrap as text_wrap
from ..wording import not_checked, summary_line
from . import Parts, joined
from .common import by_item, heading, no_findings, status, tally
from .matrix import coverage_block

COMMENT_WIDTH = 64
SUBJECT_WIDTH = 24
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
        blocks.append(caption(item) + "\n" + _grid(findings, with_status, context.color))
    if result.fixed:
        lines = [f"Fixed since the baseline ({len(result.fixed)}):"]
        lines += [f"  {f.rule_id} {f.form_item} {one_line(f.subject)} ({f.pointer})" for f in result.fixed]
        blocks.append("\n".join(lines))
    if result.coverage is not None:
        blocks.append(coverage_block(result.coverage, result.unassessed))
    return blocks


def _grid(findings: list[Finding], with_status: bool, color: bool) -> str:
    headers = ["Rule", "Severity", "Item", "Page", "Subject", "Likely comment"] + (["Status"] if with_status else [])
    rows = []
    for f in findings:
        severity = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if color else f.severity
        row = [f.rule_id, severity, f.form_item, f.page or "", one_line(f.subject), one_line(f.comment)]
        rows.append(row + ([status(f)] if with_status else []))
    widths = [None, None, None, None, SUBJECT_WIDTH, COMMENT_WIDTH] + ([None] if with_status else [])
    rows = [[wrap(cell, width) if width else cell for cell, width in zip(row, widths)] for row in rows]
    return tabulate(rows, headers=headers, tablefmt="grid", disable_numparse=True)


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
    return tabulate(rows, headers=["Severity", "Findings", "Waived", "Failing the gate"], tablefmt="simple",
                    disable_numparse=True)
