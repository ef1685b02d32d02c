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
