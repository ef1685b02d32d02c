"""Plain-text tables as tabulate draws them (`tablefmt="grid"` and `"simple"`, `disable_numparse=True`),
for the reports every check prints.

Why not tabulate itself on that path: tabulate 0.10 looks its own version up with importlib.metadata as it
is imported, which imports the email package and scans the installed distributions: that cost more than
drawing every table of a report, and was a tenth of a whole check of one filing (BENCHMARKS.md,
'Start-up'). tabulate 0.9 did not, but it shows a cell "1,000" as "1000" even with number parsing off. So
the two layouts a report uses are drawn here, and tests/test_grid.py draws random tables with both this
module and tabulate and requires the same text, byte for byte. tabulate is still what `precomment rules
list` uses.

What tabulate does with text cells, and so what this does: a cell (not a header) is stripped of leading
and trailing white space as a whole (not line by line), then split into lines (_BREAK); a column is as
wide as its widest line, and at least its header plus two; ANSI colour codes take no width; every column
is left-aligned.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
"""A colour code (SGR): the severity column is coloured on a terminal."""
_BREAK = re.compile("[\r\n]")
"""A table with a line break anywhere is drawn line by line (tabulate's multiline mode): each cell split
into its lines (an empty cell into none), where otherwise each cell is one line as it is."""

Cell = object
"""A cell: None is drawn empty, anything else as its str() (the summary tables hold counts)."""


def grid(rows: Sequence[Sequence[Cell]], headers: Sequence[str]) -> str:
    """tabulate(rows, headers, tablefmt="grid", disable_numparse=True)."""
    widths, head, body = _layout(rows, headers)
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"
    lines = [rule, *_lines(head, widths, "| ", " | ", " |"), "+" + "+".join("=" * (w + 2) for w in widths) + "+"]
    for row in body:
        lines += _lines(row, widths, "| ", " | ", " |")
        lines.append(rule)
    if not body:
        lines.append(rule)
    return "\n".join(lines)


def simple(rows: Sequence[Sequence[Cell]], headers: Sequence[str]) -> str:
    """tabulate(rows, headers, tablefmt="simple", disable_numparse=True)."""
    widths, head, body = _layout(rows, headers)
    lines = [line.rstrip() for line in _lines(head, widths, "", "  ", "")]
    lines.append("  ".join("-" * width for width in widths))
    lines += [line.rstrip() for row in body for line in _lines(row, widths, "", "  ", "")]
    return "\n".join(lines)


def _layout(rows: Sequence[Sequence[Cell]], headers: Sequence[str]
            ) -> tuple[list[int], list[list[str]], list[list[list[str]]]]:
    """Each column's width, the header's cells as lines, and each row's cells as lines."""
    columns = max([len(headers), *(len(row) for row in rows)])
    names = [headers[i] if i < len(headers) else "" for i in range(columns)]
    texts = [[_text(row[i] if i < len(row) else None) for i in range(columns)] for row in rows]
    multiline = any(_BREAK.search(text) for text in [*names, *(text for row in texts for text in row)])
    head = [name.splitlines() if multiline else [name] for name in names]  # a header is not stripped
    body = [[text.strip().splitlines() if multiline else [text.strip()] for text in row] for row in texts]
    widths = [max([_width(head[i]) + 2, *(_width(row[i]) for row in body)]) for i in range(columns)]
    return widths, head, body


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _width(lines: list[str]) -> int:
    return max((len(_ANSI.sub("", line)) for line in lines), default=0)


def _lines(cells: list[list[str]], widths: list[int], begin: str, between: str, end: str) -> list[str]:
    """The text lines of one row: each cell's lines, padded to the row's height and their column's width."""
    height = max(len(lines) for lines in cells)  # 0 for a row of cells empty once stripped, in a multiline table
    return [begin + between.join(_pad(lines[k] if k < len(lines) else "", width)
                                 for lines, width in zip(cells, widths)) + end
            for k in range(height)]


def _pad(line: str, width: int) -> str:
    return line + " " * (width - len(_ANSI.sub("", line)))
