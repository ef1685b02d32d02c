"""Stage 1, load: read a YAML or JSON file safely and remember where every node came from.

Only the YAML *parser* runs (libyaml's when available): values are built here, event by event, without
recursion, so no tag from a file can construct an object, an alias is refused where it stands (it never
expands), nesting and size are bounded before they cost memory, and the line and column of every value
and key are kept in a compact tree beside the data, looked up by JSON pointer. The limits are documented
in docs/filing-format.md.
"""
from __future__ import annotations

import bisect
import codecs
import dataclasses
import datetime
import json
import math
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from ..errors import InputError, Problem

MAX_BYTES = 32 * 1024 * 1024
"""Largest file accepted (32 MiB): far above any real filing description, far below memory trouble."""

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
_JSON_SPACE = " \t\n\r"
_JSON_READ_PAST = 1 << 16
"""How far past the place the builder stopped JSON is read (at most, to the end of that line), to tell
whether the JSON itself is wrong there: every JSON token but a string is far shorter."""
_JSON_CONSTANTS = {"true": True, "false": False, "null": None,
                   "NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_OTHER_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
_KEY_KINDS = (  # the YAML 1.2 core schema: `on:` and `yes:` are text (the rule format uses `on:`), `true:` is not
    (re.compile(r"null|Null|NULL|~|"), "null"),
    (re.compile(r"true|True|TRUE|false|False|FALSE"), "a boolean"),
    (re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
                r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"), "a number"))

_SURROGATE_ESCAPE = re.compile(r"\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
"""A JSON surrogate pair escape (\\ud842\\udfb7: one character beyond U+FFFF, as JSON writes it), or an
escaped backslash, matched first so that the text after it is never read as an escape."""
_LONE_SURROGATE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PAIR_EXAMPLE = "\\ud842\\udfb7 for \U00020BB7"

Position = tuple[int, int]


@dataclass
class Document:
    """A loaded file: plain JSON-like data plus the 1-based (line, column) of each node by JSON pointer
    (`positions`: of its value; `key_positions`: of its key, for a node in a mapping)."""

    source: str
    data: Any
    positions: Mapping[str, Position] = field(default_factory=dict)
    key_positions: Mapping[str, Position] = field(default_factory=dict)

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


_INDEXED_FROM = 16
"""A finished mapping with more keys than this gets a dict from key to item on its first look-up (a scan
is quicker below it); until then, and in most mappings for ever, its keys are kept in a tuple."""
_TRIMMED_BELOW = 1024
"""A finished collection with fewer positions than this has its array trimmed to size: appending
over-allocates (ten positions take eighteen places), and most collections are small. A larger one keeps
its slack (a sixteenth), rather than be copied."""


class _Node:
    """The positions inside one list or mapping with items, kept beside it in a tree rather than under
    a JSON pointer per value (a pointer string per value cost more than most values).

    `at` holds one encoded position (`_encode`) per item of a list, two per item of a mapping (its key's,
    then its value's); `keys` holds a mapping's keys in order (the very strings of the data: a list while
    it is built, then a tuple, or a dict to item once looked up if large) and is None for a list; `kids`
    holds, at an item's index, the node of that item when it is a collection with items, and is None
    until one is. An empty collection has no node: its own position is in its parent's."""

    __slots__ = ("keys", "at", "kids")

    def __init__(self, is_map: bool) -> None:
        self.keys: list[str] | tuple[str, ...] | dict[str, int] | None = [] if is_map else None
        self.at = array("Q")
        self.kids: list[_Node | None] | None = None

    def count(self) -> int:
        return len(self.at) if self.keys is None else len(self.keys)

    def kid(self, item: int) -> _Node | None:
        return self.kids[item] if self.kids is not None and item < len(self.kids) else None

    def hang(self, item: int, kid: _Node) -> None:
        """Record `kid` as the node of item `item` (the latest so far, while this collection is built)."""
        if self.kids is None:
            self.kids = []
        self.kids.extend([None] * (item + 1 - len(self.kids)))
        self.kids[item] = kid

    def close(self) -> None:
        """The collection is finished: trim it (see _TRIMMED_BELOW)."""
        if len(self.at) < _TRIMMED_BELOW:
            self.at = self.at[:]
        if isinstance(self.keys, list):
            self.keys = tuple(self.keys)

    def find(self, key: str) -> int | None:
        """The item of a mapping's key, if it has it."""
        if isinstance(self.keys, tuple) and len(self.keys) > _INDEXED_FROM:
            self.keys = {name: index for index, name in enumerate(self.keys)}
        if isinstance(self.keys, dict):
            return self.keys.get(key)
        assert self.keys is not None
        return self.keys.index(key) if key in self.keys else None

    def item(self, token: str) -> int | None:
        """The item a JSON pointer token names here: a list index written as the loader writes it (no
        sign, no leading zero), or a mapping key escaped as the loader escapes it; None if there is none."""
        if self.keys is None:
            canonical = token.isascii() and token.isdigit() and (token == "0" or token[0] != "0") and len(token) < 20
            return int(token) if canonical and int(token) < len(self.at) else None
        key = token.replace("~1", "/").replace("~0", "~")
        return self.find(key) if escape_pointer_token(key) == token else None


def _encode(mark: yaml.Mark) -> int:
    """A parser mark as one integer: line << 32 | column, both 1-based."""
    return (mark.line + 1) << 32 | (mark.column + 1)


def _decode(encoded: int) -> Position:
    return encoded >> 32, encoded & 0xFFFFFFFF


class Positions(Mapping[str, Position]):
    """The (line, column) of every value (or, with `keys`, of every mapping key) by JSON pointer, read
    from a position tree: looking a pointer up walks it token by token, as the data would be walked.

    A Mapping, so it reads like the dict it replaces; iterating builds every pointer, which is slow on a
    large file but only done on rule files (examples are re-based by pointer prefix). Picklable: the rule
    cache keeps each rule's positions."""

    __slots__ = ("_root", "_keys")

    def __init__(self, root: _Node, keys: bool = False) -> None:
        self._root = root  # a list node whose one item is the document's root value
        self._keys = keys

    def _encoded(self, pointer: str) -> int | None:
        """The encoded position under `pointer`, or None where there is none."""
        node, item = self._root, 0
        if pointer:
            if pointer[0] != "/":
                return None
            for token in pointer[1:].split("/"):
                kid = node.kid(item)
                found = kid.item(token) if kid is not None else None
                if found is None:
                    return None
                node, item = kid, found  # type: ignore[assignment]
        if node.keys is None:
            return None if self._keys else node.at[item]
        return node.at[2 * item + (0 if self._keys else 1)]

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._encoded(pointer) is not None

    def __getitem__(self, pointer: str) -> Position:
        encoded = self._encoded(pointer) if isinstance(pointer, str) else None
        if encoded is None:
            raise KeyError(pointer)
        return _decode(encoded)

    def __iter__(self) -> Iterator[str]:
        return (pointer for pointer, _ in self._walk())

    def __len__(self) -> int:
        return sum(1 for _ in self._walk())

    def items(self) -> Iterator[tuple[str, Position]]:  # type: ignore[override]
        return ((pointer, _decode(encoded)) for pointer, encoded in self._walk())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.items())!r})"

    def _walk(self) -> Iterator[tuple[str, int]]:
        """Every (pointer, encoded position), in document order."""
        pending: list[tuple[_Node, int, str]] = [(self._root, 0, "")]
        while pending:
            node, item, pointer = pending.pop()
            if node.keys is not None:
                yield pointer, node.at[2 * item + (0 if self._keys else 1)]
            elif not self._keys:
                yield pointer, node.at[item]
            kid = node.kid(item)
            if kid is not None:
                tokens = (map(escape_pointer_token, kid.keys) if kid.keys is not None
                          else map(str, range(len(kid.at))))
                pending.extend(reversed([(kid, index, f"{pointer}/{token}") for index, token in enumerate(tokens)]))


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
            raw = handle.read(MAX_BYTES + 1)  # a file that grew since stat() is still bounded
    except FileNotFoundError:
        raise _file_error(source, "no-such-file", "no such file", "check the path") from None
    except OSError as error:
        raise _file_error(source, "unreadable", f"cannot be read: {error.strerror}") from None
    return load_bytes(raw, source)


def load_bytes(raw: bytes, source: str) -> Document:
    """Check the bytes are UTF-8 text (a UTF-8 byte order mark is dropped) and load them; `source` names the
    input in every error."""
    if len(raw) > MAX_BYTES:
        raise _too_big(source, len(raw))
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            raise _content_error(source, "not-utf8", f"the file is encoded as {encoding} (it starts with a "
                                 f"{encoding} byte order mark); precomment reads UTF-8 only",
                                 "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
    if b"\x00" in raw:
        line, column = _position_of_byte(raw, raw.index(b"\x00"))
        raise InputError([Problem(source, line, column, "", "binary",
                                  "contains NUL bytes: this is not a text file",
                                  "give a YAML or JSON text file; if it is UTF-16 text, save it as UTF-8")])
    if raw.startswith(codecs.BOM_UTF8):  # carries no meaning in UTF-8; YAML and JSON readers may skip it
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        _check_utf8(raw)
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(raw, error.start)
        raise InputError([Problem(source, line, column, "", "not-utf8",
                                  f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                                  "save the file as UTF-8 (it looks like another encoding, such as "
                                  "Windows-1252 or Shift JIS)")]) from None
    return _load(raw, source)


def _check_utf8(raw: bytes) -> None:
    """Raise UnicodeDecodeError (with the offset in `raw`) unless `raw` is UTF-8. Decoded a megabyte at a
    time and not kept: the parser reads the bytes themselves, so even a 32 MiB file is held only once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), 1 << 20):
            decoder.decode(view[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raw.decode("utf-8")  # again in one piece, for the error's offset in the whole file
        raise


def load_text(text: str, source: str) -> Document:
    """Load a description held in a string (tests, documentation examples), with the same checks as a file."""
    return load_bytes(text.encode("utf-8", errors="surrogatepass"), source)


def _load(data: bytes, source: str) -> Document:
    """Load one YAML document (or, for a `.json` source, one strict JSON value) from UTF-8 `data`."""
    if not data or data.isspace():  # (not strip(), which would copy a large file)
        raise _content_error(source, "empty", "the file is empty" if not data else "the file holds only blank lines",
                             "write the description as YAML `key: value` lines (or a JSON object)")
    is_json = source.lower().endswith(".json")
    pairs = _SurrogatePairs.of(data) if is_json and b"\\u" in data else None
    try:
        builder = _parse(pairs.data if pairs else data, source, is_json)
    except InputError as failure:
        failure.with_traceback(None)  # its frames hold the values built: free them before JSON reads
        refusal = pairs.restore(failure) if pairs else failure
        if is_json:  # a JSON syntax error before the place the builder stopped is the one to report
            _check_strict_json(data, source, refusal.problems[0])
        raise refusal from None
    if pairs:
        pairs.restore_tree(builder.tree)
    if is_json:
        _check_strict_json(data, source, None)
    if not builder.documents:
        raise _content_error(source, "empty", "the file holds no YAML document, only comments",
                             "write the description as YAML `key: value` lines")
    if builder.doc.data is None:
        raise _content_error(source, "empty", "the file holds only an empty document",
                             "write the description as YAML `key: value` lines")
    return builder.doc


@dataclass
class _SurrogatePairs:
    """A JSON text with each surrogate pair escape written as the YAML escape of its character, and the way
    back to the columns of the text as written.

    JSON escapes a character beyond U+FFFF as two \\u escapes, its UTF-16 halves (\\ud842\\udfb7 is
    U+20BB7); YAML reads \\u escapes as characters and refuses halves, taking \\U00020BB7 instead. So
    before parsing, each pair (12 characters) becomes that \\U escape (10): the parser reads the very
    character JSON means, and every position it reports past a pair on its line, 2 columns short per pair,
    is put back (`restore`, `restore_tree`). A half without its other half is left for the parser to refuse
    (_surrogate_problem says why), so the errors before it in the file come first."""

    data: bytes
    ends: dict[int, list[int]]
    """For each line holding a pair: the column just after each \\U escape written for one, in order."""

    @classmethod
    def of(cls, raw: bytes) -> _SurrogatePairs | None:
        text = raw.decode("utf-8")
        pieces: list[str] = []
        ends: dict[int, list[int]] = {}
        done = line = 0
        line_start = -1  # the index of the newline before the current line (-1 on the first)
        for match in _SURROGATE_ESCAPE.finditer(text):
            if not match.group(1):
                continue  # an escaped backslash
            newlines = text.count("\n", done, match.start())  # counted from the last pair on: linear in the file
            if newlines:
                line += newlines
                line_start = text.rfind("\n", done, match.start())
            written = ends.setdefault(line + 1, [])
            column = match.start() - line_start - 2 * len(written)  # 1-based, in the rewritten line
            pieces += [text[done:match.start()], f"\\U{_pair_code(match.group(1), match.group(2)):08X}"]
            written.append(column + 10)
            done = match.end()
        if not ends:
            return None
        pieces.append(text[done:])
        return cls("".join(pieces).encode("utf-8"), ends)

    def column(self, line: int | None, column: int | None) -> int | None:
        """The column in the text as written of a column of the rewritten text."""
        ends = self.ends.get(line or 0)
        return column if not ends or column is None else column + 2 * bisect.bisect_right(ends, column)

    def restore(self, failure: InputError) -> InputError:
        """The refusal, at the columns of the text as written."""
        return InputError([dataclasses.replace(p, column=self.column(p.line, p.column)) for p in failure.problems])

    def restore_tree(self, root: _Node) -> None:
        """Every position recorded by the builder, at the columns of the text as written."""
        pending = [root]
        while pending:
            node = pending.pop()
            for index, encoded in enumerate(node.at):
                line, column = _decode(encoded)
                if line in self.ends:
                    node.at[index] = line << 32 | self.column(line, column)  # type: ignore[operator]
            pending.extend(kid for kid in node.kids or () if kid is not None)


def _pair_code(high: str, low: str) -> int:
    """The code point of a UTF-16 surrogate pair, given as the hex digits of its halves."""
    return 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)


def _parse(data: bytes, source: str, is_json: bool) -> _Builder:
    """Run the parser's events through the builder; every failure becomes a located InputError."""
    builder = _Builder(source, is_json)
    try:
        builder.run(yaml.parse(data, Loader=_PARSER))
    except yaml.MarkedYAMLError as error:
        hidden = _refusal_read_ahead_of(builder, error, data)
        raise hidden or InputError([_surrogate_problem(source, error, data, is_json)
                                    or _syntax_problem(source, error, data)]) from None
    except ReaderError as error:  # libyaml refuses control characters, with a byte offset
        line, column = _position_of_byte(data, error.position)
        raise InputError([Problem(source, line, column, "", "control-character",
                                  f"character U+{error.character:04X} is a control character, which YAML does "
                                  "not allow", "delete it (it often comes with text pasted from another program)")]
                         ) from None
    except yaml.YAMLError as error:
        raise _file_error(source, "yaml-syntax", f"YAML syntax: {error}") from None
    return builder


def _refusal_read_ahead_of(builder: _Builder, error: yaml.MarkedYAMLError, data: bytes) -> InputError | None:
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
    end = _offset(text, mark.line + 1, mark.column + 1)
    unseen = text[_offset(text, *builder.last_position()):end]
    if len(builder.stack) + sum(map(unseen.count, "[{-?:\n")) <= MAX_DEPTH:
        return None
    again = _Builder(builder.doc.source, builder.is_json)
    try:
        again.run(yaml.parse(text[:end], Loader=_PARSER))
    except InputError as refusal:
        return refusal
    except yaml.YAMLError:
        pass  # the cut text ends mid-collection: nothing refused before it
    return None


def _check_strict_json(data: bytes, source: str, stopped: Problem | None) -> None:
    """A .json file must be JSON: YAML would quietly accept trailing commas, comments and single quotes.

    Run after the builder, and only on the part of the file it read (up to `stopped`, where it refused
    something, and the rest of that line), because json.loads builds every value at once and recursively:
    on a file past the value or depth limits (a million `{}` or `[`) it would cost gigabytes or overflow the
    stack. Even so, what it reads is not kept: each mapping, number and constant becomes None as it is read
    (only lists of them and strings remain), and the decoded text is held once, as that part. A JSON error
    before that place, or at it, is reported instead of the builder's: a file that is not JSON there gets a
    JSON error, never the YAML parser's (`{"a" 1}`, an alias, a YAML key). NaN and Infinity pass here; the
    builder refuses them where they stand, like `.nan` in YAML."""
    text = data.decode("utf-8")
    cut = _offset(text, stopped.line, stopped.column) if stopped and stopped.line else len(text)
    line_end = text.find("\n", cut)
    end = min(len(text) if line_end == -1 else line_end + 1, cut + _JSON_READ_PAST)
    part, whole = text[:end], end == len(text)
    del text
    decoder = json.JSONDecoder(object_pairs_hook=_discard, parse_float=_discard, parse_int=_discard,
                               parse_constant=_discard)
    try:
        _, value_end = decoder.raw_decode(part, len(part) - len(part.lstrip(_JSON_SPACE)))
    except json.JSONDecodeError as error:
        # At the end of `part` (or in a string longer than _JSON_READ_PAST), it was the cut that ended the JSON
        cut_short = not whole and (error.pos >= len(part.rstrip()) or error.msg.startswith("Unterminated string"))
        if error.pos <= cut and not cut_short:
            raise _json_error(source, error) from None
        return  # JSON has nothing to say before the builder's own error, which stands
    except RecursionError:  # libyaml reads up to 1,024 characters ahead of its events, so the part before a
        return              # syntax error may nest past MAX_DEPTH: the builder's own error stands
    text = part if whole else data.decode("utf-8")
    following = len(text) - len(text[value_end:].lstrip(_JSON_SPACE))
    if following < len(text):
        raise _json_error(source, json.JSONDecodeError("Extra data", text, following))


def _discard(_: Any) -> None:
    return None


def _json_error(source: str, error: json.JSONDecodeError) -> InputError:
    error = _trailing_comma(error) or error
    return InputError([Problem(source, error.lineno, error.colno, "", "json-syntax", f"JSON syntax: {error.msg}",
                               _json_hint(error))])


_TRAILING_COMMA = "trailing comma before the end of {}"


def _trailing_comma(error: json.JSONDecodeError) -> json.JSONDecodeError | None:
    """A trailing comma, told the same way on every Python, at the comma: Python 3.13 says "Illegal trailing
    comma before end of object" there, 3.11 and 3.12 "Expecting property name enclosed in double quotes"
    (or "Expecting value", in a list) at the bracket after it."""
    text, position = error.doc, error.pos
    if error.msg.startswith("Illegal trailing comma"):
        comma = position
    elif text[position:position + 1] in ("}", "]") and text[:position].rstrip().endswith(","):
        comma = len(text[:position].rstrip()) - 1
    else:
        return None
    closing = text[comma + 1:].lstrip(_JSON_SPACE)[:1]
    return json.JSONDecodeError(_TRAILING_COMMA.format("an object" if closing == "}" else "a list"), text, comma)


def _offset(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and column (the end, for a place past it)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if not start:
            return len(text)
    return min(start + column - 1, len(text))


def _json_hint(error: json.JSONDecodeError) -> str:
    """Name the usual culprit at the error's position: YAML habits and JavaScript leniency."""
    text, position = error.doc, error.pos
    rest = text[position:position + 2]
    if rest.startswith(("//", "/*", "#")):
        return "JSON allows no comments: remove it, or write the description as YAML"
    if error.msg.startswith(_TRAILING_COMMA.format("")):
        return "remove this comma: JSON allows no trailing commas"
    if rest.startswith("'"):
        return "JSON strings and keys take double quotes (\"...\"), not single quotes"
    if error.msg == "Extra data":
        return "a JSON file holds one value: remove what follows the closing '}'"
    if not text[position:].strip():
        return "the file ends too early: close every '{' and '['"
    return "check the JSON at this position: JSON allows no trailing commas, comments or single quotes"


@dataclass
class _Open:
    """A mapping or list being built: where it is, how deep, where its own position went (item `item` of
    the node `parent`), the node of its items' positions (made with the first item), and (for a mapping)
    the key awaiting its value."""

    value: dict[str, Any] | list[Any]
    pointer: str
    depth: int
    parent: _Node
    item: int
    node: _Node | None = None
    key: str | None = None
    key_pointer: str = ""  # the awaiting value's pointer


class _Builder:
    """Turns parser events into plain values, refusing anything a safe description never needs.

    Iterative (a stack of open collections), so nesting costs no Python recursion; every limit is checked
    at the event that crosses it, which is also where the error points.
    """

    def __init__(self, source: str, is_json: bool) -> None:
        self.tree = _Node(is_map=False)  # its one item is the document's root value
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
            return _decode(self.tree.at[-1]) if self.tree.at else (1, 1)
        top = self.stack[-1]
        if top.node is not None and top.node.at:
            return _decode(top.node.at[-1])
        parent = top.parent  # the open collection has no items yet: its own position, in its parent's node
        return _decode(parent.at[top.item if parent.keys is None else 2 * top.item + 1])

    def fail(self, event: yaml.Event, pointer: str, code: str, message: str, hint: str | None = None) -> InputError:
        mark = event.start_mark
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
            line, column = _decode(node.at[2 * node.find(event.value)])  # type: ignore[operator]
            raise self.fail(event, pointer, "duplicate-key", f"duplicate key {event.value!r}",
                            f"{event.value!r} is already defined at line {line}, column {column}; "
                            "keep one of them")
        node.keys.append(event.value)  # type: ignore[union-attr]  # a mapping being built: a list
        node.at.append(_encode(event.start_mark))
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

    def node_of(self, top: _Open) -> _Node:
        """The node of `top`'s items' positions, made (and hung in its parent's node) with the first item."""
        if top.node is None:
            top.node = _Node(isinstance(top.value, dict))
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
            self.tree.at.append(_encode(event.start_mark))
            self.doc.data = value
            return depth
        top = self.stack[-1]
        self.node_of(top).at.append(_encode(event.start_mark))
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            top.key = None
        return depth

    def tag_of(self, event: yaml.ScalarEvent) -> str:
        if event.tag not in (None, "!"):
            return event.tag
        if self.is_json and event.implicit[0]:  # a plain JSON scalar: true, false, null or a number
            return _STR if event.value not in _JSON_CONSTANTS and not _is_json_number(event.value) else "json"
        return _RESOLVER.resolve(ScalarNode, event.value, event.implicit)

    def scalar(self, event: yaml.ScalarEvent, pointer: str) -> Any:
        tag = self.tag_of(event)
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
    return ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)


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
    is, at the escape: in JSON a half without its other half (pairs are read, _SurrogatePairs), in YAML
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
                f"write the character itself, or escape it as \\U{_pair_code(escape[2:6], escape[8:12]):08X} (\\U "
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


def _position_of_byte(raw: bytes, offset: int) -> Position:
    """1-based line and column (in characters, as YAML counts them) of the byte at `offset`."""
    start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
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
