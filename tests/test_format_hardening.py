"""Report formats against hostile input: characters that show nothing or reorder the text around them (a
filing's names), huge unbroken words (a filing may be 32 MiB), and rule packs written to attack a SARIF
viewer. Each test asserts what the user sees."""
from __future__ import annotations

import json
import re
import textwrap
import unicodedata

import pytest
import strategies  # noqa: F401 - the hypothesis profiles: "ci" is derandomized
import yaml
from conftest import IIJ, ROOT
from hypothesis import given
from hypothesis import strategies as st
from precomment.reports import text
from precomment.reports.formats import correspondence, table
from precomment.reports.text import plain, wrap
from test_format_sarif import assert_valid, validator  # noqa: F401 - the OASIS schema, a fixture

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
        "| PC-6-001 | error      | 6.E    | 50     | Akihisa\\u200bWata | In future filings please include here the percentage  |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        | i \\u2067isolate\\u | of shares outstanding, in addition to the number of   |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        | 2069 \\u202bembed\\ | shares, for directors, senior management and          |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        | u202c\\u061c \\ufef | employees, including Akihisa\\u200bWatai               |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        | f\\u2060\\U000e0041 | \\u2067isolate\\u2069 \\u202bembed\\u202c\\u061c           |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        | Jr.               | \\ufeff\\u2060\\U000e0041 Jr. (60 shares). Refer to Item |",  # noqa: E501 (a row of the table, whole)
        "|          |            |        |        |                   | 6.E.1 of Form 20-F.                                   |",  # noqa: E501 (a row of the table, whole)
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


# --- wrapping: the same lines as textwrap, in time linear in the text -----------------------------------

class _LongWordCut(textwrap.TextWrapper):
    """How the table wrapped its cells before (and the letter, but for a space left at the end of a full
    line): textwrap, a word longer than the line cut at the width as tabulate cuts it, never after its last
    hyphen."""

    def _handle_long_word(self, reversed_chunks, cur_line, cur_len, width):
        space_left = 1 if width < 1 else width - cur_len
        if space_left > 0:
            chunk = reversed_chunks[-1]
            cur_line.append(chunk[:space_left])
            reversed_chunks[-1] = chunk[space_left:]


def textwrap_lines(text: str, width: int, first: str, rest: str, hyphens: bool) -> list[str]:
    return _LongWordCut(width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=hyphens).wrap(text)


WORDS = ["a", "word", "Mr.", "12,000", "(60", "shares).", "x" * 45, "a-b", "ASC 606-10-25-19", "-", "--", "a-" * 12,
         " ", "   ", "\t", "\n", "\u00a0", "\u00a0" * 30, "\u3000", "\u65e5\u672c", "\u00e9"]
"""Words, spaces, tabs and line breaks; hyphens, which the table may break after; long words, and runs of
spaces that are not ASCII (textwrap keeps them inside a word, yet drops them as blank at a line's start)."""
INDENTS = ["", " ", "  - ", "12. ", "    (b) ", " " * 12]


@given(text=st.lists(st.sampled_from(WORDS), max_size=30).map("".join), width=st.integers(1, 40),
       first=st.sampled_from(INDENTS), rest=st.sampled_from(INDENTS), hyphens=st.booleans())
def test_wrap_gives_the_lines_textwrap_gives(text, width, first, rest, hyphens):
    if max(len(first), len(rest)) >= width:  # textwrap may loop for ever; wrap refuses
        with pytest.raises(ValueError, match="an indent leaves no room"):
            wrap(text, width, first, rest, hyphens)
        return
    assert wrap(text, width, first, rest, hyphens) == textwrap_lines(text, width, first, rest, hyphens)


def test_a_full_line_keeps_no_space_before_a_word_longer_than_a_line():
    """The one difference from textwrap.wrap, which the letter used: it kept the space ("aaaa ")."""
    assert textwrap.wrap("aaaa bbbbbbbbbbbb", 5, break_on_hyphens=False) == ["aaaa ", "bbbbb", "bbbbb", "bb"]
    assert wrap("aaaa bbbbbbbbbbbb", 5) == ["aaaa", "bbbbb", "bbbbb", "bb"]
    assert wrap("aaa bbbbbbbbbbbb", 5) == ["aaa b", "bbbbb", "bbbbb", "b"]


class CountedText(str):
    """A chunk of text that counts the characters its slices copy (the work textwrap did over and over)."""

    copied = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        piece = str.__getitem__(self, key)
        if not isinstance(key, slice):
            return piece
        CountedText.copied += len(piece)
        return CountedText(piece)  # so a slice of a slice counts too, as textwrap took them


@pytest.mark.parametrize("wrap_one", [lambda text: table.wrap(text, table.SUBJECT_WIDTH[1]),
                                      lambda text: correspondence.wrap(text, "12. ", "    ")], ids=["table", "letter"])
def test_wrapping_a_long_word_copies_each_character_once(wrap_one, monkeypatch):
    """A filing may be 32 MiB, so one name may be megabytes long. textwrap copied the rest of a long word for
    each line it cut from it, n * n / width characters: 18.7 s for a 3 MB name in the letter, 23 s in the
    table. Counted here through the chunks the wrapper reads (so no clock is involved): a word of n
    characters costs n characters copied, whatever its length."""
    split = text._WORDS[True]._split_chunks.__func__  # the same for both wrappers' chunkers
    monkeypatch.setattr(textwrap.TextWrapper, "_split_chunks",
                        lambda self, line: [CountedText(chunk) for chunk in split(self, line)])
    for length in (20_000, 200_000):
        CountedText.copied = 0
        lines = wrap_one("x" * length)
        assert sum(line.count("x") for line in lines) == length
        assert CountedText.copied == length


def test_a_huge_name_is_cut_at_the_width_of_every_report_line(cli, tmp_path):
    """A name of 100,000 characters without a space fills as many whole lines as it takes, from where the
    text before it ends, as textwrap's break_long_words does; the text after it wraps as usual."""
    name = "W" * 100_000
    path = tmp_path / "long-name.yaml"
    path.write_text((ROOT / IIJ).read_text(encoding="utf-8").replace("- name: Akihisa Watai", f"- name: {name}"),
                    encoding="utf-8")
    comment = ["   employees, including Koichi Suzuki (12,000 shares) and " + "W" * 22]  # 80 columns
    comment += ["   " + "W" * 77] * 1298  # 22 + 1,298 x 77 + 32 = 100,000
    comment += ["   " + "W" * 32 + " (60 shares). Refer to Item 6.E.1 of Form", "   20-F."]
    for name in ("letter", "response"):
        code, out, _ = cli("check", str(path), *DATES, "--format", name)
        lines = out.splitlines()
        start = lines.index(comment[0])
        assert lines[start - 2:start + len(comment)] == [
            "9. In future filings please include here the percentage of shares outstanding,",
            "   in addition to the number of shares, for directors, senior management and"] + comment
    code, out, _ = cli("check", str(path), *DATES)  # the table at its default width, 120: subject 17, comment 54
    lines = out.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("| PC-6-001 |") and "WWW" in line)
    row = [line.split("|")[5:7] for line in lines[start:lines.index(lines[start - 1], start)]]
    assert [subject for subject, _ in row] == [" " + "W" * 17 + " "] * 5882 + [" " + "W" * 6 + " " * 12]
    assert [comment.rstrip() for _, comment in row[:1857]] == [
        " In future filings please include here the percentage",
        " of shares outstanding, in addition to the number of",
        " shares, for directors, senior management and",
        " employees, including " + "W" * 33] + [" " + "W" * 54] * 1851 + [  # 33 + 1,851 x 54 + 13 = 100,000
        " " + "W" * 13 + " (60 shares). Refer to Item 6.E.1 of Form", " 20-F."]
    assert {comment.strip() for _, comment in row[1857:]} == {""}


# --- SARIF: message strings as SARIF 2.1.0 defines them, and a rule pack's text inert ---------------------

HOSTILE_RULE = {
    "id": "PC-6-950", "name": "hostile-rule-text", "form_item": "6.E", "severity": "warning",
    "title": "Title <script>alert(1)</script> [x](javascript:alert(1)) {0} {{ }}",
    "description": ("Text <img src=x onerror=alert(2)> ![](https://evil.example/d.png) <https://evil.example/a> "
                    "&#106;s {1} }{ *em* _u_ `field_name`"),
    "authorities": [
        {"cite": "Cite [c](javascript:alert(3)) <b>b</b> {0}", "url": "https://evil.example/a> [l](javascript:alert(4)",
         "quote": "![tracker](https://evil.example/q.png)", "verify": "<iframe src=https://evil.example> `<b>code</b>` {x}"},
        {"cite": "Form 20-F, Item 6.E", "url": "https://www.sec.gov/files/form20-f.pdf"}],
    "precedents": [],
    "when": [{"fact": "share_owner", "as": "holder"}],
    "subject": "holder",
    "comment": ("Comment <script>alert(5)</script> [x](javascript:alert(6)) ![](https://evil.example/c.png) {{0}} "
                "{{ and }} on {holder.name}."),
    "remedy": "Remedy <a href=javascript:alert(7)>here</a> [y](data:text/html,hi) {{1}}.",
    "record": "Record <i>i</i> [z](javascript:alert(8)) `item6.share_ownership.holders[].name` {{2}}.",
    "examples": {"fail": [{"name": "a holder", "findings": ["Jane Doe"],
                           "filing": {"item6": {"share_ownership": {"holders": [{"name": "Jane Doe", "role": "director"}]}}}}],
                 "pass": [{"name": "no holder", "filing": {}}]},
}
"""A rule pack is untrusted: its texts carry raw HTML, script, links to javascript: and data: URLs, remote
images, an entity, a URL that would break out of a link, SARIF placeholders ({0}) and braces."""
MESSAGE_OBJECTS = ("message", "shortDescription", "fullDescription", "help", "description")
_BRACE_TOKENS = re.compile(r"\{\{|\}\}|\{\d+\}|[{}]")


@pytest.fixture
def hostile_pack(tmp_path):
    (tmp_path / "item6").mkdir()
    (tmp_path / "item6" / "hostile.yaml").write_text(yaml.safe_dump(HOSTILE_RULE, sort_keys=False), encoding="utf-8")
    return str(tmp_path)


def message_strings(node, path=""):
    """Every message string of a SARIF log: the text and markdown of message and multiformatMessageString
    objects, with where they are."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from message_strings(item, f"{path}/{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in MESSAGE_OBJECTS and isinstance(value, dict):
                yield from ((f"{path}/{key}/{kind}", value[kind]) for kind in ("text", "markdown") if kind in value)
            yield from message_strings(value, f"{path}/{key}")


def lone_braces(text: str) -> list[str]:
    """SARIF 2.1.0, 3.11.5: in a message string `{` and `}` are written `{{` and `}}`; `{0}` is a placeholder,
    to be replaced from `arguments`, which precomment never gives. Whatever else is found is an error."""
    return [token for token in _BRACE_TOKENS.findall(text) if token not in ("{{", "}}")]


def shown(text: str) -> str:
    """What a viewer following SARIF 2.1.0 shows of a plain-text message without arguments: `{{` and `}}` as
    braces (3.11.5), `\\[`, `\\]` and `\\\\` as the characters (3.11.6), the rest as it is."""
    assert lone_braces(text) == []
    return re.sub(r"\{\{|\}\}|\\[\\\[\]]", lambda match: match.group()[-1], text)


def test_every_message_string_writes_its_braces_as_sarif_says(cli, hostile_pack, validator):  # noqa: F811 (the fixture)
    """The built-in rules' help quotes their templates ({holder.name}); the hostile pack adds {0}, {{ and }{."""
    for args in [(IIJ, "--waivers", "tests/data/iij-waivers.yaml"), (HOSTILE, "tests/bad/wrong-type.yaml"),
                 (IIJ, "--rules", hostile_pack)]:
        code, out, _ = cli("check", *args, *DATES, "--format", "sarif")
        assert_valid(validator, json.loads(out))
        strings = dict(message_strings(json.loads(out)))
        assert len(strings) > 150  # every rule's short description, the help of those with results, every result
        assert {path: lone_braces(text) for path, text in strings.items() if lone_braces(text)} == {}


def test_a_result_message_shows_the_likely_comment_exactly(cli, hostile_pack):
    code, out, _ = cli("check", IIJ, "--rules", hostile_pack, *DATES, "--format", "json")
    comments = {(f["rule_id"], f["pointer"]): f["comment"] for f in json.loads(out)["filings"][0]["findings"]}
    code, out, _ = cli("check", IIJ, "--rules", hostile_pack, *DATES, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert {(r["ruleId"], r["properties"]["pointer"]): shown(r["message"]["text"]) for r in results} == comments
    koichi = next(r for r in results if r["ruleId"] == "PC-6-950")
    assert koichi["message"]["text"] == ("Comment <script>alert(5)</script> \\[x\\](javascript:alert(6)) "
                                         "!\\[\\](https://evil.example/c.png) {{0}} {{ and }} on Koichi Suzuki.")


def test_a_hostile_rule_pack_puts_no_markup_link_or_image_in_the_sarif_help(cli, hostile_pack):
    """help.markdown, which GitHub code scanning renders: every Markdown and HTML character of the rule's
    text is escaped (`code spans` are kept: nothing in one is markup), and the only link is to an
    authority's https URL. Plain-text strings escape embedded-link syntax (3.11.6). Braces doubled (3.11.5)."""
    code, out, _ = cli("check", IIJ, "--rules", hostile_pack, *DATES, "--format", "sarif")
    rule = next(r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "PC-6-950")
    assert rule["shortDescription"] == {"text": "Title <script>alert(1)</script> \\[x\\](javascript:alert(1)) {{0}} {{{{ }}}}"}
    description = ("Text <img src=x onerror=alert(2)> !\\[\\](https://evil.example/d.png) <https://evil.example/a> "
                   "&#106;s {{1}} }}{{ *em* _u_ `field_name`")
    assert rule["fullDescription"] == {"text": description}
    assert rule["helpUri"] == "https://www.sec.gov/files/form20-f.pdf"
    assert rule["help"]["text"].splitlines() == [
        description,
        "",
        "Likely comment: Comment <script>alert(5)</script> \\[x\\](javascript:alert(6)) "
        "!\\[\\](https://evil.example/c.png) {{{{0}}}} {{{{ and }}}} on {{holder.name}}.",
        "Remedy: Remedy <a href=javascript:alert(7)>here</a> \\[y\\](data:text/html,hi) {{{{1}}}}.",
        "Record in the description: Record <i>i</i> \\[z\\](javascript:alert(8)) `item6.share_ownership.holders\\[\\].name` "
        "{{{{2}}}}.",
        "",
        "Authorities:",
        "- Cite \\[c\\](javascript:alert(3)) <b>b</b> {{0}} <https://evil.example/a> \\[l\\](javascript:alert(4)>",
        "  Quote: !\\[tracker\\](https://evil.example/q.png)",
        "  Not yet verified: <iframe src=https://evil.example> `<b>code</b>` {{x}}",
        "- Form 20-F, Item 6.E <https://www.sec.gov/files/form20-f.pdf>",
        "",
        "The rule applies to every filing."]
    markdown = rule["help"]["markdown"]
    assert markdown.splitlines() == [
        "Text \\<img src=x onerror=alert\\(2\\)\\> \\!\\[\\]\\(https://evil.example/d.png\\) "
        "\\<https://evil.example/a\\> &amp;\\#106;s \\{{1\\}} \\}}\\{{ \\*em\\* \\_u\\_ `field_name`",
        "",
        "**Likely comment:** Comment \\<script\\>alert\\(5\\)\\</script\\> \\[x\\]\\(javascript:alert\\(6\\)\\) "
        "\\!\\[\\]\\(https://evil.example/c.png\\) \\{{\\{{0\\}}\\}} \\{{\\{{ and \\}}\\}} on \\{{holder.name\\}}.",
        "",
        "**Remedy:** Remedy \\<a href=javascript:alert\\(7\\)\\>here\\</a\\> \\[y\\]\\(data:text/html,hi\\) "
        "\\{{\\{{1\\}}\\}}.",
        "",
        "**Record in the description:** Record \\<i\\>i\\</i\\> \\[z\\]\\(javascript:alert\\(8\\)\\) "
        "`item6.share_ownership.holders[].name` \\{{\\{{2\\}}\\}}.",
        "",
        "**Authorities**",
        "",
        "- Cite \\[c\\]\\(javascript:alert\\(3\\)\\) \\<b\\>b\\</b\\> \\{{0\\}}",
        "  - Quote: \\!\\[tracker\\]\\(https://evil.example/q.png\\)",
        "  - Not yet verified: \\<iframe src=https://evil.example\\> `<b>code</b>` \\{{x\\}}",
        "- [Form 20-F, Item 6.E](<https://www.sec.gov/files/form20-f.pdf>)",
        "",
        "The rule applies to every filing."]
    outside_code = re.sub(r"`[^`]+`", "", markdown)
    assert re.findall(r"(?<!\\)[<\[!&]\S*", outside_code) == [  # markup not escaped: the entity, the one link
        "&amp;\\#106;s", "[Form", "<https://www.sec.gov/files/form20-f.pdf>)"]
