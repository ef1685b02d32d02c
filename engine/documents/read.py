"""Read a filing document: the one entry point (`read_document`), choosing the reader by content.

Every failure is an InputError naming the file, and where the format allows, the line: a document that
cannot be read is bad input (exit 2), never an internal error.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .html import MAX_DEPTH, DepthError, parse_html, parse_xhtml, walk
from .ixbrl import read_facts
from .model import FilingDocument

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Largest document accepted (64 MiB): the largest 20-F documents on EDGAR are a few tens of megabytes."""


def read_document(path: str) -> FilingDocument:
    source = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise _error(source, "not-a-file", "is a directory, not a filing document",
                         "give the path of an .htm, .html, .xhtml or .docx file")
        if p.stat().st_size > MAX_DOCUMENT_BYTES:
            raise _error(source, "too-large", f"is {p.stat().st_size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
                         "give the filing's main document, not a bundle of its exhibits")
        with p.open("rb") as handle:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise _error(source, "no-such-file", "no such file", "check the path") from None
    except OSError as error:
        raise _error(source, "unreadable", f"cannot be read: {error.strerror}") from None
    return read_bytes(raw, source)


def read_bytes(raw: bytes, source: str) -> FilingDocument:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _error(source, "too-large", f"is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
    if not raw.strip():
        raise _error(source, "empty", "the document is empty")
    head = raw[:4096].lstrip()
    xml = head.startswith(b"<?xml") or b"inlineXBRL" in head or b"http://www.w3.org/1999/xhtml" in head
    try:
        root = parse_xhtml(raw) if xml else parse_html(raw)
        inline = xml and b"inlineXBRL" in raw[:65536]
        document = walk(root, source, "ixbrl" if inline else "html")
        if inline:
            document.facts = read_facts(root, document.blocks)
        return document
    except DepthError as error:
        raise InputError([Problem(source, error.line, 1, "", "too-deep",
                                  f"elements nest more than {MAX_DEPTH} deep", "is this a filing document?")]) from None
    except Exception as error:  # lxml's XMLSyntaxError and ParserError
        from lxml import etree
        if isinstance(error, etree.XMLSyntaxError):
            line, column = error.position
            raise InputError([Problem(source, line, column, "", "bad-xhtml", f"not well-formed XHTML: {error.msg}",
                                      "Inline XBRL must be well-formed XML; check the document with the EDGAR "
                                      "renderer or an XML validator")]) from None
        if isinstance(error, etree.ParserError):
            raise _error(source, "bad-html", f"cannot be parsed as HTML: {error}") from None
        raise


def _error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    return InputError([Problem(source, None, None, "", code, message, hint)])
