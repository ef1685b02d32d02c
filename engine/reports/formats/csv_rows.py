"""The report as CSV: one row per finding, and one per finding fixed since the baseline, for spreadsheets
and scripts.

Rows end with "\\n", not RFC 4180's "\\r\\n": Excel, LibreOffice, Google Sheets, pandas and the csv module
all read either, a report kept in git diffs cleanly, and the file's bytes do not depend on how it is
written (text-mode writes on Windows would turn "\\r\\n" into "\\r\\r\\n"). Cells holding a comma, a quote
or a line break are quoted by the csv module.

A filing is untrusted: a name like `=HYPERLINK(...)` would run as a formula when the file is opened in a
spreadsheet. Every text cell goes through `text.csv_cell`, which prefixes a cell starting with = + - @, a
tab or a carriage return with an apostrophe (OWASP's advice on CSV injection) and shows control
characters as \\uXXXX. The `status` column is `open`, `new`, `waived`, `waived, new`, `waived, open` (new
and open against a baseline), or `fixed`; a filing that could not be checked has one row of its own, with
the status `not checked` and why in the comment column ("not checked: 2 input errors (reported on
standard error)", as the other formats say it), so that the file does not read as a filing without
findings.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ...checking.findings import Finding
from ...checking.result import FilingResult
from ..model import Context, Report
from ..text import csv_cell
from ..wording import not_checked
from . import Parts
from .common import status

COLUMNS = ("source", "rule_id", "severity", "form_item", "page", "subject", "pointer", "line", "column", "comment",
           "remedy", "record", "authorities", "status", "waiver_reason", "waiver_owner", "waiver_expires", "fingerprint")


def part(result: FilingResult, number: int, context: Context) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if result.problems:
        writer.writerow(_not_checked(result))
    writer.writerows(_row(f, status(f) or "open") for f in result.findings)
    writer.writerows(_row(f, "fixed") for f in result.fixed)
    return buffer.getvalue()


def document(report: Report, parts: Parts) -> Iterator[str]:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(COLUMNS)
    yield buffer.getvalue()
    yield from parts()


def _not_checked(result: FilingResult) -> list[str]:
    """The row of a filing that could not be checked: its source, why, and the status `not checked`."""
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(source=result.source, status="not checked",
                 comment=f"not checked: {not_checked(result.problems)} (reported on standard error)")
    return [csv_cell(cells[column]) for column in COLUMNS]


def _row(finding: Finding, state: str) -> list[Any]:
    waiver = finding.waiver
    texts = [finding.source, finding.rule_id, finding.severity, finding.form_item, finding.page or "",
             finding.subject, finding.pointer]
    more = [finding.comment, finding.remedy, finding.record, "; ".join(finding.authorities), state,
            waiver.reason if waiver else "", (waiver.owner or "") if waiver else "",
            (waiver.expires or "") if waiver else "", finding.fingerprint]
    numbers = ["" if finding.line is None else finding.line, "" if finding.column is None else finding.column]
    return [csv_cell(t) for t in texts] + numbers + [csv_cell(t) for t in more]
