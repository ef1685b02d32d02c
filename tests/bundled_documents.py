"""The bundled filing documents (filings/documents/): drafts of a bundled description as a preparer has them, a
document (rendered by tests/render.py) and its answers file (what the document cannot tell).

Each answers file is what the description says that precomment does not read from the document: the
description's values the extraction lacks or reads otherwise, lists of named items keyed by identity, and
for each field the description leaves out that means "the filing does not give it" a null saying so (a
list that means "there are none", []). Pages are the document's own (a page the renderer could not honour is
not corrected by an answer). So checking the
document with its answers amounts to checking the description, apart from what only the document shows
(tests/test_bundled_documents.py holds both).

The first draft's document is also changed as a first draft would be: an item heading left out, a sanctioned
country named outside Item 4, a reference to a note that does not exist (EDITS).

    python tests/bundled_documents.py          # rewrite filings/documents/ (review the diff)
"""
from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from precomment.documents.read import read_bytes  # noqa: E402
from precomment.extraction.assemble import extract  # noqa: E402
from precomment.facts.keys import item_keys  # noqa: E402
from precomment.resources import load_schema  # noqa: E402
from precomment.validation.fact_model import FILING_SCHEMA, filing_node  # noqa: E402
from render import load, render  # noqa: E402  (a sibling test module)

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "filings" / "documents"


@dataclass(frozen=True)
class Draft:
    name: str  # the document's name in filings/documents, without suffix
    description: str  # the bundled description it is drawn from
    layout: str
    edits: tuple[tuple[str, str], ...] = ()  # (text in the rendering, its replacement): first-draft slips
    unnumbered: str | None = None  # a pattern of page numbers left out of the draft (a regular expression)


EDITS_FIRST_DRAFT = (
    # Item 16J's heading left out (an old template): its text runs on under Item 16I's
    ('<TR vAlign=top>\n<TD align=left><B>Item 16.J.</B></TD>\n<TD align=left width="90%"><B>Insider Trading '
     'Policies</B></TD></TR></TABLE>', '<TR vAlign=top>\n<TD align=left></TD>\n<TD></TD></TR></TABLE>'),
    # a sanctioned country named in a risk factor, nowhere in Item 4
    ('<P align=justify><B><I><U>The loss of one or more of our major CDN customers could materially reduce our '
     'revenues</U></I></B></P>\n',
     '<P align=justify><B><I><U>The loss of one or more of our major CDN customers could materially reduce our '
     'revenues</U></I></B></P>\n<P align=justify>Two of these customers resell our capacity to users in Cuba.</P>\n'),
    # a defined term given two meanings
    ('<P align=justify>During the fiscal year we had limited dealings with counterparties located in Iran.</P>\n',
     '<P align=justify>During the fiscal year we had limited dealings with counterparties located in Iran.</P>\n'
     '<P align=justify>Our operating subsidiary, Lanternfish Network Technology Co., Ltd. (the "WFOE"), holds our '
     'licences.</P>\n<P align=justify>Lanternfish Data Services Co., Ltd. (the "WFOE") provides technical '
     'services to the VIE.</P>\n'),
)

DRAFTS = (
    # the first draft's financial statement pages print no page number (F-1 to F-8): a template slip
    Draft("lanternfish-fy2024-20f", "lanternfish-fy2024-20f.yaml", "a", EDITS_FIRST_DRAFT,
          r"<P align=center>F-\d+</P>\n"),
    Draft("lanternfish-fy2024-20f-corrected", "lanternfish-fy2024-20f-corrected.yaml", "a"),
)

HEADER = """\
# Answers for {document}: what precomment cannot read from the document (judgements, and what the
# document does not print), keyed by each item's identity (exhibit number, holder name, caption...), so the
# draft can change around them. Generated from {description} by tests/bundled_documents.py: precomment
# check {document} (which finds this file beside it) amounts to checking that description.
"""




def _key_fields(items: Mapping[str, Any]) -> tuple[str, ...]:
    key = items.get("x-key")
    return (key,) if isinstance(key, str) else tuple(key or ())


def _bare(key: str) -> str:
    close = key.rindex("]")
    return key[1:close] + key[close + 1:]


def answers_for(described: Mapping[str, Any], read: Any, schema: Mapping[str, Any]) -> dict[str, Any]:
    """What `described` says that `read` (the extraction) does not: the answers that make one the other."""
    out: dict[str, Any] = {}
    properties = filing_node(schema).get("properties", {})
    for name, value in described.items():
        if name == "format_version":
            continue
        got = read.get(name) if isinstance(read, Mapping) else None
        spec = filing_node(properties.get(name, {}))
        items = filing_node(spec.get("items", {})) if spec.get("type") == "array" else {}
        fields = _key_fields(items)
        if name == "page" and got is not None:
            continue  # the document's own page
        if fields and isinstance(value, list) and value:
            listed = got if isinstance(got, list) else []
            found = {_bare(key): item for key, item in zip(item_keys("", listed, fields), listed)}
            keyed: dict[str, Any] = {}
            for key, item in zip(item_keys("", value, fields), value):
                answer = answers_for(item, found.get(_bare(key), {}), items)
                if answer or _bare(key) not in found:
                    keyed[_bare(key)] = answer
            if keyed:
                out[name] = keyed
        elif isinstance(value, dict):
            answer = answers_for(value, got if isinstance(got, dict) else {}, spec)
            if answer:
                out[name] = answer
        elif value != got:
            out[name] = value
    for name, spec in properties.items():  # what the description leaves out, said where the reader cannot know it
        if name in described or name == "document" or (name == "page" and isinstance(read, Mapping) and "page" in read):
            continue  # (the document section is the reader's alone)
        absent = spec.get("x-absent")
        if absent == "not-disclosed" or (absent is None and filing_node(spec).get("type") == "object"):
            out[name] = None  # the filing does not give it
        elif absent == "none" and filing_node(spec).get("type") == "array":
            out[name] = []  # there are none
    return out


def build(draft: Draft) -> tuple[bytes, str]:
    """The draft's document and its answers file's text."""
    data = load(ROOT / "filings" / draft.description)
    raw, _ = render(data, draft.layout)
    text = raw.decode("utf-8")
    for old, new in draft.edits:
        if old not in text:
            raise ValueError(f"{draft.name}: the rendering no longer holds {old[:60]!r}")
        text = text.replace(old, new, 1)
    if draft.unnumbered:
        text, count = re.subn(draft.unnumbered, "", text)
        if count < 5:
            raise ValueError(f"{draft.name}: only {count} page numbers match {draft.unnumbered!r}")
    raw = text.encode("utf-8")
    read = extract(read_bytes(raw, f"{draft.name}.htm")).description
    answers = answers_for(data, read, load_schema(FILING_SCHEMA))
    body = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return raw, HEADER.format(document=f"{draft.name}.htm", description=f"filings/{draft.description}") + body


def main() -> int:
    DOCUMENTS.mkdir(exist_ok=True)
    for draft in DRAFTS:
        raw, answers = build(draft)
        (DOCUMENTS / f"{draft.name}.htm").write_bytes(raw)
        (DOCUMENTS / f"{draft.name}.answers.yaml").write_text(answers, encoding="utf-8")
        print(f"wrote filings/documents/{draft.name}.htm ({len(raw):,} bytes) and its answers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
