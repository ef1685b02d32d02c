"""The reference evaluator: the same rules, evaluated by nested loops in plain Python.

It is deliberately simple, so that it is obviously right; tests require durable-rules to produce exactly
the matches it produces, on every rule example and bundled filing, in any fact order.

As in durable-rules (verified), one fact is never bound to two patterns of a rule, and an `absent`
pattern ignores the facts bound by the patterns above it ("no OTHER such fact").
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..language.conditions import AbsentPattern, Pattern, holds
from ..language.rulebook import Rule, RuleSet
from .match import Match

Facts = Mapping[str, list[dict[str, Any]]]


class OracleEvaluator:
    """The Evaluator protocol (match.py) on the oracle: what the pipeline runs when asked for it."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._rules = {rule.id: rule for rule in ruleset.rules}

    def evaluate(self, facts: list[dict[str, Any]], only: str | None = None) -> list[Match]:
        """Every rule's matches; with `only` (a rule id), that rule's, evaluated alone."""
        rules = (self._rules[only],) if only is not None else self.ruleset.rules
        return evaluate_rules(rules, facts)


def evaluate(ruleset: RuleSet, facts: list[dict[str, Any]]) -> list[Match]:
    return evaluate_rules(ruleset.rules, facts)


def evaluate_rules(rules: Iterable[Rule], facts: list[dict[str, Any]]) -> list[Match]:
    """The matches of these rules only (one rule alone, when its examples are checked)."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        by_type[fact["_type"]].append(fact)
    found: set[Match] = set()
    for rule in rules:
        for bindings in _matches(rule.patterns, 0, {}, by_type):
            found.add(Match(rule.id, tuple(sorted((alias, fact["id"]) for alias, fact in bindings.items()))))
    return sorted(found)


def _matches(patterns: tuple[Pattern, ...], index: int, bindings: dict[str, dict[str, Any]],
             by_type: Facts) -> Iterator[dict[str, dict[str, Any]]]:
    if index == len(patterns):
        yield bindings
        return
    pattern = patterns[index]
    bound = {fact["id"] for fact in bindings.values()}
    candidates = [fact for fact in by_type.get(pattern.fact_type, []) if fact["id"] not in bound]
    if isinstance(pattern, AbsentPattern):
        if not any(holds(pattern.where, fact, bindings) for fact in candidates):
            yield from _matches(patterns, index + 1, bindings, by_type)
        return
    for fact in candidates:
        if holds(pattern.where, fact, bindings):
            yield from _matches(patterns, index + 1, {**bindings, pattern.alias: fact}, by_type)
