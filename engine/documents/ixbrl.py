"""Inline XBRL facts (placeholder: replaced by its owner's module, issue 17)."""
from __future__ import annotations

from lxml import etree

from .model import Block, TaggedFact


def read_facts(root: etree._Element, blocks: list[Block]) -> list[TaggedFact]:
    """The document's tagged facts, each with the block it sits in."""
    return []
