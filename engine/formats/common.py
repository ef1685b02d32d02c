"""What several formats show alike: a filing's heading, findings grouped by Form item, a finding's review
status, and the counts of a summary row. Kept here so no format imports another (or tabulate)."""
from __future__ import annotations

from ..findings import Finding, item_key
from ..formitems import top_item
from ..report import FilingResult, Report
from .text import one_line


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


def tally(report: Report, findings: list[Finding]) -> tuple[int, int, int]:
    """(findings, waived, failing the gate): the counting columns of every summary table."""
    return (len(findings), sum(1 for f in findings if f.waived), sum(1 for f in findings if report.gate.blocks(f)))
