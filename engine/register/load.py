"""The requirements register: every paragraph a staff comment on a Form 20-F can rest on, with the rules that
enforce it or why none can.

The data is YAML beside this module (one file per source or group of Form items, `schemas/register.schema.json`).
A rule names the paragraphs it enforces in its `requirements:`; an entry no rule names says why in `no_rule:`.
`python -m precomment.commands.docs` writes docs/requirements.md from both; tests/test_register.py holds the
rules and the register to each other.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..validation.formitems import item_key, top_item

NO_RULE_REASONS: Mapping[str, str] = {
    "judgement": "only the preparer can tell (materiality, ordinary course of business, ...)",
    "not-decidable": "nothing a description of the filing holds can show whether it is met",
    "not-in-annual-report": "a registration-statement paragraph an annual report need not give",
    "definition": "it defines a term that other paragraphs use",
    "superseded": "no longer in force",
    "not-yet": "decidable from a description; its rule is still to be written",
}
"""Why a register paragraph may have no rule (the schema's `no_rule.reason`)."""


@dataclass(frozen=True)
class Requirement:
    id: str
    source: str  # the document: `Form 20-F`, `ASC 606` ...
    form_item: str
    title: str
    requires: str
    file: str  # the register file it is in, for messages
    url: str | None = None
    applies: str | None = None
    effective_from: datetime.date | None = None
    effective_until: datetime.date | None = None
    effective_source: str | None = None
    verify: str | None = None
    no_rule: str | None = None  # a NO_RULE_REASONS key
    no_rule_why: str | None = None

    @property
    def item(self) -> str:
        """The Form item (`5`, `16K`, `18`) a comment on it would be made under."""
        return top_item(self.form_item)


@dataclass(frozen=True)
class Register:
    requirements: tuple[Requirement, ...]

    @property
    def by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}

    def ruled_by(self, rules: Iterable[Any]) -> dict[str, tuple[str, ...]]:
        """For each register id, the ids of the rules (objects with `id` and `requirements`) that name it, in
        order; ids no rule names map to ()."""
        named: dict[str, list[str]] = {r.id: [] for r in self.requirements}
        for rule in rules:
            for requirement in rule.requirements:
                named.setdefault(requirement, []).append(rule.id)
        return {key: tuple(sorted(ids)) for key, ids in named.items()}

    def in_form_order(self) -> list[Requirement]:
        """Entries by Form item (Item 3 to 19, 16A-16K in place), then by source and id as filed."""
        position = {r.id: i for i, r in enumerate(self.requirements)}
        return sorted(self.requirements, key=lambda r: (item_key(r.item)[:2], position[r.id]))


def register_dir() -> Path:
    return Path(str(files("precomment.register")))


def register_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or register_dir()).glob("*.yaml"))


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def parse_file(path: Path, data: Mapping[str, Any]) -> list[Requirement]:
    """The entries of one register file, already valid against the register schema."""
    out = []
    for entry in data["requirements"]:
        effective = entry.get("effective") or {}
        no_rule = entry.get("no_rule") or {}
        out.append(Requirement(
            id=entry["id"], source=data["source"], form_item=entry["form_item"], title=entry["title"],
            requires=" ".join(entry["requires"].split()), file=path.name, url=data.get("url"),
            applies=entry.get("applies"), effective_from=_date(effective.get("from")),
            effective_until=_date(effective.get("until")), effective_source=effective.get("source"),
            verify=" ".join(entry["verify"].split()) if entry.get("verify") else None,
            no_rule=no_rule.get("reason"), no_rule_why=" ".join(no_rule["why"].split()) if no_rule else None))
    return out


@cache
def load_register(directory: Path | None = None) -> Register:
    """The bundled register (or the one in `directory`). The files are project data, validated by
    tests/test_register.py; this reads them as they are."""
    requirements: list[Requirement] = []
    for path in register_files(directory):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        requirements += parse_file(path, data)
    return Register(tuple(requirements))
