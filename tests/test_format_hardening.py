"""Report formats against hostile input: characters that show nothing or reorder the text around them (a
filing's names), huge unbroken words (a filing may be 32 MiB), and rule packs written to attack a SARIF
viewer. Each test asserts what the user sees."""
from __future__ import annotations

import json
import re
import unicodedata

import pytest
import yaml

from conftest import ROOT
from precomment.formats.text import plain

HOSTILE = "tests/data/hostile-20f.yaml"
DATES = ("--today", "2009-09-30", "--letter-date", "2009-09-30")


# --- characters that show nothing, or reorder what follows them ----------------------------------------

def _acted_on(char: str) -> bool:
    """Control characters (but tab and newline), format characters (zero-width, bidi, tags) and the Unicode
    line and paragraph separators: a terminal, an editor or a browser acts on them or shows nothing."""
    return char not in "\t\n" and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


ACTED_ON = [chr(code) for code in range(0x110000) if _acted_on(chr(code))]
RAW = re.compile("[" + "".join(re.escape(char) for char in ACTED_ON) + "]")


def raw(text: str) -> list[str]:
    """The code points of such characters written as they are, not shown escaped."""
    return sorted({f"U+{ord(char):04X}" for char in RAW.findall(text)})
WATAI = yaml.safe_load((ROOT / HOSTILE).read_text(encoding="utf-8"))["item6"]["share_ownership"]["holders"][1]["name"]
SHOWN = "Akihisa\\u200bWatai \\u2067isolate\\u2069 \\u202bembed\\u202c\\u061c \\ufeff\\u2060\\U000e0041 Jr."


def test_plain_shows_every_control_and_format_character_as_its_code_point():
    """The hostile name holds one of each kind; this holds for every such character of this Python's Unicode."""
    assert len(raw(WATAI)) == 9
    for char in ACTED_ON:
        code = ord(char)
        assert plain(char) == (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"), f"U+{code:04X}"
    visible = "Koichi Suzuki, 株式会社 Ünïcödé e\u0301 📈 \u00a0non-breaking\tand\nlines"
    assert plain(visible) == visible


def test_the_table_shows_zero_width_bidi_and_tag_characters_escaped(cli):
    code, out, _ = cli("check", HOSTILE, *DATES)
    assert (code, raw(out)) == (1, [])
    start = out.index("| PC-6-001 | error      | 6.E    | 50     | Akihisa")
    assert out[start:].split("\n+")[0].splitlines() == [
        "| PC-6-001 | error      | 6.E    | 50     | Akihisa\\u200bWatai       | In future filings please include here the percentage of shares   |",
        "|          |            |        |        | \\u2067isolate\\u2069      | outstanding, in addition to the number of shares, for directors, |",
        "|          |            |        |        | \\u202bembed\\u202c\\u061c  | senior management and employees, including Akihisa\\u200bWatai    |",
        "|          |            |        |        | \\ufeff\\u2060\\U000e0041   | \\u2067isolate\\u2069 \\u202bembed\\u202c\\u061c                      |",
        "|          |            |        |        | Jr.                      | \\ufeff\\u2060\\U000e0041 Jr. (60 shares). Refer to Item 6.E.1 of   |",
        "|          |            |        |        |                          | Form 20-F.                                                       |",
    ]


@pytest.mark.parametrize("name", ["letter", "response"])
def test_letter_and_response_show_zero_width_bidi_and_tag_characters_escaped(cli, name):
    code, out, _ = cli("check", HOSTILE, *DATES, "--format", name)
    assert (code, raw(out)) == (1, [])
    assert """
   (b) In future filings please include here the percentage of shares
       outstanding, in addition to the number of shares, for directors, senior
       management and employees, including Akihisa\\u200bWatai
       \\u2067isolate\\u2069 \\u202bembed\\u202c\\u061c \\ufeff\\u2060\\U000e0041 Jr.
       (60 shares). Refer to Item 6.E.1 of Form 20-F.
""" in out


def test_markdown_and_csv_show_zero_width_bidi_and_tag_characters_escaped(cli):
    code, out, _ = cli("check", HOSTILE, *DATES, "--format", "markdown")
    assert raw(out) == []
    assert ("| PC-6-001 | error | 6.E | 50 | Akihisa\\\\u200bWatai \\\\u2067isolate\\\\u2069 \\\\u202bembed\\\\u202c"
            "\\\\u061c \\\\ufeff\\\\u2060\\\\U000e0041 Jr. | In future filings") in out
    code, out, _ = cli("check", HOSTILE, *DATES, "--format", "csv")
    assert raw(out) == []
    assert f",PC-6-001,error,6.E,50,{SHOWN},/item6/share_ownership/holders/1," in out


def test_json_writes_them_as_json_escapes_so_the_values_are_unchanged(cli):
    """JSON is read by programs (a baseline, jq): a \\u escape is the same string, and inert on a terminal."""
    code, out, _ = cli("check", HOSTILE, *DATES, "--format", "json")
    assert raw(out) == []
    assert ('"subject": "Akihisa\\u200bWatai \\u2067isolate\\u2069 \\u202bembed\\u202c\\u061c \\ufeff\\u2060'
            '\\udb40\\udc41 Jr."') in out
    findings = json.loads(out)["filings"][0]["findings"]
    assert WATAI in {finding["subject"] for finding in findings}
