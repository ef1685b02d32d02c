"""What several formats show alike: a filing's heading, findings grouped by Form item, a finding's review
status, and the counts of a summary row. Kept here so no format imports another (or tabulate)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

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
