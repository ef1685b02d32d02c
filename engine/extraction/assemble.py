"""Every extractor run over one document, in order, into one description with each value's provenance.

The sections extractor runs first: it finds the Form items (their block ranges go in the Context every later
extractor reads); the cover next (the accounting standard, the fiscal year); then the rest. A pointer yielded
twice keeps its first value (an extractor earlier in EXTRACTORS wins), and the clash is kept as a note.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..documents.model import FilingDocument
from ..resources import load_schema
from ..validation import formitems
from ..validation.fact_model import FILING_SCHEMA, fact_model, filing_node
from . import consistency, cover, exhibits, financials, ownership, risk_factors, sanctions, sections, statements
from .values import Context, Found, NotFound, Provenance, Value

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
    extraction = Extraction(document, {"format_version": 1})
    _add(extraction, [Value("/document/format", document.format, "read", None, "the reader that read the file")])
    for name, extractor in EXTRACTORS:
        _add(extraction, extractor(document, context))
        if name == "cover":
            filer = extraction.description.get("filer", {})
            context.basis_of_accounting = filer.get("basis_of_accounting")
            context.fiscal_year_end = filer.get("fiscal_year_end")
            context.filing_date = filer.get("filing_date")
    _add(extraction, account_for_items(document, context, extraction.description))
    return extraction


NOT_APPLICABLE = re.compile(r"^(?:not applicable|n/a|none|not required)\.?$", re.I)
"""A section whose whole text says it does not apply (\"None\" too: Item 16F's \"None.\", Item 13's)."""


def account_for_items(document: FilingDocument, context: Context, description: dict[str, Any]) -> Iterator[Found]:
    """Each Form item the document has a heading for but no extractor described: declared not applicable when
    its text is only "Not applicable." (or "None."), else omitted (the document has it, precomment did not read
    it: its rules are not assessed). An item with no heading is left unaccounted: coverage names it."""
    model = fact_model()
    described = {formitems.top_item(s.form_item) for s in model.sections if s.described(description)}
    if described & {"17", "18"}:  # one financial statements item: a filer answers Item 17 or Item 18
        described |= {"17", "18"}
    parts_described = {s.form_item for s in model.sections if s.described(description)}
    for item, (start, end) in sorted(context.items.items(), key=lambda pair: formitems.item_key(pair[0])):
        top = formitems.top_item(item)
        if "." in item:  # a lettered part: accounted for on its own only within an item otherwise described
            if top not in described or not formitems.known(item) or any(
                    formitems.within(part, item) for part in parts_described):
                continue
        elif item in described or item not in formitems.TITLES:
            continue
        heading = document.blocks[start]
        body = " ".join(block.text for block in document.blocks[start + 1:end]).strip()
        page = f"page {heading.page}" if heading.page else "an unnumbered page"
        if NOT_APPLICABLE.match(body):
            yield Value(f"/not_applicable/{item}", f'the document says "{body}" ({page})', "read",
                        Provenance.of(document.blocks[start + 1]))
        else:
            yield Value(f"/omitted/{item}", f"in the document from {page}; not read from it: answer its questions "
                        "in the answers file", "read", Provenance.of(heading))


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
    """Put `value` at `pointer`, making mappings and lists on the way as the filing schema has them there (a
    numeric token is a list index only where the schema has a list: `/omitted/1` names Item 1); an index one
    past a list's end appends. False when the pointer cannot be placed (an index further on)."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    node: Any = data
    schema: Mapping[str, Any] = load_schema(FILING_SCHEMA)
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        schema = _child_schema(schema, token, isinstance(node, list))
        fresh: Any = None if last else ([] if filing_node(schema).get("type") == "array" else {})
        if isinstance(node, list):
            if not token.isdigit() or int(token) > len(node):
                return False
            if int(token) == len(node):
                node.append(value if last else fresh)
            elif last:
                node[int(token)] = value
            node = node[int(token)]
        else:
            if last:
                node[token] = value
            else:
                node = node.setdefault(token, fresh)
    return True




def _child_schema(schema: Mapping[str, Any], token: str, in_list: bool) -> Mapping[str, Any]:
    """The schema of `token`'s value under `schema` (an item of a list; a property or an additional one)."""
    schema = filing_node(schema)
    if in_list:
        items: Mapping[str, Any] = schema.get("items", {})
        return items
    found: Mapping[str, Any] | None = schema.get("properties", {}).get(token)
    if found is None:
        extra = schema.get("additionalProperties")
        found = extra if isinstance(extra, dict) else {}
    return found
