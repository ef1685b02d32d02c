"""Every extractor run over one document, in order, into one description with each value's provenance.

The sections extractor runs first: it finds the Form items (their block ranges go in the Context every later
extractor reads); the cover next (the accounting standard, the fiscal year); then the rest. A pointer yielded
twice keeps its first value (an extractor earlier in EXTRACTORS wins), and the clash is kept as a note.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..documents.model import FilingDocument
from . import consistency, cover, exhibits, financials, ownership, risk_factors, sanctions, sections, statements
from .values import Context, Found, NotFound, Value

EXTRACTORS: tuple[tuple[str, Callable[[FilingDocument, Context], Iterator[Found]]], ...] = (
    ("sections", sections.extract),
    ("cover", cover.extract),
    ("risk_factors", risk_factors.extract),
    ("ownership", ownership.extract),
    ("exhibits", exhibits.extract),
    ("statements", statements.extract),
    ("financials", financials.extract),
    ("sanctions", sanctions.extract),
    ("consistency", consistency.extract),
)


@dataclass
class Extraction:
    """What the extractors made of one document: the description (plain data), each value written (by
    pointer, in the order written) and what was looked for in vain."""

    document: FilingDocument
    description: dict[str, Any]
    values: dict[str, Value] = field(default_factory=dict)
    not_found: list[NotFound] = field(default_factory=list)
    clashes: list[tuple[Value, Value]] = field(default_factory=list)  # (kept, dropped)


def extract(document: FilingDocument) -> Extraction:
    context = Context(items=sections.find_sections(document))
    extraction = Extraction(document, {})
    for _name, extractor in EXTRACTORS:
        found = list(extractor(document, context))
        _add(extraction, found)
        if _name == "cover":
            filer = extraction.description.get("filer", {})
            context.basis_of_accounting = filer.get("basis_of_accounting")
    return extraction


def _add(extraction: Extraction, found: Iterable[Found]) -> None:
    for item in found:
        if isinstance(item, NotFound):
            extraction.not_found.append(item)
            continue
        if item.pointer in extraction.values:
            extraction.clashes.append((extraction.values[item.pointer], item))
            continue
        if set_at(extraction.description, item.pointer, item.value):
            extraction.values[item.pointer] = item


def set_at(data: dict[str, Any], pointer: str, value: Any) -> bool:
    """Put `value` at `pointer`, making mappings and lists on the way (a numeric token under a list makes the
    list's next item); False when the pointer cannot be placed (an index past the list's end)."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    node: Any = data
    for token, following in zip(tokens, tokens[1:] + [None]):
        fresh: Any = [] if following is not None and following.isdigit() else {}
        if isinstance(node, list):
            index = int(token)
            if index == len(node):
                node.append(fresh if following is not None else value)
            elif index > len(node):
                return False
            elif following is None:
                node[index] = value
        else:
            if following is None:
                node[token] = value
            else:
                node.setdefault(token, fresh)
        if following is not None:
            node = node[int(token)] if isinstance(node, list) else node[token]
    return True
