"""The HTML report: the golden page, what a reviewer reads in it, its safety, and what Chromium renders.

Structural checks parse the page with the standard library's HTML parser; the browser tests open it in
headless Chromium (Debian's chromium package, see browser.py) and assert on the DOM it built: three
browser starts in all.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import dump_dom, require_chromium
from conftest import IIJ, ROOT, golden, run_process
from precomment.cli import main
from precomment.reports.formats import html_page

WAIVERS = "tests/data/iij-waivers.yaml"
HOSTILE = "tests/data/hostile-20f.yaml"
BAD = "tests/bad/bad-values.yaml"
DATES = ("--today", "2009-09-30", "--letter-date", "2009-09-30")
HOSTILE_NAME = "Initiative <script>document.title='PWNED';document.body.innerHTML='PWNED'</script> & Co. **Ltd** | x"
HOSTILE_HOLDER = "Koichi \\u001b[31mRED\\u001b[0m \\u202eevil\\u202c [link](javascript:alert(1)) `code` # heading"
VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base", "embed", "track", "param"}
BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "footer", "h1", "h2",
         "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr",
         "ul", "title"}
ACTIVE = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "input", "svg", "math", "video",
          "audio", "frame", "frameset"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.text = tag, attrs, parent, ""

    def within(self, ancestor: Node) -> bool:
        node = self.parent
        while node is not None and node is not ancestor:
            node = node.parent
        return node is ancestor


class Page(HTMLParser):
    """The elements of a page in document order (each with its text and parent), and its tables by caption."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Node] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._open: list[Node] = []
        self._rows: list[list[list[str]]] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self._open[-1] if self._open else None)
        self.nodes.append(node)
        if tag == "table":
            self._rows.append([])
        elif tag == "tr":
            self._rows[-1].append([])
        if tag in BLOCK:
            self.handle_data(" ")  # a block starts on a new line: its text never runs into the text before it
        if tag not in VOID:
            self._open.append(node)

    def handle_endtag(self, tag: str) -> None:
        depth = max((i for i, node in enumerate(self._open) if node.tag == tag), default=None)
        if tag in BLOCK and depth is not None:
            for node in self._open[:depth]:  # the block's ancestors: what follows starts on a new line
                node.text += " "
        while self._open:
            node = self._open.pop()
            if node.tag in ("th", "td"):
                self._rows[-1][-1].append(" ".join(node.text.split()))
            elif node.tag == "table":
                caption = [n for n in self.nodes if n.tag == "caption" and n.within(node)]
                self.tables[" ".join(caption[0].text.split()) if caption else ""] = self._rows.pop()
            if node.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for node in self._open:
            node.text += data

    def all(self, tag: str, within: Node | None = None) -> list[Node]:
        return [n for n in self.nodes if n.tag == tag and (within is None or n.within(within))]

    def one(self, tag: str, within: Node | None = None) -> Node:
        (node,) = self.all(tag, within)
        return node

    def by_id(self, element_id: str) -> Node:
        (node,) = [n for n in self.nodes if n.attrs.get("id") == element_id]
        return node

    def by_class(self, name: str, within: Node | None = None) -> list[Node]:
        return [n for n in self.nodes if name in (n.attrs.get("class") or "").split()
                and (within is None or n.within(within))]

    def ids(self) -> list[str]:
        return [n.attrs["id"] or "" for n in self.nodes if "id" in n.attrs]

    def tags(self) -> list[str]:
        return [n.tag for n in self.nodes]


def text(node: Node) -> str:
    """What a reader sees of an element: its text with runs of white space as one space."""
    return " ".join(node.text.split())


def run(*args: str) -> tuple[int, str]:
    """`precomment ARGS` in-process from the repository root (for module fixtures: `cli` is per test)."""
    stream = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stream), \
            contextlib.redirect_stderr(io.StringIO()):
        patch.chdir(ROOT)
        code = main(list(args))
    return code, stream.getvalue()


@pytest.fixture(scope="module")
def iij() -> tuple[str, Page, dict]:
    """The IIJ page with its waivers, and the JSON report of the same check (the figures to compare with)."""
    code, page = run("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "html")
    assert code == 1
    code, report = run("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "json")
    return page, Page(page), json.loads(report)


def test_iij_page_is_the_golden_page(cli):
    code, out, err = cli("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "html")
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.html", out)


def test_the_same_bytes_in_another_process_and_hash_seed(iij):
    result = run_process("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "html",
                         env={"PYTHONHASHSEED": "4242"})
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == iij[0]


def test_page_loads_nothing_and_runs_nothing(iij):
    source, page, _ = iij
    assert source.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert [tag for tag in page.tags() if tag in ACTIVE] == []
    assert [(n.tag, a) for n in page.nodes for a in n.attrs if a.startswith("on") or a in ("src", "style")] == []
    links = [n.attrs["href"] or "" for n in page.all("a")]
    assert [href for href in links if not href.startswith(("#", "https://"))] == []
    external = [n for n in page.all("a") if (n.attrs["href"] or "").startswith("https://")]
    assert {n.attrs.get("rel") for n in external} == {"noreferrer noopener"}
    style = page.one("style").text
    assert "url(" not in style and "@import" not in style
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    (policy,) = [n.attrs["content"] for n in page.all("meta") if n.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy == f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def test_headings_are_in_order(iij):
    _, page, _ = iij
    levels = [int(n.tag[1]) for n in page.nodes if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == []
    assert [text(n) for n in page.all("h2")] == [
        "Contents", "Summary",
        "filings/iij-fy2009-20f.yaml: Internet Initiative Japan Inc., Form 20-F, fiscal year ended 2009-03-31",
        "Rules behind these findings"]
    assert [text(n) for n in page.all("h3")][:8] == [
        "Item 4. Information on the Company (10 findings)",
        "Item 5. Operating and Financial Review and Prospects (11 findings)",
        "Item 6. Directors, Senior Management and Employees (2 findings)",
        "Item 7. Major Shareholders and Related Party Transactions (3 findings)",
        "Item 10. Additional Information (2 findings)",
        "Item 18. Financial Statements (12 findings)",
        "Item 19. Exhibits (5 findings)",
        "Rules not yet in force (102)"]


def test_summary_by_severity_and_by_form_item(iij):
    _, page, report = iij
    assert {n.attrs.get("scope") for n in page.all("th")} == {"col", "row"}
    assert page.tables["Findings by severity"] == [
        ["Severity", "Findings", "Waived", "Failing the gate"],
        ["\u2716 Error", "14", "1", "13"], ["\u25b2 Warning", "31", "1", "0"], ["\u2139 Info", "0", "0", "0"],
        ["Total", "45", "2", "13"]]
    assert page.tables["Findings by Form item"] == [
        ["Form item", "Error", "Warning", "Info", "Findings", "Waived", "Failing the gate"],
        ["Item 4. Information on the Company", "1", "9", "0", "10", "1", "1"],
        ["Item 5. Operating and Financial Review and Prospects", "0", "11", "0", "11", "0", "0"],
        ["Item 6. Directors, Senior Management and Employees", "2", "0", "0", "2", "0", "2"],
        ["Item 7. Major Shareholders and Related Party Transactions", "2", "1", "0", "3", "0", "2"],
        ["Item 10. Additional Information", "2", "0", "0", "2", "0", "2"],
        ["Item 18. Financial Statements", "2", "10", "0", "12", "0", "2"],
        ["Item 19. Exhibits", "5", "0", "0", "5", "1", "4"],
        ["Total", "14", "31", "0", "45", "2", "13"]]
    assert page.tables["Filings"] == [
        ["File", "Filer", "Status", "Findings", "Waived", "Failing the gate"],
        ["filings/iij-fy2009-20f.yaml", "Internet Initiative Japan Inc.", "checked", "45", "2", "13"]]
    summary = report["summary"]  # the same figures as the JSON report of the same check
    assert (summary["findings"], summary["by_severity"], summary["waived"], report["gate"]["failing_findings"]) == (
        45, {"error": 14, "warning": 31, "info": 0}, 2, 13)


def test_the_verdict_is_the_summary_line_every_report_ends_with(iij, cli):
    _, page, _ = iij
    _, table, _ = cli("check", IIJ, "--waivers", WAIVERS, *DATES)
    verdict = page.by_id("verdict")
    assert text(verdict) == "Failed " + table.rstrip("\n").rsplit("\n", 1)[1]
    assert verdict.attrs["class"] == "verdict failed"


def test_each_finding_in_full_under_a_safe_unique_id(iij):
    _, page, report = iij
    findings = report["filings"][0]["findings"]
    expected_ids, seen = [], {}
    for finding in findings:
        seen[finding["rule_id"]] = seen.get(finding["rule_id"], 0) + 1
        expected_ids.append(f"f1-{finding['rule_id']}-{seen[finding['rule_id']]}")
    articles = page.all("article")
    assert [a.attrs["id"] for a in articles] == expected_ids
    for article, finding in zip(articles, findings):
        shown = text(article)
        parts = [finding["severity"].capitalize(), finding["rule_id"], finding["title"],
                 f"Subject: {finding['subject']}", f"Item {finding['form_item']}", f"Page {finding['page']}",
                 finding["comment"], f"Remedy: {finding['remedy']}",
                 f"Record in the description: {finding['record'].replace('`', '')}",  # the paths as <code>
                 f"Location {finding['source']}:{finding['line']}:{finding['column']}",
                 f"JSON pointer {finding['pointer']}", *finding["authorities"],
                 *[f"{_letter_named(p)}, comment {p['comment']}" for p in finding["precedents"]],
                 f"Status {'waived' if finding['waiver'] else 'open'}"]
        assert [part for part in parts if part not in shown] == [], article.attrs["id"]
        assert ("Fails the gate" in shown) == (finding["severity"] == "error" and not finding["waiver"])
        assert text(page.one("h4", article)).startswith(f"{html_page._SYMBOLS[finding['severity']]} "
                                                        f"{finding['severity'].capitalize()} {finding['rule_id']}")
    ids = page.ids()
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[A-Za-z0-9-]+", i)] == []
    assert [h for n in page.all("a") if (h := n.attrs["href"] or "").startswith("#") and h[1:] not in ids] == []
    contents = [n.attrs["href"] for n in page.all("a", page.one("nav"))]
    assert contents[:4] == ["#summary", "#f1", "#f1-item-4", "#f1-item-5"]


def test_a_waived_finding_says_why_who_and_until_when(iij):
    _, page, _ = iij
    article = page.by_id("f1-PC-4-002-1")
    assert article.attrs["class"] == "finding warning waived"
    (waiver,) = page.by_class("waiver", article)
    assert text(waiver) == (
        "Waived: Cisco equipment is bought at list price from several resellers; no agreement is material. "
        "Owner: IR team (legal@iij.example). Expires 2010-03-31. Waiver at tests/data/iij-waivers.yaml:3:5.")
    assert [text(b) for b in page.by_class("badge", article)] == ["\u25b2 Warning", "Waived"]


def test_the_rules_behind_the_findings_with_their_authorities(iij):
    _, page, report = iij
    fired = {f["rule_id"] for f in report["filings"][0]["findings"]}
    rules = page.by_class("rule", page.by_id("rules"))
    assert sorted(n.attrs["id"] for n in rules) == sorted(f"rule-{r}" for r in fired)
    rule = page.by_id("rule-PC-4-002")
    (link,) = page.all("a", rule)
    assert (link.attrs["href"], text(link)) == ("https://www.sec.gov/files/form20-f.pdf",
                                                "Form 20-F, Instructions as to Exhibits, paragraph 4(b)(ii)")
    assert text(page.by_class("note", rule)[0]) == (
        "Form item 4.B; severity warning. Precedents: iij-2009-09-30, comment 1.")


def test_baseline_marks_new_and_open_and_lists_fixed_findings(tmp_path, cli):
    _, report, _ = cli("check", IIJ, *DATES, "--format", "json")
    baseline = json.loads(report)
    findings = baseline["filings"][0]["findings"]
    findings[:] = [f for f in findings if f["pointer"] != "/item6/share_ownership/holders/1"]  # new: PC-6-001-2
    findings[0]["pointer"] = "/item3/risk_factors/1/dependencies/9"  # gone now: fixed; the real one is new
    findings[0]["key"] = findings[0]["key"].replace("dependencies[NTT Communications]", "dependencies[Nobody]")
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    code, out, err = cli("check", IIJ, *DATES, "--baseline", str(tmp_path / "baseline.json"), "--fail-on-new",
                         "--format", "html")
    assert (code, err) == (1, "")
    page = Page(out)
    assert text(page.by_id("verdict")) == (
        "Failed 45 findings in 1 filing (14 error, 31 warning, 0 info); against the baseline: 2 new, 43 still "
        "open, 1 fixed; 165 rules not assessed. Gate --fail-on error --fail-on-new: FAILED by 1 new finding at or "
        "above error.")
    assert page.tables["Findings by severity"][0] == ["Severity", "Findings", "Waived", "Failing the gate", "New"]
    assert page.tables["Findings by severity"][-1] == ["Total", "45", "0", "1", "2"]
    new = [a.attrs["id"] for a in page.all("article") if "Status new" in text(a)]
    assert new == ["f1-PC-4-001-1", "f1-PC-6-001-2"]
    assert [text(b) for b in page.by_class("badge", page.by_id("f1-PC-6-001-2"))] == [
        "\u2716 Error", "New", "Fails the gate"]
    assert "Status open" in text(page.by_id("f1-PC-4-001-2"))
    fixed = page.by_id("f1-fixed")
    assert text(page.one("h3", fixed)) == "Fixed since the baseline (1 finding)"
    (card,) = page.all("article", fixed)
    assert card.attrs["id"] == "f1-fixed-PC-4-001-1"
    assert "JSON pointer /item3/risk_factors/1/dependencies/9" in text(card) and "Status fixed" in text(card)
    assert "Fails the gate" not in text(card)


def test_a_filing_with_input_errors_is_shown_with_its_errors(cli):
    code, out, err = cli("check", IIJ, BAD, *DATES, "--format", "html")
    assert code == 2
    expected = (ROOT / "tests/bad/bad-values.err").read_text(encoding="utf-8")
    assert err == expected
    page = Page(out)
    section = page.by_id("f2")
    assert text(page.one("h2", section)) == BAD
    assert "\n".join(n.text for n in page.all("pre", section)) + "\n" == expected
    assert page.tables["Filings"][2] == [BAD, "", "not checked: 2 input errors", "", "", ""]
    assert text(page.by_id("verdict")).startswith("Failed 45 findings in 1 filing")
    assert text(page.by_id("verdict")).endswith("; 1 file could not be checked. Failed: bad input.")


def test_review_notes_show_expired_waivers(cli):
    code, out, _ = cli("check", IIJ, "--waivers", WAIVERS, "--today", "2010-05-01", "--format", "html")
    assert code == 1
    page = Page(out)
    notes = page.by_id("review-notes")
    assert [n.text for n in page.all("pre", notes)] == [
        "tests/data/iij-waivers.yaml:3:5: error [expired-waiver] at /: the waiver of PC-4-002 at "
        "item3.risk_factors[We rely greatly on other telecommunications carriers and other suppliers, and could be "
        "affected by disruptions].dependencies[Cisco Systems] expired on 2010-03-31; its finding counts again and the "
        "gate fails\n"
        "  hint: renew the waiver with a later `expires`, or fix the finding and remove it"]
    assert "Status open" in text(page.by_id("f1-PC-4-002-1"))


def test_a_clean_filing_passes(cli):
    code, out, err = cli("check", "filings/iij-fy2009-20f-amended.yaml", *DATES, "--format", "html")
    assert (code, err) == (0, "")
    page = Page(out)
    verdict = page.by_id("verdict")
    assert (verdict.attrs["class"], text(verdict)) == (
        "verdict passed", "Passed 0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. "
        "Gate --fail-on error: passed.")
    assert text(page.all("p", page.by_id("f1"))[0]) == (
        "No findings, but 164 rules could not assess this filing (see Coverage).")
    assert list(page.tables) == ["Filings", "Rules not yet in force for this filing",
                                 "How the description accounts for each Form item, and its rules' outcomes",
                                 "Rules that could not assess this filing"]
    assert page.all("article") == [] and "rules" not in page.ids()


def test_hostile_text_is_escaped_everywhere(cli):
    code, out, _ = cli("check", HOSTILE, *DATES, "--format", "html")
    assert code == 1
    assert re.search(r"<(script|img|h1>Injected)", out, re.IGNORECASE) is None
    page = Page(out)
    assert [tag for tag in page.tags() if tag in ACTIVE] == []
    assert text(page.one("title")) == f"precomment report: {HOSTILE_NAME}"
    assert text(page.all("h2")[2]) == f"{HOSTILE}: {HOSTILE_NAME}, Form 20-F, fiscal year ended 2009-03-31"
    assert page.tables["Filings"][1][1] == HOSTILE_NAME
    assert f"Subject: {HOSTILE_HOLDER}" in text(page.by_id("f1-PC-6-001-1"))
    assert "\x1b" not in out and "\u202e" not in out


def hostile_report(tmp_path: Path, name: str, *files: str) -> Path:
    """The page for the hostile filing (and any others) with the IIJ waivers, written as a user would."""
    path = tmp_path / name
    code, _ = run("check", *files, "--waivers", WAIVERS, *DATES, "--format", "html", "--output", str(path))
    assert code == 1
    return path


def test_chromium_shows_the_hostile_text_and_runs_nothing(tmp_path):
    require_chromium()
    path = hostile_report(tmp_path, "report.html", IIJ, HOSTILE)
    source = Page(path.read_text(encoding="utf-8"))
    dom = Page(dump_dom(path))
    assert text(dom.one("title")) == "precomment report: 2 filings"  # not PWNED
    assert [tag for tag in dom.tags() if tag in ACTIVE] == []
    assert [text(n) for n in dom.all("h1")] == ["Likely SEC staff comments"]
    assert dom.tags() == source.tags() and dom.ids() == source.ids()  # built as written: nothing broke out
    body = text(dom.one("body"))
    assert f"{HOSTILE}: {HOSTILE_NAME}, Form 20-F" in body and HOSTILE_HOLDER in body
    assert "</td></tr></table><h1>Injected</h1>" in body
    assert dom.tables["Filings"][1:] == [
        ["filings/iij-fy2009-20f.yaml", "Internet Initiative Japan Inc.", "checked", "45", "2", "13"],
        [HOSTILE, HOSTILE_NAME, "checked", "45", "0", "14"]]  # its risk factor's caption is not IIJ's: no waiver
    assert dom.tables["Findings by severity"][-1] == ["Total", "90", "2", "27"]
    assert len(dom.all("article")) == 90
    assert text(dom.by_id("verdict")).startswith("Failed 90 findings in 2 filings (28 error, 62 warning, 0 info)")


def test_chromium_would_run_the_hostile_script_without_escaping_or_policy(tmp_path, monkeypatch):
    """The control for the test above: with escaping and the policy removed, the same page is taken over,
    so the browser test can tell a safe page from an unsafe one."""
    require_chromium()
    monkeypatch.setattr(html_page, "esc", lambda value: value)
    path = hostile_report(tmp_path, "unsafe.html", HOSTILE)
    page = path.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", page)
    # alert() would block headless Chromium until the timeout: the handler shows it ran through the title.
    page = page.replace("onerror=alert(1)", "onerror=document.title+='+img'")
    path.write_text(page, encoding="utf-8")
    dom = Page(dump_dom(path))
    assert text(dom.one("title")).startswith("PWNED+img")  # the script ran, then the image handlers


def test_chromium_policy_alone_stops_the_script(tmp_path, monkeypatch):
    """The second line of defence: escaping removed, policy kept; the script is in the page but does not run."""
    require_chromium()
    monkeypatch.setattr(html_page, "esc", lambda value: value)
    path = hostile_report(tmp_path, "unescaped.html", HOSTILE)
    dom = Page(dump_dom(path))
    assert "script" in dom.tags()
    assert text(dom.one("title")).startswith("precomment report: Initiative")
    assert "Likely SEC staff comments" in text(dom.one("body"))


def _letter_named(precedent: dict) -> str:
    """A letter as the report names it: the bundled slug, or the company and date of one not bundled."""
    if "company" in precedent and "date" in precedent:
        return f"{precedent['company']}, letter of {precedent['date']}"
    return precedent["letter"]
