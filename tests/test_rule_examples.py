"""Every rule's embedded examples, one test each: failing examples report exactly their listed subjects,
passing ones nothing, and durable-rules agrees with the oracle on every match, in any fact order."""
from __future__ import annotations

import dataclasses
import random
import re

import pytest
from precomment.checking.examples import example_document, run_example
from precomment.language.rulebook import load_rules

RULES = load_rules().rules
CASES = [(rule, example) for rule in RULES for example in rule.examples]


def case_id(case) -> str:
    rule, example = case
    return f"{rule.id}:{example.kind}:{re.sub(r'[^a-z0-9]+', '-', example.name.lower()).strip('-')}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_example(case, checker):
    """The same check as `precomment rules test`, one test id per example."""
    outcome = run_example(checker, *case)
    assert outcome.passed, outcome.explain()


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_example_engines_agree_in_any_order(case, checker):
    rule, example = case
    facts = checker.facts(example_document(rule, example)).facts
    expected = checker.matches(facts, "oracle")
    assert checker.matches(facts, "durable") == expected
    for seed in range(3):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert checker.matches(shuffled, "durable") == expected
        assert checker.matches(shuffled, "oracle") == expected


def test_every_rule_has_failing_and_passing_examples():
    for rule in RULES:
        kinds = {example.kind for example in rule.examples}
        assert kinds == {"fail", "pass"}, rule.id


def test_rule_files_are_named_after_their_rule():
    for rule in RULES:
        assert rule.source.endswith(f"/{rule.name}.yaml"), rule.source


def test_a_wrong_example_of_a_bundled_rule_fails(checker):
    """The bundled rules' examples are verified here (and by `precomment rules test`), not as a check loads
    them: an example whose stated findings are wrong fails its test, saying what each evaluator found."""
    rule, example = next((rule, example) for rule, example in CASES if example.kind == "fail")
    wrong = dataclasses.replace(example, findings=())
    outcome = run_example(checker, rule, wrong)
    assert not outcome.passed
    assert outcome.explain() == f"expected nothing; both evaluators found [{', '.join(sorted(example.findings))}]"

