"""A child process for tests that must survive durable-rules crashing or hanging: it reads, one per line,
the path of a pickled RuleSet, registers it on durable-rules, evaluates the pickled facts given as its
argument, and answers each line with one JSON line: the matches, as [rule id, fact id] pairs, or the
error. A crash (abort, segfault) or a hang kills only this process; the parent sees which line it was.

    python tests/durable_child.py FACTS.pickle   (then RULESET.pickle paths on standard input)
"""
from __future__ import annotations

import json
import pickle
import sys


def main() -> None:
    from precomment.evaluation.durable_rules.evaluator import DurableEvaluator

    with open(sys.argv[1], "rb") as handle:
        facts = pickle.load(handle)
    for line in sys.stdin:
        with open(line.strip(), "rb") as handle:
            ruleset = pickle.load(handle)
        try:
            found = DurableEvaluator(ruleset).evaluate(facts)
            answer = {"matches": sorted([m.rule_id, m.bindings[0][1]] for m in found)}
        except Exception as error:  # reported to the parent, which decides what it means
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
