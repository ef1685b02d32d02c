"""Rule tooling: what `precomment rules list | explain | test` print, and the generated rule catalogue.

Everything here reads the loaded Rule records only; it never re-reads rule files.
"""
from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable
from pathlib import Path

from tabulate import tabulate

from ..checking.examples import ExampleOutcome
from ..language.records import Rule
from ..reports.catalogue import form_order, in_force

WIDTH = 100


def sorted_rules(rules: Iterable[Rule]) -> list[Rule]:
    """Rules in Form order (`form_order`: by item, 3, 4, 4A, 5 ... 16K, 17 ..., then id), as the SARIF report
    lists them too."""
    return sorted(rules, key=lambda r: form_order(r.form_item, r.id))


def short_in_force(rule: Rule) -> str:
    return rule.effective.short() if rule.effective else ""


# -- rules list ---------------------------------------------------------------------------------------
def render_list(rules: Iterable[Rule]) -> str:
    ordered = sorted_rules(rules)
    rows = [[r.id, r.form_item, r.severity, short_in_force(r), r.title] for r in ordered]
    table = tabulate(rows, headers=["Rule", "Item", "Severity", "In force for", "Title"], tablefmt="simple",
                     disable_numparse=True)
    return f"{table}\n\n{len(ordered)} rule{'s' if len(ordered) != 1 else ''}.\n"


def render_list_json(rules: Iterable[Rule]) -> str:
    records = [{"id": r.id, "name": r.name, "form_item": r.form_item, "severity": r.severity, "title": r.title,
                "effective": ({"from": r.effective.start.isoformat(), "basis": r.effective.basis}
                              if r.effective else None)}
               for r in sorted_rules(rules)]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


# -- rules explain ------------------------------------------------------------------------------------
def render_explain(rule: Rule) -> str:
    out = [f"{rule.id}  {rule.name}", rule.title, "",
           f"Form 20-F item {rule.form_item}; severity {rule.severity}; {in_force(rule)}.",
           f"Defined in {display_path(rule.source)}:{rule.line}", ""]
    out += _wrap(rule.description) + [""]
    out.append("Authorities")
    for authority in rule.authorities:
        out += _wrap(authority.cite, "  - ", "    ")
        for label, value in (("url", authority.url), ("quote", authority.quote), ("current", authority.current),
                             ("verify", authority.verify)):
            if value:
                out += _wrap(f"{label}: {value}", "    ", "      ")
    if rule.effective and rule.effective.verify:
        out += _wrap(f"effective date, verify: {rule.effective.verify}", "  - ", "    ")
    out += ["", "Precedents"]
    out += [f"  - {p.label}" + (f" <{p.url}>" if p.url else "") for p in rule.precedents] or ["  (none: not from a published letter)"]
    out += ["", "Likely comment"] + _wrap(rule.comment, "  ", "  ")
    out += ["", "Remedy"] + _wrap(rule.remedy, "  ", "  ")
    out += ["", "Record in the description"] + _wrap(rule.record, "  ", "  ")
    if rule.params:
        out += ["", "Parameters"] + [f"  - {name} = {value}" for name, value in sorted(rule.params.items())]
    out += ["", "Examples"]
    for example in rule.examples:
        reported = f" -> reports {', '.join(example.findings)}" if example.kind == "fail" else " -> reports nothing"
        out += _wrap(f"{example.kind}: {example.name}{reported}", "  - ", "    ")
    return "\n".join(out) + "\n"


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    if not text:
        return []
    lines: list[str] = []
    for index, paragraph in enumerate(text.strip().split("\n\n")):
        lines += textwrap.wrap(" ".join(paragraph.split()), WIDTH, initial_indent=first if index == 0 else rest,
                               subsequent_indent=rest, break_on_hyphens=False) or [""]
    return lines


def display_path(source: str) -> str:
    """A rule file's path relative to the working directory when it lies under it."""
    try:
        return os.path.relpath(source) if Path(source).resolve().is_relative_to(Path.cwd()) else source
    except ValueError:
        return source


# -- rules test ---------------------------------------------------------------------------------------
def render_test(outcomes: list[ExampleOutcome]) -> str:
    out: list[str] = []
    current = None
    for outcome in outcomes:
        rule = outcome.rule
        if rule.id != current:
            current = rule.id
            out.append(f"{rule.id} {rule.name}")
        status = "ok    " if outcome.passed else "FAILED"
        out.append(f"  {status} {outcome.example.kind}: {outcome.example.name}")
        if not outcome.passed:
            out += _wrap(outcome.explain(), "         ", "         ")
            out.append(f"         at {display_path(rule.source)}:{outcome.example.line}")
    failed = sum(1 for o in outcomes if not o.passed)
    rules = len({o.rule.id for o in outcomes})
    out += ["", f"{len(outcomes)} example{'s' if len(outcomes) != 1 else ''} of {rules} rule{'s' if rules != 1 else ''}"
                f" on durable-rules and the oracle: {len(outcomes) - failed} passed, {failed} failed."]
    return "\n".join(out) + "\n"


# -- docs/rules.md ------------------------------------------------------------------------------------
def render_catalogue(rules: Iterable[Rule]) -> str:
    ordered = sorted_rules(rules)
    out = ["# Rule catalogue", "",
           "<!-- Generated by `python -m precomment.commands.docs` from the rules in rules/: do not edit. -->", "",
           f"{len(ordered)} rules. Each is one YAML file under `rules/`; `precomment rules explain ID` prints the",
           "same text in a terminal. Severity: error = the staff will almost certainly comment; warning = likely;",
           "info = possible. Rules with a date apply only to filings the requirement was in force for.", "",
           "| Rule | Item | Severity | In force for | Title |", "| --- | --- | --- | --- | --- |"]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.form_item} | {r.severity} | {short_in_force(r) or 'all'} "
            f"| {_cell(r.title)} |" for r in ordered]
    item = None
    for rule in ordered:
        top = rule.form_item.split(".")[0]
        if top != item:
            item = top
            out += ["", f"## Item {item}"]
        out += _catalogue_entry(rule)
    return "\n".join(out).rstrip() + "\n"


def _catalogue_entry(rule: Rule) -> list[str]:
    source = Path(rule.source)
    out = ["", f"### {rule.id}", "", f"**{rule.title}**", "",
           f"`{rule.name}` · Item {rule.form_item} · {rule.severity} · {in_force(rule)} · "
           f"[{source.parent.name}/{source.name}](../rules/{source.parent.name}/{source.name})", ""]
    if rule.description:
        out += [" ".join(rule.description.split()), ""]
    out.append("Authorities:")
    for authority in rule.authorities:
        extra = "".join(f" {label}: {value}." for label, value in (("Current equivalent", authority.current),
                                                                   ("Not yet verified", authority.verify)) if value)
        cite = f"[{authority.cite}]({authority.url})" if authority.url else authority.cite
        out.append(f"- {cite}.{' ' + extra.strip() if extra else ''}")
    if rule.requirements:
        out += ["", "Enforces: " + ", ".join(f"`{r}`" for r in rule.requirements)
                + " ([requirements register](requirements.md))."]
    if rule.precedents:
        out += ["", "Precedents: " + "; ".join(f"[{p.label}]({p.url})" if p.url else p.label
                                            for p in rule.precedents) + "."]
    out += ["", "Likely comment:", "", "> " + rule.comment, "", "Remedy: " + rule.remedy, "",
            "Record in the description: " + rule.record]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
