"""The JUnit XML report, for the test-report views of CI systems (GitLab, Jenkins, GitHub test reporters).

The report agrees with the exit code: a testcase fails exactly when it fails the gate.
- `<testsuites name="precomment">` holds one `<testsuite>` per filing, named by its path, plus one per file
  that review notes are about (the waivers file).
- Each finding is one `<testcase>` named `RULE POINTER` ("PC-6-001 /item6/share_ownership/holders/0"),
  unique within its filing (one finding per rule and subject), with classname `precomment.ItemN` (its
  Form item): GitLab shows the classname as the suite and keys a case by testsuite, classname and name;
  Jenkins splits it at the last dot into package `precomment` and class `ItemN`. The `file` attribute
  (GitLab links to it) and `line` (GitHub test-report actions annotate it) point at the subject.
  - a finding that fails the gate (Gate.blocks) has `<failure message=COMMENT type=SEVERITY>`, its body
    the rule, subject, comment, remedy, record, authorities and precedents;
  - a waived finding is `<skipped message="waived: REASON (OWNER, until DATE)">` with the same body;
  - any other finding (below --fail-on, not new under --fail-on-new, or the gate off) is a passing
    testcase whose `<system-out>` holds the same body, saying why it does not fail the gate: it is still
    a likely comment, and a viewer shows it without failing the build;
  - with --baseline, a fixed finding is a passing testcase whose system-out says it is fixed, and a finding
    whose rule could not look this time one that says it was not assessed (not fixed).
- Coverage: each Form item the description neither describes nor declares is a testcase `Item N accounted
  for`, failing while that fails the gate (else skipped); each rule that could not assess the filing is a
  skipped testcase `RULE assessed` whose message says what it lacked.
- A checked filing also has the passing testcase `valid filing description` (so a clean filing is a
  suite with a test, which Jenkins requires); a filing that could not be checked has one testcase per
  input error, each with `<error>`.
- A review note (an unused, mismatched or expired waiver) is a testcase of the waivers file's suite: an
  expired waiver fails it (as it fails the gate, unless the gate is off); a warning passes, in system-out.
- Counts (tests, failures, errors, skipped) on every suite and on the root; `time="0"` and no timestamps,
  so the same input gives the same bytes.

All text goes through ElementTree, which escapes markup, after `printable`, which shows control characters
and code points XML cannot carry as \\uXXXX.
"""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator

from ...checking.coverage import OUTCOMES, ItemCoverage, RuleCoverage
from ...checking.findings import Finding, Waiver
from ...checking.result import FilingResult
from ...errors import Problem
from ...validation.formitems import caption, top_item
from ..model import Context, Gate, Report
from ..text import one_line, printable
from . import Parts

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
VALID_CASE = "valid filing description"


def part(result: FilingResult, number: int, context: Context) -> str:
    return _text(_filing_suite(result, context.gate))


def document(report: Report, parts: Parts) -> Iterator[str]:
    """The root's counts are the filings' (from their summaries: what `_filing_suite` makes of them) and the
    review notes' cases; each suite is indented one level, as ET.indent would indent the whole tree."""
    notes = _note_suites(report.notes, report.gate)
    note_cases = [case for suite in notes for case in suite.iter("testcase")]
    root = ET.Element("testsuites", {"name": "precomment"})
    _set_counts(root, note_cases, _filing_counts(report))
    if not report.filings and not notes:
        yield XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
        return
    root.text = _SLOT
    head, _, tail = ET.tostring(root, encoding="unicode").partition(_SLOT)
    yield XML_DECLARATION + head
    for suite in itertools.chain(parts(), map(_text, notes)):
        yield "\n  " + suite
    yield "\n" + tail + "\n"


_SLOT = "SUITES"


def _text(suite: ET.Element) -> str:
    ET.indent(suite, level=1)
    return ET.tostring(suite, encoding="unicode")


def _filing_counts(report: Report) -> Counter[str]:
    """(tests, failures, errors, skipped) of the filings' suites: a checked filing has its valid-input
    case, a case per finding (failing when the gate blocks it, skipped when waived) and per fixed finding;
    a filing that could not be checked has an erroring case per input error."""
    tally = report.tally()
    errors = sum(len(filing.problems) for filing in report.invalid)
    unaccounted = sum(report.unaccounted.values())
    not_assessed = report.outcomes[OUTCOMES.index("not-assessed")]
    blocking = unaccounted if report.gate.blocks_incomplete() else 0
    return Counter(tests=report.checked + tally.findings + report.fixed + report.unassessed + errors + unaccounted
                   + not_assessed, failures=tally.failing + blocking, errors=errors,
                   skipped=tally.waived + not_assessed + unaccounted - blocking)


def testcase_name(finding: Finding) -> str:
    """`PC-6-001 item6.share_ownership.holders[Koichi Suzuki]`: the rule and its subject's key, unique within
    a filing and the same from run to run, whatever is inserted above the subject, so a CI server's history
    of the case is the finding's (the pointer, for a fixed finding of a baseline written before keys)."""
    return f"{finding.rule_id} {finding.key or finding.pointer}"


def _suite(name: str, cases: list[ET.Element], properties: dict[str, str] | None = None) -> ET.Element:
    suite = ET.Element("testsuite", {"name": printable(name)})
    if properties:
        bag = ET.SubElement(suite, "properties")
        for key, value in properties.items():
            ET.SubElement(bag, "property", {"name": key, "value": printable(value)})
    suite.extend(_unique_names(cases))
    _set_counts(suite, cases)
    return suite


def _set_counts(element: ET.Element, cases: list[ET.Element], more: Counter[str] | None = None) -> None:
    """The counts of `cases` (plus `more`, counted elsewhere) as the element's attributes."""
    more = more or Counter()
    element.set("tests", str(len(cases) + more["tests"]))
    for outcome, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, str(sum(1 for case in cases if case.find(outcome) is not None) + more[attribute]))
    element.set("time", "0")


def _unique_names(cases: list[ET.Element]) -> list[ET.Element]:
    """Testcases whose names repeat (two notes on one line) get ` (2)`, ` (3)`: viewers key cases by name."""
    seen: dict[str, int] = {}
    for case in cases:
        name = case.get("name", "")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            case.set("name", f"{name} ({seen[name]})")
    return cases


def _case(name: str, classname: str, source: str, line: int | None) -> ET.Element:
    attributes = {"name": printable(name), "classname": classname, "file": printable(source)}
    if line:
        attributes["line"] = str(line)
    attributes["time"] = "0"
    return ET.Element("testcase", attributes)


def _filing_suite(result: FilingResult, gate: Gate) -> ET.Element:
    filer = {f"filer.{key}": str(value) for key, value in result.filer.items()}
    if result.problems:
        return _suite(result.source, [_problem_case(problem) for problem in result.problems], filer)
    cases = [_case(VALID_CASE, "precomment.input", result.source, None)]
    cases += [_finding_case(finding, gate) for finding in result.findings]
    cases += [_fixed_case(finding) for finding in result.fixed]
    cases += [_unassessed_case(finding) for finding in result.unassessed]
    if result.coverage is not None:
        cases += [_item_case(item, result.source, gate) for item in result.coverage.items if item.state == "unaccounted"]
        cases += [_not_assessed_case(rule, result.source) for rule in result.coverage.rules
                  if rule.outcome == "not-assessed"]
    return _suite(result.source, cases, filer)


def _item_case(item: ItemCoverage, source: str, gate: Gate) -> ET.Element:
    """`Item 13 accounted for`: failing while unaccounted items fail the gate, else skipped."""
    case = _case(f"Item {item.form_item} accounted for", f"precomment.Item{top_item(item.form_item)}", source, None)
    text = (f"{caption(item.form_item)} is neither described nor declared not applicable or omitted: "
            f"{item.reason}. Its rules were not assessed.")
    if gate.blocks_incomplete():
        _child(case, "failure", text, message=f"Item {item.form_item} is not accounted for", type="coverage")
    else:
        _child(case, "skipped", text, message=f"Item {item.form_item} is not accounted for (allowed)")
    return case


def _not_assessed_case(rule: RuleCoverage, source: str) -> ET.Element:
    """`PC-4-007 assessed`: skipped, with what the rule lacked."""
    case = _case(f"{rule.rule_id} assessed", f"precomment.Item{top_item(rule.form_item)}", source, None)
    _child(case, "skipped", f"{rule.rule_id} could not assess this filing: {rule.reason}",
           message=f"not assessed: {one_line(rule.reason)}")
    return case


def _unassessed_case(finding: Finding) -> ET.Element:
    case = _case(testcase_name(finding), _classname(finding), finding.source, None)
    _child(case, "system-out", f"Not assessed this run (not fixed): its rule could not look.\n\n{details(finding)}")
    return case


def _finding_case(finding: Finding, gate: Gate) -> ET.Element:
    case = _case(testcase_name(finding), _classname(finding), finding.source, finding.line)
    body = details(finding)
    if finding.waiver is not None:
        _child(case, "skipped", body, message=waived_message(finding.waiver))
    elif gate.blocks(finding):
        _child(case, "failure", body, message=one_line(finding.comment), type=finding.severity)
    else:
        _child(case, "system-out", f"{not_failing(finding, gate)}\n\n{body}")
    return case


def _fixed_case(finding: Finding) -> ET.Element:
    case = _case(testcase_name(finding), _classname(finding), finding.source, None)
    _child(case, "system-out", f"Fixed since the baseline.\n\n{details(finding)}")
    return case


def _classname(finding: Finding) -> str:
    return f"precomment.Item{top_item(finding.form_item)}"


def _child(case: ET.Element, tag: str, text: str, **attributes: str) -> None:
    element = ET.SubElement(case, tag, {key: printable(value) for key, value in attributes.items()})
    element.text = printable(text)


def details(finding: Finding) -> str:
    """What a reviewer needs in the CI view: rule, where, the likely comment, the remedy, what to record in
    the description then, and the authority."""
    where = f"{finding.source}:{finding.line}:{finding.column}" if finding.line else finding.source
    page = f", page {finding.page}" if finding.page else ""
    lines = [f"{finding.rule_id} ({finding.severity}) Item {finding.form_item}{page}: {one_line(finding.title)}",
             f"Subject: {one_line(finding.subject)} at {finding.pointer} ({where})"]
    if finding.baseline:
        lines.append(f"Baseline: {finding.baseline}")
    if finding.waiver is not None:
        lines.append(f"Waived at {finding.waiver.location()}: {one_line(finding.waiver.reason)}")
    lines += ["", "Likely comment:", finding.comment, "", "Remedy:", finding.remedy]
    if finding.record:  # a fixed finding from a baseline written before rules said what to record has none
        lines += ["", "Record in the description:", finding.record]
    if finding.authorities:
        lines += ["", "Authorities: " + "; ".join(finding.authorities)]
    if finding.precedents:
        lines.append("Precedents: " + "; ".join(p.label for p in finding.precedents))
    return "\n".join(lines)


def waived_message(waiver: Waiver) -> str:
    """`waived: REASON (OWNER, until DATE)`, leaving out what the waiver does not say."""
    who = ", ".join(part for part in (waiver.owner, f"until {waiver.expires}" if waiver.expires else None) if part)
    return f"waived: {one_line(waiver.reason)}" + (f" ({one_line(who)})" if who else "")


def not_failing(finding: Finding, gate: Gate) -> str:
    """Why a finding that is neither waived nor blocking passes: the line that opens its system-out."""
    if gate.fail_on == "never":
        return f"Does not fail the gate: the gate is off ({gate.describe()})."
    if gate.only_new and finding.baseline != "new":
        return f"Does not fail the gate ({gate.describe()}): it was already in the baseline."
    return f"Does not fail the gate ({gate.describe()}): its severity is {finding.severity}."


def _problem_case(problem: Problem) -> ET.Element:
    case = _case(f"{problem.code} at {problem.pointer or '/'}", "precomment.input", problem.source, problem.line)
    _child(case, "error", problem.render(), message=one_line(problem.message), type=problem.code)
    return case


def _note_suites(notes: Iterable[Problem], gate: Gate) -> list[ET.Element]:
    """One suite per file that review notes are about (the waivers file), in the order notes were made."""
    by_source: dict[str, list[ET.Element]] = {}
    for note in notes:
        by_source.setdefault(note.source, []).append(_note_case(note, gate))
    return [_suite(source, cases) for source, cases in by_source.items()]


def _note_case(note: Problem, gate: Gate) -> ET.Element:
    name = f"{note.code} at line {note.line}" if note.line else note.code
    case = _case(name, "precomment.checking.review", note.source, note.line)
    if note.level == "error" and gate.fail_on != "never":
        _child(case, "failure", note.render(), message=one_line(note.message), type=note.code)
    else:
        _child(case, "system-out", note.render())
    return case
