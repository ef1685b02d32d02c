"""Reading a filing document itself (EDGAR HTML, Inline XBRL, Word) into the document model (model.py).

This module is imported by every run (to tell a document from a description); the readers, and lxml,
only when a document is read."""
from __future__ import annotations

from pathlib import Path

DOCUMENT_SUFFIXES = (".htm", ".html", ".xhtml", ".docx")
"""What `check` and `extract` read as a filing document rather than as a description."""


def is_document(path: str) -> bool:
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES
