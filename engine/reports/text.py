"""Escaping text from a filing for each human format: a filing is untrusted input.

A name in a filing may hold markup (`<script>`), Markdown syntax, terminal control sequences that would
recolour or rewrite a reviewer's terminal, or characters that show nothing or reorder the text after them
(zero-width spaces, bidi overrides), so that two different names look alike or a row reads otherwise than
it is. Every format passes filing text through one of these.
"""
from __future__ import annotations

import html
import re
import textwrap

# What a terminal, an editor or a browser acts on or shows as nothing, by code point: the C0 and C1 controls
# but tab and newline (ANSI sequences start with ESC, U+001B, or CSI, U+009B); every format character of
# Unicode 15.1 (general category Cf: soft hyphen, zero-width space, joiners and word joiner, byte order
# mark, bidi marks, embeddings, overrides and isolates, which reorder the text after them (the "Trojan
# Source" attack, CVE-2021-42574), and the tag characters U+E0001 and U+E0020-U+E007F, invisible copies of ASCII); and
# the line and paragraph separators. Written out rather than read from `unicodedata`, so that a report is
# the same on every Python; tests/test_format_hardening.py checks it against the running Python's Unicode.
_ACTED_ON = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
             "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
             "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_CONTROL = re.compile(f"[{_ACTED_ON}]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~^])")


def _code_point(match: re.Match[str]) -> str:
    """A character as the text \\u200b (\\U000e0041 beyond the Basic Multilingual Plane, never ambiguous)."""
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def plain(text: str) -> str:
    """Control and invisible characters (ANSI escapes, bidi overrides, zero-width spaces) shown as \\uXXXX,
    never acted on; newlines and tabs kept."""
    return _CONTROL.sub(_code_point, text)


def _json_escape(match: re.Match[str]) -> str:
    """A character as a JSON \\u escape: a UTF-16 surrogate pair beyond the Basic Multilingual Plane."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(dumped: str) -> str:
    """JSON written by `json.dumps(..., ensure_ascii=False)` with the characters `plain` shows escaped
    written as JSON \\u escapes: the same values for a program reading it (a baseline, jq), nothing for a
    terminal to act on. They can only stand inside strings, since JSON's own whitespace is not among them."""
    return _CONTROL.sub(_json_escape, dumped)


def one_line(text: str) -> str:
    """Plain text on one line: for table cells, CSV-free places and headings."""
    return plain(" ".join(text.split()))


def sentence(text: str) -> str:
    """`text` ended by one full stop: "Owner: Acme Inc." rather than "Acme Inc..", when a value ends a sentence."""
    return text if text.endswith(".") else text + "."


# textwrap's own split of a text into words and the spaces between them (tabs expanded, every ASCII
# whitespace character made a space), with and without a break after the hyphens inside words.
_WORDS = {hyphens: textwrap.TextWrapper(break_on_hyphens=hyphens) for hyphens in (False, True)}


def wrap(text: str, width: int, first: str = "", rest: str = "", hyphens: bool = False) -> list[str]:
    """`text` in lines of at most `width` characters, the first after `first`, the others after `rest`.

    The lines of textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
    break_on_hyphens=hyphens), its quirks included, but for a word longer than a line, which is cut as
    tabulate cuts it: the line is filled with as much of it as fits, never cut after a hyphen in it, and a
    line already full keeps no space at its end. In time linear in the text, where textwrap copies the rest
    of such a word for every line it cuts from it, so that a name of n characters without a space cost
    n * n / width (seconds for a few megabytes: BENCHMARKS.md, 'Wrapping long words'): here the word is read
    from an offset, `cut`, and only the pieces on the lines are copied.
    """
    if max(len(first), len(rest)) >= width:
        raise ValueError(f"an indent leaves no room in {width} columns")  # textwrap can loop for ever then
    if text and len(first) + len(text) <= width and text[-1] != " " and text.isprintable():
        return [first + text]  # one line as it is (no tab or other whitespace to change): most table cells
    chunks = _WORDS[hyphens]._split_chunks(text)  # words and spaces, each either blank or a word
    chunks.reverse()  # a stack: the next chunk is chunks[-1], of which `cut` characters are on earlier lines
    cut = solid = 0  # `solid`: the length of chunks[-1] without its trailing blanks, once it is being cut
    lines: list[str] = []
    while chunks:
        indent = rest if lines else first
        room = width - len(indent)
        if lines and (cut >= solid if cut else not chunks[-1].strip()):
            chunks.pop()  # a line after the first does not start with blanks (only one chunk is dropped)
            cut = 0
        line: list[str] = []
        used = 0
        while chunks and used + len(chunks[-1]) - cut <= room:
            chunk = chunks.pop()
            line.append(chunk[cut:] if cut else chunk)
            used += len(chunk) - cut
            cut = 0
        if chunks and len(chunks[-1]) - cut > room and used < room:  # longer than a line: fill this one
            if not cut:
                solid = len(chunks[-1].rstrip())
            line.append(chunks[-1][cut:cut + room - used])
            cut += room - used  # short of the chunk's end, since more than `room` was left
        if line and not line[-1].strip():
            line.pop()  # nor end with them (only one chunk is dropped)
        if line:
            lines.append(indent + "".join(line))
    return lines


def _literal_markdown(text: str) -> str:
    """Markdown and HTML syntax characters backslash-escaped and `&` written `&amp;` (so no entity either):
    no emphasis, link, image, autolink or tag can start, in GitHub-flavoured Markdown or any CommonMark."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def markdown(text: str) -> str:
    """Text shown literally in Markdown (and in HTML rendered from it): markup characters backslash-escaped."""
    return _literal_markdown(one_line(text))


_CODE_SPAN = re.compile(r"(`[^`]+`)")


def markdown_with_code(text: str) -> str:
    """Rule text for Markdown, on one line: shown literally as `markdown` shows a filing's text, but for its
    `code spans` (rule texts write field names so), kept as written. Nothing in a code span is Markdown or
    HTML (CommonMark 0.31, 6.1), so it holds no link, image or tag; every other backtick is escaped, so no
    span can start but these. `printable`, since SARIF is the format that shows rule texts so."""
    pieces = _CODE_SPAN.split(printable(" ".join(text.split())))
    return "".join(piece if index % 2 else _literal_markdown(piece) for index, piece in enumerate(pieces))


def markup(text: str) -> str:
    """Text for HTML element content and attribute values."""
    return html.escape(plain(text), quote=True)


_UNWRITABLE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
_SARIF_LINK_SYNTAX = re.compile(r"([\\\[\]])")


def printable(text: str) -> str:
    """As `plain`, and the code points XML 1.0 forbids (U+FFFE, U+FFFF, and lone surrogates, which UTF-8
    cannot even encode) shown as \\uXXXX: one of them would make a whole JUnit or SARIF report unreadable.
    For XML text and attributes (ElementTree escapes `<`, `&` and quotes) and for SARIF data fields."""
    return _UNWRITABLE.sub(_code_point, plain(text))


def sarif_braces(text: str) -> str:
    """A SARIF message string (plain text or Markdown) with `{` and `}` written `{{` and `}}`, as SARIF 2.1.0,
    section 3.11.5 requires of both: a viewer replaces `{0}` with the message's first argument (precomment
    gives none) and shows `{{` as `{`."""
    return text.replace("{", "{{").replace("}", "}}")


def sarif_message(text: str) -> str:
    """Text for a SARIF plain-text message string: `printable`, with `\\`, `[` and `]` backslash-escaped, since
    a SARIF viewer reads `[text](target)` in one as an embedded link (SARIF 2.1.0, section 3.11.6), and its
    braces doubled (`sarif_braces`)."""
    return sarif_braces(_SARIF_LINK_SYNTAX.sub(r"\\\1", printable(text)))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Text for a CSV cell a spreadsheet will open: `plain`, and a leading `'` when the cell would start
    with = + - @, a tab or a carriage return, which Excel, LibreOffice and Google Sheets read as a formula
    (OWASP, "CSV Injection"). The csv module then quotes the cell as needed."""
    cell = plain(text)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
