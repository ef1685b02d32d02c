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
        parser = _PARSER(data)
        try:  # (as yaml.parse reads them, without a generator between: get_event gives None after the last)
            builder.run(iter(parser.get_event, None))
        finally:
            parser.dispose()
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


_Frame = tuple[Any, bool, Any, Any, Any, int, int, Any, int]
"""An open collection, as Builder.run holds it: (value, is_map, key awaiting its value or None, node of its
items' positions or None until the first, parent node, item in the parent node, length of its pointer, its
token in its parent's (key or index; None for the document's root), depth). The bottom frame is the
document itself: a one-item list whose node is the position tree's root, at depth -1."""
_ONE_ONE = (1 << 32) | 1
"""encode_mark adds 1 to the line and to the column: both at once, to line << 32 | column."""
_RESOLVERS = {first: tuple(resolvers) for first, resolvers in Resolver.yaml_implicit_resolvers.items()}
"""PyYAML's implicit resolvers by a plain scalar's first character ('' for the empty scalar), in the order
Resolver.resolve tries them; it has no wildcard resolvers (the None entry), so a plain scalar whose first
character is not here is text."""
assert None not in _RESOLVERS
_BOOLS = SafeConstructor.bool_values
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
"""An int the safe constructor reads as int() does (no `_`, no leading zero, no base): read directly."""
_DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")
"""A float the safe constructor reads as float() does (no `_`, exponent, `:` or infinity; finite at up to
MAX_NUMBER_LENGTH characters): read directly."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""A date without a time: its value is its text, valid or not (isoformat() writes a valid one as written,
and an impossible one is kept as text)."""
_NO_CHILD = object()


class Builder:
    """Turns parser events into plain values, refusing anything a safe description never needs.

    Iterative (a stack of open collections), so nesting costs no Python recursion; every limit is checked
    at the event that crosses it, which is also where the error points. One loop with the open collection
    in local variables: a value's pointer is not built (only its length is kept, for the limit) until an
    error names it, and a plain scalar is resolved and converted in place, falling back on PyYAML's
    resolver and constructors (Builder.scalar) for all but the common forms.
    """

    def __init__(self, source: str, is_json: bool) -> None:
        self.tree = PositionNode(is_map=False)  # its one item is the document's root value
        self.doc = Document(source, None, Positions(self.tree), Positions(self.tree, keys=True))
        self.is_json = is_json
        self.pure_python = _PARSER is not getattr(yaml, "CSafeLoader", None)  # it reads \\ud842 as a character
        self.frames: list[_Frame] = [([], False, None, self.tree, None, 0, 0, None, -1)]
        """The open collections, the document first; while run() runs, the innermost is in its locals."""
        self.documents = 0
        self.nodes = 0

    @property
    def stack(self) -> list[_Frame]:
        """The open collections (mappings and lists), outermost first."""
        return self.frames[1:]

    def run(self, events: Iterator[yaml.Event]) -> None:
        stack = self.frames
        cur, is_map, key, node, parent, item, plen, token, depth = stack.pop()
        at_append = node.at.append  # (the node's, once it has one)
        is_json, pure_python, nodes, documents = self.is_json, self.pure_python, self.nodes, self.documents
        value_length = 0  # the length of the pointer of the value awaited by a mapping (set with its key)
        checked_keys: dict[str, int] = {}  # a plain key found acceptable: the length of its escaped token
        known: dict[str, Any] = {}  # a plain scalar read by a resolver here: its value
        json_words, json_int = {"true": True, "false": False, "null": None}, _JSON_INT
        scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        resolvers, decimal, decimal_float, date, bools = _RESOLVERS, _DECIMAL, _DECIMAL_FLOAT, _DATE, _BOOLS
        str_tag, int_tag, float_tag, bool_tag, null_tag, timestamp_tag = (
            _STR, _INT, _FLOAT, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", _TIMESTAMP)
        max_nodes, max_depth, max_number = MAX_NODES, MAX_DEPTH, MAX_NUMBER_LENGTH
        list_edge = MAX_POINTER_LENGTH - 12  # below it, no list index can make a pointer too long
        event: Any  # told apart by class, which mypy does not follow
        try:
            for event in events:
                kind = event.__class__
                if kind is scalar_event:
                    text = event.value
                    if is_map and key is None:  # a key
                        if event.tag is None and event.implicit[0]:
                            length = checked_keys.get(text)
                            if length is None:
                                self.check_key(event, stack, (cur, is_map, key, node, parent, item, plen, token, depth))
                                length = checked_keys[text] = len(escape_pointer_token(text))
                        else:
                            self.check_key(event, stack, (cur, is_map, key, node, parent, item, plen, token, depth))
                            length = len(escape_pointer_token(text))
                        value_length = plen + 1 + length
                        if value_length > MAX_POINTER_LENGTH:
                            self.check_path(event, self.pointer(stack, (cur, is_map, key, node, parent, item, plen,
                                                                        token, depth), text))
                        if node is None:
                            node = PositionNode(True)
                            at_append = node.at.append
                            parent.hang(item, node)
                        elif text in cur:
                            raise self.duplicate(event, node, self.pointer(stack, (cur, is_map, key, node, parent,
                                                                                   item, plen, token, depth), text))
                        node.keys.append(text)  # (a mapping being built: a list)
                        mark = event.start_mark
                        at_append((mark.line << 32 | mark.column) + _ONE_ONE)
                        key = text
                        continue
                    tag = event.tag
                    if tag is None and not (is_json and event.implicit[0]):
                        if not event.implicit[0]:  # quoted: text
                            if pure_python and event.style == '"' and _SURROGATES.search(text):
                                raise self.refuse_surrogate(event, self.pointer(
                                    stack, (cur, is_map, key, node, parent, item, plen, token, depth), _NO_CHILD, True))
                            value: Any = text
                        else:
                            tried = resolvers.get(text[:1])
                            if tried is None:
                                value = text
                            elif (value := known.get(text, known)) is not known:
                                pass
                            else:
                                for tag, pattern in tried:  # noqa: B007  # the tag of the first that matches
                                    if pattern.match(text):
                                        break
                                else:
                                    tag = str_tag
                                if tag == str_tag:
                                    value = known[text] = text
                                elif tag == int_tag and len(text) <= max_number and decimal.fullmatch(text):
                                    value = known[text] = int(text)
                                elif tag == bool_tag:
                                    value = known[text] = bools[text.lower()]
                                elif tag == null_tag:
                                    value = None
                                elif tag == float_tag and len(text) <= max_number and decimal_float.fullmatch(text):
                                    value = known[text] = float(text)
                                elif tag == timestamp_tag and date.fullmatch(text):
                                    value = text
                                elif tag in _AS_TEXT:
                                    value = text
                                else:
                                    value = self.scalar(event, self.pointer(
                                        stack, (cur, is_map, key, node, parent, item, plen, token, depth), _NO_CHILD,
                                        True))
                    elif tag is None and (value := json_words.get(text, json_words)) is not json_words:
                        pass  # (a plain JSON scalar, from here on) true, false, null
                    elif tag is None and len(text) <= max_number and json_int.fullmatch(text):
                        value = int(text)
                    else:
                        value = self.scalar(event, self.pointer(
                            stack, (cur, is_map, key, node, parent, item, plen, token, depth), _NO_CHILD, True))
                    nodes += 1
                    if nodes > max_nodes or depth >= max_depth or (not is_map and plen > list_edge):
                        self.nodes = nodes
                        self.check_value(event, stack, (cur, is_map, key, node, parent, item, plen, token, depth))
                    if node is None:
                        node = PositionNode(False)
                        at_append = node.at.append
                        parent.hang(item, node)
                    mark = event.start_mark
                    at_append((mark.line << 32 | mark.column) + _ONE_ONE)
                    if is_map:
                        cur[key] = value
                        key = None
                    else:
                        cur.append(value)
                elif kind in collection_end:
                    if node is not None:
                        node.close()
                    cur, is_map, key, node, parent, item, plen, token, depth = stack.pop()
                    at_append = node.at.append  # (the parent has one: it holds this one's position)
                elif kind is mapping_start or kind is sequence_start:
                    opens_map = kind is mapping_start
                    frame = (cur, is_map, key, node, parent, item, plen, token, depth)
                    if is_map and key is None:
                        raise self.fail(event, self.pointer(stack, frame), "complex-key", "a key must be a plain string",
                                        "complex keys (`? [a, b]`, `{a: 1}: x`) are not allowed: write the key as text")
                    tag = event.tag
                    if tag is not None and tag != "!" and tag != (_MAP_TAG if opens_map else _SEQ_TAG):
                        raise self.fail(event, self.pointer(stack, frame, _NO_CHILD, True), "yaml-tag",
                                        f"tag {tag!r} is not allowed", "remove the tag")
                    nodes += 1
                    if nodes > max_nodes or depth >= max_depth or (not is_map and plen > list_edge):
                        self.nodes = nodes
                        self.check_value(event, stack, frame)
                    if node is None:
                        node = PositionNode(False)
                        at_append = node.at.append
                        parent.hang(item, node)
                    mark = event.start_mark
                    at_append((mark.line << 32 | mark.column) + _ONE_ONE)
                    opened: dict[str, Any] | list[Any] = {} if opens_map else []
                    index = len(cur)
                    stack.append((cur, is_map, None, node, parent, item, plen, token, depth))
                    if is_map:
                        cur[key] = opened
                        token, plen = key, value_length
                        key = None
                    else:
                        cur.append(opened)
                        token, plen = (index, plen + 1 + len(str(index))) if depth >= 0 else (None, 0)
                    cur, is_map, parent, item, node, depth = opened, opens_map, node, index, None, depth + 1
                elif kind is yaml.AliasEvent:
                    frame = (cur, is_map, key, node, parent, item, plen, token, depth)
                    raise self.fail(event, self.pointer(stack, frame, _NO_CHILD, True), "yaml-alias",
                                    "anchors and aliases (&name / *name) are not supported",
                                    "write the value out in full where it is used")
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self.fail(event, "", "two-documents", "the file holds more than one YAML document",
                                        "a description is one document: remove this '---' line, or split the file "
                                        "in two")
        finally:  # where the builder stopped, for _refusal_read_ahead_of (a parser error stops it anywhere)
            stack.append((cur, is_map, key, node, parent, item, plen, token, depth))
            self.nodes, self.documents = nodes, documents
        root = self.frames[0][0]
        self.doc.data = root[0] if root else None

    def last_position(self) -> Position:
        """Where the last key or value taken so far starts ((1, 1) before any): the parser's reading ahead
        of its events (see _refusal_read_ahead_of) begins there at the latest."""
        _, _, _, node, parent, item, _, _, depth = self.frames[-1]
        if depth < 0:
            return decode_position(self.tree.at[-1]) if self.tree.at else (1, 1)
        if node is not None and node.at:
            return decode_position(node.at[-1])
        # the open collection has no items yet: its own position, in its parent's node
        return decode_position(parent.at[item if parent.keys is None else 2 * item + 1])

    @staticmethod
    def pointer(stack: list[_Frame], top: _Frame, child: object = _NO_CHILD, awaited: bool = False) -> str:
        """The pointer of the open collection `top` (the innermost, above `stack`), or of its item `child`
        (a key or an index), or with `awaited` of the value it awaits next (its next item, or the value
        of its key); the document's root value has the pointer ""."""
        cur, is_map, key, _, _, _, _, _, depth = top
        if depth < 0:
            return ""
        if awaited:
            child = (key if key is not None else _NO_CHILD) if is_map else len(cur)
        tokens = ([frame[7] for frame in stack[1:]] + [top[7]])[1:]  # (the root collection's token is None)
        if child is not _NO_CHILD:
            tokens.append(child)
        return "".join(f"/{escape_pointer_token(str(token))}" for token in tokens)

    def fail(self, event: yaml.Event, pointer: str, code: str, message: str, hint: str | None = None) -> InputError:
        mark = event.start_mark
        assert mark is not None  # (as in document.encode_mark)
        return InputError([Problem(self.doc.source, mark.line + 1, mark.column + 1, pointer, code, message, hint)])

    def check_path(self, event: yaml.Event, pointer: str) -> None:
        if len(pointer) > MAX_POINTER_LENGTH:
            raise self.fail(event, pointer[:80] + "...", "path-too-long",
                            f"the path to this value is longer than {MAX_POINTER_LENGTH:,} characters",
                            "use shorter keys or less nesting: paths in a filing description are under 200 "
                            "characters")

    def check_key(self, event: yaml.ScalarEvent, stack: list[_Frame], top: _Frame) -> None:
        """A mapping key must be text (read as YAML 1.2 reads keys); its path's length and whether it is new
        in its mapping are checked by run()."""
        plain = event.tag in (None, "!") and event.implicit[0]
        if plain and event.value == "<<":
            raise self.fail(event, self.pointer(stack, top), "yaml-merge", "merge keys (<<) are not supported",
                            "write the keys out in full")
        if event.tag not in (None, "!", _STR):
            raise self.fail(event, self.pointer(stack, top, event.value), "yaml-tag",
                            f"tag {event.tag!r} is not allowed on a key", "remove the tag")
        kind = _key_kind(event.value) if plain else None
        if kind:
            raise self.fail(event, self.pointer(stack, top, event.value), "key-not-text",
                            f"the key {event.value or '(empty)'} is read as {kind}, not as text",
                            f"keys are field names: check the key, or quote it ('{event.value}':) if you mean the text")

    def duplicate(self, event: yaml.ScalarEvent, node: PositionNode, pointer: str) -> InputError:
        first = node.find(event.value)
        assert first is not None  # the key is in the mapping, so in its node: the two are built together
        line, column = decode_position(node.at[2 * first])
        return self.fail(event, pointer, "duplicate-key", f"duplicate key {event.value!r}",
                         f"{event.value!r} is already defined at line {line}, column {column}; keep one of them")

    def check_value(self, event: yaml.NodeEvent, stack: list[_Frame], top: _Frame) -> None:
        """The limits a value (scalar or collection) counts against: how many, how deep, how long its path."""
        pointer = self.pointer(stack, top, _NO_CHILD, True)
        if self.nodes > MAX_NODES:
            raise self.fail(event, pointer, "too-many-values", f"the file holds more than {MAX_NODES:,} values",
                            "a filing description needs far fewer: check that this is the right file")
        if top[8] + 1 > MAX_DEPTH:
            raise self.fail(event, pointer, "too-deep", f"nesting is deeper than {MAX_DEPTH} levels",
                            "a filing description needs fewer than 10 levels: flatten the structure")
        self.check_path(event, pointer)

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
