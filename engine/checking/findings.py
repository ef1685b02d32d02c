"""Findings: one record per (rule, subject), the only thing every report reads.

A rule may match a subject several ways (a supplier named in two risk factors); the subject is
reported once, with the placeholders of its first match in document order. Findings are sorted by
file, Form item, page and position, so the same input always gives the same report.

A finding is identified by its rule and its subject's key (facts/keys.py: `item19.exhibits[4.4]`, what the
subject is), not its JSON pointer (`/item19/exhibits/3`, where it is, which an item inserted above moves);
the pointer is still shown. Each finding carries a fingerprint of its rule, its key and the subject's
value, so a waiver can say "this finding, as long as the value is unchanged", and a SARIF viewer can follow
it across runs and edits elsewhere in the list. The review stage (review.py) later annotates findings with
a waiver or a baseline state; it never drops one.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..evaluation.match import Match
from ..facts.build import FactSet, elsewhere
from ..language import template
from ..language.conditions import PositivePattern
from ..language.records import Severity
from ..language.rulebook import Precedent, Rule, RuleSet
from ..validation.formitems import item_key

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_PAGE = re.compile(r"^(?:([A-Z]{1,2})-)?(\d+)$")
BaselineState = Literal["new", "open", "fixed", "not-assessed"]
"""A finding against a baseline report: new, still open, or a baseline finding that is gone: fixed, or not
assessed (its rule could not look this time: a section no longer described is not a fix)."""
BASELINE_STATES: tuple[BaselineState, ...] = ("new", "open", "fixed", "not-assessed")


@dataclass(frozen=True)
class Waiver:
    """An accepted finding, from a waivers file: why, who owns it, until when, and where it is written."""

    rule: str
    key: str | None  # the finding's key (facts/keys.py); a waiver names it, its pointer, or both
    pointer: str | None  # the subject's JSON pointer: what waivers named before keys (moves when items are inserted)
    reason: str
    owner: str | None
    expires: str | None  # ISO date; after it the waiver no longer applies and fails the gate
    fingerprint: str | None  # when given, the waiver applies only while the value is unchanged
    filing: str | None  # when given, only findings in this filing (path as given on the command line)
    source: str
    line: int | None
    column: int | None
    former: str | None = None  # the rule's former id the file names (`rule` is then its id now): review.follow_renames

    def location(self) -> str:
        return f"{self.source}:{self.line}:{self.column}" if self.line else self.source

    @property
    def named(self) -> str:
        """What the waiver names its finding's subject by, as messages show it: its key, else its pointer."""
        return self.key or self.pointer or ""


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    title: str
    severity: Severity
    form_item: str
    page: str | None
    subject: str
    pointer: str
    key: str | None  # the subject's key (facts/keys.py); None only in a baseline report written before keys
    source: str
    line: int | None
    column: int | None
    comment: str
    remedy: str  # what to change in the filing
    record: str  # what to record in the filing's description then, naming its fields
    precedents: tuple[Precedent, ...]
    authorities: tuple[str, ...]
    matched: tuple[tuple[str, str], ...]
    fingerprint: str
    waiver: Waiver | None = None  # set by review.mark_waivers: reported as waived, never dropped
    baseline: BaselineState | None = None  # set by review.apply_baseline: "new", "open" or (for a gone finding) "fixed"
    former_fingerprints: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(former id, fingerprint) for each of the rule's aliases: a waiver written before the rule was renamed
    recorded the fingerprint under the former id. Not part of any report."""
    pointer_fingerprints: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(rule id or former id, fingerprint over the pointer instead of the key): what a waiver that names a
    pointer recorded before findings had keys. Not part of any report."""

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def fingerprints(self, former: str | None = None, by_pointer: bool = False) -> tuple[str, ...]:
        """The fingerprints a waiver may hold for this finding: its own, and the one under `former`, a former
        id of its rule (a waiver written before the rule was renamed, by the id the waiver names); with
        `by_pointer` (a waiver naming a pointer), also those computed over the pointer, as before keys."""
        ids = {self.rule_id, former} if by_pointer else set()
        return ((self.fingerprint,) + tuple(recorded for alias, recorded in self.former_fingerprints if alias == former)
                + tuple(recorded for rule_id, recorded in self.pointer_fingerprints if rule_id in ids))

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        del record["former_fingerprints"], record["pointer_fingerprints"]
        record["precedents"] = [p.to_dict() for p in self.precedents]
        record["authorities"] = list(self.authorities)
        record["matched"] = dict(self.matched)
        record["waiver"] = _waiver_dict(self.waiver)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Finding:
        """A finding read back from a JSON report (a baseline), without its waiver; `key` None when the report
        was written before findings had keys."""
        fields = {key: record[key] for key in cls.__dataclass_fields__ if key in record}
        fields.setdefault("key", None)
        fields["precedents"] = tuple(Precedent(**p) for p in record["precedents"])
        fields["authorities"] = tuple(record["authorities"])
        fields["matched"] = tuple(sorted(record["matched"].items()))
        fields["waiver"] = None
        fields.setdefault("record", "")  # a report written before rules said what to record
        return cls(**fields)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.source, item_key(self.form_item), page_key(self.page), self.line or 0, self.column or 0,
                self.rule_id, self.pointer)


def _waiver_dict(waiver: Waiver | None) -> dict[str, Any] | None:
    if waiver is None:
        return None
    return {"reason": waiver.reason, "owner": waiver.owner, "expires": waiver.expires,
            "fingerprint": waiver.fingerprint, "source": waiver.source, "line": waiver.line}


def fingerprint(rule_id: str, key: str, value: Any) -> str:
    """16 hex digits of SHA-256 over the rule, the subject's key and its value as canonical JSON. (Before
    findings had keys, the subject's pointer stood where the key is: `pointer_fingerprints`.)"""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{rule_id}\0{key}\0{canonical}".encode()).hexdigest()[:16]


def value_at(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer (RFC 6901), or None where the path does not exist (a synthetic fact)."""
    node = data
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def filed_under(form_item: str, filer: Mapping[str, Any]) -> str:
    """The Form item a finding is about for this filer. Items 17 and 18 are the two financial statements
    items, and a filer reporting under IFRS as issued by the IASB reports under Item 18 (Release 33-8879),
    so for an IFRS filer a rule's Item 17 is Item 18: its findings are grouped, captioned and counted there."""
    if filer.get("basis_of_accounting") == "IFRS" and item_key(form_item)[0] == 17:
        return "18" + form_item[len("17"):]
    return form_item


def page_key(page: str | None) -> tuple[int, str, int]:
    match = _PAGE.match(page or "")
    if not match:
        return (2, page or "", 0)
    prefix, number = match.groups()
    return (1 if prefix else 0, prefix or "", int(number))


def build_findings(ruleset: RuleSet, matches: list[Match], facts: FactSet) -> list[Finding]:
    rules = {rule.id: rule for rule in ruleset.rules}
    order = {fact["id"]: index for index, fact in enumerate(facts.facts)}
    ranked = sorted(matches, key=lambda m: (m.rule_id, [order[fid] for _, fid in _in_pattern_order(rules[m.rule_id], m)]))
    anchors = _sections(facts)
    findings: dict[tuple[str, str], Finding] = {}
    for match in ranked:
        rule = rules[match.rule_id]
        subject_id = match.fact_id(rule.subject)
        if (rule.id, subject_id) not in findings:
            findings[(rule.id, subject_id)] = _finding(rule, match, facts, anchors.get(rule.anchor or ""))
    return sorted(findings.values(), key=Finding.sort_key)


def _sections(facts: FactSet) -> dict[str, dict[str, Any]]:
    """The first fact of each type that has a page: the section a comment anchored to that type is about."""
    sections: dict[str, dict[str, Any]] = {}
    for fact in facts.facts:
        if "_page" in fact:
            sections.setdefault(fact["_type"], fact)
    return sections


def finding_page(subject: dict[str, Any], section: dict[str, Any] | None, form_item: str,
                 by_id: Mapping[str, dict[str, Any]]) -> str | None:
    """The page a finding is about, always one of the item it is about. With an anchor section in that item
    (the staff head a comment "Business Overview, page 12"): the subject's own page when it is printed in
    that section, so that a report shows the page its comment cites, else the section's (a risk factor on
    page 11 behind a comment on Business Overview). Otherwise the page of the subject or of the nearest
    fact enclosing it that is in the item, passing over the subject's own page when the filing discusses it
    in another item (`build.elsewhere`: a change of accountant "mentioned in Item 16C" behind a comment on
    Item 16F is on the page of Item 16F's section); the subject's page when none is."""
    own = subject.get("page")
    if section is not None and _in_item(section["id"], form_item):
        return str(own) if own is not None and _within(subject["id"], str(own), section) else str(section["_page"])
    fact = by_id.get(subject.get("_parent", "")) if elsewhere(subject) else subject
    while fact is not None:
        if fact.get("page") is not None and _in_item(fact["id"], form_item):
            return str(fact["page"])
        fact = by_id.get(fact.get("_parent", ""))
    page: str | None = subject.get("_page")
    return page


def _in_item(pointer: str, form_item: str) -> bool:
    """Whether the part of the filing description at `pointer` describes Form item `form_item`: `/item4/..`
    Item 4, `/item16/..` Items 16A to 16K, `/financial_statements/..` Items 17 and 18; any pointer outside
    the items (`/filer`) is taken to be in every one."""
    top = pointer.split("/")[1] if pointer.count("/") else ""
    number, letter = item_key(form_item)[:2]
    if top == "financial_statements":
        return number in (17, 18)
    if not top.startswith("item"):
        return True
    described = item_key(top[len("item"):])[:2]
    return described == (number, letter) or described == (number, "") and number == 16


def _within(pointer: str, page: str, section: dict[str, Any]) -> bool:
    """Whether a fact at `pointer` printed on `page` is in `section`: listed under it, on a page of the same
    series ("F-12" is in no section starting on page 96) no earlier than the section's first."""
    inside = pointer == section["id"] or pointer.startswith(section["id"] + "/")
    own, start = page_key(page), page_key(section["_page"])
    return inside and own[:2] == start[:2] and own[0] < 2 and own[2] >= start[2]


def _in_pattern_order(rule: Rule, match: Match) -> list[tuple[str, str]]:
    bound = dict(match.bindings)
    return [(p.alias, bound[p.alias]) for p in rule.patterns if isinstance(p, PositivePattern)]


def _page(rule: Rule, bindings: dict[str, dict[str, Any]]) -> str | None:
    """The rule's `page` field of a matched fact (the cash flow discussion's page), when the fact has it."""
    if rule.page is None:
        return None
    alias, key = rule.page
    value = bindings[alias].get(key)
    return None if value is None else str(value)


def _finding(rule: Rule, match: Match, facts: FactSet, section: dict[str, Any] | None) -> Finding:
    bindings = {alias: facts.by_id[fact_id] for alias, fact_id in match.bindings}
    subject = bindings[rule.subject]
    value = value_at(facts.document.data, subject["id"])
    filer = facts.document.data.get("filer") or {}
    form_item = filed_under(rule.form_item, filer)
    resolve = template.resolve_in(bindings, facts.by_id, rule.params, facts.label, facts.model.kind_of,
                                  template.Money.of(filer))
    source, position = facts.document.origin(subject["id"])
    line, column = position or (None, None)
    key = facts.keys[subject["id"]]
    return Finding(
        rule_id=rule.id, rule_name=rule.name, title=rule.title, severity=rule.severity,
        form_item=form_item, page=_page(rule, bindings) or finding_page(subject, section, form_item, facts.by_id),
        subject=facts.label(subject),
        pointer=subject["id"], key=key, source=source, line=line, column=column,
        comment=template.render(list(rule.comment_parts), resolve),
        remedy=template.render(list(rule.remedy_parts), resolve),
        record=template.render(list(rule.record_parts), resolve),
        precedents=rule.precedents, authorities=tuple(a.cite for a in rule.authorities),
        matched=tuple(_in_pattern_order(rule, match)),
        fingerprint=fingerprint(rule.id, key, value),
        former_fingerprints=tuple((alias, fingerprint(alias, key, value)) for alias in rule.aliases),
        pointer_fingerprints=tuple((rule_id, fingerprint(rule_id, subject["id"], value))
                                   for rule_id in (rule.id, *rule.aliases)))
