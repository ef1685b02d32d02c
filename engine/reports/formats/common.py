"""What several formats show alike: a filing's heading, findings grouped by Form item, a finding's review
status, and the counts of a summary row. Kept here so no format imports another (or tabulate)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ...checking.coverage import OUTCOMES, Coverage, RuleCoverage
from ...checking.findings import Finding
from ...checking.result import FilingResult
from ...validation.formitems import item_key, top_item
from ..model import Counts
from ..text import json_text, one_line
from . import joined


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


def tally(counts: Counts) -> tuple[int, int, int]:
    """(findings, waived, failing the gate): the counting columns of every summary table."""
    return (counts.findings, counts.waived, counts.failing)


def json_item(value: Any, indent: str) -> str:
    """`value` as `json.dumps(..., indent=2)` writes it as an array item `indent` deep in a document (with
    invisible and control characters as \\u escapes: `text.json_text`)."""
    text = json_text(json.dumps(value, indent=2, ensure_ascii=False))
    return indent + text.replace("\n", "\n" + indent)  # JSON strings hold no raw line break


def json_document(document: dict[str, Any], arrays: dict[str, tuple[bool, Callable[[], Iterable[str]]]]
                  ) -> Iterator[str]:
    """`json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\\n"` in pieces, where each value equal to
    `slot(name)` is an array whose items (made by `json_item` at their depth) come from `arrays[name]`:
    (whether it has any item, a function giving the items), in the order the slots appear."""
    text = json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
    for name, (any_items, items) in arrays.items():
        token = json.dumps(slot(name))
        before, found, text = text.partition(token)
        assert found, f"no slot {name} in the document"
        yield before + "["
        if any_items:
            indent = before[before.rindex("\n") + 1:]
            indent = indent[:len(indent) - len(indent.lstrip(" "))]
            yield "\n"
            yield from joined(",\n", (item for item in items() if item))  # a filing may add no item
            yield "\n" + indent
        yield "]"
    yield text


def slot(name: str) -> str:
    """A placeholder for an array that `json_document` fills in as it writes."""
    return f"\x00slot:{name}\x00"


@dataclass(frozen=True)
class CoverageRow:
    """One Form item in a report's coverage matrix: how the description accounts for it (with its parts'
    exceptions), and how many of its rules fired, passed, did not apply and could not assess."""

    item: str
    state: str  # described | not applicable | omitted | NOT ACCOUNTED FOR
    note: str  # the declared reason, or the parts not described alike ("4.C not accounted for")
    outcomes: tuple[int, ...]  # OUTCOMES order

    @property
    def cells(self) -> list[str]:
        """The row as a matrix shows it: item, state, note, then each count (blank for none)."""
        return [self.item, self.state, self.note, *(str(n) if n else "" for n in self.outcomes)]


COVERAGE_HEADERS = ("Item", "Description", "Note", "Fired", "Passed", "Not applicable", "NOT ASSESSED")
STATE_WORDS = {"described": "described", "not-applicable": "not applicable", "omitted": "omitted",
               "unaccounted": "NOT ACCOUNTED FOR"}


def coverage_rows(coverage: Coverage) -> list[CoverageRow]:
    """The coverage matrix: one row per Form item in Form order (a lettered part is folded into its item's
    note unless it is accounted for as the item is), counting the rules on each item."""
    counts: dict[str, list[int]] = {}
    for rule in coverage.rules:
        counts.setdefault(top_item(rule.form_item), [0, 0, 0, 0])[OUTCOMES.index(rule.outcome)] += 1
    rows = []
    for item in (i for i in coverage.items if "." not in i.form_item):
        parts = [p for p in coverage.items if p.form_item.startswith(item.form_item + ".") and p.state != item.state]
        note = "; ".join(f"{p.form_item} {STATE_WORDS[p.state].lower()}" for p in parts)
        if item.state in ("not-applicable", "omitted"):
            note = "; ".join(n for n in (one_line(item.reason), note) if n)
        rows.append(CoverageRow(item.form_item, STATE_WORDS[item.state], note,
                                tuple(counts.get(item.form_item, (0, 0, 0, 0)))))
    return rows


def not_assessed(coverage: Coverage) -> list[RuleCoverage]:
    """The rules that could not assess the filing, in Form order: what a reviewer must look at by hand."""
    return [rule for rule in coverage.rules if rule.outcome == "not-assessed"]


def no_findings(result: FilingResult) -> str:
    """What a filing without findings says: never a bare "No findings." when rules could not look."""
    coverage = result.coverage
    count = coverage.tally()["not-assessed"] if coverage is not None else 0
    if not count:
        return "No findings."
    return f"No findings, but {count} rule{'s' if count != 1 else ''} could not assess this filing (see Coverage)."


def coverage_line(coverage: Coverage) -> str:
    """`Coverage: 22 rules fired, 13 passed, 27 not applicable, 28 NOT ASSESSED.`"""
    tally = coverage.tally()
    return (f"Coverage: {tally['fired']} rules fired, {tally['passed']} passed, {tally['not-applicable']} not "
            f"applicable, {tally['not-assessed']} NOT ASSESSED.")
