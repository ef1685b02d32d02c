"""Derived values across rule files: each parsed once what it reads is parsed, conflicts and the values
that cannot be computed found, before any rule is parsed (a rule may read a value another rule declares).
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..sources.document import Document
from ..validation.fact_model import FactModel
from .derive import Derivation
from .parser import RuleParser

Definitions = dict[tuple[str, str], tuple[Derivation, Document, str]]
"""Each derived value by (fact type, name): its first definition, the rule file and the pointer there."""


class Known(Mapping[tuple[str, str], Derivation]):
    """The derivations parsed so far, by (fact type, name), shared by every rule's parser. It notes each
    one a parser looked up before it was there: a derivation that could not be parsed yet is tried
    again only once one of those has been."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str], Derivation] = {}
        self.missed: set[tuple[str, str]] = set()

    def __getitem__(self, key: tuple[str, str]) -> Derivation:
        try:
            return self._parsed[key]
        except KeyError:
            self.missed.add(key)
            raise

    def __contains__(self, key: object) -> bool:
        return key in self._parsed  # a question asked by resolve_derivations, not a parser's look-up

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._parsed)

    def __len__(self) -> int:
        return len(self._parsed)

    def add(self, derivation: Derivation) -> None:
        self._parsed[(derivation.on, derivation.name)] = derivation


@dataclass(frozen=True)
class Resolution:
    """What the rule files' derived values come to.

    `known`: every derivation parsed, by (fact type, name), as parsers look them up; `definitions`: the
    first definition of each, where it is; `problems`: definitions of one value that differ; `stuck`: the
    values no definition of which could be parsed; `failed`: for each document (by position), the names
    of its own derivations that could not be parsed, which its parser explains (RuleParser.parse_rule)."""

    known: Known
    definitions: Definitions
    problems: list[Problem]
    stuck: frozenset[tuple[str, str]]
    failed: dict[int, list[str]]

    def parser(self, index: int, doc: Document, model: FactModel) -> RuleParser:
        """The parser of the document at `index` for its rule, which sees every derivation parsed."""
        return RuleParser(doc, model, self.known, self.stuck, self.failed.get(index, ()))


def resolve_derivations(documents: Sequence[Document], model: FactModel) -> Resolution:
    """Every rule's derivations, parsed once what they read is parsed; a conflict or what cannot be parsed
    (a derivation reading itself, or one that fails) is reported.

    The outcome is that of passes over the derivations in file order, each retrying those not yet
    parsed until a pass parses none (which definition of a name comes first, and so which one a
    conflict names, depends on it). Only the tries that can succeed are made: a derivation that failed
    for want of others is tried again once one of those is parsed, at the place in the passes where
    it would then have succeeded, in pass order (a heap of (pass, position)). Every pass retrying all
    made a chain of n derivations, each met before the one it reads, cost n²/2 tries. The problems of a
    failed try are dropped: the try that counts is the last."""
    known = Known()
    parsers = [RuleParser(doc, model, known) for doc in documents]
    pending = [(index, name) for index, parser in enumerate(parsers) for name in parser.data.get("derive", {})]
    derived: Definitions = {}
    problems: list[Problem] = []
    queue = [(0, position) for position in range(len(pending))]  # sorted, so already a heap
    scheduled = dict.fromkeys(range(len(pending)), 0)  # position -> the pass of its next try
    waiting: dict[tuple[str, str], list[int]] = {}
    parsed_at: set[int] = set()
    while queue:
        round_, position = heapq.heappop(queue)
        if scheduled.get(position) != round_:
            continue  # woken twice: tried at the earlier time already
        del scheduled[position]
        index, name = pending[position]
        parser = parsers[index]
        known.missed = set()
        parsed, _ = parser.parse_derivation(name)
        if parsed is None:
            for key in known.missed:
                waiting.setdefault(key, []).append(position)
            continue
        parsed_at.add(position)
        derivation, pointer = parsed
        key = (derivation.on, derivation.name)
        first = derived.get(key)
        if first and first[0] != derivation:
            problems.append(parser.doc.problem(pointer, "derive-conflict",
                            f"derived.{derivation.name} on {derivation.on} is already defined differently "
                            f"in {first[1].source}", "give it another name, or make the definitions identical"))
        derived.setdefault(key, (derivation, parser.doc, pointer))
        if key not in known:
            known.add(derivation)
            for later in waiting.pop(key, ()):  # further on in this pass, or in the next one
                when = round_ if later > position else round_ + 1
                if when < scheduled.get(later, when + 1):
                    scheduled[later] = when
                    heapq.heappush(queue, (when, later))
    failed: dict[int, list[str]] = {}
    for position in range(len(pending)):
        if position not in parsed_at:
            index, name = pending[position]
            failed.setdefault(index, []).append(name)
    stuck = frozenset((documents[index].data["derive"][name]["on"], name)
                      for index, names in failed.items() for name in names)
    return Resolution(known, derived, problems, stuck, failed)
