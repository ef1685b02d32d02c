"""Rule records: what a loaded, checked rule is. Every later stage reads these, never the YAML."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .conditions import Pattern
from .derive import Derivation, Deriver

@dataclass(frozen=True)
class Authority:
    cite: str
    quote: str | None = None
    url: str | None = None
    current: str | None = None
    verify: str | None = None


@dataclass(frozen=True)
class Precedent:
    letter: str
    comment: int


@dataclass(frozen=True)
class Example:
    name: str
    kind: str  # fail | pass
    filing: Mapping[str, Any]
    findings: tuple[str, ...]
    line: int
    pointer: str  # of the example's filing within the rule file


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    form_item: str
    severity: str
    description: str
    authorities: tuple[Authority, ...]
    precedents: tuple[Precedent, ...]
    params: Mapping[str, Any]
    patterns: tuple[Pattern, ...]
    subject: str
    anchor: str | None
    comment: str
    remedy: str
    comment_parts: tuple[Any, ...] = field(compare=False)
    remedy_parts: tuple[Any, ...] = field(compare=False)
    examples: tuple[Example, ...] = field(compare=False)
    derivations: tuple[Derivation, ...] = field(compare=False)
    source: str = ""
    line: int = 0
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column of a part of the rule file (or of its nearest enclosing part)."""
        while pointer not in self.positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.positions.get(pointer, (self.line, 1))


@dataclass
class RuleSet:
    rules: tuple[Rule, ...]
    derivations: tuple[Derivation, ...]

    def deriver(self) -> Deriver:
        return Deriver(list(self.derivations))
