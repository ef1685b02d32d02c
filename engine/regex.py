"""The `matches` dialect: durable-rules' own pattern language, checked and translated for the oracle.

durable-rules matches a pattern against the WHOLE value with a Lua-like syntax (`%d`, not `\\d`) and
fails silently on constructs it does not know. Rules are written in that dialect; this module refuses
everything outside the subset both engines agree on, and translates the rest into Python `re` syntax
with identical meaning (character classes copied from durable-rules' regex.c).
"""
from __future__ import annotations

import re
from functools import lru_cache

CLASSES = {
    "a": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff",
    "c": "\x00-\x1f\x7f\u0080-\u009f",
    "d": "0-9",
    "g": "\x21-\x7e",
    "l": "a-z\u00df-\u00f6\u00f8-\u00ff",
    "p": ".,;:?!'\"()\u00a1\u00bf\\-",
    "s": "\x09-\x0d\x20",
    "u": "A-Z\u00c0-\u00d6\u00d8-\u00de",
    "w": "A-Za-z0-9",
    "x": "0-9A-Fa-f",
}
LITERAL_ESCAPES = set(".|?*+()[]{}%")
MAX_REPEAT = 100
MAX_LENGTH = 200


class PatternError(ValueError):
    """A pattern outside the supported dialect; `offset` is the 0-based character position."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.hint = hint


def translate(pattern: str) -> str:
    """Python `re` source equivalent to `pattern` in durable-rules' dialect (to be used with fullmatch)."""
    if not pattern:
        raise PatternError("an empty pattern matches only the empty string", 0, "use `equals: \"\"` instead")
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"pattern is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    out: list[str] = []
    depth = 0
    can_repeat = False  # whether the previous token is an atom a quantifier may follow
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            raise PatternError("backslash escapes never match in durable-rules patterns", i,
                               "write %d for a digit, %s for a space, %. for a literal dot")
        if char in "^$":
            raise PatternError(f"{char!r} is not an anchor here: patterns always match the whole value", i,
                               "drop it, and use .* at either end to match part of a value")
        if char in "*+?{":
            if not can_repeat:
                raise PatternError(f"{char!r} has nothing to repeat", i)
            if char == "{":
                text, i = _interval(pattern, i)
                out.append(text)
            else:
                out.append(char)
                i += 1
            can_repeat = False
            continue
        if char == "%":
            out.append(_escape(pattern, i, in_set=False))
            i += 2
        elif char == "[":
            text, i = _char_set(pattern, i)
            out.append(text)
        elif char == "(":
            depth += 1
            out.append("(?:")
            i += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise PatternError("unbalanced ')'", i, "write %) for a literal parenthesis")
            out.append(")")
            i += 1
        elif char in "]}":
            raise PatternError(f"unbalanced {char!r}", i, f"write %{char} for a literal {char}")
        else:
            out.append(char if char in ".|" else re.escape(char))
            i += 1
        can_repeat = char not in "(|"
    if depth:
        raise PatternError("unbalanced '('", len(pattern))
    return "".join(out)


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern), re.DOTALL)


def _escape(pattern: str, i: int, in_set: bool) -> str:
    if i + 1 >= len(pattern):
        raise PatternError("'%' at the end of the pattern", i, "write %% for a literal percent sign")
    code = pattern[i + 1]
    if code in CLASSES:
        return CLASSES[code] if in_set else f"[{CLASSES[code]}]"
    if code in LITERAL_ESCAPES:
        return re.escape(code) if not in_set else "\\" + code
    raise PatternError(f"unknown escape %{code}", i,
                       "classes are %a %c %d %g %l %p %s %u %w %x; %. %% %( etc. are literal")


def _char_set(pattern: str, start: int) -> tuple[str, int]:
    i = start + 1
    negate = i < len(pattern) and pattern[i] == "^"
    if negate:
        i += 1
    parts: list[str] = []
    last: str | None = None  # the previous plain character, which may start a range
    first = True
    while i < len(pattern) and (pattern[i] != "]" or first):
        char = pattern[i]
        if char == "%":
            if i + 1 < len(pattern) and pattern[i + 1] in CLASSES and parts:
                # durable-rules' readRange restarts the set at a class escape, dropping what came before
                raise PatternError(f"%{pattern[i + 1]} must come first in its set: durable-rules drops "
                                   "whatever precedes a class escape inside [...]", i,
                                   "put the class first ([%da-f]), or use alternatives: (%d|%s)")
            parts.append(_escape(pattern, i, in_set=True))
            last = None
            i += 2
        elif char == "\\":
            raise PatternError("backslash escapes never match in durable-rules patterns", i, "write %d, %s, %. ...")
        elif char == "-" and i + 1 < len(pattern) and pattern[i + 1] == "]" and not first:
            parts.append("\\-")  # a trailing '-' is literal
            i += 1
        elif char == "-":
            high = pattern[i + 1] if i + 1 < len(pattern) else ""
            if last is None or not high or high in "%\\]" or high < last:
                raise PatternError("a '-' in a set must join two plain characters in order (a-z), or end the set", i)
            parts.append("-" + re.escape(high))
            last = None
            i += 2
        else:
            parts.append(re.escape(char))
            last = char
            i += 1
        first = False
    if i >= len(pattern):
        raise PatternError("unterminated '['", start, "write %[ for a literal bracket")
    return ("[^" if negate else "[") + "".join(parts) + "]", i + 1


def _interval(pattern: str, start: int) -> tuple[str, int]:
    end = pattern.find("}", start)
    body = pattern[start + 1:end] if end != -1 else ""
    match = re.fullmatch(r"([0-9]{1,3})(,([0-9]{0,3}))?", body)
    if end == -1 or not match:
        raise PatternError("a repeat must be {n}, {n,} or {n,m} after something to repeat", start)
    low = int(match.group(1))
    high = match.group(3)
    if (high and int(high) < low) or low > MAX_REPEAT or (high and int(high) > MAX_REPEAT):
        raise PatternError(f"repeat counts must satisfy n <= m <= {MAX_REPEAT}", start)
    return "{" + body + "}", end + 1
