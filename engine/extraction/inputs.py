"""One named input, whatever it is: a filing document (HTML, Inline XBRL, Word) is read and its description
extracted, with the answers file laid over it; anything else is a description, loaded as it is written."""
from __future__ import annotations

from pathlib import Path

from ..documents import is_document
from ..sources.document import Document
from ..sources.inputs import ANSWERS_SUFFIXES, STDIN, read


def read_filing(path: str, stdin_name: str = "<stdin>", answers: str | None = None) -> Document:
    """The Document `check`, `coverage` and `validate` read for one input. A document's answers: the file
    given, else its own answers file beside it when there is one (`draft.htm` -> `draft.answers.yaml`)."""
    if path != STDIN and is_document(path):
        from .overlay import read_filing_document  # (lxml and the extractors: only when a document is read)

        return read_filing_document(path, answers or answers_beside(path))
    return read(path, stdin_name)


def answers_beside(document: str) -> str | None:
    """The answers file kept beside a document, if there is one: same name, `.answers.yaml` (or `.yml`)."""
    if document == STDIN or not is_document(document):
        return None
    stem = Path(document).with_suffix("")
    for suffix in ANSWERS_SUFFIXES:
        candidate = stem.with_name(stem.name + suffix)
        if candidate.is_file():
            return str(candidate)
    return None
