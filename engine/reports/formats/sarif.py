"""The SARIF 2.1.0 report, for code-scanning dashboards (GitHub code scanning) and SARIF viewers.

How a run maps onto SARIF (valid against the OASIS schema; the tests check it):
- One run. `tool.driver.rules` lists the rules of the run (the enabled ones), in Form order (as `rules
  list`), each with its title, default level, help link and properties (when it applies:
  `properties.in_force`); results point at them by `ruleIndex`. All of them, not only those in force for
  some filing: results are written as each filing is checked, before the run knows which rules the other
  filings were old enough to escape. Only the rules with results (or fixed results) carry their
  description and full help (likely comment, remedy and record templates, authorities, precedents): a viewer shows
  help for an alert's rule, and the help of every rule made the report many times the size of its
  results (BENCHMARKS.md, 'SARIF size').
- One result per finding: `ruleId` the stable rule id, level error/warning/note for error/warning/info,
  `message.text` the likely comment, a region at the line and column of the finding's subject in the
  filing, its key (`item19.exhibits[4.4]`: what the subject is) as its logical location, and
  `partialFingerprints["precommentFingerprint/v2"]`, the finding's fingerprint of rule, key and value, so a
  dashboard follows a finding across runs and edits elsewhere in the file, items inserted above it
  included (v1, before keys, was computed over the JSON pointer, which such an insertion moves).
  Its properties give the remedy (what to change in the filing) and the record (what to record in the
  filing's description then): text for a person, not an artifact change, so not SARIF `fixes`.
- A waived finding stays a result, with an accepted external suppression: the waiver's reason as the
  justification, its owner and expiry date in the suppression's properties, its place in the waivers file
  as the suppression's location.
- With --baseline, `baselineState` is "new" or "unchanged" (precomment's "open"), and each fixed finding
  is a result of kind "pass", level "none", baselineState "absent", without a region: its line was in
  the earlier version of the file.
- Filings that could not be checked give the invocation's tool execution notifications (level error, at
  file:line:column); waiver warnings and errors give its tool configuration notifications.
- No timestamps: `executionSuccessful` and `exitCode` follow from the report alone.

Text from a filing or a rule pack is never markup here (a rule pack is as untrusted as a filing):
- Plain-text message strings pass through `sarif_message`: control and invisible characters shown as
  \\uXXXX, `[`, `]` and `\\` escaped so no text becomes an embedded link (SARIF 2.1.0, 3.11.6), braces
  doubled as 3.11.5 requires (`{0}` would be a placeholder).
- The one Markdown string, a rule's `help.markdown` (GitHub code scanning renders it), is built here: every
  piece of rule text escaped by `markdown_with_code` (no HTML, link, image or entity; `code spans` kept),
  links only to authorities' https URLs of plain URI characters, then braces doubled.
- Data strings pass through `printable`.
Paths are URI references relative to %SRCROOT% (the working directory), percent-encoded.
"""
from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePath
from typing import Any

from ... import __version__
from ...checking.coverage import OUTCOMES, Coverage
from ...checking.findings import Finding, Waiver
from ...checking.result import FilingResult
from ...errors import Problem
from ...language.records import Authority
from ...validation.formitems import caption, item_key
from ..catalogue import RuleEntry
from ..model import Context, Report
from ..text import markdown_with_code, one_line, printable, sarif_braces, sarif_message
from ..wording import summary_line
from . import Parts
from .common import json_document, json_item, slot

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "precommentFingerprint/v2"
SRCROOT = "%SRCROOT%"
INFORMATION_URI: str | None = None  # the project's home page, once it has a public one
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BASELINE_STATES = {"new": "new", "open": "unchanged", "fixed": "absent"}
# An authority's URL that may be a link: https, and only the characters RFC 3986 lets a URI hold, so none
# that could end the Markdown link (`>`, a space, a backslash) or need escaping (braces).
LINKABLE = re.compile(r"https://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


STREAMS = ("artifacts", "results")
ITEM_INDENT = " " * 8  # an artifact's or result's depth: top level, runs, the run, its array


def part(result: FilingResult, number: int, context: Context) -> tuple[str, str]:
    """The filing's artifact, and its results (none, when it has no finding)."""
    index = context.catalogue.positions
    results = [json_item(_result(finding, index, context), ITEM_INDENT) for finding in result.findings + result.fixed]
    return json_item(_artifact(result), ITEM_INDENT), ",\n".join(results)


def document(report: Report, parts: Parts) -> Iterable[str]:
    run: dict[str, Any] = {
        "tool": {"driver": _driver(report.catalogue.in_form_order, report.fired)},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The directory precomment was run in."}}},
        "artifacts": slot("artifacts"),
        "results": slot("results"),
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(report),
    }
    document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    any_results = bool(report.tally().findings or report.fixed)
    return json_document(document, {"artifacts": (report.filings > 0, lambda: parts("artifacts")),
                                    "results": (any_results, lambda: parts("results"))})


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its None values: SARIF leaves an unknown property out rather than null."""
    return {key: value for key, value in record.items() if value is not None}


def _driver(rules: tuple[RuleEntry, ...], fired: AbstractSet[str]) -> dict[str, Any]:
    return _compact({"name": "precomment", "version": __version__, "semanticVersion": __version__,
                     "informationUri": INFORMATION_URI,
                     "rules": [_descriptor(rule, rule.id in fired) for rule in rules]})


def _descriptor(rule: RuleEntry, with_help: bool) -> dict[str, Any]:
    """A rule's reportingDescriptor: what GitHub shows at the top of an alert and in its help panel. The
    description and help only `with_help` (the rule has results): no viewer shows a rule without any."""
    urls = [a.url for a in rule.authorities if _linkable(a)]
    return _compact({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": sarif_message(one_line(rule.title))},
        "fullDescription": {"text": sarif_message(one_line(rule.description))} if with_help else None,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "helpUri": urls[0] if urls else None,
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)} if with_help else None,
        "properties": {
            "tags": ["form-20-f", f"item-{rule.form_item.split('.')[0].lower()}"],
            "form_item": rule.form_item,
            "severity": rule.severity,
            "authorities": [printable(one_line(a.cite)) for a in rule.authorities],
            "precedents": [p.label for p in rule.precedents],
            "in_force": printable(rule.in_force),
        },
    })


def _linkable(authority: Authority) -> bool:
    """Whether the authority's URL may be a link (and the rule's helpUri): `LINKABLE`."""
    return bool(authority.url and LINKABLE.fullmatch(authority.url))


def _help_text(rule: RuleEntry) -> str:
    """The help as plain text: each field on its own lines, then escaped as one message string."""
    lines = [one_line(rule.description), "", f"Likely comment: {one_line(rule.comment)}",
             f"Remedy: {one_line(rule.remedy)}", f"Record in the description: {one_line(rule.record)}", "",
             "Authorities:"]
    for authority in rule.authorities:
        lines += [f"- {one_line(authority.cite)}" + (f" <{one_line(authority.url)}>" if authority.url else "")]
        lines += [f"  {label}: {one_line(text)}" for label, text in _authority_notes(authority)]
    if rule.precedents:
        lines += ["", "Precedents: " + "; ".join(p.label for p in rule.precedents)]
    lines += ["", f"The rule {one_line(rule.in_force)}."]
    return sarif_message("\n".join(lines))


def _help_markdown(rule: RuleEntry) -> str:
    """The help as Markdown, for GitHub code scanning's help panel. The rule's texts come from rule files,
    which may be a user's untrusted rule pack: each is shown literally (`markdown_with_code`), and the
    only links are to authorities' https URLs."""
    md = markdown_with_code
    lines = [md(rule.description), "", f"**Likely comment:** {md(rule.comment)}", "",
             f"**Remedy:** {md(rule.remedy)}", "", f"**Record in the description:** {md(rule.record)}", "",
             "**Authorities**", ""]
    for authority in rule.authorities:
        cite = md(authority.cite)
        lines += [f"- [{cite}](<{authority.url}>)" if _linkable(authority) else f"- {cite}"]
        lines += [f"  - {label}: {md(text)}" for label, text in _authority_notes(authority)]
    if rule.precedents:
        lines += ["", "**Precedents:** " + "; ".join(p.label for p in rule.precedents)]
    lines += ["", f"The rule {md(rule.in_force)}."]
    return sarif_braces("\n".join(lines))


def _authority_notes(authority: Authority) -> list[tuple[str, str]]:
    notes = [("Quote", authority.quote), ("Current equivalent", authority.current),
             ("Not yet verified", authority.verify)]
    return [(label, text) for label, text in notes if text]


def _invocation(report: Report) -> dict[str, Any]:
    """How the run ended, from the report alone (no times, no machine details): the same input always
    gives the same invocation."""
    invocation: dict[str, Any] = {"executionSuccessful": not report.internal, "exitCode": report.exit_code(),
                                  "exitCodeDescription": summary_line(report)}
    filing_errors = [_notification(p) for filing in report.invalid for p in filing.problems]
    filing_errors += _unaccounted(report)
    if filing_errors:
        invocation["toolExecutionNotifications"] = filing_errors
    if report.notes:
        invocation["toolConfigurationNotifications"] = [_notification(note) for note in report.notes]
    return invocation


def _unaccounted(report: Report) -> list[dict[str, Any]]:
    """One notification per Form item some filing neither describes nor declares: an error when it fails the
    gate, else (--allow-incomplete, or the gate off) a warning."""
    level = "error" if report.incomplete_fails() else "warning"
    return [{"level": level, "descriptor": {"id": "unaccounted-item"},
             "message": {"text": sarif_message(f"{caption(item)} is neither described nor declared not applicable or "
                                               f"omitted in {count} of {report.checked} checked filings; its rules "
                                               "were not assessed")},
             "properties": {"item": item, "filings": count}}
            for item, count in sorted(report.unaccounted.items(), key=lambda pair: item_key(pair[0]))]


def _notification(problem: Problem) -> dict[str, Any]:
    text = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return {
        "level": "error" if problem.level == "error" else "warning",
        "message": {"text": sarif_message(text)},
        "descriptor": {"id": problem.code},
        "locations": [_location(problem.source, problem.line, problem.column)],
        "properties": _compact({"pointer": problem.pointer or None}),
    }


def _artifact(result: FilingResult) -> dict[str, Any]:
    properties = _compact({
        "status": result.status,
        "filer": {key: printable(str(value)) for key, value in result.filer.items()} or None,
        "rules_not_applicable": [{"rule": rule_id, "reason": reason}
                                 for rule_id, reason in result.not_applicable.items()] or None,
        "coverage": _filing_coverage(result.coverage) if result.coverage is not None else None,
    })
    return {"location": artifact_location(result.source), "roles": ["analysisTarget"], "properties": properties}


def _result(finding: Finding, index: dict[str, int], context: Context) -> dict[str, Any]:
    fixed = finding.baseline == "fixed"
    text = ("Fixed since the baseline: " if fixed else "") + finding.comment
    result = _compact({
        "ruleId": finding.rule_id,
        "ruleIndex": index.get(finding.rule_id),
        "kind": "pass" if fixed else None,
        "level": "none" if fixed else LEVELS[finding.severity],
        "message": {"text": sarif_message(text)},
        "locations": [_location(finding.source, None if fixed else finding.line,
                                None if fixed else finding.column, logical=finding.key or finding.pointer)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "baselineState": BASELINE_STATES.get(finding.baseline or ""),
        "suppressions": [_suppression(finding.waiver)] if finding.waiver else None,
    })
    result["properties"] = _compact({
        "form_item": finding.form_item,
        "page": finding.page,
        "subject": printable(finding.subject),
        "pointer": finding.pointer,
        "key": printable(finding.key) if finding.key else None,
        "remedy": printable(finding.remedy),
        "record": printable(finding.record) or None,
        "baseline": finding.baseline,
        "fails_gate": not fixed and context.gate.blocks(finding),
    })
    return result


def _suppression(waiver: Waiver) -> dict[str, Any]:
    """An accepted external suppression: who accepted the finding, why, until when, and where it is written."""
    return {
        "kind": "external",
        "status": "accepted",
        "justification": printable(waiver.reason),
        "location": _location(waiver.source, waiver.line, waiver.column),
        "properties": _compact({"owner": printable(waiver.owner) if waiver.owner else None,
                                "expires": waiver.expires, "fingerprint": waiver.fingerprint}),
    }


def _location(source: str, line: int | None, column: int | None, logical: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(source)}
    if line:
        physical["region"] = _compact({"startLine": line, "startColumn": column or None})
    location: dict[str, Any] = {"physicalLocation": physical}
    if logical:
        location["logicalLocations"] = [{"fullyQualifiedName": printable(logical)}]
    return location


def artifact_location(path: str) -> dict[str, Any]:
    """A path as a SARIF artifactLocation: a percent-encoded URI reference relative to %SRCROOT% (the working
    directory) as code-scanning dashboards expect, or a file: URI for an absolute path outside it."""
    pure = PurePath(path)
    if pure.is_absolute():
        try:
            pure = Path(path).relative_to(Path.cwd())
        except ValueError:
            return {"uri": Path(os.path.normpath(path)).as_uri()}
    relative = PurePath(os.path.normpath(pure)).as_posix()
    return {"uri": urllib.parse.quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _filing_coverage(coverage: Coverage) -> dict[str, Any]:
    """What a filing's artifact says of coverage: the tally, the unaccounted items, each rule not assessed."""
    return {"tally": dict(coverage.tally()), "unaccounted": coverage.unaccounted(),
            "not_assessed": [{"rule": r.rule_id, "reason": printable(r.reason)} for r in coverage.rules
                             if r.outcome == "not-assessed"]}


def _run_properties(report: Report) -> dict[str, Any]:
    return _compact({
        "gate": {"fail_on": report.gate.fail_on, "only_new": report.gate.only_new, "failed": report.failed(),
                 "allow_incomplete": report.gate.incomplete_ok},
        "coverage": {**dict(zip(OUTCOMES, report.outcomes)), "unaccounted_items": len(report.unaccounted)},
        "today": report.today.isoformat(),
        "baseline": report.baseline,
    })
