"""Loading: read a YAML or JSON file safely, as UTF-8 text within the size limit, into a Document
that remembers where every node came from. The reading and the checks of the bytes are here; the YAML event
builder (sources.yaml_events), the strict JSON check (sources.strict_json) and the position tree
(sources.document) do the rest. The limits are documented in docs/filing-format.md.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError, Problem
from .document import Document, position_of_byte
from .strict_json import SurrogatePairs, check_strict_json
from .yaml_events import build

MAX_BYTES = 32 * 1024 * 1024
"""Largest file accepted (32 MiB): far above any real filing description, far below memory trouble."""

_OTHER_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def load_file(path: str | Path) -> Document:
    """Read and load `path`; every failure is an InputError naming the file."""
    source = str(path)
    p = Path(path)
    if p.is_dir():
        raise _file_error(source, "not-a-file", "is a directory, not a filing description",
                          "give the path of a .yaml or .json file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(source, size)
        with p.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # a file that grew since stat() is still bounded
    except FileNotFoundError:
        raise _file_error(source, "no-such-file", "no such file", "check the path") from None
    except OSError as error:
        raise _file_error(source, "unreadable", f"cannot be read: {error.strerror}") from None
    return load_bytes(raw, source)


def load_bytes(raw: bytes, source: str) -> Document:
    """Check the bytes are UTF-8 text (a UTF-8 byte order mark is dropped) and load them; `source` names the
    input in every error."""
    if len(raw) > MAX_BYTES:
        raise _too_big(source, len(raw))
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            raise _content_error(source, "not-utf8", f"the file is encoded as {encoding} (it starts with a "
                                 f"{encoding} byte order mark); precomment reads UTF-8 only",
                                 "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
    if b"\x00" in raw:
        line, column = position_of_byte(raw, raw.index(b"\x00"))
        raise InputError([Problem(source, line, column, "", "binary",
                                  "contains NUL bytes: this is not a text file",
                                  "give a YAML or JSON text file; if it is UTF-16 text, save it as UTF-8")])
    if raw.startswith(codecs.BOM_UTF8):  # carries no meaning in UTF-8; YAML and JSON readers may skip it
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        _check_utf8(raw)
    except UnicodeDecodeError as error:
        line, column = position_of_byte(raw, error.start)
        raise InputError([Problem(source, line, column, "", "not-utf8",
                                  f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                                  "save the file as UTF-8 (it looks like another encoding, such as "
                                  "Windows-1252 or Shift JIS)")]) from None
    return _load(raw, source)


def _check_utf8(raw: bytes) -> None:
    """Raise UnicodeDecodeError (with the offset in `raw`) unless `raw` is UTF-8. Decoded a megabyte at a
    time and not kept: the parser reads the bytes themselves, so even a 32 MiB file is held only once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), 1 << 20):
            decoder.decode(view[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raw.decode("utf-8")  # again in one piece, for the error's offset in the whole file
        raise


def _load(data: bytes, source: str) -> Document:
    """Load one YAML document (or, for a `.json` source, one strict JSON value) from UTF-8 `data`."""
    if not data or data.isspace():  # (not strip(), which would copy a large file)
        raise _content_error(source, "empty", "the file is empty" if not data else "the file holds only blank lines",
                             "write the description as YAML `key: value` lines (or a JSON object)")
    is_json = source.lower().endswith(".json")
    pairs = SurrogatePairs.of(data) if is_json and b"\\u" in data else None
    try:
        builder = build(pairs.data if pairs else data, source, is_json)
    except InputError as failure:
        failure.with_traceback(None)  # its frames hold the values built: free them before JSON reads
        refusal = pairs.restore(failure) if pairs else failure
        if is_json:  # a JSON syntax error before the place the builder stopped is the one to report
            check_strict_json(data, source, refusal.problems[0])
        raise refusal from None
    if pairs:
        pairs.restore_tree(builder.tree)
    if is_json:
        check_strict_json(data, source, None)
    if not builder.documents:
        raise _content_error(source, "empty", "the file holds no YAML document, only comments",
                             "write the description as YAML `key: value` lines")
    if builder.doc.data is None:
        raise _content_error(source, "empty", "the file holds only an empty document",
                             "write the description as YAML `key: value` lines")
    return builder.doc


def _file_error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    """A problem with the file as a whole (missing, a directory, too large): no line to point at."""
    return InputError([Problem(source, None, None, "", code, message, hint)])


def _content_error(source: str, code: str, message: str, hint: str | None = None) -> InputError:
    """A problem with the file's content as a whole: reported at its start."""
    return InputError([Problem(source, 1, 1, "", code, message, hint)])


def _too_big(source: str, size: int) -> InputError:
    return _file_error(source, "too-large", f"is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
                       "split the description or remove embedded text")
