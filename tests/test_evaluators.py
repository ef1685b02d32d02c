"""The two evaluators meet one contract (evaluation/match.py), and the oracle stands apart from the
durable-rules adapter it checks."""
from __future__ import annotations

import subprocess
import sys

from conftest import IIJ, ROOT
from precomment.evaluation.durable_rules.evaluator import DurableEvaluator
from precomment.evaluation.match import Evaluator, Match
from precomment.evaluation.oracle import OracleEvaluator
from precomment.sources.load import load_file


def test_the_oracle_imports_nothing_of_durable_rules():
    # Run in a fresh interpreter: the test session has long imported the adapter. The one module of the
    # adapter's package it may load is the pure-Python model of durable-rules' regex compiler, which the
    # rule language consults when a pattern is written (language/regex.py): it imports no durable-rules.
    code = ("import sys, precomment.evaluation.oracle, precomment.checking.findings; "
            "print(sorted(m for m in sys.modules if 'durable' in m))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "['precomment.evaluation.durable_rules', 'precomment.evaluation.durable_rules.regex_model']\n"


def test_both_evaluators_give_the_same_matches_of_every_rule_and_of_one(checker):
    facts = checker.facts(load_file(ROOT / IIJ)).facts
    durable_rules = DurableEvaluator(checker.ruleset)
    evaluators: list[Evaluator] = [durable_rules, OracleEvaluator(checker.ruleset)]
    everything = [evaluator.evaluate(facts) for evaluator in evaluators]
    assert everything[0] == everything[1] and all(isinstance(m, Match) for m in everything[0])
    # A rule whose durable-rules ruleset holds another rule matching the filing: evaluated alone, the
    # other rule's matches (found in the same session) are not returned.
    ruleset_of = {rule.rule_id: index for index, p in enumerate(durable_rules.partitions) for rule in p.rules}
    matched = sorted({m.rule_id for m in everything[0]})
    rule_id = next(r for r in matched if any(ruleset_of[o] == ruleset_of[r] for o in matched if o != r))
    for evaluator in evaluators:
        assert evaluator.evaluate(facts, only=rule_id) == [m for m in everything[0] if m.rule_id == rule_id]
