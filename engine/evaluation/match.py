"""What an evaluator returns, and what it is: the contract durable-rules and the oracle both meet.

The two evaluators are held to identical matches on every rule example and bundled filing, so they
share one record and one protocol here, apart from either: the oracle never imports the durable-rules
adapter, and what reads matches (findings, the pipeline) depends on neither evaluator's module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class Match:
    """One way a rule matched: the rule, and the id (JSON pointer) of the fact bound to each alias."""

    rule_id: str
    bindings: tuple[tuple[str, str], ...]

    def fact_id(self, alias: str) -> str:
        return dict(self.bindings)[alias]


class Evaluator(Protocol):
    """Evaluates one RuleSet, given when it is made, on one document's facts per call."""

    def evaluate(self, facts: list[dict[str, Any]], only: str | None = None) -> list[Match]:
        """The sorted, distinct matches of every rule; with `only` (a rule id), of that rule alone."""
        ...
