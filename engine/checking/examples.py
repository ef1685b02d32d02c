"""A rule's embedded examples as documents: each failing example must report exactly its listed
subjects, each passing example nothing, on both evaluators."""
from __future__ import annotations

from dataclasses import dataclass

from ..language.rulebook import Example, Rule
from ..sources.document import Document
from ..validation.fact_model import FILING_SCHEMA
from ..validation.validate import problems_in
from .findings import Finding
from .pipeline import Checker

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
    """The findings of `rule` on the example, the rule evaluated alone (other rules' findings, were they
    evaluated, would not be this example's)."""
    return checker.rule_findings(rule, example_document(rule, example), engine)


@dataclass(frozen=True)
class ExampleOutcome:
    """One example run on both evaluators: what each reported, and whether that is what the rule says."""

    rule: Rule
    example: Example
    durable: tuple[str, ...] = ()
    oracle: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # the example's filing is not a valid description

    @property
    def expected(self) -> tuple[str, ...]:
        return tuple(sorted(self.example.findings))

    @property
    def passed(self) -> bool:
        return not self.problems and self.durable == self.expected and self.oracle == self.expected

    def explain(self) -> str:
        """Why it failed, in one line."""
        if self.problems:
            return "the example is not a valid filing description: " + self.problems[0]
        parts = [f"expected {_subjects(self.expected)}"]
        if self.durable == self.oracle:
            parts.append(f"both evaluators found {_subjects(self.durable)}")
        else:
            parts.append(f"durable-rules found {_subjects(self.durable)}, the oracle {_subjects(self.oracle)}")
        return "; ".join(parts)


def run_example(checker: Checker, rule: Rule, example: Example) -> ExampleOutcome:
    document = example_document(rule, example)
    problems = problems_in(document, FILING_SCHEMA)
    if problems:
        return ExampleOutcome(rule, example, problems=tuple(f"line {p.line}, at {p.pointer}: {p.message}" for p in problems))
    found = {engine: tuple(sorted(f.subject for f in example_findings(checker, rule, example, engine)))
             for engine in ("durable", "oracle")}
    return ExampleOutcome(rule, example, found["durable"], found["oracle"])


def _subjects(subjects: tuple[str, ...]) -> str:
    return "[" + ", ".join(subjects) + "]" if subjects else "nothing"
