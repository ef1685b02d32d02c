"""The questionnaire `precomment init` writes: a first description to fill in, with every Form item, section
and field of the filing schema, in the Form's order, each field with its question, what leaving it out
means, and the rules that read it.

It is valid as written: the filer block holds the profile's answers (and the name, form and fiscal year end
a description needs), and everything else is commented out, so a judgement is never answered "no" by a
default: a field left commented is not answered. A line to fill in starts with `# ` in its first column
(delete those two characters and give the value); explanations start with `#` after the indentation, so
they stay comments when a block is uncommented.

What leaving a field out means is the schema's `x-absent` (`unanswered`, `not-disclosed`, `none`); a field
without one is taken by its kind: a true/false judgement unanswered, a list none, anything else not
disclosed (`absence`). A field no rule reads says so, with the schema's `x-informational` reason if any.
"""
from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..language.conditions import AbsentPattern, PositivePattern, Ref, holds, walk_tests
from ..language.reads import FieldRead
from ..language.records import Rule
from ..reports.catalogue import form_order
from ..resources import load_schema
from ..validation.fact_model import ABSENCES, FILING_SCHEMA, Absence, FactModel, Section, resolve_ref
from ..validation.formitems import GENERAL, PARTS, TITLES, caption, designations, item_key, part_caption, top_item
from ..validation.kinds import kind_label
from .profile import NO_ADS_REASON, Profile

LEFT_OUT: dict[Absence, str] = {
    "unanswered": "not answered, so the rules that read it cannot decide it (NOT ASSESSED)",
    "not-disclosed": "the filing does not give it",
    "none": "there are none",
}

WIDTH = 110
CHINA_NOTES = {
    "country_of_incorporation": {False: "This profile is not China-based: the country is none of CN, HK and MO.",
                                 True: "This profile is China-based: give the country of incorporation too."},
    "principal_operations_country": {False: "This profile is not China-based: the country is none of CN, HK and MO.",
                                     True: "This profile is China-based: CN is written here; write HK or MO instead "
                                           "if most operations are there."},
}
"""What the filer block says of the two countries the China-based rules read, by the profile's answer."""
EXAMPLE_REASONS = {
    "12.D": NO_ADS_REASON,
    "13": "There have been no defaults, dividend arrearages or delinquencies.",
    "14": "There have been no material modifications to the rights of security holders.",
    "16F": "There has been no change in the registrant's certifying accountant.",
    "16H": "We operate no mines.",
    "16I": "We have not been identified as a Commission-Identified Issuer.",
}


def absence(node: Mapping[str, Any]) -> Absence:
    """What leaving a field (a resolved schema node) out means: its `x-absent`, else by its kind."""
    declared = node.get("x-absent")
    for known in ABSENCES:
        if declared == known:
            return known
    kind = node.get("type")
    return "unanswered" if kind == "boolean" else "none" if kind == "array" else "not-disclosed"


def ruled_out(rule: Rule, profile: Profile) -> str | None:
    """Why `rule` cannot apply to a filing of this profile (short), or None when it may: a requirement
    not yet in force for the fiscal year, or a filer condition the profile's answers decide against it."""
    known = profile.known()
    if rule.effective and rule.effective.not_yet(known):
        return rule.effective.short()
    for pattern in rule.patterns:
        if pattern.fact_type != "filer":
            continue
        tests = list(walk_tests(pattern.where))
        if any(isinstance(t.value, Ref) for t in tests) or not {t.key for t in tests} <= known.keys():
            continue  # the profile does not decide it
        matches = holds(pattern.where, known, {})
        if (isinstance(pattern, PositivePattern) and not matches) or (isinstance(pattern, AbsentPattern) and matches):
            return "excluded by the filer's answers above"
    return None


def question(description: str, kind: str) -> str:
    """The field's question: its description, a true/false judgement asked as one ("True or false: ...")."""
    text = " ".join(description.split())
    if kind != "boolean":
        return text
    match = re.match(r"^(?:(?P<lead>[^:]{1,60}): )?(?:whether )?(?P<rest>.*)$", text, re.IGNORECASE)
    assert match is not None
    rest = match["rest"]
    if re.match(r"^(The|A|An|It|Its)\b", rest):
        rest = rest[0].lower() + rest[1:]
    lead = match["lead"]
    return f"{lead}, true or false: {rest}" if lead else f"True or false: {rest}"


@dataclass
class _Line:
    indent: int
    text: str
    note: bool  # an explanation (always a comment), else YAML to keep or fill in
    live: bool  # written as YAML; False: commented out, to fill in


@dataclass
class Questionnaire:
    """The questionnaire's lines for one profile, one rule set and the filing schema."""

    profile: Profile
    readers: Mapping[FieldRead, tuple[str, ...]]
    rules: Sequence[Rule]
    model: FactModel
    schema: dict[str, Any] = field(default_factory=lambda: load_schema(FILING_SCHEMA))
    lines: list[_Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.defs = self.schema.get("$defs", {})
        self.excluded = {rule.id: why for rule in self.rules if (why := ruled_out(rule, self.profile))}
        self.rule_order = {rule.id: form_order(rule.form_item, rule.id) for rule in self.rules}
        self.types_at = {pointer: name for name, fact in self.model.types.items() for pointer in fact.pointers}
        self.sections = {section.pointer: section for section in self.model.sections}

    # -- output --------------------------------------------------------------------------------------
    def text(self, command: str) -> str:
        self.lines = []
        self.header(command)
        properties = self.schema["properties"]
        self.field_line(0, "format_version", self.resolve(properties["format_version"]), live_value=1)
        self.filer(self.resolve(properties["filer"]))
        self.declarations()
        self.items(properties)
        return "".join(_render(line) for line in self.lines)

    def note(self, indent: int, text: str, live: bool) -> None:
        for piece in _wrapped(text, max(40, WIDTH - indent - (2 if live else 4))):
            self.lines.append(_Line(indent, piece, True, live))

    def data(self, indent: int, text: str, live: bool) -> None:
        self.lines.append(_Line(indent, text, False, live))

    def blank(self) -> None:
        self.lines.append(_Line(0, "", True, True))

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        return resolve_ref(node, self.defs)

    # -- the parts -----------------------------------------------------------------------------------
    def header(self, command: str) -> None:
        for text in (
                "A first description of a Form 20-F for precomment, to fill in. Written by: " + command,
                "A line starting with '# ' in its first column is a key to fill in: delete those two characters and "
                "give the value the draft discloses (a block of them at once: delete them from each line). Lines "
                "starting with '#' after the indentation explain the key below them and stay comments.",
                "Each key says what it asks, what leaving it out means, and which rules read it (`precomment rules "
                "explain ID`). Leave out what the filing does not give; never write false for a judgement not yet "
                "made: left out, it is not answered. docs/filing-format.md explains the conventions.",
                "The file is valid as written: `precomment validate` passes on it and `precomment check` runs on "
                "it. Check it as you fill it in."):
            self.note(0, text, True)
            self.blank()
        self.note(0, "Profile: " + self.profile.summary(), True)
        reasons: dict[str, list[str]] = {}
        for rule_id in self.ordered(self.excluded):
            reasons.setdefault(self.excluded[rule_id], []).append(rule_id)
        if reasons:
            self.note(0, "Rules that cannot apply to this profile, not named as readers below: " + "; ".join(
                f"{', '.join(ids)} ({why})" for why, ids in sorted(reasons.items())) + ".", True)
        self.blank()

    def ordered(self, rule_ids: Iterable[str]) -> list[str]:
        """Rule ids in the Form's order, as `precomment rules list` gives them."""
        return sorted(rule_ids, key=lambda rule_id: self.rule_order.get(rule_id, ((999,), rule_id)))

    def filer(self, node: dict[str, Any]) -> None:
        self.data(0, "filer:", True)
        answers = self.profile.filer()
        for name, raw in node["properties"].items():
            sub = self.resolve(raw)
            if name in CHINA_NOTES and self.profile.china_based is not None:
                self.note(2, CHINA_NOTES[name][self.profile.china_based], True)
            self.field(2, name, sub, "filer", name, name in node.get("required", ()), True,
                       live_value=answers.get(name))
        self.blank()

    def declarations(self) -> None:
        """The `not_applicable` and `omitted` maps: the profile's own declarations live, every other item and
        lettered part commented out with an example reason."""
        declared = self.profile.not_applicable()
        properties = self.schema["properties"]
        self.note(0, self.resolve(properties["not_applicable"])["description"], True)
        self.data(0, "not_applicable:", bool(declared))
        for designation in designations():
            reason = declared.get(designation)
            title = TITLES.get(designation) or PARTS.get(designation, "")
            shown = reason or EXAMPLE_REASONS.get(designation, "Not applicable: say why.")
            self.data(2, f"{json.dumps(designation)}: {json.dumps(shown)}  # {title}", reason is not None)
        self.blank()
        self.note(0, self.resolve(properties["omitted"])["description"], True)
        self.data(0, "omitted:", False)
        self.data(2, '"6.E": "The share ownership table is still being drafted."', False)
        self.blank()

    def items(self, properties: Mapping[str, Any]) -> None:
        """Every Form item in the Form's order, with the description's parts that answer it; first the filing
        as a whole (General: the document section, which precomment writes when it reads a document)."""
        containers = [(name, self.resolve(raw)) for name, raw in properties.items()
                      if any(_in_container(s, name) for s in self.model.sections)]
        first_item = {name: top_item(min((s.form_item for s in self.model.sections if _in_container(s, name)),
                                         key=item_key)) for name, _ in containers}
        written: set[str] = set()
        for item in (GENERAL, *TITLES):
            self.banner(item)
            sections = [s for s in self.model.sections if top_item(s.form_item) == item]
            for name, node in containers:
                if first_item[name] == item and name not in written:
                    written.add(name)
                    self.container(name, node)
            if not sections:
                self.note(0, f"No part of a description answers {caption(item).split('.')[0]} on its own; "
                             "declare it above if the filing says it does not apply.", True)
                self.blank()

    def banner(self, item: str) -> None:
        self.note(0, "=" * 20 + f" {caption(item)} " + "=" * 20, True)

    def container(self, name: str, node: dict[str, Any]) -> None:
        """A top-level part (item4, item16, financial_statements): its own fields, then its sections in the
        Form's order."""
        pointer = f"/{name}"
        if pointer in self.sections:
            self.section(0, name, node, self.sections[pointer])
            return
        self.note(0, node.get("description", ""), False)
        self.data(0, f"{name}:", False)
        fact_type = self.types_at.get(pointer)
        children = list(node["properties"].items())
        own = [(key, raw) for key, raw in children if f"{pointer}/{key}" not in self.sections]
        parts = sorted(((key, raw) for key, raw in children if f"{pointer}/{key}" in self.sections),
                       key=lambda pair: item_key(self.sections[f"{pointer}/{pair[0]}"].form_item))
        for key, raw in own:
            self.field(2, key, self.resolve(raw), fact_type, key, False, False)
        for key, raw in parts:
            self.blank()
            self.section(2, key, self.resolve(raw), self.sections[f"{pointer}/{key}"])
        self.blank()

    def section(self, indent: int, key: str, node: dict[str, Any], section: Section) -> None:
        where = _designation_caption(section.form_item)
        readers = self.section_readers(section)
        if readers and all(rule_id in self.excluded for rule_id in readers):
            self.note(indent, f"-- {where}: {section.path} is left out: the rules that read it ("
                      + ", ".join(readers) + ") cannot apply to this profile (see the top of the file).", False)
            return
        self.note(indent, f"-- {where}: {section.path}", False)
        self.note(indent, "Left out, and its item not declared above: the item is not described.", False)
        self.field(indent, key, node, None, key, False, False, pointer=section.pointer)

    def section_readers(self, section: Section) -> list[str]:
        """The rules that read any field of a fact within the section."""
        within = {name for name, fact in self.model.types.items()
                  if any(section.contains(pointer) for pointer in fact.pointers)}
        return self.ordered({rule_id for (fact_type, _), ids in self.readers.items() if fact_type in within
                             for rule_id in ids})

    def object_field(self, indent: int, key: str, node: dict[str, Any], pointer: str, fact_type: str | None,
                     prefix: str) -> None:
        """A mapping: its key, then each of its fields one level in."""
        if "x-fact" in node:
            fact_type, prefix = node["x-fact"], ""
        self.data(indent, f"{key}:", False)
        needed = set(node.get("required", ()))
        for name, raw in node.get("properties", {}).items():
            self.field(indent + 2, name, self.resolve(raw), fact_type, f"{prefix}{name}", name in needed, False,
                       pointer=f"{pointer}/{name}")

    def field(self, indent: int, name: str, node: dict[str, Any], fact_type: str | None, path: str, required: bool,
              live: bool, live_value: Any = None, pointer: str = "") -> None:
        kind = node.get("type") or ("string" if node.get("x-def") == "page" else "")
        items = self.resolve(node.get("items", {})) if kind == "array" else {}
        if kind == "object":
            self.note(indent, node.get("description", ""), live)
            self.object_field(indent, name, node, pointer, fact_type, f"{path}.")
            return
        if "x-fact" in items:
            self.fact_list(indent, name, node, items, f"{pointer}/*", required, pointer in self.sections)
            return
        self.note(indent, question(node.get("description", ""), kind), live)
        self.note(indent, self.about(node, items, fact_type, path, required), live)
        self.field_line(indent, name, node, live_value, live)

    def field_line(self, indent: int, name: str, node: dict[str, Any], live_value: Any, live: bool = True) -> None:
        if live_value is None:
            self.data(indent, f"{name}:", False)
        else:
            self.data(indent, f"{name}: {_scalar(live_value)}", live)

    def fact_list(self, indent: int, name: str, node: dict[str, Any], items: dict[str, Any], pointer: str,
                  required: bool, section: bool) -> None:
        """A list of facts: what it holds, then one entry with every field. A section that is a list says
        there are none by an empty list (`[]`); left out, it is not described."""
        described = node.get("description") or items.get("description", "")
        self.note(indent, described, False)
        self.note(indent, "A list: write [] if the filing says there are none." if section else
                  f"A list{'; required' if required else ''}. Left out: {LEFT_OUT[absence(node)]}.", False)
        self.data(indent, f"{name}:", False)
        if node.get("description") and items.get("description"):
            self.note(indent + 2, "Each entry: " + items["description"], False)
        self.data(indent + 2, "-", False)
        needed = set(items.get("required", ()))
        for key, raw in items["properties"].items():
            self.field(indent + 4, key, self.resolve(raw), items["x-fact"], key, key in needed, False,
                       pointer=f"{pointer}/{key}")

    def about(self, node: dict[str, Any], items: dict[str, Any], fact_type: str | None, path: str,
              required: bool) -> str:
        """The field's kind and values, whether required, what leaving it out means, and its readers."""
        kind = node.get("type") or node.get("x-def", "")
        shown = {"date": "date (YYYY-MM-DD)", "page": "page (54, or \"F-12\")"}
        kind_name = shown.get(node.get("format", "") if kind == "string" else node.get("x-def", "")) \
            or shown.get(node.get("x-def", "")) or kind_label("integer" if "const" in node else kind)
        said = [kind_name[0].upper() + kind_name[1:]]
        if "enum" in node:
            said[0] += ", one of: " + ", ".join(_scalar(v) for v in node["enum"])
        elif "enum" in items:
            said[0] += " of: " + ", ".join(_scalar(v) for v in items["enum"])
        if required:
            said.append("Required")
        else:
            said.append(f"Left out: {LEFT_OUT[absence(node)]}")
        readers = self.ordered(self.readers.get((fact_type or "", path), ()))
        applying = [rule_id for rule_id in readers if rule_id not in self.excluded]
        if applying:
            said.append("Read by " + ", ".join(applying))
        elif readers:
            said.append("Read only by rules that cannot apply to this profile (" + ", ".join(readers) + ")")
        else:
            said.append("Read by no rule" + (f" ({node['x-informational']})" if node.get("x-informational") else ""))
        return ". ".join(said) + "."


@cache
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """A note's lines (cached: the schema's descriptions recur in every questionnaire a process writes)."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or ("",)


def _in_container(section: Section, name: str) -> bool:
    """Whether a section is the top-level part `name` or lies in it."""
    return section.pointer == f"/{name}" or section.pointer.startswith(f"/{name}/")


def _designation_caption(form_item: str) -> str:
    """`Item 6.E. Share Ownership`, `Item 8.A.7` (a paragraph of 8.A), `Item 16H. Mine Safety Disclosure`."""
    part = part_caption(form_item)
    if form_item == top_item(form_item):
        return caption(form_item)
    return f"Item {form_item}. {part}" if part else f"Item {form_item}"


def _scalar(value: Any) -> str:
    """A value as YAML reads it back as the same value: text quoted where a plain scalar would not be text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if (re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _./-]*[A-Za-z0-9]", text) and text.lower() not in _YAML_WORDS
            and not re.fullmatch(r"[\d._:eE+-]+", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def _render(line: _Line) -> str:
    """One line: a note as `# text` at its indentation, YAML as it is; either commented out by `# ` in the
    first column unless live. A live note without text is a blank line."""
    if line.live and line.note and not line.text:
        return "\n"
    body = ("# " + line.text if line.text else "#") if line.note else line.text
    return ("" if line.live else "# ") + " " * line.indent + body + "\n"

