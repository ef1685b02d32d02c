"""Review: what a team already knows about the findings, applied without losing any of them.

- Waivers (a YAML file): a finding a team has accepted is marked waived, still reported, and no longer
  counts for the gate. An expired waiver no longer applies and fails the gate; a waiver whose value
  fingerprint no longer matches does not apply; a waiver that matches nothing is warned about. A waiver
  names its finding by rule and key (facts/keys.py), so inserting an item into a list moves no waiver onto
  another finding; one written before keys names a pointer instead, and still applies by it, with a
  warning giving the key to write.
- Baseline (a previous JSON report): each filing is compared with the baseline filing it is a later draft
  of (same path, or same filer and fiscal year); each finding is marked new or open (matched on rule and
  key; by pointer for a baseline written before keys), and findings of the baseline that are gone are kept
  as fixed, so a report can say what was fixed.
- Renamed rules: a rule may list its former ids as `aliases`. A waiver or a baseline finding that names a
  former id is taken as the rule's id now (`follow_renames`), with a note saying so; a waiver's fingerprint
  recorded under the former id still matches (Finding.fingerprints).
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, did_you_mean
from ..facts.keys import KEY_SYNTAX_HINT, is_key, shared_by
from ..language.records import Rule
from ..sources.document import Document
from ..sources.load import load_file
from ..validation.validate import check
from .coverage import ASSESSED
from .findings import Finding, Waiver

WAIVERS_SCHEMA = "waivers.schema.json"
REPORT_SCHEMA = "report.schema.json"


@dataclass
class WaiverOutcome:
    """What applying the waivers showed besides the findings it marked: expired waivers and warnings."""

    expired: list[Waiver] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read and validate a waivers file; every problem is an InputError at file:line:col and pointer."""
    document = load_file(path)
    check(document, WAIVERS_SCHEMA)
    entries = document.data["waivers"]
    problems = [problem for index, entry in enumerate(entries) for problem in _unnamed(document, index, entry)]
    if problems:
        raise InputError(problems)
    return [_waiver(document, index, entry) for index, entry in enumerate(entries)]


def _unnamed(document: Document, index: int, entry: dict[str, Any]) -> list[Problem]:
    """A waiver naming no finding (neither `key` nor `pointer`, which the schema cannot require as one of
    two), or a `key` that is not one."""
    if "key" not in entry and "pointer" not in entry:
        return [document.problem(f"/waivers/{index}", "missing-key", "required key 'key' is missing",
                                 "add 'key': the finding's `key` from the report, e.g. item19.exhibits[4.4] (a "
                                 "waiver written before keys names its `pointer` instead)")]
    if "key" in entry and not is_key(entry["key"]):
        return [document.problem(f"/waivers/{index}/key", "bad-key", f"{entry['key']!r} is not a finding key",
                                 KEY_SYNTAX_HINT)]
    return []


def _waiver(document: Document, index: int, entry: dict[str, Any]) -> Waiver:
    line, column = document.locate(f"/waivers/{index}") or (None, None)
    return Waiver(rule=entry["rule"], key=entry.get("key"), pointer=entry.get("pointer"), reason=entry["reason"],
                  owner=entry.get("owner"), expires=entry.get("expires"), fingerprint=entry.get("fingerprint"),
                  filing=entry.get("filing"), source=document.source, line=line, column=column)


WaiverEvents = list[tuple[int, "Problem | None"]]
"""What marking one filing showed: (index of a waiver, None) for each waiver that covers one of its
findings, and (index, note) for what it should know of them: each it could not waive (mismatched,
duplicate), each it names by a pointer alone or by an out-of-date one (pointer-waiver, moved-pointer); and
(index, note) for a waiver whose key the filing's subjects share, which covers none of them (ambiguous)."""


def mark_waivers(result: Any, waivers: Sequence[Waiver], today: datetime.date) -> WaiverEvents:
    """Mark one filing's findings that the waivers cover (in place): the part of the review that needs the
    findings, done in the worker that checked the filing. An expired waiver covers but does not waive."""
    events: WaiverEvents = []
    for number, waiver in enumerate(waivers):
        covered = [index for index, finding in enumerate(result.findings) if _covers(waiver, result.source, finding)]
        if not covered:
            events.extend((number, note) for note in _ambiguous(waiver, result))
            continue
        events.append((number, None))
        if _expired(waiver, today):
            continue
        for index in covered:
            finding = result.findings[index]
            events.extend((number, note) for note in _by_pointer(waiver, finding))
            if waiver.fingerprint and waiver.fingerprint not in finding.fingerprints(waiver.former,
                                                                                     waiver.pointer is not None):
                events.append((number, _note(
                    waiver, "mismatched-waiver", "warning",
                    f"the value at {waiver.named} in {result.source} has changed since {waiver.rule} was waived "
                    f"(waived fingerprint {waiver.fingerprint}, now {finding.fingerprint}); the finding is open again",
                    "review the finding; if the waiver still holds, update its fingerprint")))
            elif finding.waiver is not None:
                events.append((number, _note(waiver, "duplicate-waiver", "warning",
                                             f"{waiver.rule} at {waiver.named} is already waived at "
                                             f"{finding.waiver.location()}", "remove one of the two waivers")))
            else:
                result.findings[index] = dataclasses.replace(finding, waiver=waiver)
    return events


def _by_pointer(waiver: Waiver, finding: Finding) -> list[Problem]:
    """A warning for a waiver that names its finding by a pointer alone (it moves when an item is inserted
    above it, and would then cover another finding), or by a key and a pointer that is out of date."""
    if waiver.key is None:
        fingerprint = f" and `fingerprint: '{finding.fingerprint}'`" if waiver.fingerprint else ""
        return [_note(waiver, "pointer-waiver", "warning",
                      f"the waiver of {waiver.rule} names its finding by the pointer {waiver.pointer}, which moves "
                      f"to another subject when an item is inserted above it; it covers {finding.key}",
                      f"write `key: {_yaml_text(finding.key or '')}`{fingerprint} instead of `pointer:`")]
    if waiver.pointer is not None and waiver.pointer != finding.pointer:
        return [_note(waiver, "moved-pointer", "warning",
                      f"the waiver's pointer {waiver.pointer} is out of date: {waiver.key} is now at "
                      f"{finding.pointer}; the waiver applies by its key", "remove `pointer:`: the key names the finding")]
    return []


def _yaml_text(text: str) -> str:
    """A key as a waivers file can hold it: plain, or quoted where YAML would read `: ` or ` #` otherwise."""
    return json.dumps(text, ensure_ascii=False) if ": " in text or " #" in text or text.endswith(":") else text


def _ambiguous(waiver: Waiver, result: Any) -> list[Problem]:
    """A warning for a waiver whose key several subjects of the filing share (so each has its occurrence
    after it, `[4.4]#1`, `[4.4]#2`), which therefore waives none of them."""
    if waiver.key is None or not _in_filing(waiver, result.source):
        return []
    sharing = shared_by(waiver.key, dict.fromkeys(f.key for f in result.findings
                                                  if f.rule_id == waiver.rule and f.key is not None))
    if not sharing:
        return []
    return [_note(waiver, "ambiguous-waiver", "warning",
                  f"the waiver of {waiver.rule} at {waiver.key} waives nothing in {result.source}: subjects there "
                  f"share that key, so each is named with its occurrence ({', '.join(sharing)})",
                  "give each its own key in the filing (two exhibits may not share a number), or write the key "
                  "of the one meant, occurrence included")]


class WaiverReview:
    """The waivers' side of a run: gathers each filing's events, in filing order, into the review notes."""

    def __init__(self, waivers: list[Waiver], today: datetime.date, rule_ids: Iterable[str] = ()) -> None:
        self.waivers = waivers
        self.today = today
        self.known = sorted(set(rule_ids))
        self.covering: set[int] = set()
        self.notes: dict[int, list[Problem]] = {}

    def add(self, events: WaiverEvents) -> None:
        for number, note in events:
            self.covering.add(number)
            if note is not None:
                self.notes.setdefault(number, []).append(note)

    def outcome(self) -> WaiverOutcome:
        """Per waiver, in the file's order: unused, expired, or the notes on the findings it covered."""
        outcome = WaiverOutcome()
        for number, waiver in enumerate(self.waivers):
            if number not in self.covering:
                outcome.notes.append(_unused(waiver, self.known))
            elif _expired(waiver, self.today):
                outcome.expired.append(waiver)
                outcome.notes.append(_note(waiver, "expired-waiver", "error",
                                           f"the waiver of {waiver.rule} at {waiver.named} expired on "
                                           f"{waiver.expires}; its finding counts again and the gate fails",
                                           "renew the waiver with a later `expires`, or fix the finding and remove it"))
            else:
                outcome.notes.extend(self.notes.get(number, []))
        return outcome


def _expired(waiver: Waiver, today: datetime.date) -> bool:
    return bool(waiver.expires and datetime.date.fromisoformat(waiver.expires) < today)


def _covers(waiver: Waiver, source: str, finding: Finding) -> bool:
    """Same rule, same key (a waiver naming a key; its pointer then only checked by `_by_pointer`), else the
    same pointer (a waiver written before keys), and the waiver's filing if it names one."""
    named = finding.key == waiver.key if waiver.key is not None else finding.pointer == waiver.pointer
    return waiver.rule == finding.rule_id and named and _in_filing(waiver, source)


def _in_filing(waiver: Waiver, source: str) -> bool:
    return waiver.filing is None or os.path.normpath(waiver.filing) == os.path.normpath(source)


def _unused(waiver: Waiver, known: list[str]) -> Problem:
    where = f" in {waiver.filing}" if waiver.filing else ""
    hint = f"remove it if the finding was fixed, or correct its rule, {'key' if waiver.key else 'pointer'} or filing"
    if known and waiver.rule not in known:
        hint = f"no rule {waiver.rule} is in force; " + (did_you_mean(waiver.rule, known, quote=False)
                                                          or "`precomment rules list` shows the ids")
    return _note(waiver, "unused-waiver", "warning",
                 f"the waiver of {waiver.rule} at {waiver.named}{where} matched no finding", hint)


def _note(waiver: Waiver, code: str, level: str, message: str, hint: str) -> Problem:
    return Problem(waiver.source, waiver.line, waiver.column, "", code, message, hint, level=level)


@dataclass(frozen=True)
class BaselineFiling:
    """One checked filing of a baseline report: where it was, whose it is, what was found, what was assessed."""

    source: str
    filer: dict[str, Any]  # the report's filer block: name, form, fiscal_year_end, filing_date, file_number
    findings: tuple[Finding, ...]
    assessed: frozenset[str] | None = None  # rules that fired or passed; None for a report without coverage


@dataclass(frozen=True)
class Baseline:
    """The checked filings of a previous JSON report, each to be compared with its own later drafts."""

    filings: tuple[BaselineFiling, ...]
    source: str = ""  # the report file, as given

    def previous(self, source: str, filer: dict[str, Any]) -> tuple[Finding, ...]:
        """The findings of the baseline filing this filing is a later draft of (none when there is none)."""
        found = self.filing(source, filer)
        return found.findings if found is not None else ()

    def filing(self, source: str, filer: dict[str, Any]) -> BaselineFiling | None:
        """The baseline filing this filing is a later draft of, or None.

        That is the filing at the same path, if it is the same filer's; otherwise the one filing of the same
        filer and fiscal year end (a renamed draft, or an amendment). A filing of another filer is never
        taken, and when two baseline filings could be the one, neither is: comparing with the wrong one would
        mark new findings "open", and --fail-on-new would let them pass."""
        at_path = (filing for filing in self._at(("path", os.path.normpath(source))) if _same_filer(filing.filer, filer))
        found = next(at_path, None)
        if found is not None:
            return found
        same = (filing for key in _filer_keys(filer) for filing in self._at(key) if _same_filer(filing.filer, filer))
        first = next(same, None)  # (found under its name and its file number alike: the same one twice)
        if first is None or any(other is not first for other in same):  # stops at a second: ambiguous
            return None
        return first

    def _at(self, key: tuple[str, ...]) -> Iterator[BaselineFiling]:
        return (self.filings[position] for position in self._index.get(key, ()))

    @cached_property
    def _index(self) -> dict[tuple[str, ...], list[int]]:
        """The filings' positions by path, and by filer and fiscal year end (`_filer_keys`): where a filing's
        candidates are, so that each of thousands of filings is not compared with every baseline filing."""
        index: dict[tuple[str, ...], list[int]] = {}
        for position, filing in enumerate(self.filings):
            for key in [("path", os.path.normpath(filing.source)), *_filer_keys(filing.filer)]:
                index.setdefault(key, []).append(position)
        return index


def _filer_keys(filer: dict[str, Any]) -> list[tuple[str, ...]]:
    """Keys of a filer's report for a fiscal year: by name and by file number. Any two filings
    `_same_filer` takes, of the same fiscal year end, share one."""
    year = str(filer.get("fiscal_year_end"))
    name = _folded_name(filer)
    keys: list[tuple[str, ...]] = [("name", name, year)] if name else []
    if filer.get("file_number"):
        keys.append(("number", _file_number(filer["file_number"]), year))
    return keys


def _same_filer(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """The same registrant: the same Commission file number when both reports give one (a company may change
    its name), else the same name, ignoring case and spacing."""
    if before.get("file_number") and now.get("file_number"):
        return _file_number(before["file_number"]) == _file_number(now["file_number"])
    name = _folded_name(before)
    return name is not None and name == _folded_name(now)


def _file_number(number: Any) -> str:
    """A Commission file number as EDGAR lists it: cover pages print the prefix without its leading zeros
    ("1-14426" is EDGAR's "001-14426"), and a baseline made from one draft must still match the next."""
    prefix, _, rest = str(number).partition("-")
    return f"{prefix.zfill(3)}-{rest}" if prefix.isdigit() and rest else str(number)


def _folded_name(filer: dict[str, Any]) -> str | None:
    name = filer.get("name")
    return " ".join(name.casefold().split()) if isinstance(name, str) and name.strip() else None


def load_baseline(path: str | Path) -> Baseline:
    """The checked filings of a previous JSON report (`check --format json`)."""
    document = load_file(path)
    check(document, REPORT_SCHEMA)
    return Baseline(tuple(BaselineFiling(filing["source"], filing["filer"],
                                         tuple(Finding.from_dict(record) for record in filing["findings"]),
                                         _assessed(filing.get("coverage")))
                          for filing in document.data["filings"] if filing["status"] == "checked"),
                    document.source)


def _assessed(coverage: dict[str, Any] | None) -> frozenset[str] | None:
    """The rules a baseline filing's coverage says fired or passed (a report from before coverage has none)."""
    if coverage is None:
        return None
    return frozenset(rule["rule"] for rule in coverage["rules"] if rule["outcome"] in ASSESSED)


def apply_baseline(results: Iterable[Any], baseline: Baseline) -> None:
    """Mark each finding new or open, and keep the baseline's gone findings: as `fixed` when their rule looked
    and found nothing, as `unassessed` when it could not look this time (a section no longer described, a
    question no longer answered: deleting the description fixes nothing). The rules the baseline assessed that
    cannot assess now are the result's `coverage_drop`, which fails --fail-on-new.

    Findings are matched on rule id and subject key (a baseline finding without one, from a report written
    before keys, on rule id and pointer), against the baseline filing the result is a later draft of
    (`Baseline.filing`); with none, all its findings are new."""
    for result in results:
        if result.problems:
            continue
        filing = baseline.filing(result.source, result.filer)
        previous = filing.findings if filing is not None else ()
        before = {_identity(f) for f in previous}
        now = {identity for f in result.findings for identity in _identities(f)}
        result.findings = [dataclasses.replace(f, baseline="open" if before.intersection(_identities(f)) else "new")
                           for f in result.findings]
        assessed = result.coverage.assessed() if result.coverage is not None else None
        gone = [f for f in previous if _identity(f) not in now]
        result.fixed = sorted((dataclasses.replace(f, baseline="fixed", waiver=None, source=result.source)
                               for f in gone if assessed is None or f.rule_id in assessed), key=Finding.sort_key)
        result.unassessed = sorted((dataclasses.replace(f, baseline="not-assessed", waiver=None, source=result.source)
                                    for f in gone if assessed is not None and f.rule_id not in assessed),
                                   key=Finding.sort_key)
        if filing is not None and assessed is not None:
            before_assessed = filing.assessed if filing.assessed is not None else {f.rule_id for f in previous}
            unassessed_now = {r.rule_id for r in result.coverage.rules if r.outcome == "not-assessed"}
            result.coverage_drop = sorted(before_assessed & unassessed_now)


def _identity(finding: Finding) -> tuple[str, str, str]:
    """What a baseline finding is matched on: its rule and key, or its rule and pointer if it has no key."""
    return (finding.rule_id, "key", finding.key) if finding.key is not None else (finding.rule_id, "pointer", finding.pointer)


def _identities(finding: Finding) -> tuple[tuple[str, str, str], ...]:
    """What a finding of this run matches in a baseline: a finding of the same key, or a keyless one at its
    pointer."""
    return _identity(finding), (finding.rule_id, "pointer", finding.pointer)


def keyless_baseline(baseline: Baseline | None) -> list[Problem]:
    """A warning when the baseline holds findings without keys (a report written before them): those are
    matched by pointer, so an item inserted above one shows it as fixed and again as new."""
    if baseline is None or all(f.key is not None for filing in baseline.filings for f in filing.findings):
        return []
    return [Problem(baseline.source, None, None, "", "keyless-baseline",
                    "the baseline was written before findings had keys: its findings are matched by pointer, so one "
                    "that an inserted item has moved shows as fixed and again as new",
                    "save this check's JSON report as the new baseline to match findings by their keys",
                    level="warning")]


def follow_renames(rules: Iterable[Rule], waivers: list[Waiver],
                   baseline: Baseline | None) -> tuple[list[Waiver], Baseline | None, list[Problem]]:
    """Waivers and baseline findings that name a rule by a former id (one of its `aliases`), taken as naming
    the rule's id now, and a note for each waiver and each former id of the baseline: so renaming a rule
    leaves what a team accepted and what it already knew in force, and says which id to write now."""
    current = {alias: rule.id for rule in rules for alias in rule.aliases}
    if not current:
        return waivers, baseline, []
    followed: list[Waiver] = []
    notes: list[Problem] = []
    for waiver in waivers:
        now = current.get(waiver.rule)
        if now is None:
            followed.append(waiver)
            continue
        followed.append(dataclasses.replace(waiver, rule=now, former=waiver.rule))
        notes.append(_note(waiver, "renamed-rule", "warning",
                           f"the waiver names {waiver.rule}, the former id of {now}; it applies to {now}'s findings",
                           f"write `rule: {now}`"))
    if baseline is not None:
        baseline, renamed = _renamed_baseline(baseline, current)
        notes.extend(Problem(baseline.source, None, None, "", "renamed-rule",
                             f"the baseline's findings of {former} are compared with {current[former]}'s: "
                             f"{former} is its former id",
                             "save this check's JSON report as the new baseline to record the id now", level="warning")
                     for former in renamed)
    return followed, baseline, notes


def _renamed_baseline(baseline: Baseline, current: Mapping[str, str]) -> tuple[Baseline, list[str]]:
    """The baseline with each finding recorded under a former id under the rule's id now; the former ids
    it held, sorted (none: the baseline itself)."""
    renamed = sorted({f.rule_id for filing in baseline.filings for f in filing.findings if f.rule_id in current})
    if not renamed:
        return baseline, []
    filings = tuple(dataclasses.replace(filing, findings=tuple(
        dataclasses.replace(f, rule_id=current[f.rule_id]) if f.rule_id in current else f for f in filing.findings))
        for filing in baseline.filings)
    return Baseline(filings, baseline.source), renamed
