"""The terminal report: per filing, one table per Form item, then a summary by severity and the gate.

Columns are wrapped to fixed widths (never the terminal's), so the output is the same everywhere.
Severity is coloured only when the report says so (a terminal, and NO_COLOR unset).
"""
from __future__ import annotations

import textwrap

from tabulate import tabulate

from ..findings import SEVERITIES, Finding, item_key
from ..formitems import caption, top_item
from ..report import FilingResult, Report, counts, summary_line
from .text import one_line

COMMENT_WIDTH = 64
SUBJECT_WIDTH = 24
_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def render(report: Report) -> str:
    blocks: list[str] = []
    for result in report.results:
        blocks.extend(_filing(result, report))
    if report.findings:
        blocks.append(_severity_summary(report))
    blocks.append(summary_line(report))
    return "\n\n".join(blocks) + "\n"


def heading(result: FilingResult) -> str:
    filer = result.filer
    details = [filer.get("name"), f"Form {filer['form']}" if filer.get("form") else None,
               f"fiscal year ended {filer['fiscal_year_end']}" if filer.get("fiscal_year_end") else None]
    return one_line(f"{result.source}: " + ", ".join(d for d in details if d))


def by_item(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by top-level Form item, items in Form order, findings in report order."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(top_item(finding.form_item), []).append(finding)
    return sorted(groups.items(), key=lambda pair: item_key(pair[0]))


def status(finding: Finding) -> str:
    """`waived`, `new`, `open`, `fixed`, or `waived, new`: what the review stage said about a finding."""
    return ", ".join(s for s in ("waived" if finding.waived else "", finding.baseline or "") if s)


def _filing(result: FilingResult, report: Report) -> list[str]:
    if result.problems:
        return [one_line(f"{result.source}: not checked: {len(result.problems)} input error"
                         f"{'s' if len(result.problems) != 1 else ''} (reported on standard error)")]
    blocks = [heading(result)]
    if not result.findings:
        blocks.append("No findings.")
    with_status = report.baseline is not None or any(f.waived for f in result.findings)
    for item, findings in by_item(result.findings):
        blocks.append(caption(item) + "\n" + _grid(findings, with_status, report.color))
    if result.fixed:
        lines = [f"Fixed since the baseline ({len(result.fixed)}):"]
        lines += [f"  {f.rule_id} {f.form_item} {one_line(f.subject)} ({f.pointer})" for f in result.fixed]
        blocks.append("\n".join(lines))
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


class _Wrapper(textwrap.TextWrapper):
    """textwrap as tabulate's `maxcolwidths` wraps: a word longer than the column is cut at the width.

    CPython's own wrapper would cut such a word after its last hyphen; tabulate's does not. Nothing else
    differs for text without ANSI escape sequences, which tabulate strips before measuring each word (a
    regular-expression substitution per word: most of the time a table took).
    """

    def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
        space_left = 1 if width < 1 else width - cur_len
        if space_left > 0:
            chunk = reversed_chunks[-1]
            cur_line.append(chunk[:space_left])
            reversed_chunks[-1] = chunk[space_left:]


_WRAPPERS = {width: _Wrapper(width=width) for width in (SUBJECT_WIDTH, COMMENT_WIDTH)}


def wrap(cell: str, width: int) -> str:
    """A cell wrapped to `width` columns as tabulate(maxcolwidths=...) wraps it, at a fraction of the cost,
    measured in characters (cells have no escape characters after `one_line`). Unlike tabulate, the text is
    never cast first: with maxcolwidths tabulate showed a subject "False" as "True" and failed on "1,000"."""
    text = cell
    wrapper = _WRAPPERS.get(width) or _Wrapper(width=width)
    return "\n".join("\n".join(wrapper.wrap(line)) for line in text.splitlines() if line.strip() != "")


def _severity_summary(report: Report) -> str:
    findings = report.findings
    tally = counts(findings)
    rows = []
    for severity in SEVERITIES:
        of_severity = [f for f in findings if f.severity == severity]
        rows.append([severity, tally[severity], sum(1 for f in of_severity if f.waived),
                     sum(1 for f in of_severity if report.gate.blocks(f))])
    rows.append(["total", len(findings), sum(r[2] for r in rows), sum(r[3] for r in rows)])
    return tabulate(rows, headers=["Severity", "Findings", "Waived", "Failing the gate"], tablefmt="simple",
                    disable_numparse=True)
