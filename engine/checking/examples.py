"""A rule's embedded examples as documents: each failing example must report exactly its listed
subjects, each passing example nothing, on both evaluators.

Examples are run in two places, by one function (`run_example`): `precomment rules test` and the test
suite run every example on both evaluators; loading a user's rule pack runs that pack's examples on the
oracle (`verify_examples`), refusing the pack with each wrong example's file:line. The built-in rules are
not verified as they load: the suite and `rules test` verify them before they ship."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem, RuleError
from ..language.rulebook import Example, Rule, RuleSet
from ..sources.document import Document
from ..validation.fact_model import FILING_SCHEMA
from ..validation.validate import problems_in
from .findings import Finding
from .pipeline import Checker, EvaluatorName

EXAMPLE_FILER = {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"}
"""The filer an example gets when it leaves `filer` out."""

ENGINES: tuple[EvaluatorName, ...] = ("durable", "oracle")
"""The evaluators `rules test` and the suite compare on every example."""


def example_document(rule: Rule, example: Example) -> Document:
    """The example's filing as a document whose positions are lines of the rule file."""
    data = dict(example.filing)
    data.setdefault("filer", dict(EXAMPLE_FILER))
    prefix = example.pointer
    positions = {pointer[len(prefix):]: position for pointer, position in rule.positions.items()
                 if pointer == prefix or pointer.startswith(prefix + "/")}
    return Document(f"{rule.source} ({example.kind} example {example.name!r})", data, positions)


def example_findings(checker: Checker, rule: Rule, example: Example,
                     engine: EvaluatorName = "durable") -> list[Finding]:
    """The findings of `rule` on the example, the rule evaluated alone (other rules' findings, were they
    evaluated, would not be this example's)."""
    return checker.rule_findings(rule, example_document(rule, example), engine)


@dataclass(frozen=True)
class ExampleOutcome:
    """One example run on one or both evaluators: what each reported, and whether that is what the rule says."""

    rule: Rule
    example: Example
    found: tuple[tuple[EvaluatorName, tuple[str, ...]], ...] = ()  # (evaluator, the subjects it reported, sorted)
    invalid: tuple[Problem, ...] = ()  # why the example's filing is not a valid description (then nothing ran)

    @property
    def expected(self) -> tuple[str, ...]:
        return tuple(sorted(self.example.findings))

    @property
    def passed(self) -> bool:
        return not self.invalid and all(subjects == self.expected for _, subjects in self.found)

    def on(self, engine: EvaluatorName) -> tuple[str, ...]:
        """The subjects `engine` reported."""
        return dict(self.found)[engine]

    def explain(self) -> str:
        """Why it failed, in one line."""
        if self.invalid:
            problem = self.invalid[0]
            return f"the example is not a valid filing description: line {problem.line}, at {problem.pointer}: " \
                   f"{problem.message}"
        parts = [f"expected {_subjects(self.expected)}"]
        results = dict(self.found)
        if len(set(results.values())) == 1:
            who = "both evaluators" if len(results) == 2 else _EVALUATOR[next(iter(results))]
            parts.append(f"{who} found {_subjects(next(iter(results.values())))}")
        else:
            parts.append(f"durable-rules found {_subjects(results['durable'])}, the oracle {_subjects(results['oracle'])}")
        return "; ".join(parts)


_EVALUATOR: dict[EvaluatorName, str] = {"durable": "durable-rules", "oracle": "the oracle"}


def run_example(checker: Checker, rule: Rule, example: Example, engines: Sequence[EvaluatorName] = ENGINES) -> ExampleOutcome:
    """Run one example on each of `engines`; an example whose filing is not valid runs on none."""
    invalid = problems_in(example_document(rule, example), FILING_SCHEMA)
    if invalid:
        return ExampleOutcome(rule, example, invalid=tuple(invalid))
    return ExampleOutcome(rule, example, tuple(
        (engine, tuple(sorted(f.subject for f in example_findings(checker, rule, example, engine))))
        for engine in engines))


def verify_examples(ruleset: RuleSet, rules: Sequence[Rule]) -> None:
    """Raise RuleError naming every example of `rules` (of `ruleset`) whose outcome on the oracle differs from
    what it states, at the example in its rule file. The oracle alone: it is pure Python, and cheap; both
    evaluators are compared on every example by `precomment rules test` and the test suite."""
    if not rules:
        return
    checker = Checker(ruleset)  # compiles: an engine limit is reported before any example runs
    problems: list[Problem] = []
    for rule in rules:
        for example in rule.examples:
            outcome = run_example(checker, rule, example, ("oracle",))
            if outcome.invalid:
                problems.append(_example_problem(rule, example, "invalid-example",
                                                 f"is not a valid filing description: {outcome.invalid[0].message}"))
            elif not outcome.passed:
                problems.append(_example_problem(
                    rule, example, "failing-example",
                    f"should report {_subjects(outcome.expected)}, but the rule reports {_subjects(outcome.on('oracle'))}"))
    if problems:
        raise RuleError(problems)


def _example_problem(rule: Rule, example: Example, code: str, message: str) -> Problem:
    """Located at the example itself (its `name`), in the rule file."""
    name, kind, pointer = example.name, example.kind, example.pointer.rsplit("/", 1)[0]
    line, column = rule.positions.get(pointer, (example.line, 1))
    return Problem(rule.source, line, column, pointer, code, f"rule {rule.id}: the {kind} example {name!r} {message}",
                   "fix the rule or the example; `precomment rules test` shows both evaluators' results")


def _subjects(subjects: tuple[str, ...]) -> str:
    return "[" + ", ".join(subjects) + "]" if subjects else "nothing"
