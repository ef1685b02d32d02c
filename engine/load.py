"""Stage 1, load: read a YAML or JSON file safely and remember where every node came from.

Only the YAML *composer* runs (libyaml's when available); values are built here, so no tag from a file
can construct an object, aliases cannot expand, and every value keeps its line and column under its
JSON pointer.
"""
from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InputError, Problem

MAX_BYTES = 32 * 1024 * 1024
"""Largest file accepted (32 MiB): far above any real filing description, far below memory trouble."""

MAX_DEPTH = 64
"""Deepest nesting accepted; the filing schema itself needs fewer than 10 levels."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_CONSTRUCTOR = SafeConstructor()

Position = tuple[int, int]


@dataclass
class Document:
    """A loaded file: plain JSON-like data plus the 1-based (line, column) of each node by JSON pointer."""

    source: str
    data: Any
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)

    def locate(self, pointer: str, prefer_key: bool = False) -> Position | None:
        """Position of the node at `pointer`, or of its nearest ancestor that exists in the file."""
        while True:
            if prefer_key and pointer in self.key_positions:
                return self.key_positions[pointer]
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def problem(self, pointer: str, code: str, message: str, hint: str | None = None,
                prefer_key: bool = False) -> Problem:
        line, column = self.locate(pointer, prefer_key) or (None, None)
        return Problem(self.source, line, column, pointer, code, message, hint)


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def load_file(path: str | Path) -> Document:
    """Read and load `path`; every failure is an InputError naming the file."""
    source = str(path)
    p = Path(path)
    if p.is_dir():
        raise _file_error(source, "not-a-file", "is a directory, not a filing description",
                          "give the path of a .yaml or .json file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(source, size)
        with p.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _file_error(source, "no-such-file", "no such file", "check the path") from None
    except OSError as error:
        raise _file_error(source, "unreadable", f"cannot be read: {error.strerror}") from None
    return load_bytes(raw, source)


def load_bytes(raw: bytes, source: str) -> Document:
    """Decode UTF-8 and load; `source` names the input in every error."""
    if len(raw) > MAX_BYTES:
        raise _too_big(source, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(raw, error.start)
        raise InputError([Problem(source, line, column, "", "not-utf8",
                                  f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                                  "save the file as UTF-8")]) from None
    return load_text(text, source)


def load_text(text: str, source: str) -> Document:
    if "\x00" in text:
        raise _content_error(source, "binary", "contains NUL bytes: this is not a text file")
    if source.lower().endswith(".json"):
        _check_strict_json(text, source)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        raise InputError([_syntax_problem(source, error)]) from None
    except yaml.YAMLError as error:
        raise _file_error(source, "yaml-syntax", str(error)) from None
    except RecursionError:
        raise _file_error(source, "too-deep", f"nesting is deeper than {MAX_DEPTH} levels") from None
    if root is None:
        raise _content_error(source, "empty", "the file holds no YAML document")
    doc = Document(source, None)
    doc.data = _Builder(doc, text).build(root, "", 0)
    return doc


def _check_strict_json(text: str, source: str) -> None:
    """A .json file must be JSON: YAML would quietly accept trailing commas, comments and NaN."""
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not a number JSON allows")
    try:
        json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as error:
        raise InputError([Problem(source, error.lineno, error.colno, "", "json-syntax",
                                  f"JSON syntax: {error.msg}", "JSON allows no trailing commas, comments or single quotes")]) from None
    except ValueError as error:
        raise _content_error(source, "not-finite", str(error)) from None


class _Builder:
    """Turns composed nodes into plain values, refusing anything a safe description never needs."""

    def __init__(self, doc: Document, text: str) -> None:
        self.doc = doc
        self.text = text
        self.seen: set[int] = set()

    def fail(self, node: Node, pointer: str, code: str, message: str, hint: str | None = None) -> InputError:
        mark = node.start_mark
        return InputError([Problem(self.doc.source, mark.line + 1, mark.column + 1, pointer, code, message, hint)])

    def build(self, node: Node, pointer: str, depth: int) -> Any:
        if id(node) in self.seen:
            raise self.alias_error(pointer)
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, pointer, "too-deep", f"nesting is deeper than {MAX_DEPTH} levels")
        self.doc.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self.mapping(node, pointer, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, pointer, "yaml-tag", f"tag {node.tag!r} is not allowed", "remove the tag")
            return [self.build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, pointer)

    def alias_error(self, pointer: str) -> InputError:
        """Point at the first alias (*name) in the file: composed nodes only know the anchor's place."""
        events = yaml.parse(self.text, Loader=_LOADER)
        mark = next(event.start_mark for event in events if isinstance(event, yaml.AliasEvent))
        return InputError([Problem(self.doc.source, mark.line + 1, mark.column + 1, pointer, "yaml-alias",
                                   "anchors and aliases (&name / *name) are not supported",
                                   "write the value out in full where it is used")])

    def mapping(self, node: MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            raise self.fail(node, pointer, "yaml-tag", f"tag {node.tag!r} is not allowed", "remove the tag")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, pointer, "yaml-merge", "merge keys (<<) are not supported",
                                "write the keys out in full")
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, pointer, "complex-key", "a key must be a plain string",
                                "complex keys (`? [a, b]`) are not allowed")
            key = key_node.value
            child = f"{pointer}/{escape_pointer_token(key)}"
            if key in result:
                first = self.doc.key_positions[child]
                raise self.fail(key_node, child, "duplicate-key", f"duplicate key {key!r}",
                                f"{key!r} is already defined at line {first[0]}; keep one of them")
            self.doc.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def scalar(self, node: ScalarNode, pointer: str) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, pointer, "yaml-tag", f"tag {node.tag!r} is not allowed",
                            "only plain strings, numbers, booleans and dates are accepted")
        try:
            value = _CONSTRUCTOR.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # an impossible date (2024-13-31): the schema's date check reports it
            raise self.fail(node, pointer, "yaml-value", f"cannot read value {node.value!r}: {error}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, pointer, "not-finite", f"{node.value!r} is not a finite number",
                            "write the amount as a number, or leave the key out if it is not disclosed")
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


def _syntax_problem(source: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    context = error.context
    if context and error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
        context += f" (opened at line {error.context_mark.line + 1}, column {error.context_mark.column + 1})"
    parts = [part for part in (context, error.problem) if part]
    message = "YAML syntax: " + ": ".join(parts)
    hint = None
    if error.context and "flow" in error.context and error.context_mark:
        hint = f"close the bracket opened at line {error.context_mark.line + 1}, or quote a value containing ',' or ':'"
    elif error.problem and "tab" in error.problem:
        hint = "indent with spaces, not tabs"
    elif error.problem and "found duplicate" in error.problem:
        hint = "keep one of the two keys"
    else:
        hint = "check the indentation and quoting at this line"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(source, line, column, "", "yaml-syntax", message, hint)


def _position_of_byte(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _file_error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    """A problem with the file as a whole (missing, a directory, too large): no line to point at."""
    return InputError([Problem(source, None, None, "", code, message, hint)])


def _content_error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    """A problem with the file's content as a whole: reported at its start."""
    return InputError([Problem(source, 1, 1, "", code, message, hint)])


def _too_big(source: str, size: int) -> InputError:
    return _file_error(source, "too-large", f"is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
                       "split the description or remove embedded text")
