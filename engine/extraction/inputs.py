"""One named input, whatever it is: a filing document (HTML, Inline XBRL, Word) is read and its description
extracted, with the answers file laid over it; anything else is a description, loaded as it is written."""
from __future__ import annotations

from ..documents import is_document
from ..sources.document import Document
from ..sources.inputs import STDIN, read


def read_filing(path: str, stdin_name: str = "<stdin>", answers: str | None = None) -> Document:
    """The Document `check`, `coverage` and `validate` read for one input."""
    if path != STDIN and is_document(path):
        from .overlay import read_filing_document  # (lxml and the extractors: only when a document is read)

        return read_filing_document(path, answers)
    return read(path, stdin_name)
