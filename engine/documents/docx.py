"""Word (.docx) drafts to the document model, with python-docx.

Blocks are the body's paragraphs and tables in order; a block's `line` is its paragraph number (1-based,
counting every body paragraph and table, empty ones too), which is what a reader can count in Word.
Styles: a "Heading N" style gives heading_level N; bold, italic and underline are those of the first run with
text (set on the run, or by its style), as the HTML reader gives a block the style of its first text: a
paragraph opening with a bold run-in caption reads bold.

Pages: Word prints page numbers from fields, computed when it lays the document out, so the file holds
none. Sheets come from the page breaks the author put in (a page break, "page break before", a section
break that starts a new page) or, in a document with none, from the breaks Word recorded when it last laid
the document out (`w:lastRenderedPageBreak`). A sheet whose first or last paragraph is a page number typed
as text ("12", "- 12 -", "F-3") prints that number, as in HTML; any other sheet's page is its number plus one,
and the document says so: `pages_approximate` is set and a note explains it.

The package is checked before python-docx opens it: a zip, with word/document.xml, whose parts declare at
most MAX_UNCOMPRESSED_BYTES (zipfile never inflates a part past its declared size, so a zip bomb is
refused unopened), with no entity declarations and no more elements than the HTML reader accepts.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import InputError, Problem
from .html import MAX_TABLE_CELLS, GridSlot, TableTooLarge, collapse, parser_message, printed_number, table_from_grid
from .model import Block, Cell, FilingDocument, Sheet, Style

MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
"""Most bytes a .docx may inflate to, all parts together (python-docx holds every part inflated in memory): a
long 20-F with its images is a few tens of MB."""

MAX_PART_ELEMENTS = 1_000_000
"""Most elements word/document.xml may hold (as read.MAX_ELEMENTS for HTML): bounds the parsed tree."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN_PART = re.compile(r"^word/document\d*\.xml$")
_HEADING = re.compile(r"^heading\s+([1-9])$", re.I)
PAGES_NOTE = ("pages are approximate: a Word document holds no printed page numbers (Word computes them when it "
              "lays the pages out), so page N here is the Nth page as the document's page breaks divide it")
NO_PAGES_NOTE = ("no page numbers: this Word document has no page breaks, so no block's page is known; save it "
                 "from Word (which records where its pages break) or give the filed HTML")


def read_docx(raw: bytes, source: str) -> FilingDocument:
    _check_package(raw, source)
    import docx  # python-docx: imported only for a Word document

    try:
        word = docx.Document(io.BytesIO(raw))
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error.msg):
            raise _error(source, "too-deep", "its XML nests elements more than 255 deep",
                         "a Word document nests a few dozen deep: is this a filing document?") from None
        line, column = error.position
        raise _error(source, "bad-docx", f"its XML is not well-formed at line {line}, column {column} of a part: "
                     f"{parser_message(error.msg)}", "open and save the document in Word") from None
    except Exception as error:  # python-docx's PackageNotFoundError, KeyError, ValueError on a broken package
        raise _error(source, "bad-docx", f"is not a Word document python-docx can open: {error}",
                     "open and save the document in Word, as .docx") from None
    try:
        return _read_body(word.element.body, source, _style_facts(word))
    except TableTooLarge:
        raise _error(source, "table-too-large", f"a table expands to more than {MAX_TABLE_CELLS:,} cells",
                     "check its merged cells: a filing's tables have a few thousand cells") from None


def _check_package(raw: bytes, source: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except Exception:  # BadZipFile, or what zipfile raises on a damaged directory (ValueError, OSError, ...)
        if raw.startswith(b"PK"):
            raise _error(source, "bad-docx", "is a damaged zip package (its directory is missing or cut short)",
                         "copy the file again, or save the draft from Word again") from None
        raise _error(source, "not-docx", "is not a Word .docx document (not a zip package)",
                     "save the draft from Word as .docx (not .doc), or give the filed HTML") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if not any(_MAIN_PART.match(name) for name in names):  # Word's name for the body (some tools add a digit)
            raise _error(source, "not-docx", "is a zip package without word/document.xml, so not a Word document",
                         "save the draft from Word as .docx")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise _error(source, "too-large", f"inflates to {declared:,} bytes; the limit is "
                         f"{MAX_UNCOMPRESSED_BYTES:,}", "a Word draft inflates to a few tens of MB: is this a zip "
                         "bomb? Save the draft from Word again")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                part = archive.read(info)
            except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError: a broken part
                raise _error(source, "bad-docx", f"its part {info.filename} cannot be inflated: the package is "
                             "damaged", "copy the file again, or save the draft from Word again") from None
            if b"<!ENTITY" in part or b"<!entity" in part:
                raise _error(source, "entity-declaration", f"its part {info.filename} declares entities, which "
                             "precomment never expands or fetches", "save the draft from Word again")
            elements = part.count(b"<") - part.count(b"</") - part.count(b"<?")
            if elements > MAX_PART_ELEMENTS:
                raise _error(source, "too-many-elements", f"its part {info.filename} holds {elements:,} elements; "
                             f"the limit is {MAX_PART_ELEMENTS:,}", "is this a filing document?")
            if _MAIN_PART.match(info.filename):
                _check_xml(part, info.filename, source)


def _check_xml(part: bytes, name: str, source: str) -> None:
    """Parse the body part once as python-docx will (no entities, no network, libxml2's depth limit), to
    say where it is broken: python-docx's own error names no part."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        etree.fromstring(part, parser=parser)
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error.msg):
            raise _error(source, "too-deep", f"its part {name} nests elements more than 255 deep",
                         "a Word document nests a few dozen deep: is this a filing document?") from None
        line, column = error.position
        raise _error(source, "bad-docx", f"its part {name} is not well-formed XML at line {line}, column {column}: "
                     f"{parser_message(error.msg)}", "open and save the document in Word") from None


@dataclass(frozen=True)
class _StyleFacts:
    """What a named style (with the styles it is based on) sets: the run flags and a paragraph's look."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None
    centered: bool = False
    heading_level: int | None = None
    page_break_before: bool = False  # Word templates often start each chapter heading on a new page so


def _style_facts(word: Any) -> dict[str, _StyleFacts]:
    """Every style of the document by its id, resolved through its base styles (python-docx reads them)."""
    facts: dict[str, _StyleFacts] = {}
    for style in word.styles:
        chain: list[Any] = []
        current, seen = style, 0
        while current is not None and seen < 20:  # a loop of base styles must not hang
            chain.append(current)
            current, seen = getattr(current, "base_style", None), seen + 1  # a numbering style has none
        size = _first(chain, lambda link: link.font.size)
        alignment = _first(chain, lambda link: link.paragraph_format.alignment)
        found = _HEADING.match(style.name or "")
        facts[style.style_id] = _StyleFacts(
            bool(_first(chain, lambda link: link.font.bold)), bool(_first(chain, lambda link: link.font.italic)),
            bool(_first(chain, lambda link: link.font.underline)), size.pt if size is not None else None,
            alignment is not None and int(alignment) == 1, int(found.group(1)) if found else None,
            bool(_first(chain, lambda link: link.paragraph_format.page_break_before)))
    return facts


def _first(chain: list[Any], read: Callable[[Any], Any]) -> Any:
    """The first value a style or its base styles set (None where none does)."""
    for link in chain:
        try:
            value = read(link)
        except AttributeError:  # a numbering or table style has no font or paragraph format
            value = None
        if value is not None:
            return value
    return None


def _mark(starts: list[int], at: int) -> None:
    """A sheet starts at block `at` (never at the first block: that sheet starts anyway; repeats are
    removed once, at the end)."""
    if at > 0:
        starts.append(at)


def _read_body(body: etree._Element, source: str, styles: dict[str, _StyleFacts]) -> FilingDocument:
    blocks: list[Block] = []
    explicit: list[int] = []  # block indexes that start a new sheet, from the author's breaks
    rendered_starts: list[int] = []  # the same from Word's last layout
    section_ends: list[int] = []  # where each section but the last ends (a block index)
    section_starts_page: list[bool] = []  # whether each section starts on a new page (its sectPr's type)
    number = 0
    for element in _body_elements(body):
        name = element.tag
        if name == f"{W}sectPr":  # the last section's properties
            section_starts_page.append(_new_page(element))
        if name not in (f"{W}p", f"{W}tbl"):
            continue
        number += 1
        if name == f"{W}tbl":
            table = table_from_grid(list(_table_grid(element)))
            if table.rows:
                text = "\n".join("\t".join(cell.text for cell in row) for row in table.rows)
                blocks.append(Block(len(blocks), "table", text, 0, None, number, table=table))
                if next(element.iter(f"{W}lastRenderedPageBreak"), None) is not None:
                    _mark(rendered_starts, len(blocks))  # it runs onto a new page: the next block is there
            continue
        text, before, after, rendered = _paragraph(element, styles)
        if before:
            _mark(explicit, len(blocks))
        if rendered and text:
            _mark(rendered_starts, len(blocks) + (0 if rendered == "before" else 1))
        if text:
            blocks.append(Block(len(blocks), "text", text, 0, None, number, _style(element, styles)))
        if after:
            _mark(explicit, len(blocks))
        section = element.find(f"{W}pPr/{W}sectPr")
        if section is not None:  # this paragraph ends a section
            section_ends.append(len(blocks))
            section_starts_page.append(_new_page(section))
    for end, starts_page in zip(section_ends, section_starts_page[1:]):  # the next section's type decides
        if starts_page:
            _mark(explicit, end)
    if not blocks:
        raise _error(source, "no-text", "holds no text to read (no paragraphs or tables with text)",
                     "give the draft with its text")
    starts = explicit or rendered_starts
    return _paginate(blocks, sorted({b for b in starts if b < len(blocks)}), source)


def _paginate(blocks: list[Block], starts: list[int], source: str) -> FilingDocument:
    bounds = [0, *starts, len(blocks)]
    sheets: list[Sheet] = []
    numbered = bool(starts)
    counted = False  # a sheet whose page is counted, not printed
    for first, end in zip(bounds, bounds[1:]):
        if first < end:
            printed = printed_number(blocks[first:end]) if numbered else None
            counted = counted or (numbered and printed is None)
            sheets.append(Sheet(len(sheets), printed or (str(len(sheets) + 1) if numbered else None), first, end))
    for sheet in sheets:
        for index in range(sheet.first_block, sheet.end_block):
            old = blocks[index]
            blocks[index] = Block(old.index, old.kind, old.text, sheet.number, sheet.printed, old.line, old.style,
                                  old.table)
    if not numbered:
        return FilingDocument(source, "docx", blocks, sheets, notes=[NO_PAGES_NOTE])
    return FilingDocument(source, "docx", blocks, sheets, pages_approximate=counted, notes=[PAGES_NOTE] if counted else [])


_CONTAINERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"})
"""Body-level wrappers whose paragraphs and tables are the body's own: a content control (Word's table of
contents and cover page are in one), custom XML, a tracked insertion."""


def _body_elements(body: etree._Element) -> Iterator[etree._Element]:
    """The body's paragraphs, tables and section properties in order, wrappers opened (without recursion)."""
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if element.tag in _CONTAINERS:
            stack.extend(reversed(element))
        else:
            yield element


def _new_page(section: etree._Element) -> bool:
    """Whether a section (its w:sectPr) starts on a new page: its type says how it starts, nextPage if none."""
    kind = section.find(f"{W}type")
    return kind is None or kind.get(f"{W}val", "nextPage") not in ("continuous", "nextColumn")


def _paragraph(p: etree._Element, styles: dict[str, _StyleFacts]) -> tuple[str, bool, bool, str | None]:
    """A paragraph's text, whether a page starts before it or after it (explicit breaks), and where Word's
    last layout broke a page in it ("before" its text, "inside" it, or None)."""
    parts: list[str] = []
    before = after = False
    rendered: str | None = None
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        flag = ppr.find(f"{W}pageBreakBefore")
        style = ppr.find(f"{W}pStyle")
        inherited = styles.get((style.get(f"{W}val") or "") if style is not None else "Normal", _StyleFacts())
        before = inherited.page_break_before if flag is None else \
            flag.get(f"{W}val", "true") not in ("false", "0", "off")
    seen_text = False  # some text came before (a flag: joining the parts at each break would be quadratic)
    for element in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}lastRenderedPageBreak", f"{W}delText"):
        tag = element.tag
        if tag == f"{W}t":
            parts.append(element.text or "")
            seen_text = seen_text or bool((element.text or "").strip())
        elif tag == f"{W}lastRenderedPageBreak":
            if rendered is None:
                rendered = "inside" if seen_text else "before"
        elif tag == f"{W}br" and element.get(f"{W}type") == "page":
            if seen_text:
                after = True
            else:
                before = True
        elif tag != f"{W}delText":
            parts.append(" ")
    return collapse("".join(parts)), before, after, rendered


def _style(p: etree._Element, styles: dict[str, _StyleFacts]) -> Style:
    """The paragraph's style: its Heading level, alignment, and what every run with text has (set on the run,
    else by the run's character style, else by the paragraph's style)."""
    ppr = p.find(f"{W}pPr")
    style_id = "Normal"
    alignment: str | None = None
    if ppr is not None:
        style = ppr.find(f"{W}pStyle")
        style_id = (style.get(f"{W}val") or style_id) if style is not None else style_id
        jc = ppr.find(f"{W}jc")
        alignment = jc.get(f"{W}val") if jc is not None else None
    own = styles.get(style_id, _StyleFacts())
    runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    flags = [_run_flags(r, own, styles) for r in runs]
    centered = alignment == "center" if alignment is not None else own.centered
    first = flags[0] if flags else (own.bold, own.italic, own.underline, own.size)
    return Style(bold=bool(first[0]), italic=bool(first[1]), underline=bool(first[2]), centered=centered,
                 heading_level=own.heading_level, font_size=first[3] if flags else own.size)


def _run_flags(run: etree._Element, paragraph: _StyleFacts,
               styles: dict[str, _StyleFacts]) -> tuple[bool, bool, bool, float | None]:
    rpr = run.find(f"{W}rPr")
    character = paragraph
    if rpr is not None and (link := rpr.find(f"{W}rStyle")) is not None:
        found = styles.get(link.get(f"{W}val") or "")
        if found is not None:
            character = _StyleFacts(found.bold or paragraph.bold, found.italic or paragraph.italic,
                                    found.underline or paragraph.underline, found.size or paragraph.size)

    def on(tag: str, inherited: bool) -> bool:
        flag = rpr.find(f"{W}{tag}") if rpr is not None else None
        if flag is None:
            return inherited
        return flag.get(f"{W}val", "true") not in ("false", "0", "off", "none")

    points = character.size
    size = rpr.find(f"{W}sz") if rpr is not None else None
    if size is not None and (size.get(f"{W}val") or "").isdigit():
        points = int(size.get(f"{W}val") or 0) / 2  # half-points
    return on("b", character.bold), on("i", character.italic), on("u", character.underline), points


def _table_grid(tbl: etree._Element) -> Iterator[list[GridSlot]]:
    """The table's rows as grid slots: a cell spanning columns (gridSpan) repeated, a cell continuing a
    vertical merge (vMerge) given the text of the cell it continues, as a copy."""
    above: dict[int, GridSlot] = {}  # column -> the slot there in the row above
    group = 0
    total = 0
    for number, tr in enumerate(row for row in tbl.iterchildren(f"{W}tr")):
        trpr = tr.find(f"{W}trPr")
        header = trpr is not None and trpr.find(f"{W}tblHeader") is not None
        skipped = trpr.find(f"{W}gridBefore") if trpr is not None else None  # grid columns the row leaves out
        count = (skipped.get(f"{W}val") or "") if skipped is not None else ""
        before = int(count) if count.isdigit() else 0
        slots: list[GridSlot] = [GridSlot(Cell(""), -1, number)] * min(before, 100)
        for tc in tr.iterchildren(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            merge: str | None = None
            if tcpr is not None:
                grid_span = tcpr.find(f"{W}gridSpan")
                if grid_span is not None and (grid_span.get(f"{W}val") or "").isdigit():
                    span = max(1, min(int(grid_span.get(f"{W}val") or 1), 100))
                v_merge = tcpr.find(f"{W}vMerge")
                if v_merge is not None:
                    merge = v_merge.get(f"{W}val", "continue")
            total += span
            if total > MAX_TABLE_CELLS:
                raise TableTooLarge(0)
            column = len(slots)
            if merge == "continue" and column in above:
                source = above[column]
                for _ in range(span):
                    slots.append(GridSlot(Cell(source.cell.text, source.cell.header, True), source.group,
                                          source.origin_row))
                continue
            group += 1
            cell = Cell(_cell_text(tc), header)
            for offset in range(span):
                slots.append(GridSlot(cell if offset == 0 else Cell(cell.text, header, True), group, number))
        above = dict(enumerate(slots))
        yield slots


def _cell_text(tc: etree._Element) -> str:
    parts: list[str] = []
    for element in tc.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        if element.tag == f"{W}t":
            parts.append(element.text or "")
        else:
            parts.append(" ")
    return collapse("".join(parts))


def _error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    return InputError([Problem(source, None, None, "", code, message, hint)])
