"""Inline XBRL facts: the tagged amounts and texts of an iXBRL document, read with lxml alone.

An Inline XBRL document carries its XBRL instance inside the XHTML: `ix:nonFraction` (numbers) and
`ix:nonNumeric` (text, dates, flags) wrap what is printed, `ix:header` holds the contexts (entity, period,
dimensions), the units and the hidden facts. A fact's value is what is printed, read back through its
`format` (a transformation such as `ixt:num-dot-decimal`), multiplied by 10^`scale` and negated by
`sign="-"`: the value the EDGAR renderer writes into the instance.

Why not a library: the few hundred lines here read everything precomment needs, with no dependency beyond
lxml, and never fetch the taxonomy.

Names: a concept, dimension, member or unit measure is written `prefix:name` with the conventional prefix of
its namespace (ifrs-full, us-gaap, dei, srt, iso4217, xbrli), whatever prefix the document binds; an
extension namespace keeps the document's own prefix. A transformation precomment does not know leaves the
printed text as the value and a note in the document's notes, never a failure.

Where: each fact has its source line and the block it sits in (the last block beginning on or before that
line). A fact of `ix:hidden` (inside the header, not displayed) is placed where EDGAR's `-sec-ix-hidden`
style shows it, else in the document's first block, as it belongs to the document rather than to a place.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from .model import Block, Period, TaggedFact

IX_NAMESPACES = ("http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL")
XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
_SEC_HIDDEN = re.compile(r"-sec-ix-hidden\s*:\s*([\w.-]+)")
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

_CONVENTIONAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^https?://xbrl\.ifrs\.org/taxonomy/[^/]+/ifrs-full$"), "ifrs-full"),
    (re.compile(r"^https?://fasb\.org/us-gaap/"), "us-gaap"),
    (re.compile(r"^https?://fasb\.org/srt/"), "srt"),
    (re.compile(r"^https?://xbrl\.sec\.gov/dei/"), "dei"),
    (re.compile(r"^https?://xbrl\.sec\.gov/country/"), "country"),
    (re.compile(r"^https?://xbrl\.sec\.gov/currency/"), "currency"),
    (re.compile(r"^https?://xbrl\.sec\.gov/exch/"), "exch"),
    (re.compile(r"^http://www\.xbrl\.org/2003/iso4217$"), "iso4217"),
    (re.compile(r"^http://www\.xbrl\.org/2003/instance$"), "xbrli"),
)
"""Namespaces with a prefix every reader expects, whatever the document binds (ifrs-full's year varies)."""

_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_WORDS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_WORDS.update({word: 10 * tens for tens, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety"
                                                            .split(), start=2)})
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}


@dataclass
class _Header:
    """The header's resources: contexts (period, dimensions) and units, by id."""

    periods: dict[str, Period] = field(default_factory=dict)
    dimensions: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


class _Unreadable(ValueError):
    """A value its transformation cannot read: the fact keeps its printed text."""


def conventional_prefix(namespace: str, bound: str | None) -> str:
    for pattern, prefix in _CONVENTIONAL:
        if pattern.match(namespace):
            return prefix
    return bound or "ns"


def _qname(text: str, element: etree._Element) -> str:
    """`prefix:name` as the document writes it, with the prefix made conventional (see the module's docstring)."""
    text = text.strip()
    prefix, _, name = text.rpartition(":")
    namespace = element.nsmap.get(prefix or None)
    if namespace is None:
        return text
    return f"{conventional_prefix(namespace, prefix or None)}:{name}"


def _line(element: etree._Element) -> int:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 0


def _text(element: etree._Element) -> str:
    """The text an element prints: its own and its descendants', without `ix:exclude`d parts."""
    parts: list[str] = []
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if not (isinstance(tag, str) and tag.endswith("}exclude")):
            parts.append(_text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _read_header(root: etree._Element) -> _Header:
    header = _Header()
    for context in root.iter(f"{{{XBRLI}}}context"):
        ident = context.get("id") or ""
        instant = context.findtext(f"{{{XBRLI}}}period/{{{XBRLI}}}instant")
        start = context.findtext(f"{{{XBRLI}}}period/{{{XBRLI}}}startDate")
        end = context.findtext(f"{{{XBRLI}}}period/{{{XBRLI}}}endDate")
        header.periods[ident] = Period(_date(instant), _date(start), _date(end))
        pairs: list[tuple[str, str]] = []
        for member in context.iter(f"{{{XBRLDI}}}explicitMember", f"{{{XBRLDI}}}typedMember"):
            axis = _qname(member.get("dimension") or "", member)
            if member.tag.endswith("explicitMember"):
                pairs.append((axis, _qname(member.text or "", member)))
            else:
                pairs.append((axis, " ".join(_text(member).split())))
        header.dimensions[ident] = tuple(sorted(pairs))
    for unit in root.iter(f"{{{XBRLI}}}unit"):
        numerator = [_qname(m.text or "", m) for m in unit.iterfind(f"{{{XBRLI}}}divide/{{{XBRLI}}}unitNumerator/"
                                                                    f"{{{XBRLI}}}measure")]
        denominator = [_qname(m.text or "", m) for m in unit.iterfind(f"{{{XBRLI}}}divide/{{{XBRLI}}}unitDenominator/"
                                                                      f"{{{XBRLI}}}measure")]
        plain = [_qname(m.text or "", m) for m in unit.iterfind(f"{{{XBRLI}}}measure")]
        header.units[unit.get("id") or ""] = "*".join(numerator) + "/" + "*".join(denominator) if numerator \
            else "*".join(plain)
    return header


def _date(text: str | None) -> str | None:
    """An xbrli date as ISO (a dateTime's time of day dropped: EDGAR writes plain dates)."""
    return text.strip()[:10] if text and text.strip() else None


def _number(text: str, transformation: str | None) -> Decimal:
    """The number a printed text stands for under its transformation (no transformation: an xsd:decimal)."""
    raw = " ".join(text.split())
    if transformation in (None, ""):
        cleaned = raw
    elif transformation in ("numdotdecimal", "numcommadot", "numspacedot"):
        cleaned = re.sub(r"[^0-9.]", "", raw)
    elif transformation in ("numcommadecimal", "numdotcomma", "numspacecomma"):
        cleaned = re.sub(r"[^0-9,]", "", raw).replace(",", ".")
    elif transformation in ("zerodash", "fixedzero", "numdash", "fixedempty"):
        return Decimal(0)
    elif transformation == "numwordsen":
        return Decimal(_words(raw))
    else:
        raise _Unreadable(transformation)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise _Unreadable(transformation or "xsd:decimal") from None


def _plain(number: Decimal) -> Decimal:
    """A whole number written whole (114588000, not 1.14588E+8), for whoever prints it."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _words(text: str) -> int:
    """An English number in words ("twenty-one thousand", "no", "none"): SEC's ixt-sec:numwordsen."""
    words = re.findall(r"[a-z]+", text.lower().replace("-", " "))
    if words in (["no"], ["none"]):
        return 0
    total, current = 0, 0
    for word in words:
        if word == "and":
            continue
        if word in _WORDS:
            current += _WORDS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _MULTIPLIERS:
            total += max(current, 1) * _MULTIPLIERS[word]
            current = 0
        else:
            raise _Unreadable("numwordsen")
    return total + current


def _text_value(text: str, transformation: str | None) -> str:
    """A nonNumeric fact's value: dates to ISO, flags to true/false, empty for nocontent."""
    raw = " ".join(text.split())
    if transformation in (None, ""):
        return raw
    if transformation == "nocontent":
        return ""
    if transformation in ("booleantrue", "booleanfalse", "fixedtrue", "fixedfalse"):
        return transformation.removeprefix("boolean").removeprefix("fixed")
    if transformation.startswith("date"):
        return _date_value(raw, transformation)
    if transformation in ("numdotdecimal", "numcommadecimal", "zerodash", "fixedzero", "numwordsen"):
        return str(_number(raw, transformation))
    raise _Unreadable(transformation)


def _date_value(raw: str, transformation: str) -> str:
    """A printed date under a date transformation (`datemonthdayyearen`: "December 31, 2017" -> 2017-12-31)."""
    order = transformation[4:].removesuffix("en")
    tokens = re.findall(r"[A-Za-z]+|\d+", raw)
    numbers = [int(t) for t in tokens if t.isdigit()]
    months = [_MONTHS[t.lower()] for t in tokens if t.lower() in _MONTHS]
    names = order.replace("name", "")
    try:
        if names in ("monthdayyear", "daymonthyear", "yearmonthday"):
            fields = [t for t in ("month", "day", "year") if t in names]
            positions = sorted(fields, key=names.index)
            values = dict(zip(positions, _fill(numbers, months, positions)))
            return f"{_year(values['year']):04d}-{values['month']:02d}-{values['day']:02d}"
        if names in ("monthday", "daymonth"):
            positions = sorted(("month", "day"), key=names.index)
            values = dict(zip(positions, _fill(numbers, months, positions)))
            return f"--{values['month']:02d}-{values['day']:02d}"
        if names in ("monthyear", "yearmonth"):
            positions = sorted(("month", "year"), key=names.index)
            values = dict(zip(positions, _fill(numbers, months, positions)))
            return f"{_year(values['year']):04d}-{values['month']:02d}"
    except (KeyError, IndexError):
        pass
    raise _Unreadable(transformation)


def _fill(numbers: list[int], months: list[int], positions: list[str]) -> list[int]:
    """The date's parts in order: the month from its name when printed as a word, the rest from the numbers."""
    numbers = list(numbers)
    out: list[int] = []
    for part in positions:
        if part == "month" and months:
            out.append(months[0])
        else:
            out.append(numbers.pop(0))
    return out


def _year(year: int) -> int:
    return year + 2000 if year < 100 else year


def _transformation(element: etree._Element) -> str | None:
    """The format's local name, hyphens dropped (`ixt:num-dot-decimal` and `ixt:numdotdecimal` are one)."""
    fmt = element.get("format")
    if not fmt:
        return None
    return fmt.rpartition(":")[2].replace("-", "").lower()


def _continued(element: etree._Element, continuations: dict[str, etree._Element]) -> str:
    """A nonNumeric's text with its `ix:continuation`s, followed in order (a loop ends the chain)."""
    parts = [_text(element)]
    seen: set[str] = set()
    following = element.get("continuedAt")
    while following and following not in seen and following in continuations:
        seen.add(following)
        parts.append(_text(continuations[following]))
        following = continuations[following].get("continuedAt")
    return " ".join(parts)


def _in_header(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        tag = parent.tag
        if isinstance(tag, str) and tag.endswith("}header"):
            return True
        parent = parent.getparent()
    return False


def _shown_hidden_facts(root: etree._Element) -> dict[str, int]:
    """Hidden fact id -> the line of the element that shows it (EDGAR's `-sec-ix-hidden: id` style)."""
    shown: dict[str, int] = {}
    found_elements = root.xpath("//*[contains(@style, '-sec-ix-hidden')]")
    for element in found_elements if isinstance(found_elements, list) else []:
        if isinstance(element, etree._Element) and (found := _SEC_HIDDEN.search(element.get("style") or "")):
            shown.setdefault(found.group(1), _line(element))
    return shown


def _tags(root: etree._Element, name: str) -> Iterable[etree._Element]:
    return root.iter(*(f"{{{ns}}}{name}" for ns in IX_NAMESPACES))


def read_facts(root: etree._Element, blocks: list[Block], notes: list[str] | None = None) -> list[TaggedFact]:
    """The document's tagged facts, in document order, each with the block it sits in; what cannot be read
    (an unknown transformation, a nil fact) is said once in `notes` when given."""
    header = _read_header(root)
    shown = _shown_hidden_facts(root)
    continuations = {c.get("id") or "": c for c in _tags(root, "continuation")}
    lines = [block.line for block in blocks]
    unknown: dict[str, int] = {}
    facts: list[TaggedFact] = []
    nil = 0
    for element in root.iter(*(f"{{{ns}}}{name}" for ns in IX_NAMESPACES for name in ("nonFraction", "nonNumeric"))):
        if element.get(XSI_NIL) == "true":
            nil += 1
            continue
        numeric = element.tag.endswith("}nonFraction")
        transformation = _transformation(element)
        scale = int(element.get("scale") or 0)
        value: Decimal | str
        try:
            if numeric:
                number = _plain(_number(_text(element), transformation).scaleb(scale))
                value = -number if element.get("sign") == "-" else number
            else:
                value = _text_value(_continued(element, continuations), transformation)
        except _Unreadable as error:
            unknown[str(error)] = unknown.get(str(error), 0) + 1
            value = " ".join(_text(element).split())
        context = element.get("contextRef") or ""
        line = _line(element)
        if _in_header(element):  # a hidden fact: where the document shows it (-sec-ix-hidden), else block 0
            shown_line = shown.get(element.get("id") or "")
            block = max(bisect_right(lines, shown_line) - 1, 0) if shown_line and lines else 0
        else:
            block = max(bisect_right(lines, line) - 1, 0) if lines else 0
        facts.append(TaggedFact(
            concept=_qname(element.get("name") or "", element), value=value, numeric=numeric, context=context,
            period=header.periods.get(context, Period()), dimensions=header.dimensions.get(context, ()),
            unit=header.units.get(element.get("unitRef") or "") if element.get("unitRef") else None,
            decimals=element.get("decimals"), scale=scale, block=block, line=line, fact_id=element.get("id")))
    if notes is not None:
        skipped = sum(1 for _ in root.iter(*(f"{{{ns}}}{name}" for ns in IX_NAMESPACES for name in ("tuple",
                                                                                                  "fraction"))))
        if skipped:
            notes.append(f"Inline XBRL: {skipped} ix:tuple or ix:fraction element(s) not read")
        for name, count in sorted(unknown.items()):
            notes.append(f"Inline XBRL: {count} fact(s) with the format '{name}', which precomment does not read; "
                         "their printed text is kept as their value")
        if nil:
            notes.append(f"Inline XBRL: {nil} nil fact(s) (xsi:nil) not read")
    return facts
