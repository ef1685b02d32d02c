"""The coverage matrix as plain text: what the table format shows after a filing's findings, and what
`precomment coverage` prints. Not a format of its own (formats/__init__.py lists those)."""
from __future__ import annotations

from ...checking.coverage import Coverage
from ...checking.findings import Finding
from ...validation.formitems import named
from ..grid import simple
from ..model import TABLE_WIDTH
from ..text import one_line
from ..text import wrap as text_wrap
from .common import COVERAGE_HEADERS, coverage_line, coverage_rows, not_assessed

NOTE_WIDTH = 40
"""Columns of the matrix's note (a declared reason, the parts not accounted for alike); wrapped, never cut."""


def coverage_block(coverage: Coverage, unassessed: list[Finding], width: int = TABLE_WIDTH) -> str:
    """The coverage matrix by Form item, then each rule that could not assess, with what it lacked, then the
    baseline's findings whose rule could not look this time; each such line wrapped to `width` columns (the
    table's), continued four spaces in."""
    rows = [[_wrapped(cell) if index == 2 else cell for index, cell in enumerate(row.cells)]
            for row in coverage_rows(coverage)]
    lines = [coverage_line(coverage), simple(rows, COVERAGE_HEADERS)]
    rules = not_assessed(coverage)
    if rules:
        lines.append(f"\nNot assessed ({len(rules)} rules):")
        lines += [line for r in rules
                  for line in text_wrap(f"{r.rule_id} ({named(r.form_item)}): {one_line(r.reason)}", width, "  ", "    ")]
    if unassessed:
        lines.append(f"\nNot assessed since the baseline ({len(unassessed)} findings, not fixed):")
        lines += [line for f in unassessed
                  for line in text_wrap(f"{f.rule_id} {f.form_item} {one_line(f.subject)} ({f.pointer})", width, "  ",
                                        "    ")]
    return "\n".join(lines)


def _wrapped(cell: str) -> str:
    return "\n".join(text_wrap(one_line(cell), NOTE_WIDTH, hyphens=True)) if cell else cell
