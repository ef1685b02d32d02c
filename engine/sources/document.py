"""A loaded filing description or rule file: its plain JSON-like data, and the line and column of every value
and key, kept in a compact tree beside the data and looked up by JSON pointer (the loader builds both:
sources.yaml_events). Also where a place in the text is, counted the way the parser counts: every error a
loader reports points at one.
"""
from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..errors import Problem

Position = tuple[int, int]


@dataclass
class Document:
    """A loaded file: plain JSON-like data plus the 1-based (line, column) of each node by JSON pointer
    (`positions`: of its value; `key_positions`: of its key, for a node in a mapping)."""

    source: str
    data: Any
    positions: Mapping[str, Position] = field(default_factory=dict)
    key_positions: Mapping[str, Position] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """What reading it found worth saying that does not stop the check (an answer naming an item the
    document lacks): printed on standard error with the run's other warnings."""
    absent_is_open: ClassVar[bool] = False
    """Whether a field left out is an open question whatever the schema's x-absent says: so for a description
    read from a filing document (extraction.overlay), where a value the reader missed is not one the filing
    does not give."""

    def left_open(self, fact_id: str, key: str) -> bool:
        """Whether the field `key` (a fact key: nested names joined by `__`) left out of the fact at `fact_id`
        is an open question for how the description was made: never, for one written by hand (the schema's
        x-absent says what leaving it out means); see ReadDocument."""
        return False

    def origins(self) -> dict[str, int] | None:
        """How many values came from where, for a description read from a document (see ReadDocument);
        None for one written by hand, all of whose values are its own."""
        return None

    def origin(self, pointer: str, prefer_key: bool = False) -> tuple[str, Position | None]:
        """The file a node came from and its place there: this file, for a description written by hand."""
        return self.source, self.locate(pointer, prefer_key)

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
        source, position = self.origin(pointer, prefer_key)
        line, column = position or (None, None)
        return Problem(source, line, column, pointer, code, message, hint)


_INDEXED_FROM = 16
"""A finished mapping with more keys than this gets a dict from key to item on its first look-up (a scan
is quicker below it); until then, and in most mappings for ever, its keys are kept in a tuple."""
_TRIMMED_BELOW = 1024
"""A finished collection with fewer positions than this has its array trimmed to size: appending
over-allocates (ten positions take eighteen places), and most collections are small. A larger one keeps
its slack (a sixteenth), rather than be copied."""


class PositionNode:
    """The positions inside one list or mapping with items, kept beside it in a tree rather than under
    a JSON pointer per value (a pointer string per value cost more than most values).

    `at` holds one encoded position (`encode_mark`) per item of a list, two per item of a mapping (its key's,
    then its value's); `keys` holds a mapping's keys in order (the very strings of the data: a list while
    it is built, then a tuple, or a dict to item once looked up if large) and is None for a list; `kids`
    holds, at an item's index, the node of that item when it is a collection with items, and is None
    until one is. An empty collection has no node: its own position is in its parent's."""

    __slots__ = ("keys", "at", "kids")

    def __init__(self, is_map: bool) -> None:
        self.keys: list[str] | tuple[str, ...] | dict[str, int] | None = [] if is_map else None
        self.at = array("Q")
        self.kids: list[PositionNode | None] | None = None

    def count(self) -> int:
        return len(self.at) if self.keys is None else len(self.keys)

    def kid(self, item: int) -> PositionNode | None:
        return self.kids[item] if self.kids is not None and item < len(self.kids) else None

    def hang(self, item: int, kid: PositionNode) -> None:
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


class Mark(Protocol):
    """A place in the text, as PyYAML's pure-Python parser and its C parser (another class) both mark it."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def encode_mark(mark: Mark | None) -> int:
    """A parser mark as one integer: line << 32 | column, both 1-based."""
    assert mark is not None  # the parser marks every event it emits (only events made by hand have none)
    return (mark.line + 1) << 32 | (mark.column + 1)


def decode_position(encoded: int) -> Position:
    return encoded >> 32, encoded & 0xFFFFFFFF


class Positions(Mapping[str, Position]):
    """The (line, column) of every value (or, with `keys`, of every mapping key) by JSON pointer, read
    from a position tree: looking a pointer up walks it token by token, as the data would be walked.

    A Mapping, so it reads like the dict it replaces; iterating builds every pointer, which is slow on a
    large file but only done on rule files (examples are re-based by pointer prefix).

    Picklable, and cheap to unpickle: the rule cache keeps each rule's positions, which were nearly half its
    bytes and most of its objects, yet a check reads them only to locate a problem. So a pickle holds the
    tree as one inner pickle (bytes), unpickled on the first look-up (`_tree`): loading the cache then
    copies one string per rule instead of building every node (BENCHMARKS.md, 'Rule cache load')."""

    __slots__ = ("_root", "_keys", "_packed")

    def __init__(self, root: PositionNode | None, keys: bool = False, packed: bytes | None = None) -> None:
        self._root = root  # a list node whose one item is the document's root value
        self._keys = keys
        self._packed = packed  # the tree, pickled, until first looked up (only set by unpickling)

    def __reduce__(self) -> tuple[Any, ...]:
        packed = self._packed if self._packed is not None else pickle.dumps(self._root, pickle.HIGHEST_PROTOCOL)
        return type(self), (None, self._keys, packed)

    def _tree(self) -> PositionNode:
        if self._root is None:
            assert self._packed is not None
            self._root = pickle.loads(self._packed)  # written by __reduce__, inside the caller's trusted pickle
            self._packed = None
        return self._root

    def _encoded(self, pointer: str) -> int | None:
        """The encoded position under `pointer`, or None where there is none."""
        node, item = self._tree(), 0
        if pointer:
            if pointer[0] != "/":
                return None
            for token in pointer[1:].split("/"):
                kid = node.kid(item)
                found = kid.item(token) if kid is not None else None
                if kid is None or found is None:
                    return None
                node, item = kid, found
        if node.keys is None:
            return None if self._keys else node.at[item]
        return node.at[2 * item + (0 if self._keys else 1)]

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._encoded(pointer) is not None

    def __getitem__(self, pointer: str) -> Position:
        encoded = self._encoded(pointer) if isinstance(pointer, str) else None
        if encoded is None:
            raise KeyError(pointer)
        return decode_position(encoded)

    def __iter__(self) -> Iterator[str]:
        return (pointer for pointer, _ in self._walk())

    def __len__(self) -> int:
        return sum(1 for _ in self._walk())

    # A generator, not Mapping's ItemsView: each call walks the tree once, and callers only iterate it.
    def items(self) -> Iterator[tuple[str, Position]]:  # type: ignore[override]
        return ((pointer, decode_position(encoded)) for pointer, encoded in self._walk())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.items())!r})"

    def _walk(self) -> Iterator[tuple[str, int]]:
        """Every (pointer, encoded position), in document order."""
        pending: list[tuple[PositionNode, int, str]] = [(self._tree(), 0, "")]
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


def offset_of(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and column (the end, for a place past it)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if not start:
            return len(text)
    return min(start + column - 1, len(text))


def position_of_byte(raw: bytes, offset: int) -> Position:
    """1-based line and column (in characters, as YAML counts them) of the byte at `offset`."""
    start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column
