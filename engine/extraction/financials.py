"""Extractor placeholder: replaced by its owner's module (issue 17); yields nothing yet."""
from __future__ import annotations

from collections.abc import Iterator

from ..documents.model import FilingDocument
from .values import Context, Found


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    return iter(())
