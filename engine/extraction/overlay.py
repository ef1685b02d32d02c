"""A description read from a filing document, with the preparer's answers laid over it.

The answers file holds what a document cannot tell (judgements: whether a contract is material, whether a
risk factor is worded hypothetically) and corrections of what the reader got wrong. It is a partial
description in which each list of named items is written as a mapping from the item's key (its `x-key`
fields, as finding keys show them: an exhibit's number, a holder's name, a risk factor's caption; several
fields joined by `|`) to the fields to set, so the document can change around an item without its answers
being rewritten:

    item19:
      exhibits:
        "4.1": {kind: material_contract, ordinary_course: false}

A key the document does not have adds the item (the reader missed it, or the answers add it), with a
warning naming it; a list written as a list replaces the document's. Every value keeps its origin: the
document's page and line, or the answers file's line and column, so findings and errors point at the
right file.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import InputError, Problem
from ..facts.keys import item_keys
from ..resources import load_schema
from ..sources.document import Document, Position, escape_pointer_token
from ..validation.fact_model import FILING_SCHEMA, KEY_SEPARATOR, fact_model, filing_node
from ..validation.formitems import within
from .assemble import Extraction

Schema = Mapping[str, Any]


@dataclass
class ReadDocument(Document):
    """A description read from a document (and answers): located by origin, a left-out field an open question."""

    absent_is_open: ClassVar[bool] = True
    extraction: Extraction | None = None
    answers: Document | None = None
    from_answers: dict[str, str] = field(default_factory=dict)  # pointer here -> pointer in the answers file
    lines: dict[str, int] = field(default_factory=dict)  # pointer here -> line in the document
    answered_absent: set[str] = field(default_factory=set)  # pointers the answers set to null: not given

    def left_open(self, fact_id: str, key: str) -> bool:
        """A field left out is an open question, unless the answers say the filing does not give it (null), or
        does not give the object it is in."""
        pointer = f"{fact_id}/{key.replace(KEY_SEPARATOR, '/')}"
        while len(pointer) > len(fact_id):
            if pointer in self.answered_absent:
                return False
            pointer = pointer.rsplit("/", 1)[0]
        return True

    def origin(self, pointer: str, prefer_key: bool = False) -> tuple[str, Position | None]:
        """The answers file's place for what the answers set, else the document's line of what it was read from."""
        while True:
            if pointer in self.from_answers and self.answers is not None:
                return self.answers.source, self.answers.locate(self.from_answers[pointer], prefer_key)
            if pointer in self.lines:
                return self.source, (self.lines[pointer], 1)
            if not pointer:
                return self.source, None
            pointer = pointer.rsplit("/", 1)[0]

    def origins(self) -> dict[str, int]:
        """Values by origin: read from the document as printed, drafted from it for the preparer to confirm, and
        given in the answers file (values and nulls saying the filing does not give a field)."""
        read = self.extraction.values.values() if self.extraction is not None else ()
        counts = {"read": 0, "draft": 0}
        for value in read:
            counts[value.confidence] += 1
        counts["answers"] = len(self.from_answers)
        return counts

    def locate(self, pointer: str, prefer_key: bool = False) -> Position | None:
        return self.origin(pointer, prefer_key)[1]

    def value_source(self, pointer: str) -> str:
        """Where the value at `pointer` came from, in words: `answers`, `document, page 12`, or `document`."""
        probe = pointer
        while True:
            if probe in self.from_answers:
                return "answers"
            if self.extraction is not None and probe in self.extraction.values:
                provenance = self.extraction.values[probe].provenance
                return f"document, page {provenance.page}" if provenance and provenance.page else "document"
            if not probe:
                return "document"
            probe = probe.rsplit("/", 1)[0]


def read_description(extraction: Extraction, answers: Document | None) -> ReadDocument:
    """The extraction's description with `answers` laid over it, as a Document the checker reads."""
    data = _copy(extraction.description)
    document = ReadDocument(extraction.document.source, data, extraction=extraction, answers=answers)
    for pointer, value in extraction.values.items():
        if value.provenance is None:
            continue
        probe = pointer
        while probe and probe not in document.lines:  # the item's own line: its first value's
            document.lines[probe] = value.provenance.line
            probe = probe.rsplit("/", 1)[0]
    if answers is not None and isinstance(answers.data, dict):
        _merge(document, data, answers.data, load_schema(FILING_SCHEMA), "", "")
        _answers_declare_first(document, data)
        _drop_declarations_now_described(document, data)
    return document


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value




def _merge(document: ReadDocument, base: dict[str, Any], answers: Mapping[str, Any], schema: Schema,
           here: str, there: str) -> None:
    """Lay the mapping `answers` (at `there` in the answers file) over `base` (at `here`)."""
    properties = filing_node(schema).get("properties", {})
    for name, value in answers.items():
        token = escape_pointer_token(name)
        pointer, answer_pointer = f"{here}/{token}", f"{there}/{token}"
        spec = filing_node(properties.get(name, {}))
        items = filing_node(spec.get("items", {})) if spec.get("type") == "array" else {}
        key_fields = _key_fields(items)
        if value is None:  # "the filing does not give it": said, so no longer an open question
            base.pop(name, None)
            document.answered_absent.add(pointer)
            document.from_answers[pointer] = answer_pointer
        elif key_fields and isinstance(value, dict) and isinstance(base.get(name, []), list):
            read = name in base  # a list the reader read: a key it lacks is worth a warning
            _merge_keyed(document, base.setdefault(name, []), value, items, key_fields, pointer, answer_pointer, read)
        elif isinstance(value, dict) and (isinstance(base.get(name), dict) or spec.get("type") == "object"):
            if not isinstance(base.get(name), dict):  # a section the document did not give: the answers' own
                base[name] = {}
                document.from_answers[pointer] = answer_pointer
            _merge(document, base[name], value, spec, pointer, answer_pointer)
        else:
            base[name] = _copy(value)
            document.from_answers[pointer] = answer_pointer


def _key_fields(items: Schema) -> tuple[str, ...]:
    key = items.get("x-key")
    if isinstance(key, str):
        return (key,)
    return tuple(key) if isinstance(key, list) else ()


def _merge_keyed(document: ReadDocument, base: list[Any], answers: Mapping[str, Any], items: Schema,
                 key_fields: tuple[str, ...], here: str, there: str, read: bool) -> None:
    """Lay a mapping from item keys to fields over a list of items; a key not in the list adds its item (with
    a warning when the list is one the reader read: it missed the item, or the draft renamed it)."""
    known = {_bare(key): index for index, key in enumerate(item_keys("", base, key_fields))}
    for key, fields in answers.items():
        answer_pointer = f"{there}/{escape_pointer_token(key)}"
        if key in known:
            index = known[key]
            if isinstance(fields, dict) and isinstance(base[index], dict):
                _merge(document, base[index], fields, items, f"{here}/{index}", answer_pointer)
            else:
                base[index] = _copy(fields)
                document.from_answers[f"{here}/{index}"] = answer_pointer
            continue
        item: Any = fields
        if isinstance(fields, dict):
            item = {name: part for name, part in zip(key_fields, key.split("|")) if name not in fields}
            _merge(document, item, fields, items, f"{here}/{len(base)}", answer_pointer)
        base.append(item)
        known[key] = len(base) - 1
        document.from_answers[f"{here}/{len(base) - 1}"] = answer_pointer
        if not read:
            continue
        position = document.answers.locate(answer_pointer, True) if document.answers else None
        line, column = position or (None, None)
        document.warnings.append(Problem(
            document.answers.source if document.answers else "", line, column, answer_pointer, "answer-adds-item",
            f"{key!r} is not in the document as read: the answers add it",
            "if the document has it, the reader missed it (say so in an issue); if it was renamed, rename the key",
            level="warning"))


def _bare(key: str) -> str:
    """An item's key without its list's brackets: `[4.1]` -> `4.1`, `[A|B]#2` -> `A|B#2`."""
    close = key.rindex("]")
    return key[1:close] + key[close + 1:]


def _answers_declare_first(document: ReadDocument, data: dict[str, Any]) -> None:
    """An item the answers declare (omitted, or not applicable) is theirs: the reader's declaration of the same
    item the other way (a "Not applicable." section the preparer says is still being written) is dropped."""
    for kind, other in (("omitted", "not_applicable"), ("not_applicable", "omitted")):
        mine, theirs = data.get(kind), data.get(other)
        if not isinstance(mine, dict) or not isinstance(theirs, dict):
            continue
        for item in [item for item in mine if f"/{kind}/{escape_pointer_token(item)}" in document.from_answers]:
            if item in theirs and f"/{other}/{escape_pointer_token(item)}" not in document.from_answers:
                del theirs[item]
        if not theirs:
            del data[other]


def _drop_declarations_now_described(document: ReadDocument, data: dict[str, Any]) -> None:
    """An item or part the reader declared omitted (or not applicable) that the answers describe is described
    now; a declaration the answers wrote themselves stays (and is refused if they describe the item too)."""
    described = [s.form_item for s in fact_model().sections if s.described(data)]
    for kind in ("omitted", "not_applicable"):
        block = data.get(kind)
        if isinstance(block, dict):
            for item in [item for item in block if any(within(form_item, item) for form_item in described)
                         and f"/{kind}/{escape_pointer_token(item)}" not in document.from_answers]:
                del block[item]
            if not block:
                del data[kind]


def read_filing_document(path: str, answers_path: str | None = None) -> ReadDocument:
    """Read the filing document at `path`, extract its description, and lay the answers file over it: the
    Document `check` reads in place of a description written by hand. Every failure is an InputError."""
    from ..documents.read import read_document
    from ..sources.load import load_file
    from .assemble import extract

    extraction = extract(read_document(path))
    answers = load_file(answers_path) if answers_path else None
    if answers is not None and not isinstance(answers.data, dict):
        raise InputError([answers.problem("", "answers-not-mapping", "the answers file must be a mapping of "
                                          "description sections (filer:, item19:, ...)",
                                          "see docs/documents.md, 'The answers file'")])
    document = read_description(extraction, answers)
    refuse_unread_required(document)
    return document


_COVER = {"name": "the registrant's exact name", "form": "the form (20-F or 20-F/A)",
          "fiscal_year_end": "the fiscal year end (For the fiscal year ended ...)"}


def refuse_unread_required(document: ReadDocument) -> None:
    """A description needs some fields the document may not print (the filer's name, form and fiscal year end
    on the cover; a holder's role in Item 6.E): when the reader did not find one (and the answers do not give
    it), say what was not read, where, and how to give it, instead of a schema error."""
    problems = list(_unread(document, document.data, load_schema(FILING_SCHEMA), "", ""))
    if problems:
        raise InputError(problems)


def _unread(document: ReadDocument, data: Any, schema: Schema, pointer: str, written: str) -> Iterator[Problem]:
    """A problem for each required field missing from an object the reader wrote; `written` is the object as
    an answers file names it (`item6.share_ownership.holders["Chen Hao"]`)."""
    schema = filing_node(schema)
    if isinstance(data, dict):
        answers = document.answers.source if document.answers else "an answers file (--answers FILE)"
        for name in schema.get("required", ()):
            if name in data:
                continue
            what = _COVER.get(name, f"`{name}`") if pointer == "/filer" else f"`{name}`"
            where = "the document's cover page" if pointer == "/filer" else "the document"
            line = document.locate(pointer)
            yield Problem(document.source, line[0] if line else None, line[1] if line else None,
                          f"{pointer}/{name}", "not-read", f"{what} of {written or 'the filing'} could not be read "
                          f"from {where}", f"give it in {answers}: `{_answer_path(written, name)}: ...`")
        properties = schema.get("properties", {})
        for name, value in data.items():
            if name in properties:
                yield from _unread(document, value, properties[name], f"{pointer}/{escape_pointer_token(name)}",
                                   f"{written}.{name}" if written else name)
    elif isinstance(data, list):
        items = filing_node(schema.get("items", {}))
        fields = _key_fields(items)
        keys = item_keys("", data, fields) if fields and all(isinstance(item, dict) for item in data) else []
        for index, item in enumerate(data):
            label = f'{written}["{_bare(keys[index])}"]' if keys else f"{written}[{index}]"
            yield from _unread(document, item, items, f"{pointer}/{index}", label)


def _answer_path(written: str, name: str) -> str:
    return f"{written}.{name}" if written else name
