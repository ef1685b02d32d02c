"""Document-only consistency checks, the kind an XBRL validator or a careful reader runs on the draft alone:
each failure becomes `/document/inconsistencies/N` (subject, kind, description, page).

- amount_mismatch: one concept tagged twice in one context and unit with different values (an "inconsistent
  duplicate" fact).
- calculation: a total that its items, as the filing's own calculation linkbase (`_cal.xml`, found beside the
  document through its schemaRef) adds them, do not add up to, within the facts' `decimals`. Only local files
  are read, never the network.
- cross_reference: a "Note 12" the notes to the financial statements do not have (checked only where the notes'
  own numbered headings were found).
- defined_term: a term defined twice, as `Acme Holdings Ltd. (the "Company")`, for two different things.

Each check reports what it found, in document order, once per subject.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from lxml import etree

from ..documents.model import Block, FilingDocument, TaggedFact
from ..validation import formitems
from .statements import clean_title, printed_page
from .values import Context, Found, Provenance, Value, page_value

INCONSISTENCIES = "/document/inconsistencies"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
MAX_LINKBASE_BYTES = 16 * 1024 * 1024

_SCHEMA_REF = re.compile(rb"<(?:\w+:)?schemaRef\b[^>]*?href=\"([^\"]+)\"", re.S)
_NOTES_HEADING = re.compile(r"^notes\s+to\s+(?:the\s+)?(?:consolidated\s+|combined\s+)?financial\s+statements", re.I)
_NOTE_HEADING = re.compile(r"^(?:note\s+)?(\d{1,2})\s*[.:\-\u2013\u2014]?\s+([A-Z][^.]{2,90})$", re.I)
_NOTE_REFERENCE = re.compile(
    r"\bNotes?\s+(\d{1,2})(?![\d%]|\.\d+\s*%)(?:\.\d+|\s?\(?[a-z]\)|[a-z]\b)?(?:\s*(?:to|and|through|-|\u2013)\s*"
    r"(\d{1,2})(?![\d%]))?")
_NOTE_CELL = re.compile(r"^(\d{1,2})[a-z]?(?:\s*[,&]\s*(\d{1,2})[a-z]?)*$")
_DEFINITION = re.compile(r"\(([^()]{0,100}?[\u201c\"][^()]{1,100})\)")
_QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]{1,40})[\u201d\"]")
_DEFINITION_GLUE = re.compile(r"^(?:\s|,|;|the|or|and|each|a|an|together|collectively|hereinafter|herein|"
                              r"referred|to|as|also|known)*$", re.I)
_SUFFIXES = frozenset({"inc", "ltd", "limited", "llc", "plc", "s.a", "n.v", "ag", "corp", "co", "lp", "l.p"})
_CONNECTORS = frozenset({"of", "and", "de", "du", "la", "del", "des", "the", "&", "y", "for"})


@dataclass(frozen=True)
class Inconsistency:
    subject: str
    kind: str
    description: str
    block: Block


def extract(document: FilingDocument, context: Context) -> Iterator[Found]:
    found: list[Inconsistency] = []
    found += duplicate_facts(document)
    found += heading_years(document)
    found += calculations(document)
    found += missing_notes(document)
    found += missing_item_references(document, context)
    found += defined_terms(document)
    seen: set[str] = set()
    index = 0
    for item in found:
        if item.subject in seen:
            continue
        seen.add(item.subject)
        pointer = f"{INCONSISTENCIES}/{index}"
        where = Provenance.of(item.block)
        yield Value(f"{pointer}/subject", item.subject, "read", where)
        yield Value(f"{pointer}/kind", item.kind, "read", where)
        described = item.description if item.description.endswith(".") else item.description + "."
        yield Value(f"{pointer}/description", described, "draft", where,
                    "a document-only check: confirm the draft is in error")
        page = page_value(printed_page(document, item.block))
        if page is not None:
            yield Value(f"{pointer}/page", page, "read", where)
        index += 1
    if not index:  # every check ran over the whole document and found nothing
        yield Value(INCONSISTENCIES, [], "read", None, "the document-only checks found nothing")


# --- duplicate facts ---------------------------------------------------------------------------------------

def _period_label(fact: TaggedFact) -> str:
    period = fact.period
    when = period.instant or (f"{period.start} to {period.end}" if period.start else period.end or "")
    members = ", ".join(member.split(":", 1)[-1] for _axis, member in fact.dimensions)
    return f"{when} [{members}]" if members else when


def _name(concept: str) -> str:
    return concept.split(":", 1)[-1]


def _decimals(fact: TaggedFact) -> int | None:
    """The fact's decimals as a number (None for INF or none given: exact)."""
    if fact.decimals is None or fact.decimals.upper() == "INF":
        return None
    try:
        return int(fact.decimals)
    except ValueError:
        return None


def _rounded(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def _least(*decimals: int | None) -> int | None:
    known = [d for d in decimals if d is not None]
    return min(known) if known else None


def duplicate_facts(document: FilingDocument) -> list[Inconsistency]:
    groups: dict[tuple[str, str, str | None], list[TaggedFact]] = defaultdict(list)
    for fact in document.facts:
        if fact.numeric and isinstance(fact.value, Decimal):
            groups[(fact.concept, fact.context, fact.unit)].append(fact)
    found: list[Inconsistency] = []
    for facts in groups.values():
        first = facts[0]
        for other in facts[1:]:
            assert isinstance(first.value, Decimal) and isinstance(other.value, Decimal)
            places = _least(_decimals(first), _decimals(other))
            if _rounded(first.value, places) != _rounded(other.value, places):
                found.append(Inconsistency(
                    f"{_name(first.concept)} {_period_label(first)}", "amount_mismatch",
                    f"{first.concept} is tagged {first.value:,} (line {first.line}) and {other.value:,} (line "
                    f"{other.line}) for the same period and unit", document.blocks[other.block]))
                break
    return sorted(found, key=lambda item: item.block.index)


def heading_years(document: FilingDocument) -> list[Inconsistency]:
    """A table whose column headings name years its tagged amounts are not for (headed 2016 and 2015, tagged
    as at 2017 and 2016): the printed headings or the tags are wrong."""
    by_block: dict[int, set[tuple[str, bool]]] = defaultdict(set)
    for fact in document.facts:
        when = fact.period.instant or fact.period.end
        if fact.numeric and when and document.blocks[fact.block].kind == "table":
            by_block[fact.block].add((when[:4], fact.period.instant is not None))
            if when[5:7] != "12":  # a year ended March 2022 is "fiscal 2021" to some filers
                by_block[fact.block].add((str(int(when[:4]) - 1) + "?", fact.period.instant is not None))
    found: list[Inconsistency] = []
    for index, tagged in sorted(by_block.items()):
        block = document.blocks[index]
        assert block.table is not None
        printed: set[str] = set()
        for row in block.table.rows[:4]:
            for cell in row[1:]:
                printed.update(re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", cell.text))
        # a balance at the end of year Y-1 opens year Y (a cash flow statement's opening cash)
        alternatives = {year[:4] for year, _ in tagged if year.endswith("?")}
        unexplained = {year for year, instant in tagged if not year.endswith("?") and year not in printed
                       and not (instant and str(int(year) + 1) in printed)
                       and not (str(int(year) - 1) in alternatives and str(int(year) - 1) in printed)}
        if printed and unexplained:
            heading = next((b.text for b in reversed(document.blocks[max(index - 3, 0):index]) if b.kind == "text"),
                           f"table at line {block.line}")
            found.append(Inconsistency(
                f"{heading[:80]}: column years", "amount_mismatch",
                f"the table's columns are headed {', '.join(sorted(printed, reverse=True))} but its amounts are "
                f"tagged for {', '.join(sorted({y for y, _ in tagged if not y.endswith('?')}, reverse=True))}", block))
    return found


# --- calculations -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summation:
    role: str
    total: str
    items: tuple[tuple[str, Decimal], ...]  # (concept, weight)


def _safe_parse(path: Path) -> etree._Element | None:
    """A local XML file, parsed without fetching anything or expanding entities; None if it cannot be."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_LINKBASE_BYTES:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        return etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None


def calculation_linkbase(source: str) -> Path | None:
    """The filing's `_cal.xml`: named by the extension schema (its schemaRef) in a linkbaseRef; local only."""
    document = Path(source)
    try:
        with document.open("rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return None
    match = _SCHEMA_REF.search(head)
    if match is None:
        return None
    href = match.group(1).decode("utf-8", "replace")
    if "://" in href:
        return None
    schema = _safe_parse(document.parent / href)
    if schema is None:
        return None
    for ref in schema.iter(f"{{{LINK}}}linkbaseRef"):
        target = ref.get(f"{{{XLINK}}}href") or ""
        role = ref.get(f"{{{XLINK}}}role") or ""
        if "://" not in target and ("calculationLinkbaseRef" in role or target.endswith("_cal.xml")):
            return (document.parent / href).parent / target
    return None


def read_summations(path: Path) -> list[Summation]:
    root = _safe_parse(path)
    if root is None:
        return []
    out: list[Summation] = []
    for link in root.iter(f"{{{LINK}}}calculationLink"):
        role = link.get(f"{{{XLINK}}}role") or ""
        concepts = {loc.get(f"{{{XLINK}}}label") or "": _concept_of(loc.get(f"{{{XLINK}}}href") or "")
                    for loc in link.iter(f"{{{LINK}}}loc")}
        items: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for arc in link.iter(f"{{{LINK}}}calculationArc"):
            if (arc.get("use") or "optional") == "prohibited":
                continue
            total = concepts.get(arc.get(f"{{{XLINK}}}from") or "")
            item = concepts.get(arc.get(f"{{{XLINK}}}to") or "")
            if total and item:
                items[total].append((item, Decimal(arc.get("weight") or "1")))
        out += [Summation(role, total, tuple(parts)) for total, parts in items.items()]
    return out


def _concept_of(href: str) -> str:
    """`...ifrs-full-cor_2017-03-09.xsd#ifrs-full_Revenue` -> ifrs-full:Revenue (the ids' convention)."""
    fragment = href.rpartition("#")[2]
    prefix, _, name = fragment.partition("_")
    return f"{prefix}:{name}" if name else fragment


def calculations(document: FilingDocument) -> list[Inconsistency]:
    if document.format != "ixbrl" or not document.facts:
        return []
    path = calculation_linkbase(document.source)
    if path is None:
        return []
    return check_summations(document, read_summations(path))


def check_summations(document: FilingDocument, summations: list[Summation]) -> list[Inconsistency]:
    facts: dict[tuple[str, str, str | None], TaggedFact] = {}
    for fact in document.facts:
        if fact.numeric and isinstance(fact.value, Decimal):
            facts.setdefault((fact.concept, fact.context, fact.unit), fact)
    by_concept: dict[str, list[TaggedFact]] = defaultdict(list)
    for fact in facts.values():
        by_concept[fact.concept].append(fact)
    found: list[Inconsistency] = []
    reported: set[tuple[str, str]] = set()
    for summation in summations:
        for total in by_concept.get(summation.total, []):
            parts = [(facts.get((concept, total.context, total.unit)), weight) for concept, weight in summation.items]
            present = [(fact, weight) for fact, weight in parts if fact is not None]
            if not present or (summation.total, total.context) in reported:
                continue
            places = _least(_decimals(total), *(_decimals(fact) for fact, _ in present))
            added = sum((_rounded(Decimal(fact.value), places) * weight for fact, weight in present), Decimal(0))
            stated = _rounded(Decimal(total.value), places)
            if added != stated:
                reported.add((summation.total, total.context))
                names = ", ".join(("minus " if weight < 0 else "") + _name(fact.concept) for fact, weight in present)
                found.append(Inconsistency(
                    f"{_name(total.concept)} {_period_label(total)}", "calculation",
                    f"{total.concept} is {stated:,} (line {total.line}) but its items in the filing's calculation "
                    f"linkbase ({names}) add up to {added:,}", document.blocks[total.block]))
    return sorted(found, key=lambda item: item.block.index)


# --- cross-references to notes -----------------------------------------------------------------------------

def _lines(block: Block) -> list[str]:
    if block.kind == "table" and block.table is not None:
        return [clean_title(" ".join(cell.text for cell in row if not cell.spanned)) for row in block.table.rows[:2]]
    return [clean_title(block.text)]


def notes_found(document: FilingDocument) -> dict[int, Block]:
    """The numbered notes' headings after the 'Notes to the financial statements' heading, in sequence."""
    start = next((b.index for b in document.blocks if any(_NOTES_HEADING.match(line) for line in _lines(b))), None)
    if start is None:
        return {}
    notes: dict[int, Block] = {}
    for block in document.blocks[start + 1:]:
        for line in _lines(block):
            match = _NOTE_HEADING.match(line)
            if match is None:
                continue
            number, caption = int(match.group(1)), match.group(2)
            letters = [c for c in caption if c.isalpha()]
            heading = line.lower().startswith("note") or block.style.bold or (
                letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters))
            if heading and number == (max(notes) + 1 if notes else number) and number not in notes:
                notes[number] = block
                break
    return notes


def note_references(document: FilingDocument) -> list[tuple[int, Block, str]]:
    """Every "Note 12" / "Notes 1 to 4" reference and every number in a table's Note(s) column."""
    found: list[tuple[int, Block, str]] = []
    for block in document.blocks:
        if block.kind == "text":
            for match in _NOTE_REFERENCE.finditer(block.text):
                for group in match.groups():
                    if group:
                        found.append((int(group), block, match.group(0)))
        elif block.table is not None:
            found += _note_column(block)
    return found


def _note_column(block: Block) -> list[tuple[int, Block, str]]:
    assert block.table is not None
    columns: set[int] = set()
    for row in block.table.rows[:4]:
        for index, cell in enumerate(row):
            if cell.text.strip().lower() in ("note", "notes"):
                columns.add(index)
    found: list[tuple[int, Block, str]] = []
    for row in block.table.rows:
        for index in sorted(columns):
            if index < len(row) and not row[index].spanned and (match := _NOTE_CELL.match(row[index].text.strip())):
                for number in re.findall(r"\d{1,2}", match.group(0)):
                    found.append((int(number), block, f"Note {row[index].text.strip()} ({row[0].text})"))
    return found


def _loose_heading(document: FilingDocument, start: int, number: int) -> bool:
    """Whether a short block after the first note begins with the number as a heading might ("(12) Leases",
    "12 LEASES"): a note set in a way the sequence of headings missed is not a missing note."""
    pattern = re.compile(rf"^(?:note\s+)?\(?{number}\)?\s*[.:)\-\u2013\u2014]?\s+[A-Za-z]", re.I)
    return any(len(line) < 150 and pattern.match(line) for block in document.blocks[start:] for line in _lines(block))


def missing_notes(document: FilingDocument) -> list[Inconsistency]:
    notes = notes_found(document)
    if len(notes) < 2:
        return []
    last = max(notes)
    found: list[Inconsistency] = []
    start = min(block.index for block in notes.values())
    for number, block, text in note_references(document):
        if number not in notes and number > 0 and not _loose_heading(document, start, number):
            found.append(Inconsistency(
                f"Note {number}", "cross_reference",
                f"'{text}' refers to Note {number}, but the notes to the financial statements run from "
                f"Note {min(notes)} to Note {last}", block))
    return found


_ITEM_REFERENCE = re.compile(
    r"\b(?:see|refer to|described (?:in|under)|discussed (?:in|under)|set forth (?:in|under)|included (?:in|under))"
    r"\s+(?:also\s+)?[\"\u201c]?Item\s+(\d{1,2})(?:\.\s?([A-K])|([A-K]))?(?=[.\s,;:)\"\u201d]|$)", re.I)
"""A cross-reference to an item: "see Item 5.B" (a lettered part), "see Item 4A" or "Item 16.C" (an item)."""
MIN_HEADINGS = 10
"""A document with fewer item headings than this is not one whose headings the reader can vouch for."""


def missing_item_references(document: FilingDocument, context: Context) -> list[Inconsistency]:
    """A cross-reference ("see Item 5.B", "as described in Item 16.C") to an item or lettered part the document
    has no heading for: only where the reader found the document's headings (MIN_HEADINGS or more), and for a
    part only where the document heads other parts of the same item (one that heads Item 5 alone may discuss
    5.B under it). Items 16A-16K are written "Item 16.C" as often as "Item 16C"."""
    if len(context.items) < MIN_HEADINGS:
        return []
    found: list[Inconsistency] = []
    for block in document.blocks:
        if block.kind != "text":
            continue
        for match in _ITEM_REFERENCE.finditer(block.text):
            number, dotted, joined = match.group(1), (match.group(2) or "").upper(), (match.group(3) or "").upper()
            item = number + (joined or (dotted if number == "16" else ""))
            part = f"{number}.{dotted}" if dotted and number != "16" else None
            if item not in formitems.TITLES:
                continue
            if part is None and item not in context.items and not (item in ("17", "18") and
                                                                  {"17", "18"} & set(context.items)):
                wanted = item
            elif part is not None and formitems.known(part) and part not in context.items and any(
                    key.startswith(f"{number}.") for key in context.items):
                wanted = part
            else:
                continue
            found.append(Inconsistency(
                f"Item {wanted} (cross-reference)", "cross_reference",
                f"'{match.group(0)}' refers to Item {wanted}, but the document has no Item {wanted} heading", block))
    return found


# --- defined terms ----------------------------------------------------------------------------------------

def _meaning(before: str) -> str:
    """The capitalised name just before a definition's parenthesis: 'Acme Holdings (Pty) Ltd.' of '... by Acme
    Holdings (Pty) Ltd. ("Acme")'; a comma ends it ("In 2016, Acme Ltd.") unless a company suffix follows it
    ("Acme, Inc.")."""
    words = before.split()[-10:]
    kept: list[str] = []
    for word in reversed(words):
        bare = word.strip(",;:()\"\u201c\u201d")
        if not bare or (word.endswith((";", ":")) and kept):
            break
        if word.endswith(",") and kept and kept[-1].strip(".").lower() not in _SUFFIXES:
            break
        if bare[0].isupper() or bare.lower() in _CONNECTORS or (bare[0].isdigit() and kept):
            kept.append(word.rstrip(",;:"))
        else:
            break
    while kept and kept[-1].lower() in _CONNECTORS:
        kept.pop()
    return " ".join(reversed(kept))


_SYNONYMS = {"limited": "ltd", "incorporated": "inc", "corporation": "corp", "company": "co", "sa": "sa"}


def _same(first: str, second: str) -> bool:
    a = [_SYNONYMS.get(w, w) for w in re.sub(r"[^a-z0-9 ]", "", first.lower()).split()]
    b = [_SYNONYMS.get(w, w) for w in re.sub(r"[^a-z0-9 ]", "", second.lower()).split()]
    shorter, longer = sorted((a, b), key=len)
    return not shorter or " ".join(shorter) in " ".join(longer)


def definitions(document: FilingDocument) -> list[tuple[str, str, Block]]:
    """(term, meaning, block) for each `Name ("Term")` definition, in document order."""
    found: list[tuple[str, str, Block]] = []
    for block in document.blocks:
        if block.kind != "text":
            continue
        for match in _DEFINITION.finditer(block.text):
            inside = match.group(1)
            terms = _QUOTED.findall(inside)
            if not terms or not _DEFINITION_GLUE.match(_QUOTED.sub(" ", inside)):
                continue
            meaning = _meaning(block.text[:match.start()])
            if not meaning:
                continue
            for term in terms:
                if term[:1].isupper():
                    found.append((term.strip(), meaning, block))
    return found


def defined_terms(document: FilingDocument) -> list[Inconsistency]:
    first: dict[str, tuple[str, Block]] = {}
    found: list[Inconsistency] = []
    for term, meaning, block in definitions(document):
        if term not in first:
            first[term] = (meaning, block)
            continue
        earlier, where = first[term]
        if not _same(earlier, meaning):
            page = where.page or "an unnumbered page"
            found.append(Inconsistency(
                f'"{term}"', "defined_term",
                f'"{term}" is defined as {meaning} here and as {earlier} earlier (page {page}, line {where.line})',
                block))
    return found
