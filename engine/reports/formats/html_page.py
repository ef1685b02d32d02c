"""The HTML report: one self-contained page a reviewer opens, prints, and links into.

A filing is untrusted input and the page may be opened by anyone the report is sent to, so the page
carries no script and loads nothing: the style sheet is inline, and a Content-Security-Policy allows
only that style sheet (by its hash), so even text that escaped escaping could not run or fetch. Every
piece of text from a filing, a rule or a path goes through `text.markup`. Element ids are built from
rule ids, Form items and counters, never from filing text, so they are unique and safe to link to.
The same report always gives the same bytes: no timestamps beyond the report's own date.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator

from ... import __version__
from ...checking.findings import SEVERITIES, Finding
from ...checking.result import FilingResult, internal
from ...errors import Problem
from ...language.records import Authority
from ...validation.formitems import caption, item_key
from ..catalogue import RuleEntry
from ..model import Context, Counts, Report, counts, total
from ..text import markup as esc
from ..text import one_line, sentence
from ..wording import not_checked, plural, summary_line
from . import Parts, joined
from .common import (
    COVERAGE_HEADERS,
    STATE_WORDS,
    by_item,
    coverage_line,
    coverage_rows,
    heading,
    no_findings,
    not_assessed,
    status,
    tally,
)

CSS = """
:root{--ink:#1b1f24;--muted:#555d66;--line:#d0d4d9;--paper:#fff;--soft:#f5f6f8;
--error:#b3261e;--error-bg:#fdecea;--warning:#8a5300;--warning-bg:#fff3d6;--info:#1d5f8a;--info-bg:#e3f0f8;
--pass:#1e6b34;--pass-bg:#e5f4e9}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:64rem;padding:1.5rem 2rem 3rem;color:var(--ink);background:var(--paper);
overflow-wrap:break-word;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
h1{font-size:1.7rem;margin:0 0 .5rem}
h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.12rem;margin:1.6rem 0 .5rem;padding-bottom:.15rem;border-bottom:1px solid var(--line)}
h4{font-size:1rem;margin:0 0 .5rem;line-height:1.4}
a{color:#0b57a4}
code.id{white-space:nowrap}
code,pre{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;overflow-wrap:anywhere}
pre{white-space:pre-wrap;margin:0}
.lede{color:var(--muted);margin:0 0 1rem}
.verdict{font-weight:600;padding:.7rem 1rem;border:2px solid;border-radius:6px;margin:1rem 0}
.verdict.failed{color:var(--error);background:var(--error-bg)}
.verdict.passed{color:var(--pass);background:var(--pass-bg)}
.verdict .word{display:inline-block;margin-right:.2rem;padding:0 .45rem;border-radius:3px;color:#fff}
.verdict.failed .word{background:var(--error)}
.verdict.passed .word{background:var(--pass)}
dl.about{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0 0 1rem;color:var(--muted)}
dl.about dt{font-weight:600}
dl.about dd{margin:0}
nav ol{margin:.2rem 0;padding-left:1.4rem}
nav li{margin:.1rem 0}
nav .n{color:var(--muted)}
table{border-collapse:collapse;max-width:100%;margin:.6rem 0 1.2rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid var(--line);padding:.25rem .6rem;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}
thead th{background:var(--soft)}
td.num,th.num{text-align:right}
tfoot th,tfoot td{font-weight:600;background:var(--soft)}
.badge{display:inline-block;font-size:.78rem;font-weight:700;letter-spacing:.02em;padding:0 .4rem;
border:1px solid;border-radius:3px;white-space:nowrap;vertical-align:.1em}
.badge.error{color:var(--error);background:var(--error-bg)}
.badge.warning{color:var(--warning);background:var(--warning-bg)}
.badge.info{color:var(--info);background:var(--info-bg)}
.badge.state{color:var(--muted);background:var(--soft)}
.badge.blocking{color:#fff;background:var(--error);border-color:var(--error)}
article.finding{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:4px;
padding:.7rem 1rem .8rem;margin:.9rem 0;break-inside:avoid}
article.finding.error{border-left-color:var(--error)}
article.finding.warning{border-left-color:var(--warning)}
article.finding.info{border-left-color:var(--info)}
article.finding.waived,article.finding.fixed{border-left-color:#a4abb3;background:#fbfbfc}
.rule-id{font:600 .9rem ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.permalink{color:var(--muted);text-decoration:none}
blockquote.comment{margin:.4rem 0 .6rem;padding:.5rem .85rem;background:var(--soft);border-left:3px solid var(--line);
font-family:Georgia,"Times New Roman","DejaVu Serif",serif;font-size:1.02rem}
.label{font-weight:600}
p.remedy,p.record{margin:.4rem 0 .6rem}
.waiver{border:1px dashed var(--muted);border-radius:4px;padding:.4rem .75rem;margin:.5rem 0;background:var(--soft)}
.waiver p{margin:.1rem 0}
.facts{margin:.1rem 0 .4rem;color:var(--muted)}
.sep{margin:0 .15rem}
.facts .badge{margin-left:.15rem}
dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:.15rem 1rem;
margin:.5rem 0 0;padding-top:.4rem;border-top:1px solid var(--line);font-size:.88rem}
dl.meta dt{color:var(--muted);font-weight:600}
dl.meta dd{margin:0}
dl.meta ul{margin:0;padding-left:1.1rem}
.problems{padding-left:1.2rem}
.problems li{margin:.3rem 0}
.rule{margin:1rem 0 1.4rem;break-inside:avoid}
.rule blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:3px solid var(--line);color:var(--muted)}
.note{color:var(--muted);font-size:.9rem}
footer{margin-top:3rem;padding-top:.6rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
@media (max-width:50rem){dl.meta{grid-template-columns:max-content minmax(0,1fr)}body{padding:1rem}}
@media print{
body{max-width:none;padding:0;font-size:9.5pt}
article.finding{padding:.45rem .8rem .5rem;margin:.6rem 0}
blockquote.comment{padding:.3rem .6rem;font-size:1rem}
dl.meta{font-size:8.5pt}
@page{margin:16mm 14mm}
.permalink{display:none}
a{color:inherit}
h2,h3{break-after:avoid}
#rules{break-before:page}
article.finding,table{break-inside:avoid}
.badge,.verdict,.verdict .word,thead th,tfoot th,tfoot td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
# Only this exact style sheet may apply; no script, image, font, frame or connection is allowed.
CSP = ("default-src 'none'; style-src 'sha256-"
       + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
       + "'; base-uri 'none'; form-action 'none'")

_SYMBOLS = {"error": "\u2716", "warning": "\u25b2", "info": "\u2139"}  # beside the word, never instead of it
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9-]")
_NUM = ' class="num"'
_SEP = '<span class="sep" aria-hidden="true"> \u00b7 </span>'
_CODE_SPAN = re.compile(r"`([^`]+)`")
_WEB = re.compile(r"^https?://", re.IGNORECASE)


STREAMS = ("contents", "rows", "body")


def part(result: FilingResult, number: int, context: Context) -> tuple[str, str, str]:
    """The filing's contents entry, its row of the filings table, and its section."""
    return (_contents_filing(number, result), _filing_row(number, result, context),
            _filing(number, result, context))


def document(report: Report, parts: Parts) -> Iterator[str]:
    yield "\n".join([_head(report), "<body>", _header(report)]) + "\n"
    yield from _contents(report, parts)
    yield "\n<main>\n"
    yield from _summary(report, parts)
    yield from (f"\n{text}" for text in itertools.chain([_notes(report)], parts(), [_rules(report)]) if text)
    yield "\n" + "\n".join(["</main>", _footer(), "</body>", "</html>"]) + "\n"


# --- ids: from counters, rule ids and Form items only -------------------------------------------------

def _safe(text: str) -> str:
    return _UNSAFE_ID.sub("-", text)


def _filing_id(number: int) -> str:
    return f"f{number}"


def _item_id(number: int, item: str) -> str:
    return f"f{number}-item-{_safe(item)}"


def _rule_anchor(rule_id: str) -> str:
    """Rule ids are schema-checked (`PC-6-001`) and unique in a rule set, so this id is too."""
    return f"rule-{_safe(rule_id)}"


def _finding_ids(prefix: str, findings: list[Finding]) -> list[str]:
    """`f1-PC-6-001-2`: the second finding of PC-6-001 in the first filing, in page order."""
    seen: dict[str, int] = {}
    ids = []
    for finding in findings:
        key = _safe(finding.rule_id)
        seen[key] = seen.get(key, 0) + 1
        ids.append(f"{prefix}-{key}-{seen[key]}")
    return ids


# --- page frame --------------------------------------------------------------------------------------

def _head(report: Report) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="precomment ' + esc(__version__) + '">',
        f"<title>{esc(_title(report))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
    ])


def _title(report: Report) -> str:
    return f"precomment report: {_subject(report)}"


def _subject(report: Report) -> str:
    """The filer's name for a one-filing report, else the number of filings."""
    if report.filings == 1 and report.first and report.first.filer.get("name"):
        return one_line(str(report.first.filer["name"]))
    return plural(report.filings, "filing")


def _header(report: Report) -> str:
    failed = bool(report.invalid) or report.failed()
    word = "Failed" if failed else ("Gate off" if report.gate.fail_on == "never" else "Passed")
    about = [("Report date", report.today.isoformat()), ("Gate", report.gate.describe()),
             ("Rules in force", str(len(report.catalogue)))]
    if report.baseline is not None:
        about.append(("Baseline", report.baseline))
    rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in about)
    return "\n".join([
        "<header>",
        "<h1>Likely SEC staff comments</h1>",
        f'<p class="lede">{esc(_subject(report))}: findings of precomment {esc(__version__)}, '
        "a screening aid. Each finding is a likely comment to weigh, not a legal conclusion.</p>",
        f'<p class="verdict {"failed" if failed else "passed"}" id="verdict"><span class="word">{word}</span> '
        f"{esc(summary_line(report))}</p>",
        f'<dl class="about">{rows}</dl>',
        "</header>",
    ])


def _footer() -> str:
    return (f"<footer><p>Generated by precomment {esc(__version__)}. Self-contained page: it runs no script "
            "and loads nothing.</p></footer>")


# --- contents ----------------------------------------------------------------------------------------

def _contents(report: Report, parts: Parts) -> Iterator[str]:
    entries = [_entry("summary", "Summary")]
    if report.notes:
        entries.append(_entry("review-notes", "Review notes", str(len(report.notes))))
    closing = [_entry("rules", "Rules behind these findings")] if _fired_rules(report) else []
    yield '<nav aria-labelledby="contents-heading">\n<h2 id="contents-heading">Contents</h2>\n<ol>\n'
    yield from joined("\n", itertools.chain(entries, parts("contents"), closing))
    yield "\n</ol>\n</nav>"


def _entry(target: str, label: str, count: str = "", inner: str = "") -> str:
    """A contents line: a link to an id on the page, a count after it, and any sub-list."""
    after = f' <span class="n">({esc(count)})</span>' if count else ""
    return f'<li><a href="#{target}">{esc(label)}</a>{after}{inner}</li>'


def _heading(result: FilingResult) -> str:
    """`path: Filer, Form 20-F, fiscal year ended ...`, or just the path when the filer is not known."""
    return heading(result).removesuffix(":")


def _contents_filing(number: int, result: FilingResult) -> str:
    target = _filing_id(number)
    if result.problems:
        return _entry(target, _heading(result), f"not checked: {not_checked(result.problems)}")
    subs = [_entry(_item_id(number, item), caption(item), str(len(group))) for item, group in by_item(result.findings)]
    if result.fixed:
        subs.append(_entry(f"{target}-fixed", "Fixed since the baseline", str(len(result.fixed))))
    if result.unassessed:
        subs.append(_entry(f"{target}-unassessed", "Not assessed since the baseline", str(len(result.unassessed))))
    if result.not_applicable:
        subs.append(_entry(f"{target}-not-in-force", "Rules not yet in force", str(len(result.not_applicable))))
    if result.coverage is not None:
        subs.append(_entry(f"{target}-coverage", "Coverage",
                           f"{result.coverage.tally()['not-assessed']} rules not assessed"))
    inner = "\n<ol>\n" + "\n".join(subs) + "\n</ol>\n" if subs else ""
    return _entry(target, _heading(result), plural(len(result.findings), "finding"), inner)


# --- summary -----------------------------------------------------------------------------------------

def _summary(report: Report, parts: Parts) -> Iterator[str]:
    yield '<section id="summary" aria-labelledby="summary-heading">\n<h2 id="summary-heading">Summary</h2>\n'
    numeric = [False, False, False] + [True] * len(_tally_headers(report))
    yield _table_head("Filings", ["File", "Filer", "Status"] + _tally_headers(report), numeric)
    yield from joined("\n", parts("rows"))
    yield _table_foot(None, numeric)
    later = [_severity_table(report), _item_table(report)] if report.tally().findings else []
    fixed = report.fixed
    if report.baseline is not None:
        later.append(f"<p>Against the baseline: {esc(plural(fixed, 'finding'))} fixed"
                     + (' (see each filing\u2019s \u201cFixed since the baseline\u201d).</p>' if fixed else ".</p>"))
    yield "".join(f"\n{text}" for text in later) + "\n</section>"


def _table(caption_text: str, headers: list[str], rows: list[list[str]], total: list[str] | None = None) -> str:
    """A table whose first column heads its rows; cells are already escaped markup; numbers right-aligned."""
    numeric = [i > 0 and all(row[i].isdigit() or not row[i] for row in rows) for i in range(len(headers))]
    return (_table_head(caption_text, headers, numeric) + "\n".join(_table_row(row, numeric) for row in rows)
            + _table_foot(total, numeric))


def _table_head(caption_text: str, headers: list[str], numeric: list[bool]) -> str:
    head = "".join(f'<th scope="col"{_NUM if numeric[i] else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    return f"<table>\n<caption>{esc(caption_text)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"


def _table_row(row: list[str], numeric: list[bool]) -> str:
    return f'<tr><th scope="row">{row[0]}</th>' + "".join(
        f'<td class="num">{cell}</td>' if numeric[i] else f"<td>{cell}</td>" for i, cell in enumerate(row) if i) + "</tr>"


def _table_foot(total: list[str] | None, numeric: list[bool]) -> str:
    foot = f"\n<tfoot>{_table_row(total, numeric)}</tfoot>" if total else ""
    return f"\n</tbody>{foot}\n</table>"


def _tally_row(counts: Counts, baseline: str | None) -> list[str]:
    """Findings, waived, failing the gate (and new, with a baseline): the counting columns of each summary."""
    return [str(n) for n in tally(counts)] + ([str(counts.new)] if baseline is not None else [])


def _tally_headers(report: Report) -> list[str]:
    return ["Findings", "Waived", "Failing the gate"] + (["New"] if report.baseline is not None else [])


def _filing_row(number: int, result: FilingResult, context: Context) -> str:
    """The filing's row of the filings table: file, filer, status, then the counting columns (right-aligned)."""
    link = f'<a href="#{_filing_id(number)}">{esc(result.source)}</a>'
    filer = esc(one_line(str(result.filer.get("name", ""))))
    counting = 3 + (context.baseline is not None)
    if result.problems:
        row = [link, filer, f"not checked: {esc(not_checked(result.problems))}"] + [""] * counting
    else:
        row = [link, filer, "checked"] + _tally_row(Counts.of(result.findings, context.gate), context.baseline)
    return _table_row(row, [False, False, False] + [True] * counting)


def _severity_table(report: Report) -> str:
    rows = [[_badge(severity)] + _tally_row(counts, report.baseline)
            for severity, counts in report.by_severity().items()]
    return _table("Findings by severity", ["Severity"] + _tally_headers(report), rows,
                  ["Total"] + _tally_row(report.tally(), report.baseline))


def _item_table(report: Report) -> str:
    """One row per Form item with findings, in Form order; linked when a single filing has that item."""
    rows = []
    for item in sorted(report.items, key=item_key):
        tally = report.items[item]
        label = esc(caption(item))
        if tally.filings == 1:
            label = f'<a href="#{_item_id(tally.first, item)}">{label}</a>'
        rows.append([label] + [str(c.findings) for c in tally.by_severity]
                    + _tally_row(total(tally.by_severity), report.baseline))
    headers = ["Form item"] + [s.capitalize() for s in SEVERITIES] + _tally_headers(report)
    totals = ["Total"] + [str(c.findings) for c in report.by_severity().values()]
    return _table("Findings by Form item", headers, rows, totals + _tally_row(report.tally(), report.baseline))


# --- review notes ------------------------------------------------------------------------------------

def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = "\n".join(f"<li>{_problem(note)}</li>" for note in report.notes)
    return ('<section id="review-notes" aria-labelledby="review-notes-heading">\n'
            '<h2 id="review-notes-heading">Review notes</h2>\n'
            "<p>About the waivers: expired, unused or no longer matching.</p>\n"
            f'<ul class="problems">\n{items}\n</ul>\n</section>')


def _problem(problem: Problem) -> str:
    """The problem exactly as the command line prints it (file:line:col: level [code] at /pointer: message)."""
    return f"<pre>{esc(problem.render())}</pre>"


# --- one filing --------------------------------------------------------------------------------------

def _filing(number: int, result: FilingResult, context: Context) -> str:
    section_id = _filing_id(number)
    parts = [f'<section id="{section_id}" aria-labelledby="{section_id}-heading">',
             f'<h2 id="{section_id}-heading">{esc(_heading(result))}</h2>']
    if result.problems:
        advice = ("It is a bug in precomment, not in the file: please report it." if internal(result.problems)
                  else "Correct the file and run the check again.")
        parts += [f"<p>Not checked: {esc(not_checked(result.problems))}. {advice}</p>",
                  '<ul class="problems">', *[f"<li>{_problem(p)}</li>" for p in result.problems], "</ul>",
                  "</section>"]
        return "\n".join(parts)
    parts.append(f"<p>{esc(_filing_tally(context, result))}</p>")
    groups = by_item(result.findings)
    anchors = iter(_finding_ids(section_id, [f for _, findings in groups for f in findings]))
    for item, findings in groups:
        parts += [f'<section id="{_item_id(number, item)}" aria-labelledby="{_item_id(number, item)}-heading">',
                  f'<h3 id="{_item_id(number, item)}-heading">{esc(caption(item))} '
                  f'<span class="n">({esc(plural(len(findings), "finding"))})</span></h3>']
        parts += [_finding(f, next(anchors), context) for f in findings]
        parts.append("</section>")
    parts += [_fixed(number, result, context), _unassessed(number, result, context),
              _not_in_force(number, result, context), _coverage(number, result), "</section>"]
    return "\n".join(part for part in parts if part)


def _coverage(number: int, result: FilingResult) -> str:
    """The coverage matrix by Form item, and the rules that could not assess the filing with what they lacked."""
    coverage = result.coverage
    if coverage is None:
        return ""
    section_id = f"{_filing_id(number)}-coverage"
    rows = [[esc(cell) if index != 1 or cell != STATE_WORDS["unaccounted"] else f"<strong>{esc(cell)}</strong>"
             for index, cell in enumerate(row.cells)] for row in coverage_rows(coverage)]
    rules = not_assessed(coverage)
    lacking = [[f'<code class="id">{esc(r.rule_id)}</code>', esc(r.form_item), esc(r.reason)] for r in rules]
    return "\n".join([f'<section id="{section_id}" aria-labelledby="{section_id}-heading">',
                      f'<h3 id="{section_id}-heading">Coverage</h3>', f"<p>{esc(coverage_line(coverage))}</p>",
                      _table("How the description accounts for each Form item, and its rules' outcomes",
                             list(COVERAGE_HEADERS), rows),
                      _table("Rules that could not assess this filing", ["Rule", "Item", "What it lacked"], lacking)
                      if lacking else "", "</section>"])


def _unassessed(number: int, result: FilingResult, context: Context) -> str:
    if not result.unassessed:
        return ""
    section_id = f"{_filing_id(number)}-unassessed"
    cards = [_finding(f, anchor, context) for f, anchor in zip(result.unassessed,
                                                              _finding_ids(section_id, result.unassessed))]
    return "\n".join([f'<section id="{section_id}" aria-labelledby="{section_id}-heading">',
                      f'<h3 id="{section_id}-heading">Not assessed since the baseline '
                      f'<span class="n">({esc(plural(len(result.unassessed), "finding"))})</span></h3>',
                      "<p>Findings of the baseline report whose rule could not look this time: not fixed.</p>",
                      *cards, "</section>"])


def _filing_tally(context: Context, result: FilingResult) -> str:
    findings = result.findings
    if not findings:
        return no_findings(result)
    tally = counts(findings)
    text = (f"{plural(len(findings), 'finding')} ({tally['error']} error, {tally['warning']} warning, "
            f"{tally['info']} info)")
    waived = sum(1 for f in findings if f.waived)
    failing = sum(1 for f in findings if context.gate.blocks(f))
    return text + (f", {waived} waived" if waived else "") + f"; {failing} failing the gate."


def _fixed(number: int, result: FilingResult, context: Context) -> str:
    if not result.fixed:
        return ""
    section_id = f"{_filing_id(number)}-fixed"
    cards = [_finding(f, anchor, context) for f, anchor in zip(result.fixed, _finding_ids(section_id, result.fixed))]
    return "\n".join([f'<section id="{section_id}" aria-labelledby="{section_id}-heading">',
                      f'<h3 id="{section_id}-heading">Fixed since the baseline '
                      f'<span class="n">({esc(plural(len(result.fixed), "finding"))})</span></h3>',
                      "<p>Findings of the baseline report that this run no longer makes.</p>",
                      *cards, "</section>"])


def _not_in_force(number: int, result: FilingResult, context: Context) -> str:
    """The rules skipped as not yet in force, one row per reason (rules sharing a reason share a row)."""
    if not result.not_applicable:
        return ""
    section_id = f"{_filing_id(number)}-not-in-force"
    by_reason: dict[str, list[str]] = {}
    for rule_id in sorted(result.not_applicable, key=lambda rule_id: _rule_order(context, rule_id)):
        by_reason.setdefault(result.not_applicable[rule_id], []).append(rule_id)
    rows = [[" ".join(f'<code class="id">{esc(rule_id)}</code>' for rule_id in ids), esc(reason)]
            for reason, ids in by_reason.items()]
    return "\n".join([f'<section id="{section_id}" aria-labelledby="{section_id}-heading">',
                      f'<h3 id="{section_id}-heading">Rules not yet in force '
                      f'<span class="n">({len(result.not_applicable)})</span></h3>',
                      "<p>Requirements that took effect after this filing; they were not checked.</p>",
                      _table("Rules not yet in force for this filing", ["Rules", "Why not"], rows),
                      "</section>"])


def _rule_order(context: Context, rule_id: str) -> tuple[object, ...]:
    rule = context.rule(rule_id)
    return (item_key(rule.form_item) if rule else (999, "", "", 0), rule_id)


# --- one finding -------------------------------------------------------------------------------------

def _badge(severity: str) -> str:
    return (f'<span class="badge {esc(severity)}"><span aria-hidden="true">{_SYMBOLS.get(severity, "")} </span>'
            f"{esc(severity.capitalize())}</span>")


def _state_badges(finding: Finding, context: Context) -> str:
    states = [s for s in status(finding).split(", ") if s]
    badges = [f'<span class="badge state">{esc(s.capitalize())}</span>' for s in states]
    if context.gate.blocks(finding):
        badges.append('<span class="badge blocking">Fails the gate</span>')
    return " ".join(badges)


def _finding(finding: Finding, anchor: str, context: Context) -> str:
    """A card: severity and rule, where (subject, item, page), the likely comment, the remedy and what to
    record in the description then, then details."""
    classes = " ".join(["finding", finding.severity] + (["waived"] if finding.waived else [])
                       + (["fixed"] if finding.baseline == "fixed" else []))
    return "\n".join(part for part in [
        f'<article class="{esc(classes)}" id="{anchor}" aria-labelledby="{anchor}-heading">',
        f'<h4 id="{anchor}-heading">{_badge(finding.severity)} <span class="rule-id">{esc(finding.rule_id)}</span> '
        f'{esc(finding.title)} <a class="permalink" href="#{anchor}" aria-label="Link to this finding">#</a></h4>',
        f'<p class="facts"><span class="label">Subject:</span> {esc(finding.subject)}{_SEP}Item '
        f"{esc(finding.form_item)}{_SEP}Page {esc(finding.page or 'not given')} {_state_badges(finding, context)}</p>",
        f'<blockquote class="comment"><p>{esc(finding.comment)}</p></blockquote>',
        f'<p class="remedy"><span class="label">Remedy:</span> {esc(finding.remedy)}</p>',
        f'<p class="record"><span class="label">Record in the description:</span> {_code_spans(esc(finding.record))}</p>'
        if finding.record else "",  # none on a fixed finding from a baseline written before rules had one
        _waiver(finding),
        f'<dl class="meta">{_meta(finding, context)}</dl>',
        "</article>",
    ] if part)


def _code_spans(escaped: str) -> str:
    """The description's field paths a record names in backticks, as code: escaped text stays escaped."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escaped)


def _meta(finding: Finding, context: Context) -> str:
    location = finding.source + (f":{finding.line}:{finding.column}" if finding.line else "")
    rule = esc(finding.rule_id)
    if context.rule(finding.rule_id):
        rule = f'<a href="#{_rule_anchor(finding.rule_id)}">{rule}</a>'
    rows = [
        ("Location" if finding.baseline != "fixed" else "Was at", f"<code>{esc(location)}</code>"),
        ("JSON pointer", f"<code>{esc(finding.pointer)}</code>"),
        *([("Key", f"<code>{esc(finding.key)}</code>")] if finding.key else []),
        ("Authorities", _list(esc(cite) for cite in finding.authorities) or "none"),
        ("Precedents", _list(esc(p.label) for p in finding.precedents) or "none"),
        ("Rule", f"{rule} <code>{esc(finding.rule_name)}</code>"),
        ("Status", esc(status(finding) or "open")),
    ]
    return "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)


def _list(items: Iterable[str]) -> str:
    entries = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul>{entries}</ul>" if entries else ""


def _waiver(finding: Finding) -> str:
    waiver = finding.waiver
    if waiver is None:
        return ""
    who = f" Owner: {esc(sentence(waiver.owner))}" if waiver.owner else ""
    until = f" Expires {esc(waiver.expires)}." if waiver.expires else " No expiry date."
    return ('<div class="waiver">'
            f'<p><span class="label">Waived:</span> {esc(waiver.reason)}</p>'
            f"<p>{who.strip()}{until} Waiver at <code>{esc(waiver.location())}</code>.</p></div>")


# --- the rules behind the findings -------------------------------------------------------------------

def _fired_rules(report: Report) -> list[RuleEntry]:
    """The rules of the findings (fixed ones included), in Form item order: each described once."""
    rules = [rule for rule in report.catalogue.entries if rule.id in report.fired]
    return sorted(rules, key=lambda rule: _rule_order(report.context, rule.id))


def _rules(report: Report) -> str:
    rules = _fired_rules(report)
    if not rules:
        return ""
    return "\n".join(['<section id="rules" aria-labelledby="rules-heading">',
                      '<h2 id="rules-heading">Rules behind these findings</h2>',
                      *[_rule(rule) for rule in rules], "</section>"])


def _rule(rule: RuleEntry) -> str:
    anchor = _rule_anchor(rule.id)
    facts = [f"Form item {rule.form_item}", f"severity {rule.severity}"]
    if rule.dated:
        facts.append(rule.in_force)
    precedents = "; ".join(p.label for p in rule.precedents) or "none"
    return "\n".join([
        f'<section class="rule" id="{anchor}" aria-labelledby="{anchor}-heading">',
        f'<h3 id="{anchor}-heading"><span class="rule-id">{esc(rule.id)}</span> {esc(rule.title)}</h3>',
        f'<p class="note">{esc("; ".join(facts))}. Precedents: {esc(precedents)}.</p>',
        f"<p>{esc(' '.join(rule.description.split()))}</p>" if rule.description else "",
        f'<ul>{"".join(f"<li>{_authority(a)}</li>" for a in rule.authorities)}</ul>',
        "</section>",
    ])


def _authority(authority: Authority) -> str:
    cite = esc(authority.cite)
    if authority.url and _WEB.match(authority.url):
        cite = f'<a href="{esc(authority.url)}" rel="noreferrer noopener">{cite}</a>'
    parts = [cite]
    if authority.quote:
        parts.append(f"<blockquote><p>{esc(' '.join(authority.quote.split()))}</p></blockquote>")
    if authority.current:
        parts.append(f'<p class="note">Current equivalent: {esc(authority.current)}</p>')
    if authority.verify:
        parts.append(f'<p class="note">To verify: {esc(authority.verify)}</p>')
    return "".join(parts)
