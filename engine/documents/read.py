"""Read a filing document: the one entry point (`read_document`), choosing the reader by content.

Every failure is an InputError naming the file, and where the format allows, the line: a document that
cannot be read is bad input (exit 2), never an internal error. What is refused before any parsing (size,
binary bytes, UTF-16, entity declarations, too many elements) costs a scan of the bytes, no memory.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError, Problem
from .html import MAX_DEPTH, MAX_TABLE_CELLS, DepthError, TableTooLarge, parse_html, parse_xhtml, parser_message, walk
from .ixbrl import read_facts
from .model import FilingDocument

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Largest document accepted (64 MiB): the largest 20-F documents on EDGAR are a few tens of megabytes."""

MAX_ELEMENTS = 1_000_000
"""Most elements (start tags) a document may hold: a parsed element costs libxml2 about 130 bytes, so this
bounds the tree near 130 MB. A 20-F holds far fewer (Loncor: 11,000 in 0.9 MB)."""

TEXT_ONLY_MIN_CHARACTERS = 10_000
"""Below this much text a document is too small to judge as a text filing in an HTML wrapper: read it."""

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_LATIN1_NAMES = frozenset({"latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "us-ascii", "ascii",
                           "l1", "cp819", "ibm819", "iso-ir-100", "8859", "windows-1252", "cp1252", "x-cp1252"})
"""Declared charsets a browser reads as Windows-1252 (the WHATWG encoding standard), as EDGAR HTML means them."""


def read_document(path: str) -> FilingDocument:
    source = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise _error(source, "not-a-file", "is a directory, not a filing document",
                         "give the path of an .htm, .html, .xhtml or .docx file")
        if p.stat().st_size > MAX_DOCUMENT_BYTES:
            raise _too_large(source, p.stat().st_size)
        with p.open("rb") as handle:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise _error(source, "no-such-file", "no such file", "check the path") from None
    except OSError as error:
        raise _error(source, "unreadable", f"cannot be read: {error.strerror}") from None
    return read_bytes(raw, source)


def read_bytes(raw: bytes, source: str) -> FilingDocument:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _too_large(source, len(raw))
    if raw.startswith(ZIP_MAGIC) or source.lower().endswith(".docx"):
        from .docx import read_docx  # python-docx is imported only for a Word document
        return read_docx(raw, source)
    if not raw.strip():
        raise _error(source, "empty", "the document is empty", "give the filing's main document")
    _refuse_before_parsing(raw, source)
    head = raw[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    xml = head.startswith(b"<?xml") or b"inlineXBRL" in head or b"http://www.w3.org/1999/xhtml" in head
    try:
        root = parse_xhtml(raw) if xml else parse_html(decode_html(raw).encode("utf-8", errors="replace"))
        inline = xml and b"inlineXBRL" in raw[:65536]
        document = walk(root, source, "ixbrl" if inline else "html")
        if inline:
            document.facts = read_facts(root, document.blocks, document.notes)
    except DepthError as error:
        raise _too_deep(source, error.line, 1) from None
    except TableTooLarge as error:
        raise InputError([Problem(source, error.line or None, 1, "", "table-too-large",
                                  f"a table expands to more than {MAX_TABLE_CELLS:,} cells",
                                  "check its colspan and rowspan attributes: a filing's tables have a few "
                                  "thousand cells")]) from None
    except Exception as error:  # lxml's XMLSyntaxError and ParserError
        from lxml import etree
        if isinstance(error, etree.XMLSyntaxError):
            line, column = error.position
            if "Excessive depth" in str(error.msg):
                raise _too_deep(source, line, column) from None
            raise InputError([Problem(source, line, column, "", "bad-xhtml",
                                      f"not well-formed XHTML: {parser_message(error.msg)}",
                                      "Inline XBRL must be well-formed XML; check the document with the EDGAR "
                                      "renderer or an XML validator")]) from None
        if isinstance(error, etree.ParserError):
            raise _error(source, "bad-html", f"cannot be parsed as HTML: {error}") from None
        raise
    _refuse_unreadable(document, source)
    return document


def decode_html(raw: bytes) -> str:
    """HTML bytes as text, as a browser reads them: a byte order mark, else a declared charset (Latin-1 and
    ASCII meaning Windows-1252), else UTF-8 if the bytes are UTF-8, else Windows-1252 (EDGAR's older HTML
    declares nothing and holds Windows-1252 curly quotes and dashes)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    declared = _META_CHARSET.search(raw[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name and name not in _LATIN1_NAMES and name not in ("utf-8", "utf8"):
        try:
            return raw.decode(codecs.lookup(name).name, errors="replace")
        except LookupError:
            pass  # an unknown charset: guessed as if none were declared
    if name not in _LATIN1_NAMES:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode("cp1252", errors="replace")


def _refuse_before_parsing(raw: bytes, source: str) -> None:
    """What no parser should see: a PDF or old Word file, UTF-16 text, binary bytes, entity declarations, too
    many elements."""
    if raw.startswith(b"%PDF"):
        raise _error(source, "not-html", "is a PDF, which precomment does not read",
                     "give the filing's EDGAR HTML, Inline XBRL or Word .docx")
    if raw.startswith(OLE_MAGIC):
        raise _error(source, "not-html", "is an old-style Office file (Word 97-2003 .doc), which precomment does "
                     "not read", "save the draft from Word as .docx")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw[:400]):
        raise _error(source, "utf-16", "is UTF-16 text, which precomment does not read",
                     "save the document as UTF-8 (or as the filing's own EDGAR HTML)")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise InputError([Problem(source, line, nul - (raw.rfind(b"\n", 0, nul) + 1) + 1, "", "binary",
                                  "contains NUL bytes: this is not an HTML or XHTML text file",
                                  "give the filing's main document as EDGAR HTML, Inline XBRL or Word .docx")])
    entity = _ENTITY_DECLARATION.search(raw)
    if entity is not None:
        line = raw.count(b"\n", 0, entity.start()) + 1
        column = entity.start() - (raw.rfind(b"\n", 0, entity.start()) + 1) + 1
        raise InputError([Problem(source, line, column, "", "entity-declaration",
                                  "declares entities in its DOCTYPE, which precomment never expands or fetches",
                                  "EDGAR accepts no entity declarations in a filing: remove the DOCTYPE's "
                                  "internal subset")])
    elements = raw.count(b"<") - raw.count(b"</") - raw.count(b"<!") - raw.count(b"<?")  # start tags, near enough
    if elements > MAX_ELEMENTS:
        raise _error(source, "too-many-elements", f"holds {elements:,} elements; the limit is {MAX_ELEMENTS:,}",
                     "give the filing's main document, not a bundle of its exhibits")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte order mark: ASCII markup with a NUL in every other byte."""
    halves = head[0::2], head[1::2]
    return len(head) >= 8 and any(half.count(0) >= 0.9 * len(half) for half in halves)


def _refuse_unreadable(document: FilingDocument, source: str) -> None:
    """A document with no text, or one that is plain text in an HTML wrapper (pre-2001 EDGAR), is refused:
    extracting from it would find nothing, or guess."""
    if not document.blocks:
        raise _error(source, "no-text", "holds no text to read (no paragraphs, headings or tables)",
                     "give the filing's main document: the one with the annual report's text")
    if document.format == "html" and looks_text_only(document):
        total = sum(len(block.text) for block in document.blocks)
        raise _error(source, "text-only",
                     f"is plain text in an HTML wrapper ({plural(total, 'character')} in "
                     f"{plural(len(document.blocks), 'block')}, "
                     "no tables, no page breaks): its headings, tables and pages are not marked up, so they "
                     "cannot be read; it looks like a pre-2001 EDGAR text filing",
                     "write the description by hand (`precomment init` starts one), or give the HTML or "
                     "Inline XBRL version of the filing")


def looks_text_only(document: FilingDocument) -> bool:
    """True for a text filing wrapped in HTML: a lot of text, no table, no page break marked up, and most of
    the text in a few huge blocks (a <pre>, or one <div> whose lines are the text file's lines)."""
    if len(document.sheets) > 1 or any(block.kind == "table" for block in document.blocks):
        return False
    sizes = sorted((len(block.text) for block in document.blocks), reverse=True)
    total = sum(sizes)
    if total < TEXT_ONLY_MIN_CHARACTERS:
        return False
    return sum(sizes[:3]) >= total / 2 or total / len(sizes) >= 2_000


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _too_large(source: str, size: int) -> InputError:
    return _error(source, "too-large", f"is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}",
                  "give the filing's main document, not a bundle of its exhibits")


def _too_deep(source: str, line: int | None, column: int | None) -> InputError:
    return InputError([Problem(source, line or None, column, "", "too-deep",
                               f"elements nest more than {MAX_DEPTH} deep",
                               "a filing's elements nest a few dozen deep: is this a filing document?")])


def _error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    return InputError([Problem(source, None, None, "", code, message, hint)])
