"""The report as GitHub-flavoured Markdown, for a pull-request comment or a CI job summary.

The gate's verdict and a summary by severity come first (what a reviewer scanning a PR needs), then per
filing one table of findings per Form item, the waived findings with their reasons, and the findings
fixed since the baseline. Every piece of text from a filing or a waivers file goes through
`text.markdown`, which backslash-escapes Markdown and HTML syntax, and `|` in particular, which would
otherwise end a table cell.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from ...checking.coverage import Coverage
from ...checking.findings import Finding
from ...checking.result import FilingResult
from ...errors import Problem
from ...validation.formitems import caption, named
from ..model import Context, Report
from ..text import markdown as md
from ..wording import not_checked, summary_line
from . import Parts, joined
from .common import (
    COVERAGE_HEADERS,
    by_item,
    coverage_line,
    coverage_rows,
    heading,
    no_findings,
    not_assessed,
    status,
    tally,
)

_FINDING_COLUMNS = ("Rule", "Severity", "Item", "Page", "Subject", "Likely comment", "Status")


def part(result: FilingResult, number: int, context: Context) -> str:
    return "\n\n".join(_filing(result))


def document(report: Report, parts: Parts) -> Iterator[str]:
    blocks = ["# precomment report", _gate(report), _severity_table(report)]
    if report.notes:
        blocks.append(_notes(report.notes))
    yield from joined("\n\n", itertools.chain(blocks, parts()))
    yield "\n"


def _gate(report: Report) -> str:
    """The summary line, after the verdict in bold where a reader looks first."""
    if report.failure():
        verdict = f"Failed: {report.failure()}."
    elif report.gate.fail_on == "never":
        verdict = "Gate off."
    else:
        verdict = "Gate failed." if report.failed() else "Gate passed."
    return f"**{verdict}** {md(summary_line(report))}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(headers: tuple[str, ...] | list[str], rows: list[list[str]], numeric: int = 0) -> str:
    """A GFM table; the last `numeric` columns right-aligned. Empty cells stay empty, never collapse."""
    align = ["---"] * (len(headers) - numeric) + ["---:"] * numeric
    return "\n".join([_row(list(headers)), _row(align)] + [_row(r) for r in rows])


def _severity_table(report: Report) -> str:
    rows = [[severity, *map(str, tally(counts))] for severity, counts in report.by_severity().items()]
    rows.append(["**total**", *map(str, tally(report.tally()))])
    return _table(("Severity", "Findings", "Waived", "Failing the gate"), rows, numeric=3)


def _notes(notes: list[Problem]) -> str:
    lines = ["## Review notes", ""]
    for note in notes:
        lines.append(f"- {note.level} \\[{md(note.code)}\\] {md(note.location())} at {md(note.pointer or '/')}: "
                     f"{md(note.message)}" + (f" (hint: {md(note.hint)})" if note.hint else ""))
    return "\n".join(lines)


def _filing(result: FilingResult) -> list[str]:
    if result.problems:
        return [f"## {md(result.source)}",
                f"Not checked: {not_checked(result.problems)} (reported on standard error)."]
    blocks = [f"## {md(heading(result))}"]
    if not result.findings:
        blocks.append(no_findings(result))
    for item, findings in by_item(result.findings):
        blocks.append(f"### {md(caption(item))}\n\n" + _table(_FINDING_COLUMNS, [_finding_row(f) for f in findings]))
    waived = [f for f in result.findings if f.waived]
    if waived:
        blocks.append(f"### Waived ({len(waived)})\n\n" + "\n".join(_waived(f) for f in waived))
    if result.fixed:
        blocks.append(f"### Fixed since the baseline ({len(result.fixed)})\n\n"
                      + _table(("Rule", "Item", "Subject", "Pointer"), [_fixed_row(f) for f in result.fixed]))
    if result.unassessed:
        blocks.append(f"### Not assessed since the baseline ({len(result.unassessed)}; not fixed)\n\n"
                      + _table(("Rule", "Item", "Subject", "Pointer"), [_fixed_row(f) for f in result.unassessed]))
    if result.coverage is not None:
        blocks.append(_coverage(result.coverage))
    return blocks


def _coverage(coverage: Coverage) -> str:
    """The coverage matrix by Form item, then the rules that could not assess, with what they lacked."""
    rows = [[md(cell) for cell in row.cells] for row in coverage_rows(coverage)]
    text = f"### Coverage\n\n{md(coverage_line(coverage))}\n\n" + _table(COVERAGE_HEADERS, rows, numeric=4)
    rules = not_assessed(coverage)
    if rules:
        text += "\n\n" + _table(("Not assessed", "Item", "Lacking"),
                                 [[r.rule_id, r.form_item, md(r.reason)] for r in rules])
    return text


def _finding_row(finding: Finding) -> list[str]:
    return [finding.rule_id, finding.severity, finding.form_item, md(finding.page or ""), md(finding.subject),
            md(finding.comment), status(finding)]


def _waived(finding: Finding) -> str:
    waiver = finding.waiver
    assert waiver is not None
    terms = [f"owner {md(waiver.owner)}" if waiver.owner else "", f"expires {waiver.expires}" if waiver.expires else ""]
    terms_text = "; ".join(t for t in terms if t)
    return (f"- {finding.rule_id} {md(finding.subject)} ({named(finding.form_item)}): {md(waiver.reason)}"
            + (f" ({terms_text})" if terms_text else ""))


def _fixed_row(finding: Finding) -> list[str]:
    return [finding.rule_id, finding.form_item, md(finding.subject), md(finding.pointer)]
