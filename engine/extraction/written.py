"""An extraction as the preparer reads it: a description in YAML with each value's source and confidence in a
comment beside it and a TODO for each question only the preparer can answer; and a sidecar of exact source
spans (JSON), for tools and for review.

The YAML is written here rather than by a YAML dumper because a dumper cannot put a comment beside a value;
each scalar is still formatted by PyYAML (`yaml.safe_dump` of the one value), so quoting is PyYAML's, and the
text loads back to the very description (tests/test_extract.py holds both).
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from ..resources import load_schema
from ..sources.document import escape_pointer_token
from ..validation.fact_model import FILING_SCHEMA, filing_node
from .assemble import Extraction
from .values import Value

Schema = Mapping[str, Any]
_WIDTH = 10_000  # one line per scalar: a long title is not folded (its comment would land mid-value)


def description_yaml(extraction: Extraction, version: str) -> str:
    """The description, commented: provenance beside each value, TODOs for the open questions."""
    document = extraction.document
    head = [
        f"# A description of {document.source}, read by precomment {version} (`precomment extract`).",
        "# Beside each value: where it was read (page, source line) and how: \"read\" as printed, \"draft\" inferred",
        "# (confirm it). Nothing precomment did not find is written: a field left out is a question, never \"no\".",
        "# TODO lines are the questions only the preparer can answer. Answer them in an answers file (keyed by",
        "# exhibit number, holder name, caption: docs/documents.md) and run `precomment check DOCUMENT --answers",
        "# FILE`, so this file need not be kept in step with the draft; or fill them in here.",
    ]
    head += [f"# Note: {note}" for note in document.notes]
    head += [f"# Not found: {item.looked_for} ({item.pointer})" for item in extraction.not_found]
    lines = list(_mapping(_in_schema_order(extraction.description), _schema_root(), "", 0, extraction))
    return "\n".join(head + lines) + "\n"


def sources_json(extraction: Extraction) -> str:
    """Each value's exact source: page, line, block and the span of its text, as JSON."""
    blocks = extraction.document.blocks
    values: dict[str, Any] = {}
    for pointer, value in extraction.values.items():
        record: dict[str, Any] = {"value": value.value, "confidence": value.confidence}
        if value.note:
            record["note"] = value.note
        where = value.provenance
        if where is not None:
            record.update({"page": where.page, "line": where.line, "block": where.block})
            if where.fact:
                record["fact"] = where.fact
            text = blocks[where.block].text if 0 <= where.block < len(blocks) else ""
            start, end = where.start or 0, where.end if where.end is not None else len(text)
            record.update({"start": start, "end": end, "text": text[start:end]})
        values[pointer] = record
    sidecar = {"document": extraction.document.source, "format": extraction.document.format,
               "pages_approximate": extraction.document.pages_approximate, "values": values,
               "not_found": [{"pointer": item.pointer, "looked_for": item.looked_for} for item in extraction.not_found]}
    return json.dumps(sidecar, indent=1, ensure_ascii=False, default=str) + "\n"


def _in_schema_order(description: Mapping[str, Any]) -> dict[str, Any]:
    """The description's sections in the schema's order (the order a description written by hand has)."""
    order = list(_schema_root()["properties"])
    return {key: description[key] for key in sorted(description, key=lambda k: order.index(k) if k in order else 999)}


def _schema_root() -> Schema:
    return load_schema(FILING_SCHEMA)




def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=_WIDTH, sort_keys=False)
    return text.removesuffix("\n...\n").rstrip("\n")


def _comment(value: Value | None) -> str:
    if value is None:
        return ""
    where = value.provenance.describe() if value.provenance else ""
    note = f"; {value.note}" if value.note and value.confidence == "draft" else ""
    return f"  # {value.confidence}" + (f", {where}" if where else "") + note


def _mapping(data: Mapping[str, Any], schema: Schema, pointer: str, depth: int, extraction: Extraction,
             first_prefix: str | None = None) -> Iterator[str]:
    """The lines of a mapping; the first line may carry a list item's `- ` (`first_prefix`)."""
    indent = "  " * depth
    properties = filing_node(schema).get("properties", {})
    first = True
    for key, value in data.items():
        prefix = first_prefix if first and first_prefix is not None else indent
        first = False
        here = f"{pointer}/{escape_pointer_token(key)}"
        spec = filing_node(properties.get(key, {}))
        written_key = _scalar(key)
        if isinstance(value, dict) and value:
            yield f"{prefix}{written_key}:"
            yield from _mapping(value, spec, here, depth + 1, extraction)
        elif isinstance(value, list) and value:
            yield f"{prefix}{written_key}:"
            yield from _sequence(value, spec, here, depth + 1, extraction)
        else:
            yield f"{prefix}{written_key}: {_scalar(value)}{_comment(extraction.values.get(here))}"
    yield from _todos(data, schema, indent)


def _sequence(items: list[Any], schema: Schema, pointer: str, depth: int, extraction: Extraction) -> Iterator[str]:
    indent = "  " * depth
    item_schema = filing_node(filing_node(schema).get("items", {}))
    for index, item in enumerate(items):
        here = f"{pointer}/{index}"
        if isinstance(item, dict) and item:
            yield from _mapping(item, item_schema, here, depth + 1, extraction, first_prefix=f"{indent}- ")
        else:
            yield f"{indent}- {_scalar(item)}{_comment(extraction.values.get(here))}"


def _todos(data: Mapping[str, Any], schema: Schema, indent: str) -> Iterator[str]:
    """A TODO for each judgement (x-absent: unanswered) of this object the description leaves open."""
    for name, spec in filing_node(schema).get("properties", {}).items():
        if name in data or spec.get("x-absent") != "unanswered" or "x-informational" in spec:
            continue
        question = " ".join(str(spec.get("description", "")).split())
        if len(question) > 110:
            question = question[:107].rsplit(" ", 1)[0] + "..."
        yield f"{indent}# TODO {name}: {question}"
