"""Descriptions held in strings, loaded as files are: the tests' way in to the loader."""
from __future__ import annotations

from precomment.sources.document import Document
from precomment.sources.load import load_bytes


def load_text(text: str, source: str) -> Document:
    """Load `text` under the name `source`, with every check a file gets. Encoded with `surrogatepass`, so
    generated text holding a lone surrogate reaches the loader, whose UTF-8 check refuses it as it would
    such a file, instead of failing in the test's own encoding."""
    return load_bytes(text.encode("utf-8", errors="surrogatepass"), source)
