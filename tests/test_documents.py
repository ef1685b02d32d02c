"""Reading a filing document (precomment.documents): what a reader of the model finds, on the real Loncor
20-F, the AEGON text filing, small hand-written HTML and XHTML, and Word documents built here by
python-docx. Bad and hostile documents are in test_bad_documents.py."""
from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from conftest import AEGON, LONCOR
from precomment.documents.docx import NO_PAGES_NOTE, PAGES_NOTE
from precomment.documents.model import FilingDocument, Style, numeric_value
from precomment.documents.read import read_bytes, read_document
from precomment.errors import InputError


def html(body: str, head: str = "") -> FilingDocument:
    return read_bytes(f"<html><head>{head}</head><body>{body}</body></html>".encode(), "x.htm")


def texts(document: FilingDocument) -> list[str]:
    return [block.text for block in document.blocks]


def table(document: FilingDocument, number: int = 0) -> list[list[str]]:
    found = [block.table for block in document.blocks if block.table is not None]
    return found[number].texts()


# --- Loncor: the real 20-F ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loncor() -> FilingDocument:
    return read_document(str(LONCOR))


def test_loncor_sheets_print_the_document_s_own_page_numbers(loncor):
    printed = [sheet.printed for sheet in loncor.sheets]
    assert printed == [None, "ii", "iii", "iv", *map(str, range(1, 84)), *(f"F-{n}" for n in range(1, 27))]
    assert (len(loncor.blocks), loncor.format, loncor.notes) == (1065, "html", [])


@pytest.mark.parametrize("line, text, page", [
    (1443, "D.\tRisk Factors", "4"),  # the page's foot prints 4 (checked in the HTML)
    (5492, "Item 4A.\tUnresolved Staff Comments", "47"),
    (7755, "Item 7.\tMajor Shareholders and Related Party Transactions", "59"),
    (9768, "Item 19.\tExhibits", "82"),
])
def test_loncor_item_headings_are_bold_on_their_printed_page(loncor, line, text, page):
    (block,) = [b for b in loncor.blocks if b.line == line]
    assert (block.text, block.page, block.style.bold, block.style.font_size) == (text, page, True, 10.0)


def test_loncor_financial_statement_pages_read_page_f_n_of_f_26(loncor):
    (block,) = [b for b in loncor.blocks if b.line == 12479]
    assert (block.page, block.text[:39]) == ("F-9", "These consolidated financial statements")


def test_loncor_selected_financial_data_reads_as_printed(loncor):
    (block,) = [b for b in loncor.blocks if b.line == 1018]
    rows = block.table.texts()
    assert rows[1] == ["", "2015", "2014", "2013", "2012", "2011"]
    assert rows[2] == ["Revenue", "$-", "$-", "$-", "$-", "$-"]  # `$` and `-` in cells of their own, joined
    assert rows[4] == ["Net income (loss) for the year", "(2,417)", "(2,903)", "(27,224)", "(2,028)", "533"]
    assert [numeric_value(text) for text in rows[5][1:]] == [Decimal(n) for n in ("-0.03", "-0.04", "-0.37",
                                                                                  "-0.03", "0.01")]
    assert numeric_value(rows[2][1]) is None  # a nil, not a zero


def test_loncor_text_keeps_its_characters_and_words(loncor):
    everything = "\n".join(texts(loncor))
    assert "The Company\u2019s properties are in the exploration stage" in everything  # &#146; is a quote
    assert "\u201cRisk Factors\u201d" in everything or "\"Risk Factors\"" in everything
    assert "C ONSOLIDATED" not in everything  # <b>C</b>ONSOLIDATED is one word
    assert "CONSOLIDATED STATEMENTS OF FINANCIAL POSITION" in everything
    assert not any("\u0080" <= ch <= "\u009f" for ch in everything)


def test_loncor_cover_title_is_large_bold_and_centred(loncor):
    block = loncor.blocks[1]
    assert block.text == "FORM 20-F"
    assert block.style == Style(bold=True, centered=True, font_size=18.0)  # <font size=5>


def test_loncor_is_read_quickly():
    started = time.monotonic()
    read_document(str(LONCOR))
    assert time.monotonic() - started < 30  # a hang guard; the figure (about 0.12 s) is measured, not asserted


def test_aegon_is_refused_as_a_text_filing():
    with pytest.raises(InputError) as caught:
        read_document(str(AEGON))
    assert caught.value.problems[0].render() == (
        f"{AEGON}: error [text-only] at /: is plain text in an HTML wrapper (321,955 characters in 101 blocks, "
        "no tables, no page breaks): its headings, tables and pages are not marked up, so they cannot be read; it "
        "looks like a pre-2001 EDGAR text filing\n"
        "  hint: write the description by hand (`precomment init` starts one), or give the HTML or Inline XBRL "
        "version of the filing")


# --- Encodings ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    b"<p>Soci\xe9t\xe9 \x93G\xe9n\xe9rale\x94 \x97 the Company\x92s</p>",  # Windows-1252, no charset
    "<p>Société “Générale” — the Company’s</p>".encode(),  # UTF-8, no charset
    b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
    b"<body><p>Soci\xe9t\xe9 \x93G\xe9n\xe9rale\x94 \x97 the Company\x92s</p></body></html>",  # Latin-1 means 1252
    b"<p>Soci&eacute;t&eacute; &#147;G&#233;n&#233;rale&#148; &#151; the Company&#146;s</p>",
    b'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    b"<p>Soci&#233;t&#233; &#147;G&#233;n&#233;rale&#148; &#151; the Company&#146;s</p></body></html>",
    "\ufeff<p>Société “Générale” — the Company’s</p>".encode(),  # a UTF-8 byte order mark
    b'<!-- x --><?xml version="1.0" encoding="iso-8859-1"?><html><body>'  # an XML declaration read as HTML
    b"<p>Soci\xe9t\xe9 \x93G\xe9n\xe9rale\x94 \x97 the Company\x92s</p></body></html>",
], ids=["cp1252", "utf8", "latin1-declared", "references", "xhtml-references", "utf8-bom", "xml-declaration"])
def test_non_ascii_characters_come_out_as_printed(raw):
    assert texts(read_bytes(raw, "x.htm")) == ["Société “Générale” — the Company’s"]


def test_a_declared_charset_is_honoured():
    raw = '<html><head><meta charset="shift_jis"></head><body><p>株式会社インターネットイニシアティブ</p>'
    assert texts(read_bytes(raw.encode("shift_jis"), "x.htm")) == ["株式会社インターネットイニシアティブ"]


# --- Tables ------------------------------------------------------------------------------------------------

SPLIT = """<table>
<tr><td></td><td></td><td colspan="3" align="center"><b>2015</b></td><td></td><td colspan="3">2014</td></tr>
<tr><td>Revenue</td><td></td><td>$</td><td>1,234</td><td></td><td></td><td>$</td><td>987</td><td></td></tr>
<tr><td>Net loss</td><td></td><td></td><td>(5</td><td>)</td><td></td><td></td><td>(12</td><td>)</td></tr>
<tr><td>Margin</td><td></td><td></td><td>12.5</td><td>%</td><td></td><td></td><td>(3.1</td><td>)%</td></tr>
<tr><td>Other</td><td></td><td>&#8364;</td><td>&#8212;</td><td></td><td></td><td>$</td><td>(7</td><td>%)</td></tr>
</table>"""


def test_edgar_split_cells_are_joined_and_spacer_columns_dropped():
    document = html(SPLIT)
    assert table(document) == [["", "2015", "2014"], ["Revenue", "$1,234", "$987"], ["Net loss", "(5)", "(12)"],
                               ["Margin", "12.5%", "(3.1)%"], ["Other", "€—", "$(7%)"]]
    header = document.blocks[0].table.rows[0]
    assert [cell.spanned for cell in header] == [False, False, False]  # the year's kept column is its own
    values = [numeric_value(text) for text in table(document)[1][1:] + table(document)[2][1:] + table(document)[3][1:]]
    assert values == [Decimal("1234"), Decimal("987"), Decimal("-5"), Decimal("-12"), Decimal("12.5"), Decimal("-3.1")]


def test_a_lone_sign_away_from_a_number_stays():
    assert table(html("<table><tr><td>Currency</td><td>$</td></tr><tr><td>(note</td><td>)</td></tr>"
                      "<tr><td>Owned (1)</td><td>%</td></tr><tr><td>$</td><td>2015 results</td></tr></table>")) == [
        ["Currency", "$"], ["(note", ")"], ["Owned (1)", "%"], ["$", "2015 results"]]


def test_merged_cells_are_expanded_and_marked():
    document = html("<table><tr><th rowspan=2>Name</th><th colspan=2>Shares</th></tr>"
                    "<tr><td>Owned</td><td>%</td></tr><tr><td>A. Holder</td><td>100</td><td>5.0</td></tr></table>")
    rows = document.blocks[0].table.rows
    assert [[c.text for c in row] for row in rows] == [["Name", "Shares", "Shares"], ["Name", "Owned", "%"],
                                                      ["A. Holder", "100", "5.0"]]
    assert [(c.header, c.spanned) for c in rows[0]] == [(True, False), (True, False), (True, True)]
    assert (rows[1][0].spanned, rows[1][0].header) == (True, True)


def test_cell_text_joins_inline_elements_and_breaks_lines():
    document = html("<table><tr><td><b>C</b>ONSOLIDATED<br>STATEMENTS<span style='display:none'>x</span></td>"
                    "<td><p>one</p><p>two</p><script>no</script></td></tr></table>")
    assert table(document) == [["CONSOLIDATED STATEMENTS", "one two"]]


def test_a_heading_laid_out_as_a_table_has_the_heading_s_style():
    document = html("<table><tr><td><b>Item 3.</b></td><td><b>Key Information</b></td></tr></table>"
                    "<p>Body text.</p>")
    assert document.blocks[0].style.bold and not document.blocks[1].style.bold


# --- Pages and styles --------------------------------------------------------------------------------------

BREAK = '<hr style="page-break-after: always">'


def test_pages_come_from_page_breaks_and_the_numbers_printed_at_their_foot():
    document = html(f"<p>Cover</p>{BREAK}<p>Contents</p><p>- ii -</p>{BREAK}"
                    f"<p>Item 1.</p><p>1</p>{BREAK}<p>Item 2.</p><p>Page 2</p>{BREAK}"
                    f"<p>Statements</p><table><tr><td>Annual Report</td><td>Page F-1 of F-26</td></tr></table>"
                    f"<div style='page-break-before: always'><p>F-2</p><p>Notes</p></div>")
    assert [(s.number, s.printed) for s in document.sheets] == [(0, None), (1, "ii"), (2, "1"), (3, "2"),
                                                               (4, "F-1"), (5, "F-2")]
    years = html(f"<p>Cover</p>{BREAK}<p>Selected data for</p><p>2015</p>{BREAK}<p>Next</p><p>- 7 -</p>")
    assert [s.printed for s in years.sheets] == [None, None, "7"]
    footers = html(f"<p>Text</p><p>8</p><p>Example Corp. 2017 Form 20-F</p>{BREAK}<p>More text</p><p>9</p>"
                   f"<p>{'A running footer too long to be one, and so a paragraph of the page itself. ' * 2}</p>")
    assert [s.printed for s in footers.sheets] == ["8", None]
    assert [(b.text, b.page) for b in document.blocks if b.text.startswith("Item")] == [("Item 1.", "1"),
                                                                                      ("Item 2.", "2")]


def test_styles_of_headings():
    document = html("<h2>Item 5.</h2><p align=center><u>Operating Results</u></p>"
                    "<p style='font-size: 16px; font-weight: 700'>Liquidity</p><p><font size=+2>Big</font></p>"
                    "<p><i>Note</i></p>")
    assert [b.style for b in document.blocks] == [
        Style(bold=False, heading_level=2), Style(underline=True, centered=True), Style(bold=True, font_size=12.0),
        Style(font_size=18.0), Style(italic=True)]


def test_lines_are_the_source_lines():
    document = read_bytes(b"<html>\n<body>\n<p>One</p>\n\n<p>Two\nlines</p>\n<table>\n<tr><td>x</td></tr>\n</table>",
                          "x.htm")
    assert [(b.text, b.line) for b in document.blocks] == [("One", 3), ("Two lines", 5), ("x", 7)]


# --- What is not a text filing -----------------------------------------------------------------------------

def test_a_small_or_ordinary_document_is_not_taken_for_a_text_filing():
    assert texts(html("<p>" + "word " * 1500 + "</p>"))[0].startswith("word")  # 7,500 characters: too small to judge
    many = "".join(f"<p>Paragraph {n}: " + "text " * 60 + "</p>" for n in range(200))  # 60,000 characters
    assert len(html(many).blocks) == 200
    one_big_beside_a_table = "<pre>" + "line of text\n" * 2000 + "</pre><table><tr><td>1</td></tr></table>"
    assert len(html(one_big_beside_a_table).blocks) == 2


def test_a_text_filing_in_pre_is_refused_by_its_shape():
    with pytest.raises(InputError) as caught:
        html("<pre>" + "ITEM 1.  IDENTITY          1,234     5,678\n" * 400 + "</pre>")
    assert caught.value.problems[0].code == "text-only"


# --- numeric_value -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1,234", Decimal("1234")), ("(1,234)", Decimal("-1234")), ("$1,234", Decimal("1234")), ("$(5)", Decimal("-5")),
    ("US$ 12.5", Decimal("12.5")), ("12.5%", Decimal("12.5")), ("-7", Decimal("-7")), ("0", Decimal("0")),
    ("-", None), ("\u2014", None), ("\u2013", None), ("nil", None), ("Nil", None), ("$-", None), ("NaN", None),
    ("Infinity", None), ("-Infinity", None), ("sNaN", None), ("1e5", None), ("1,23", None), ("", None),
    ("n/a", None), ("twelve", None),
])
def test_numeric_value(text, value):
    assert numeric_value(text) == value


# --- Word --------------------------------------------------------------------------------------------------

def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _draft():
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    document = docx.Document()
    document.add_paragraph("FORM 20-F").alignment = WD_ALIGN_PARAGRAPH.CENTER  # 1
    document.add_paragraph("")  # 2: empty, counted
    document.add_heading("Item 3. Key Information", level=1)  # 3
    lead = document.add_paragraph()  # 4
    lead.add_run("Risks of the business.").bold = True
    grid = document.add_table(rows=3, cols=4)  # 5
    grid.cell(0, 0).text = "Name"
    grid.cell(0, 1).merge(grid.cell(0, 3)).text = "Shares"
    for column, text in enumerate(["A. Holder", "$", "1,200", ""]):
        grid.cell(1, column).text = text
    grid.cell(2, 0).merge(grid.cell(1, 0))
    for column, text in enumerate(["", "", "(5", ")"]):
        if column:
            grid.cell(2, column).text = text
    document.add_paragraph("Café “quoted” — text.").add_run().add_break(WD_BREAK.PAGE)  # 6, then a new page
    document.add_heading("Item 4. Information on the Company", level=2)  # 7
    after = document.add_paragraph("Starts a page.")  # 8
    after.paragraph_format.page_break_before = True
    document.add_paragraph("Same page.")  # 9
    return document


def test_a_word_draft_reads_in_body_order_with_styles_and_merged_cells():
    document = read_bytes(_save(_draft()), "draft.docx")
    assert document.format == "docx"
    assert [(b.kind, b.text, b.line) for b in document.blocks] == [
        ("text", "FORM 20-F", 1), ("text", "Item 3. Key Information", 3), ("text", "Risks of the business.", 4),
        ("table", "Name\tShares\nA. Holder\t$1,200\nA. Holder\t(5)", 5), ("text", "Café “quoted” — text.", 6),
        ("text", "Item 4. Information on the Company", 7), ("text", "Starts a page.", 8), ("text", "Same page.", 9)]
    styles = [b.style for b in document.blocks]
    assert styles[0].centered and not styles[0].bold
    assert (styles[1].heading_level, styles[1].bold) == (1, True)
    assert (styles[2].bold, styles[2].heading_level) == (True, None)
    assert styles[5].heading_level == 2
    rows = document.blocks[3].table.rows
    assert [(c.text, c.spanned) for c in rows[2]][:1] == [("A. Holder", True)]  # the vertical merge's copy


def test_a_word_draft_s_pages_come_from_its_breaks_and_are_approximate():
    document = read_bytes(_save(_draft()), "draft.docx")
    assert [(b.text[:12], b.sheet, b.page) for b in document.blocks] == [
        ("FORM 20-F", 0, "1"), ("Item 3. Key ", 0, "1"), ("Risks of the", 0, "1"), ("Name\tShares\n", 0, "1"),
        ("Café “quoted", 0, "1"), ("Item 4. Info", 1, "2"), ("Starts a pag", 2, "3"), ("Same page.", 2, "3")]
    assert document.pages_approximate and document.notes == [PAGES_NOTE]


def test_a_section_break_starts_a_page():
    import docx
    from docx.enum.section import WD_SECTION
    document = docx.Document()
    document.add_paragraph("Part I")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Part II")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("Still part II")
    read = read_bytes(_save(document), "x.docx")
    assert [(b.text, b.page) for b in read.blocks] == [("Part I", "1"), ("Part II", "2"), ("Still part II", "2")]


def test_without_breaks_word_s_rendered_page_breaks_are_used_and_else_no_page_is_known():
    import docx
    from docx.oxml import OxmlElement
    document = docx.Document()
    for text in ("Page one", "Page two starts here", "Still page two"):
        document.add_paragraph(text)
    assert [(b.page, b.sheet) for b in read_bytes(_save(document), "x.docx").blocks] == [(None, 0)] * 3
    assert read_bytes(_save(document), "x.docx").notes == [NO_PAGES_NOTE]
    document.paragraphs[1].runs[0]._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    read = read_bytes(_save(document), "x.docx")
    assert [b.page for b in read.blocks] == ["1", "2", "2"] and read.pages_approximate


def test_a_docx_is_read_by_its_content_whatever_its_name(tmp_path):
    path = tmp_path / "draft.bin"
    path.write_bytes(_save(_draft()))
    assert read_document(str(path)).format == "docx"


def test_a_word_table_of_contents_in_a_content_control_is_read_in_place():
    import docx
    from docx.oxml import parse_xml
    document = docx.Document()
    document.add_paragraph("Cover")
    control = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtContent>'
        "<w:p><w:r><w:t>Table of Contents</w:t></w:r></w:p><w:p><w:r><w:t>Item 3. Key Information</w:t>"
        "<w:tab/><w:t>5</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    document.element.body.insert(1, control)
    document.add_paragraph("After")
    read = read_bytes(_save(document), "x.docx")
    assert [(b.text, b.line) for b in read.blocks] == [("Cover", 1), ("Table of Contents", 2),
                                                      ("Item 3. Key Information 5", 3), ("After", 4)]


def test_a_word_row_that_skips_grid_columns_keeps_its_cells_in_their_columns():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    document = docx.Document()
    grid = document.add_table(rows=2, cols=3)
    for column, text in enumerate(["Name", "2015", "2014"]):
        grid.cell(0, column).text = text
    row = grid.rows[1]._tr
    row.remove(row.tc_lst[0])  # the second row leaves out its first grid column
    skip = OxmlElement("w:gridBefore")
    skip.set(qn("w:val"), "1")
    row.get_or_add_trPr().append(skip)
    row.tc_lst[0].clear_content()
    row.tc_lst[0].add_p().add_r().add_t("1,200")
    row.tc_lst[1].add_p().add_r().add_t("900")
    assert table(read_bytes(_save(document), "x.docx")) == [["Name", "2015", "2014"], ["", "1,200", "900"]]


IXBRL = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
      xmlns:ifrs-full="http://xbrl.ifrs.org/taxonomy/2017-03-09/ifrs-full">
<head><title>20-F</title></head>
<body>
<div style="display:none"><ix:header><ix:hidden>hidden facts</ix:hidden></ix:header></div>
<div><p style="font-weight:bold;text-align:center">ANNUAL REPORT</p></div>
<div style="page-break-after:always"></div>
<table>
<tr><td>Revenue</td><td>$</td><td><ix:nonFraction name="ifrs-full:Revenue" contextRef="c1" unitRef="usd"
 decimals="-3" scale="3">1,234</ix:nonFraction></td></tr>
<tr><td>Loss</td><td></td><td>(<ix:nonFraction name="ifrs-full:ProfitLoss" contextRef="c1" unitRef="usd"
 decimals="-3" scale="3" sign="-">56</ix:nonFraction>)</td></tr>
</table>
<p style="text-align:center">F-1</p>
</body>
</html>
"""


def test_inline_xbrl_reads_as_a_document_without_its_hidden_header():
    document = read_bytes(IXBRL.encode(), "x.htm")
    assert document.format == "ixbrl"
    assert [(b.kind, b.text, b.page, b.line) for b in document.blocks] == [
        ("text", "ANNUAL REPORT", None, 7), ("table", "Revenue\t$1,234\nLoss\t(56)", "F-1", 9),
        ("text", "F-1", "F-1", 15)]
    assert document.blocks[0].style == Style(bold=True, centered=True)


def test_a_style_that_starts_a_new_page_starts_a_sheet():
    import docx
    document = docx.Document()
    document.styles["Heading 1"].paragraph_format.page_break_before = True
    document.add_paragraph("Cover")
    document.add_heading("Part I", level=1)
    document.add_paragraph("Text")
    kept = document.add_heading("Part II", level=1)
    kept.paragraph_format.page_break_before = False  # the paragraph's own setting wins
    read = read_bytes(_save(document), "x.docx")
    assert [(b.text, b.page) for b in read.blocks] == [("Cover", "1"), ("Part I", "2"), ("Text", "2"), ("Part II", "2")]
