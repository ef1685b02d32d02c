"""A rule's embedded examples as documents: each failing example must report exactly its listed
subjects, each passing example nothing, on both evaluators."""
from __future__ import annotations

from .findings import Finding
from .load import Document
from .pipeline import Checker
from .rulebook import Example, Rule

EXAMPLE_FILER = {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"}
"""The filer an example gets when it leaves `filer` out."""


def example_document(rule: Rule, example: Example) -> Document:
    """The example's filing as a document whose positions are lines of the rule file."""
    data = dict(example.filing)
    data.setdefault("filer", dict(EXAMPLE_FILER))
    prefix = example.pointer
    positions = {pointer[len(prefix):]: position for pointer, position in rule.positions.items()
                 if pointer == prefix or pointer.startswith(prefix + "/")}
    return Document(f"{rule.source} ({example.kind} example {example.name!r})", data, positions)


def example_findings(checker: Checker, rule: Rule, example: Example, engine: str = "durable") -> list[Finding]:
    """The findings of `rule` on the example (other rules may fire too; they are not this example's)."""
    findings = checker.findings(example_document(rule, example), engine)
    return [finding for finding in findings if finding.rule_id == rule.id]
