"""Bad filing documents: each input gives exactly the error text in tests/bad_documents/NAME.err (a rendered
Problem: file, line and column where known, code, message, hint), never a traceback, and never anything
fetched or expanded. Text inputs are files beside their .err; binary ones (NUL bytes, UTF-16, Word packages,
inputs past a size limit) are built here, under the same name, and read from memory."""
from __future__ import annotations

import codecs
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, expected_text
from precomment.documents import read
from precomment.documents.read import read_bytes, read_document
from precomment.errors import InputError

BAD = ROOT / "tests" / "bad_documents"
FILES = sorted(p for p in BAD.iterdir() if p.suffix != ".err")
HANG_GUARD_SECONDS = 30
"""Only a guard against a hang: each of these is refused in well under a second."""


def _docx(document_xml: bytes | None = b"", extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx from python-docx, its word/document.xml replaced (kept for b"", left out for None: then
    only the package's other parts are kept) and `extra` parts added."""
    import docx
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    original = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in original.infolist():
            if info.filename == "word/document.xml" and document_xml != b"":
                if document_xml is not None:
                    package.writestr(info.filename, document_xml)
            else:
                package.writestr(info.filename, original.read(info))
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A .docx whose word/media/padding.bin inflates to 300 MB of zeros (0.3 MB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            bomb.writestr(info.filename, original.read(info))
        with bomb.open("word/media/padding.bin", "w", force_zip64=True) as padding:
            block = bytes(1024 * 1024)
            for _ in range(300):
                padding.write(block)
    return out.getvalue()


def _corrupt_part() -> bytes:
    """A .docx whose word/document.xml has bytes of its deflated data overwritten (as a bad copy leaves it)."""
    raw = bytearray(_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # its local header's size
    raw[start + 20:start + 40] = bytes(range(200, 220))
    return bytes(raw)


def _empty_docx() -> bytes:
    import docx
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("   ")
    document.add_table(rows=2, cols=2)
    document.save(buffer)
    return buffer.getvalue()


BODY = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
GENERATED: dict[str, Callable[[], bytes]] = {
    "binary.htm": lambda: b"<html>\n<body>\n<p>Item 1.</p>\n<p>\x00\x01\x02\x03</p>\n</body>\n</html>\n",
    "utf-16.htm": lambda: codecs.BOM_UTF16_LE + "<html><body><p>Item 1. Identity</p></body></html>".encode("utf-16-le"),
    "utf-16-without-mark.htm": lambda: "<html><body><p>Item 1.</p></body></html>".encode("utf-16-be"),
    "too-large.htm": lambda: b" " * (read.MAX_DOCUMENT_BYTES + 1),
    "a-million-empty-cells.htm": lambda: (b"<html><body><table><tr>" + b"<td></td>" * 1_000_000
                                          + b"</tr></table></body></html>"),
    "a-pdf.htm": lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "word-97.htm": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "not-a-zip.docx": lambda: b"Item 1. Identity of Directors: this is a text file named .docx\n",
    "truncated.docx": lambda: _docx()[:2000],
    "no-document-part.docx": lambda: _docx(None),
    "corrupt-part.docx": _corrupt_part,
    "zip-bomb.docx": _zip_bomb,
    "entities-docx.docx": lambda: _docx(b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>\n'
                                   + BODY + b"<w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"),
    "not-well-formed-docx.docx": lambda: _docx(BODY + b"<w:p><w:r><w:t>Item 1.</w:r></w:p></w:body></w:document>"),
    "too-deep-docx.docx": lambda: _docx(BODY + b"<w:p>" + b"<w:r>" * 300 + b"</w:r>" * 300
                                        + b"</w:p></w:body></w:document>"),
    "too-many-elements.docx": lambda: _docx(BODY + b"<w:p/>" * 1_000_001 + b"</w:body></w:document>"),
    "no-text-docx.docx": _empty_docx,
}
NAMES = sorted([p.name for p in FILES] + list(GENERATED))


def rendered(name: str) -> str:
    """What the user is told for catalogue input `name` (read from its file, or built here)."""
    source = f"tests/bad_documents/{name}"
    with pytest.raises(InputError) as caught:
        if name in GENERATED:
            read_bytes(GENERATED[name](), source)
        else:
            read_document(source)
    return "".join(problem.render() + "\n" for problem in caught.value.problems)


def test_the_catalogue_has_one_error_file_per_input():
    assert len(NAMES) == len(set(NAMES)) >= 24
    assert not set(GENERATED) & {p.name for p in FILES}, "a generated input shadows a file"
    assert {p.stem for p in BAD.glob("*.err")} == {Path(name).stem for name in NAMES}
    assert len({Path(name).stem for name in NAMES}) == len(NAMES), "two inputs would share one NAME.err"


@pytest.mark.parametrize("name", NAMES)
def test_each_bad_document_gets_its_exact_error(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    started = time.monotonic()
    text = rendered(name)
    assert time.monotonic() - started < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert text == expected_text(BAD / (Path(name).stem + ".err"), text)
    assert "Traceback" not in text


def test_no_entity_is_expanded_or_fetched(monkeypatch):
    """The entity inputs are refused before any parser sees them; even parsed, the XHTML parser neither
    expands nor loads them (checked here on the parser itself, the reader's second line of defence)."""
    from lxml import etree
    from precomment.documents.html import parse_xhtml
    monkeypatch.chdir(ROOT)
    for name in ("billion-laughs.xhtml", "external-entity.xhtml"):
        try:
            root = parse_xhtml((BAD / name).read_bytes())
        except etree.XMLSyntaxError as error:  # libxml2's own amplification guard
            assert "amplification" in str(error)
            continue
        text = "".join(root.itertext())
        assert "lollollol" not in text and "root:" not in text


def test_the_catalogue_texts_name_the_file_and_say_what_to_do():
    for name in NAMES:
        lines = (BAD / (Path(name).stem + ".err")).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith(f"tests/bad_documents/{name}") and ": error [" in lines[0]
        assert len(lines) == 2 and lines[1].startswith("  hint: "), name


def test_a_colspan_or_rowspan_of_a_million_is_read_as_a_hundred():
    started = time.monotonic()
    document = read_bytes(b'<table><tr><td colspan="1000000" rowspan="1000000">Total</td><td>5</td></tr>'
                          b'<tr><td>7</td></tr></table>', "x.htm")
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    assert document.blocks[0].table is not None
    assert document.blocks[0].table.texts() == [["Total", "5"], ["Total", "7"]]


def test_the_element_limit_is_at_its_edge(monkeypatch):
    monkeypatch.setattr(read, "MAX_ELEMENTS", 100)
    at_limit = b"<p>x</p>" + b"<b></b>" * 99
    assert read_bytes(at_limit, "x.htm").blocks[0].text == "x"
    with pytest.raises(InputError) as caught:
        read_bytes(at_limit + b"<b></b>", "x.htm")
    assert caught.value.problems[0].render() == ("x.htm: error [too-many-elements] at /: holds 101 elements; the "
                                                 "limit is 100\n  hint: give the filing's main document, not a "
                                                 "bundle of its exhibits")


def test_a_paragraph_of_a_hundred_thousand_inline_pieces_reads_in_linear_time():
    """Each piece of text once joined all the pieces before it (100,000 pieces: minutes); now a flag."""
    raw = b"<table><tr><td>1</td></tr></table><p>" + b"<b>x</b> " * 100_000 + b"</p>"
    started = time.monotonic()
    document = read_bytes(raw, "x.htm")
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    assert document.blocks[1].text == " ".join(["x"] * 100_000)


_CHILD = """\
import resource, sys
sys.path.insert(0, "tests")
import pytest
from test_bad_documents import NAMES, rendered
texts = [rendered(name) for name in NAMES]
sys.stdout.write("".join(texts))
try:  # Linux: the high-water mark of this process's own memory (VmHWM starts afresh at exec)
    with open("/proc/self/status", encoding="ascii") as status:
        peak_mb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
except OSError:  # elsewhere ru_maxrss, which on Linux would start from pytest's own peak (test_bad_input.py)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak // 1024 if sys.platform != "darwin" else peak // (1024 * 1024)
sys.stderr.write(str(peak_mb))
"""
MEMORY_LIMIT_MB = 200
"""The bound test_bad_input.py sets for bad descriptions, kept for bad documents: the largest input here is
the 64 MiB one past the size limit, refused before it is decoded."""


def test_the_whole_catalogue_in_one_process_is_refused_in_little_memory():
    import subprocess
    import sys
    child = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True, text=True,
                           timeout=HANG_GUARD_SECONDS * 4)
    assert child.returncode == 0, child.stderr
    assert child.stdout == "".join((BAD / (Path(name).stem + ".err")).read_text(encoding="utf-8") for name in NAMES)
    assert int(child.stderr) < MEMORY_LIMIT_MB
