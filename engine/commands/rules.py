"""`precomment rules list | explain | test`: the rules in force, one rule in full, and every rule's embedded
examples run on both evaluators (the rule author's test)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError, did_you_mean
from . import ruletools
from .rulesets import RuleOptions, configuration, configured_rules


def list_rules(options: RuleOptions, as_json: bool) -> int:
    """The rules in force (after the configuration), as a table or as JSON."""
    ruleset = configured_rules(options, configuration(options))
    render = ruletools.render_list_json if as_json else ruletools.render_list
    sys.stdout.write(render(ruleset.rules))
    return EXIT_CLEAN


def explain(rule_id: str, options: RuleOptions) -> int:
    """One rule in force in full; an unknown id is a usage error suggesting the closest one."""
    ruleset = configured_rules(options, configuration(options))
    by_id = {rule.id: rule for rule in ruleset.rules}
    wanted = rule_id.upper()
    if wanted not in by_id:
        raise UsageError(f"no rule has the id {rule_id!r}; " + (did_you_mean(wanted, by_id, quote=False)
                                                                or "`precomment rules list` shows the ids"))
    sys.stdout.write(ruletools.render_explain(by_id[wanted]))
    return EXIT_CLEAN


def run_examples(dirs: list[str]) -> int:
    """Every example of the rules in `dirs` (default: the built-in rules) on both evaluators; exit 1 if one
    fails."""
    from ..checking.examples import run_example
    from ..checking.pipeline import Checker
    from ..language.rulebook import load_rules

    ruleset = load_rules([Path(d) for d in dirs] or None)
    checker = Checker(ruleset)
    outcomes = [run_example(checker, rule, example)
                for rule in ruletools.sorted_rules(ruleset.rules) for example in rule.examples]
    sys.stdout.write(ruletools.render_test(outcomes))
    return EXIT_CLEAN if all(o.passed for o in outcomes) else EXIT_FINDINGS
