"""Escaping text from a filing for each human format: a filing is untrusted input.

A name in a filing may hold markup (`<script>`), Markdown syntax, or terminal control sequences that would
recolour or rewrite a reviewer's terminal. Every format passes filing text through one of these.
"""
from __future__ import annotations

import html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~^])")


def plain(text: str) -> str:
    """Control characters (ANSI escapes, bidi overrides) shown as \\uXXXX, never acted on; newlines kept."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Plain text on one line: for table cells, CSV-free places and headings."""
    return plain(" ".join(text.split()))


def markdown(text: str) -> str:
    """Text shown literally in Markdown (and in HTML rendered from it): markup characters backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text)).replace("&", "&amp;")


def markup(text: str) -> str:
    """Text for HTML element content and attribute values."""
    return html.escape(plain(text), quote=True)


_UNWRITABLE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
_SARIF_LINK_SYNTAX = re.compile(r"([\\\[\]])")


def printable(text: str) -> str:
    """As `plain`, and the code points XML 1.0 forbids (U+FFFE, U+FFFF, and lone surrogates, which UTF-8
    cannot even encode) shown as \\uXXXX: one of them would make a whole JUnit or SARIF report unreadable.
    For XML text and attributes (ElementTree escapes `<`, `&` and quotes) and for SARIF data fields."""
    return _UNWRITABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", plain(text))


def sarif_message(text: str) -> str:
    """Text for a SARIF plain-text message: `printable`, with `\\`, `[` and `]` backslash-escaped, since a
    SARIF viewer reads `[text](target)` in a message as an embedded link (SARIF 2.1.0, section 3.11.6)."""
    return _SARIF_LINK_SYNTAX.sub(r"\\\1", printable(text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Text for a CSV cell a spreadsheet will open: `plain`, and a leading `'` when the cell would start
    with = + - @, a tab or a carriage return, which Excel, LibreOffice and Google Sheets read as a formula
    (OWASP, "CSV Injection"). The csv module then quotes the cell as needed."""
    cell = plain(text)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
