"""The YAML event builder: only the YAML *parser* runs (libyaml's when available), and values are built
here, event by event, without recursion, so no tag from a file can construct an object, an alias is refused
where it stands (it never expands), nesting and size are bounded before they cost memory, and the position
of every value and key goes into the document's position tree (sources.document) as it is read. JSON is read
the same way (YAML reads JSON), its scalars as JSON means them. The limits are documented in
docs/filing-format.md.
"""
from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from ..errors import InputError, Problem
from .document import (
    Document,
    Position,
    PositionNode,
    Positions,
    decode_position,
    encode_mark,
    escape_pointer_token,
    offset_of,
    position_of_byte,
)
from .strict_json import pair_code

MAX_DEPTH = 64
"""Deepest nesting accepted: the top-level mapping is level 0, and a value 64 levels down is the deepest
accepted. The filing schema itself needs fewer than 10 levels."""

MAX_NODES = 1_500_000
"""Most values (scalars, mappings and lists; keys do not count) one file may hold. The bundled descriptions
hold under 700; a 100,000-fact description (the largest the benchmarks check) well under half of it, and a
realistic one as large as MAX_BYTES allows about three quarters (BENCHMARKS.md, 'Loader limits'). A 32 MiB
file of one-character list items would hold 16 million and need gigabytes as Python objects, so the count is
bounded: a file is refused at the value that crosses it, having cost the values read up to it: a few hundred
megabytes at most, less for scalars and empty mappings, more for long strings, many keys or many small
mappings and lists (BENCHMARKS.md, 'Loader limits'; docs/filing-format.md)."""

MAX_POINTER_LENGTH = 500
"""Longest JSON pointer (path) to a value, in characters. A value's path is built as it is read (for
the errors that name it), so long keys nested deep would make every value below them cost time and memory
in proportion. The longest path in the bundled descriptions and rules is under 130 characters."""

MAX_NUMBER_LENGTH = 100
"""Longest number read, in characters as written. No figure of a filing has more than 20 digits, and
below Python's own limit (int() refuses over 4,300 digits, str() writes no more; 640 at the least that
PYTHONINTMAXSTRDIGITS may set) every number read can be converted and written, whatever the setting."""

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _TIMESTAMP, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
_AS_TEXT = {_MERGE, "tag:yaml.org,2002:value"}
"""YAML 1.1 reads a plain `<<` or `=` as these; as a value they can only mean the text itself."""
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_JSON_CONSTANTS = {"true": True, "false": False, "null": None,
                   "NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_KEY_KINDS = (  # the YAML 1.2 core schema: `on:` and `yes:` are text (the rule format uses `on:`), `true:` is not
    (re.compile(r"null|Null|NULL|~|"), "null"),
    (re.compile(r"true|True|TRUE|false|False|FALSE"), "a boolean"),
    (re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
                r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"), "a number"))
_LONE_SURROGATE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PAIR_EXAMPLE = "\\ud842\\udfb7 for \U00020BB7"


def build(data: bytes, source: str, is_json: bool) -> Builder:
    """Run the parser's events through the builder; every failure becomes a located InputError."""
    builder = Builder(source, is_json)
    try:
        builder.run(yaml.parse(data, Loader=_PARSER))
    except yaml.MarkedYAMLError as error:
        hidden = _refusal_read_ahead_of(builder, error, data)
        raise hidden or InputError([_surrogate_problem(source, error, data, is_json)
                                    or _syntax_problem(source, error, data)]) from None
    except ReaderError as error:  # libyaml refuses control characters, with a byte offset
        line, column = position_of_byte(data, error.position)
        raise InputError([Problem(source, line, column, "", "control-character",
                                  f"character U+{error.character:04X} is a control character, which YAML does "
                                  "not allow", "delete it (it often comes with text pasted from another program)")]
                         ) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(source, None, None, "", "yaml-syntax", f"YAML syntax: {error}")]) from None
    return builder


def _refusal_read_ahead_of(builder: Builder, error: yaml.MarkedYAMLError, data: bytes) -> InputError | None:
    """The builder's own refusal of what lies before a parser error, where the parser's reading ahead hid it.

    A parser scans ahead of the events it hands over (libyaml up to 1,024 characters, to see whether a
    flow collection is a key), and may give up there on a limit of its own: libyaml 0.2.6 (PyYAML 6.0.4)
    refuses nesting past 1,000 levels. On `[[[[...` it does so before the builder has seen level 65, so
    the file would get a syntax error instead of `too-deep` at the level that crosses MAX_DEPTH. When the
    text between the last value the builder took and the error holds enough characters that can open a
    collection (`[`, `{`, `-`, `?`, `:`, a new line) to cross MAX_DEPTH, the text before the error is
    read again on its own: ending there, it cannot reach the parser's limit, and what the builder refuses
    in it is the file's first error. Otherwise (any ordinary syntax error) nothing is read twice."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    text = data.decode("utf-8")
    end = offset_of(text, mark.line + 1, mark.column + 1)
    unseen = text[offset_of(text, *builder.last_position()):end]
    if len(builder.stack) + sum(map(unseen.count, "[{-?:\n")) <= MAX_DEPTH:
        return None
    again = Builder(builder.doc.source, builder.is_json)
    try:
        again.run(yaml.parse(text[:end], Loader=_PARSER))
    except InputError as refusal:
        return refusal
    except yaml.YAMLError:
        pass  # the cut text ends mid-collection: nothing refused before it
    return None


@dataclass
class _Open:
    """A mapping or list being built: where it is, how deep, where its own position went (item `item` of
    the node `parent`), the node of its items' positions (made with the first item), and (for a mapping)
    the key awaiting its value."""

    value: dict[str, Any] | list[Any]
    pointer: str
    depth: int
    parent: PositionNode
    item: int
    node: PositionNode | None = None
    key: str | None = None
    key_pointer: str = ""  # the awaiting value's pointer


class Builder:
    """Turns parser events into plain values, refusing anything a safe description never needs.

    Iterative (a stack of open collections), so nesting costs no Python recursion; every limit is checked
    at the event that crosses it, which is also where the error points.
    """

    def __init__(self, source: str, is_json: bool) -> None:
        self.tree = PositionNode(is_map=False)  # its one item is the document's root value
        self.doc = Document(source, None, Positions(self.tree), Positions(self.tree, keys=True))
        self.is_json = is_json
        self.pure_python = _PARSER is not getattr(yaml, "CSafeLoader", None)  # it reads \\ud842 as a character
        self.stack: list[_Open] = []
        self.documents = 0
        self.nodes = 0

    def run(self, events: Iterator[yaml.Event]) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.start_document(event)
            elif isinstance(event, yaml.AliasEvent):
                raise self.fail(event, self.child_pointer(event), "yaml-alias",
                                "anchors and aliases (&name / *name) are not supported",
                                "write the value out in full where it is used")
            elif isinstance(event, yaml.ScalarEvent):
                if self.awaiting_key():
                    self.key(event)
                else:
                    pointer = self.child_pointer(event)
                    self.add(event, self.scalar(event, pointer), pointer)
            elif isinstance(event, yaml.CollectionStartEvent):
                self.open(event)
            elif isinstance(event, yaml.CollectionEndEvent):
                node = self.stack.pop().node
                if node is not None:
                    node.close()

    def last_position(self) -> Position:
        """Where the last key or value taken so far starts ((1, 1) before any): the parser's reading ahead
        of its events (see _refusal_read_ahead_of) begins there at the latest."""
        if not self.stack:
            return decode_position(self.tree.at[-1]) if self.tree.at else (1, 1)
        top = self.stack[-1]
        if top.node is not None and top.node.at:
            return decode_position(top.node.at[-1])
        parent = top.parent  # the open collection has no items yet: its own position, in its parent's node
        return decode_position(parent.at[top.item if parent.keys is None else 2 * top.item + 1])

    def fail(self, event: yaml.Event, pointer: str, code: str, message: str, hint: str | None = None) -> InputError:
        mark = event.start_mark
        assert mark is not None  # (as in document.encode_mark)
        return InputError([Problem(self.doc.source, mark.line + 1, mark.column + 1, pointer, code, message, hint)])

    def start_document(self, event: yaml.Event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.fail(event, "", "two-documents", "the file holds more than one YAML document",
                            "a description is one document: remove this '---' line, or split the file in two")

    def awaiting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None

    def child_pointer(self, event: yaml.Event) -> str:
        """The pointer the next value will have (for a key: its mapping's pointer plus the key's text)."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.value, list):
            return f"{top.pointer}/{len(top.value)}"
        if top.key is None and isinstance(event, yaml.ScalarEvent):  # a key: its place is its mapping's plus it
            return f"{top.pointer}/{escape_pointer_token(event.value)}"
        if top.key is None:  # a complex key or an alias as a key has no place of its own
            return top.pointer
        return top.key_pointer

    def check_path(self, event: yaml.Event, pointer: str) -> None:
        if len(pointer) > MAX_POINTER_LENGTH:
            raise self.fail(event, pointer[:80] + "...", "path-too-long",
                            f"the path to this value is longer than {MAX_POINTER_LENGTH:,} characters",
                            "use shorter keys or less nesting: paths in a filing description are under 200 "
                            "characters")

    def key(self, event: yaml.ScalarEvent) -> None:
        """A mapping key must be text (read as YAML 1.2 reads keys) and new in its mapping."""
        top = self.stack[-1]
        pointer = f"{top.pointer}/{escape_pointer_token(event.value)}"
        plain = event.tag in (None, "!") and event.implicit[0]
        if plain and event.value == "<<":
            raise self.fail(event, top.pointer, "yaml-merge", "merge keys (<<) are not supported",
                            "write the keys out in full")
        if event.tag not in (None, "!", _STR):
            raise self.fail(event, pointer, "yaml-tag", f"tag {event.tag!r} is not allowed on a key", "remove the tag")
        kind = _key_kind(event.value) if plain else None
        if kind:
            raise self.fail(event, pointer, "key-not-text", f"the key {event.value or '(empty)'} is read as {kind}, "
                            "not as text", f"keys are field names: check the key, or quote it ('{event.value}':) "
                            "if you mean the text")
        self.check_path(event, pointer)
        node = self.node_of(top)
        if event.value in top.value:  # (a mapping's events alternate key, value: the first one's is in)
            first = node.find(event.value)
            assert first is not None  # the key is in the mapping, so in its node: the two are built together
            line, column = decode_position(node.at[2 * first])
            raise self.fail(event, pointer, "duplicate-key", f"duplicate key {event.value!r}",
                            f"{event.value!r} is already defined at line {line}, column {column}; "
                            "keep one of them")
        node.keys.append(event.value)  # type: ignore[union-attr]  # a mapping being built: a list
        node.at.append(encode_mark(event.start_mark))
        top.key, top.key_pointer = event.value, pointer

    def open(self, event: yaml.CollectionStartEvent) -> None:
        if self.awaiting_key():
            raise self.fail(event, self.stack[-1].pointer, "complex-key", "a key must be a plain string",
                            "complex keys (`? [a, b]`, `{a: 1}: x`) are not allowed: write the key as text")
        pointer = self.child_pointer(event)
        is_map = isinstance(event, yaml.MappingStartEvent)
        tag = event.tag if event.tag not in (None, "!") else (_MAP_TAG if is_map else _SEQ_TAG)
        if tag != (_MAP_TAG if is_map else _SEQ_TAG):
            raise self.fail(event, pointer, "yaml-tag", f"tag {tag!r} is not allowed", "remove the tag")
        value: dict[str, Any] | list[Any] = {} if is_map else []
        depth = self.add(event, value, pointer)
        parent = self.stack[-1].node if self.stack else self.tree
        assert parent is not None  # add() made it
        self.stack.append(_Open(value, pointer, depth, parent, parent.count() - 1))

    def node_of(self, top: _Open) -> PositionNode:
        """The node of `top`'s items' positions, made (and hung in its parent's node) with the first item."""
        if top.node is None:
            top.node = PositionNode(isinstance(top.value, dict))
            top.parent.hang(top.item, top.node)
        return top.node

    def add(self, event: yaml.NodeEvent, value: Any, pointer: str) -> int:
        """Count a built value against the limits, record its position and attach it to the open collection
        (or make it the document); returns its depth."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(event, pointer, "too-many-values", f"the file holds more than {MAX_NODES:,} values",
                            "a filing description needs far fewer: check that this is the right file")
        depth = self.stack[-1].depth + 1 if self.stack else 0
        if depth > MAX_DEPTH:
            raise self.fail(event, pointer, "too-deep", f"nesting is deeper than {MAX_DEPTH} levels",
                            "a filing description needs fewer than 10 levels: flatten the structure")
        self.check_path(event, pointer)
        if not self.stack:
            self.tree.at.append(encode_mark(event.start_mark))
            self.doc.data = value
            return depth
        top = self.stack[-1]
        self.node_of(top).at.append(encode_mark(event.start_mark))
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[cast(str, top.key)] = value  # a mapping's value comes after its key (`key` set it)
            top.key = None
        return depth

    def tag_of(self, event: yaml.ScalarEvent) -> str:
        if event.tag not in (None, "!"):
            return event.tag
        if self.is_json and event.implicit[0]:  # a plain JSON scalar: true, false, null or a number
            return _STR if event.value not in _JSON_CONSTANTS and not _is_json_number(event.value) else "json"
        tag: str = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
        return tag

    def scalar(self, event: yaml.ScalarEvent, pointer: str) -> Any:
        tag = self.tag_of(event)
        value: Any
        if tag == "json":
            self.refuse_long_number(event, tag, pointer)
            value = _JSON_CONSTANTS[event.value] if event.value in _JSON_CONSTANTS else _json_number(event.value)
        elif tag in _AS_TEXT:
            value = event.value
        elif tag == _STR and event.style == '"' and self.pure_python and _SURROGATES.search(event.value):
            raise self.refuse_surrogate(event, pointer)
        elif tag not in _SCALAR_TAGS:
            raise self.fail(event, pointer, "yaml-tag", f"tag {tag!r} is not allowed",
                            "only plain strings, numbers, booleans and dates are accepted: remove the tag")
        else:
            self.refuse_long_number(event, tag, pointer)
            self.refuse_ambiguous_number(event, tag, pointer)
            value = self.construct(event, tag, pointer)
        if isinstance(value, float) and not math.isfinite(value):
            if any(character.isdigit() for character in event.value):  # 1e400: finite as written, too large
                raise self.fail(event, pointer, "number-too-large", f"{event.value} is too large to be read as a "
                                "number (the largest is about 1.8e308)",
                                "no figure of a filing is that large: check the number and its exponent")
            raise self.fail(event, pointer, "not-finite", f"{event.value!r} is not a finite number",
                            "write a finite number, or leave the key out if the filing does not disclose it")
        return value

    def refuse_surrogate(self, event: yaml.ScalarEvent, pointer: str) -> InputError:
        """A \\u escape of a surrogate half, which PyYAML's pure-Python parser reads as a lone surrogate
        where libyaml refuses it (_surrogate_problem): refused the same way, at its string."""
        # Called only on a value the search found a surrogate in (Builder.scalar): never None here.
        at = _SURROGATES.search(event.value).start()  # type: ignore[union-attr]
        escape = "".join(f"\\u{ord(half):04x}" for half in event.value[at:at + 2] if _SURROGATES.match(half))
        message, hint = _surrogate_text(escape, self.is_json)
        return self.fail(event, pointer, "json-syntax" if self.is_json else "yaml-syntax", message, hint)

    def refuse_long_number(self, event: yaml.ScalarEvent, tag: str, pointer: str) -> None:
        """A number past MAX_NUMBER_LENGTH characters is refused before anything converts it."""
        if tag in (_INT, _FLOAT, "json") and len(event.value) > MAX_NUMBER_LENGTH:
            raise self.fail(event, pointer, "number-too-long",
                            f"the number {event.value[:20]}... is {len(event.value):,} characters long; numbers "
                            f"are read up to {MAX_NUMBER_LENGTH} characters",
                            "no figure of a filing has more than 20 digits: check the number, or quote it if it "
                            "is text")

    def refuse_ambiguous_number(self, event: yaml.ScalarEvent, tag: str, pointer: str) -> None:
        """YAML 1.1 reads 0123 as octal 83 and 1:30 as 90 (base 60): refuse rather than silently convert.
        Not at the top level (`pointer` ""): a file that is one number is no description, and saying so
        (validate) does not quote it, as this refusal would (it might be a PIN or a key)."""
        if tag not in (_INT, _FLOAT) or not event.implicit[0] or not pointer:
            return
        digits = event.value.lstrip("+-").replace("_", "")
        base = ("base-60" if ":" in digits else "hexadecimal" if digits[:2] in ("0x", "0X") else
                "binary" if digits[:2] in ("0b", "0B") else
                "octal" if tag == _INT and len(digits) > 1 and digits[0] == "0" else None)
        if base:
            read = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, _scalar_node(event, tag))
            sign = event.value[:len(event.value) - len(event.value.lstrip("+-"))]
            write = (f"write {sign}{digits.lstrip('0') or '0'} without the leading zero" if base == "octal"
                     else "write the number in plain decimal digits")
            raise self.fail(event, pointer, "ambiguous-number",
                            f"{event.value!r} would be read as the {base} number {read}",
                            f"{write}, or quote it ('{event.value}') if it is text")

    def construct(self, event: yaml.ScalarEvent, tag: str, pointer: str) -> Any:
        """The scalar's value, built by PyYAML's safe constructor for its (standard) tag; dates become text."""
        try:  # the per-tag constructor, not construct_object, which would keep every node in a cache
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, _scalar_node(event, tag))
        except Exception:  # PyYAML's constructors raise assorted errors (KeyError for !!bool maybe, IndexError...)
            if tag == _TIMESTAMP:
                return event.value  # an impossible date (2024-13-31): the schema's date check reports it
            short = "!!" + tag.rsplit(":", 1)[-1]
            raise self.fail(event, pointer, "yaml-value", f"{event.value!r} is not a valid {short} value",
                            f"remove the tag {short}, and write the value plainly") from None
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return value


def _key_kind(text: str) -> str | None:
    """What a plain key is read as, when it is not text."""
    return next((kind for pattern, kind in _KEY_KINDS if pattern.fullmatch(text)), None)


def _scalar_node(event: yaml.ScalarEvent, tag: str) -> ScalarNode:
    # The C parser's marks are of another class than yaml.Mark, with the same fields; the node only carries them.
    return ScalarNode(tag, event.value, cast(yaml.Mark, event.start_mark), cast(yaml.Mark, event.end_mark), event.style)


def _is_json_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True  # json.loads has already accepted the file, so a plain float-like scalar is a JSON number


def _json_number(text: str) -> int | float:
    return int(text) if _JSON_INT.fullmatch(text) else float(text)


def _surrogate_problem(source: str, error: yaml.MarkedYAMLError, data: bytes, is_json: bool) -> Problem | None:
    """libyaml's "invalid Unicode character escape code" for a \\u escape of a surrogate half, said as what it
    is, at the escape: in JSON a half without its other half (pairs are read, SurrogatePairs), in YAML
    either, since YAML takes a character beyond U+FFFF as one \\U escape."""
    mark = error.problem_mark
    if mark is None or "invalid Unicode character escape" not in (error.problem or ""):
        return None
    lines = data.decode("utf-8").split("\n", mark.line + 1)
    row = lines[mark.line] if mark.line < len(lines) else ""
    start = row.rfind("\\u", 0, mark.column + 2)  # the escape the mark is in (libyaml marks its digits)
    match = _LONE_SURROGATE.match(row, start) if start >= 0 else None
    if match is None:
        return None
    message, hint = _surrogate_text(match.group(0).lower(), is_json)
    return Problem(source, mark.line + 1, start + 1, "", "json-syntax" if is_json else "yaml-syntax", message, hint)


def _surrogate_text(escape: str, is_json: bool) -> tuple[str, str]:
    """Message and hint for surrogate escapes refused: a lone half (`\\ud842`), or a pair (`\\ud842\\udfb7`),
    which only YAML refuses."""
    if is_json:
        first = int(escape[2:6], 16) < 0xDC00
        return (f"JSON syntax: {escape} is the {'first' if first else 'second'} half of a surrogate pair, without "
                f"the {'second' if first else 'first'}",
                f"a character beyond U+FFFF is escaped as two halves, such as {_PAIR_EXAMPLE}: write both, or the "
                "character itself (the file is UTF-8)")
    if len(escape) == 12 and int(escape[2:6], 16) < 0xDC00 <= int(escape[8:12], 16):
        return (f"YAML syntax: {escape} is a surrogate pair, which YAML does not read as a character",
                f"write the character itself, or escape it as \\U{pair_code(escape[2:6], escape[8:12]):08X} (\\U "
                "and 8 hex digits)")
    return (f"YAML syntax: {escape[:6]} is half of a surrogate pair, which is no character",
            "write the character itself, or escape it with \\U and 8 hex digits, such as \\U00020BB7 for "
            "\U00020BB7")


def _syntax_problem(source: str, error: yaml.MarkedYAMLError, data: bytes) -> Problem:
    mark = error.problem_mark or error.context_mark
    context = error.context
    if context and error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
        context += f" (opened at line {error.context_mark.line + 1}, column {error.context_mark.column + 1})"
    parts = [part for part in (context, error.problem) if part]
    message = "YAML syntax: " + ": ".join(parts)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(source, line, column, "", "yaml-syntax", message, _syntax_hint(error, _character_at(data, mark)))


def _character_at(data: bytes, mark: yaml.Mark | None) -> str:
    """The character a parser error points at ('' past the end): libyaml's marks carry no buffer."""
    if mark is None:
        return ""
    lines = data.decode("utf-8").split("\n", mark.line + 1)
    row = lines[mark.line] if mark.line < len(lines) else ""
    return row[mark.column:mark.column + 1]


def _syntax_hint(error: yaml.MarkedYAMLError, found: str) -> str:
    """The usual cause of each libyaml complaint, said as what to change."""
    context, problem = error.context or "", error.problem or ""
    if "tab" in problem or found == "\t":
        return "indent with spaces, not tabs"
    if "flow" in context and error.context_mark:
        return (f"close the bracket opened at line {error.context_mark.line + 1}, "
                "or quote a value containing ',' or ':'")
    if "quoted scalar" in context and "end of stream" in problem:
        opened = error.context_mark.line + 1 if error.context_mark else "?"
        return f"close the quote opened at line {opened}"
    if "quoted scalar" in context and "escape" in problem:
        return ("in double quotes a backslash starts an escape (\\n, \\\"): write \\\\ for a backslash, "
                "or use single quotes")
    if "mapping values are not allowed" in problem:
        return ("check this line and the one above: a key needs ': ' after it, a line must line up with the keys "
                "beside it, and a value containing ': ' must be quoted (position: \"Director: Finance\")")
    if "cannot start any token" in problem:
        return f"quote the value: YAML reserves {found!r} at the start of a value" if found else "quote the value"
    if "did not find expected" in problem and error.context_mark:
        opened = error.context_mark.line + 1
        return (f"line this up with the keys (or '- ' items) of the block opened at line {opened}, "
                "or quote the whole value if it goes on after a closing bracket or quote")
    return "check the indentation and quoting at this line"
