"""Strict JSON: a `.json` input is read by the YAML event builder (one reader, one set of limits and
positions), then checked to be JSON as written, since YAML would quietly accept trailing commas, comments and
single quotes. Also JSON's surrogate pair escapes, which YAML refuses, rewritten before parsing.
"""
from __future__ import annotations

import bisect
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, Problem
from .document import PositionNode, decode_position, offset_of

_JSON_SPACE = " \t\n\r"
_JSON_READ_PAST = 1 << 16
"""How far past the place the builder stopped JSON is read (at most, to the end of that line), to tell
whether the JSON itself is wrong there: every JSON token but a string is far shorter."""
_SURROGATE_ESCAPE = re.compile(r"\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
"""A JSON surrogate pair escape (\\ud842\\udfb7: one character beyond U+FFFF, as JSON writes it), or an
escaped backslash, matched first so that the text after it is never read as an escape."""


@dataclass
class SurrogatePairs:
    """A JSON text with each surrogate pair escape written as the YAML escape of its character, and the way
    back to the columns of the text as written.

    JSON escapes a character beyond U+FFFF as two \\u escapes, its UTF-16 halves (\\ud842\\udfb7 is
    U+20BB7); YAML reads \\u escapes as characters and refuses halves, taking \\U00020BB7 instead. So
    before parsing, each pair (12 characters) becomes that \\U escape (10): the parser reads the very
    character JSON means, and every position it reports past a pair on its line, 2 columns short per pair,
    is put back (`restore`, `restore_tree`). A half without its other half is left for the parser to refuse
    (yaml_events._surrogate_problem says why), so the errors before it in the file come first."""

    data: bytes
    ends: dict[int, list[int]]
    """For each line holding a pair: the column just after each \\U escape written for one, in order."""

    @classmethod
    def of(cls, raw: bytes) -> SurrogatePairs | None:
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
            pieces += [text[done:match.start()], f"\\U{pair_code(match.group(1), match.group(2)):08X}"]
            written.append(column + 10)
            done = match.end()
        if not ends:
            return None
        pieces.append(text[done:])
        return cls("".join(pieces).encode("utf-8"), ends)

    def column(self, line: int | None, column: int | None) -> int | None:
        """The column in the text as written of a column of the rewritten text (None stays None: a problem
        may have no place)."""
        return column if column is None else self.shifted(line or 0, column)

    def shifted(self, line: int, column: int) -> int:
        """`column` but for a known place: each pair rewritten before it on its line was 2 characters longer."""
        ends = self.ends.get(line)
        return column + 2 * bisect.bisect_right(ends, column) if ends else column

    def restore(self, failure: InputError) -> InputError:
        """The refusal, at the columns of the text as written."""
        return InputError([dataclasses.replace(p, column=self.column(p.line, p.column)) for p in failure.problems])

    def restore_tree(self, root: PositionNode) -> None:
        """Every position recorded by the builder, at the columns of the text as written."""
        pending = [root]
        while pending:
            node = pending.pop()
            for index, encoded in enumerate(node.at):
                line, column = decode_position(encoded)
                if line in self.ends:
                    node.at[index] = line << 32 | self.shifted(line, column)
            pending.extend(kid for kid in node.kids or () if kid is not None)


def pair_code(high: str, low: str) -> int:
    """The code point of a UTF-16 surrogate pair, given as the hex digits of its halves."""
    return 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)


def check_strict_json(data: bytes, source: str, stopped: Problem | None) -> None:
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
    cut = offset_of(text, stopped.line, stopped.column) if stopped and stopped.line and stopped.column else len(text)
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
