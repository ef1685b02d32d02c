"""The reference evaluator: the same rules, evaluated by nested loops in plain Python.

It is deliberately simple, so that it is obviously right; tests require durable-rules to produce exactly
the matches it produces, on every rule example and bundled filing, in any fact order.

As in durable-rules (verified), one fact is never bound to two patterns of a rule, and an `absent`
pattern ignores the facts bound by the patterns above it ("no OTHER such fact").
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator, Mapping

from ..language.conditions import Pattern, holds
from ..language.rulebook import Rule, RuleSet
from .durable_rules.evaluator import Match

Facts = Mapping[str, list[dict[str, Any]]]


def evaluate(ruleset: RuleSet, facts: list[dict[str, Any]]) -> list[Match]:
    return evaluate_rules(ruleset.rules, facts)


def evaluate_rules(rules: Iterable[Rule], facts: list[dict[str, Any]]) -> list[Match]:
    """The matches of these rules only (one rule alone, when its examples are checked)."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        by_type[fact["_type"]].append(fact)
    found = set()
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
    if pattern.absent:
        if not any(holds(pattern.where, fact, bindings) for fact in candidates):
            yield from _matches(patterns, index + 1, bindings, by_type)
        return
    for fact in candidates:
        if holds(pattern.where, fact, bindings):
            yield from _matches(patterns, index + 1, {**bindings, pattern.alias: fact}, by_type)
