"""Stage 4, compile: turn checked rules into durable-rules ruleset definitions, within the engine's limits.

Each rule becomes `{"all": [trigger, pattern, ...]}`. The trigger fact is asserted after all other facts
of a document, so every rule, and every absence (`$not`) in it, is decided only once all facts are in.
Rules are split across rulesets, each evaluated in its own session with only the facts of its own types:
first into groups that share no fact type, then, within a group, wherever one fact could otherwise pass
more than 64 alpha nodes (durable-rules error 303 at assert time). Limits that would fail or hang at
registration are refused here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Any

from .conditions import AllOf, AnyOf, Condition, Ref, Test
from .errors import Problem, RuleError
from .rulebook import Rule, RuleSet

TRIGGER_TYPE = "$trigger"
SINK_RULE = "$sink"
SENTINEL_RULE = "$sentinel"
MAX_PATTERNS = 16  # per rule, the trigger included
MAX_SIBLINGS = 256  # conditions under one $and/$or; 513 hangs registration
MAX_NEX = 128  # $nex under one parent; more fails registration (error 107)
MAX_EXPRESSIONS = 31  # per pattern: 2 per $and/$or group, 1 per join; 32 fails registration (error 113)
ALPHA_STACK = 64  # durable-rules' alpha-node stack per asserted fact (error 303 beyond it)
ALPHA_BUDGET = ALPHA_STACK - 8  # what the rules of one ruleset may spend per fact type, with a margin


@dataclass(frozen=True)
class CompiledRule:
    rule_id: str
    definition: dict[str, Any]  # JSON-safe, without the action
    aliases: dict[str, str]  # internal pattern name -> the rule's alias
    weights: dict[str, int]  # fact type -> alpha nodes its patterns may add
    needs: frozenset[str]  # fact types of its positive patterns: it cannot match without a fact of each


@dataclass(frozen=True)
class CompiledPartition:
    rules: tuple[CompiledRule, ...]
    fact_types: frozenset[str]

    def can_fire(self, present: AbstractSet[str]) -> bool:
        """Whether any of its rules could match a document with facts of the types `present`: a rule
        matches only with a fact bound to each positive pattern, so with none of some type it cannot,
        and a session without a possible match is not worth its cost."""
        return any(rule.needs <= present for rule in self.rules)

    def definitions(self) -> dict[str, dict[str, Any]]:
        """Fresh definition dicts: durable-rules consumes what it registers."""
        defs = {rule.rule_id: _copy(rule.definition) for rule in self.rules}
        # Matches every fact so none is "not handled" (which would abort a batch), and never fires.
        defs[SINK_RULE] = {"all": [{"q0": {"_type": "$never"}}, {"q1": {"$ex": {"_type": 1}}}]}
        # Fires once per document, on the trigger alone. durable-rules 2.0.28 leaves a session's action
        # context uninitialised until an action runs, and delete_state frees it: a document with no
        # findings crashed the process (verified with valgrind). The sentinel's action initialises it,
        # and its firing proves the document was evaluated.
        defs[SENTINEL_RULE] = {"all": [{"s0": {"_type": TRIGGER_TYPE}}]}
        return defs


def compile_rules(ruleset: RuleSet) -> tuple[CompiledPartition, ...]:
    compiled = [compile_rule(rule) for rule in ruleset.rules]
    return _partition(compiled)


def compile_rule(rule: Rule) -> CompiledRule:
    if len(rule.patterns) + 1 > MAX_PATTERNS:
        raise _limit(rule, "/when", f"{len(rule.patterns)} patterns; durable-rules allows {MAX_PATTERNS - 1} per rule")
    patterns: list[dict[str, Any]] = [{"p0": {"_type": TRIGGER_TYPE}}]
    aliases: dict[str, str] = {}
    names: dict[str, str] = {}
    weights: dict[str, int] = {}
    for index, pattern in enumerate(rule.patterns, start=1):
        name = f"p{index}"
        condition = {"$and": [{"_type": pattern.fact_type}] + [_condition(c, names) for c in pattern.where.items]}
        _check_limits(rule, index, condition)
        entries = _expressions(condition, set(names.values()))
        if entries > MAX_EXPRESSIONS:
            raise _limit(rule, f"/when/{index - 1}", f"this pattern needs {entries} durable-rules expressions "
                         f"(2 per any_of, not_equals, in, not_in or group, 1 per join); the limit is {MAX_EXPRESSIONS}")
        weights[pattern.fact_type] = weights.get(pattern.fact_type, 0) + _weight(pattern.where)
        if weights[pattern.fact_type] > ALPHA_BUDGET:
            raise _limit(rule, f"/when/{index - 1}", "the conditions on one fact are too many for durable-rules "
                         f"(more than {ALPHA_BUDGET} alpha nodes)")
        if pattern.absent:
            patterns.append({f"{name}$not": condition})
        else:
            patterns.append({name: condition})
            aliases[name] = pattern.alias
            names[pattern.alias] = name
    needs = frozenset(pattern.fact_type for pattern in rule.patterns if not pattern.absent)
    return CompiledRule(rule.id, {"all": patterns}, aliases, weights, needs)


def _condition(condition: Condition, names: dict[str, str]) -> dict[str, Any]:
    if isinstance(condition, AllOf):
        if not condition.items:
            return {"$ex": {"_type": 1}}
        return {"$and": [_condition(c, names) for c in condition.items]}
    if isinstance(condition, AnyOf):
        return {"$or": [_condition(c, names) for c in condition.items]}
    return _test(condition, names)


def _test(test: Test, names: dict[str, str]) -> dict[str, Any]:
    key, op, value = test.key, test.op, test.value
    if isinstance(value, Ref):
        value = {names[value.alias]: value.key}
    if op == "exists":
        return {"$ex": {key: 1}}
    if op == "missing":
        return {"$nex": {key: 1}}
    if op == "equals":
        return {key: value}
    if op == "not_equals":
        return {"$or": [{"$nex": {key: 1}}, {"$neq": {key: value}}]}
    if op == "in":
        return {"$or": [{key: v} for v in value]}
    if op == "not_in":
        return {"$or": [{"$nex": {key: 1}}, {"$and": [{"$neq": {key: v}} for v in value]}]}
    if op == "matches":
        return {"$mt": {key: value}}
    return {f"${op}": {key: value}}


def _weight(condition: Condition) -> int:
    """Alpha nodes a condition may add, counting every disjunct of its DNF separately (an upper bound)."""
    return _dnf_size(condition)[1] + 1


def _dnf_size(condition: Condition) -> tuple[int, int]:
    """(terms, tests) of the condition's disjunctive normal form, counted without expanding it."""
    if isinstance(condition, Test):
        if condition.op in ("in", "not_in"):
            width = len(condition.value) + (condition.op == "not_in")
        else:
            width = 2 if condition.op == "not_equals" else 1
        return width, width
    sizes = [_dnf_size(item) for item in condition.items]
    if isinstance(condition, AnyOf):
        return sum(t for t, _ in sizes), sum(n for _, n in sizes)
    terms, tests = 1, 0
    for item_terms, item_tests in sizes:  # every term of the product takes one term of each item
        terms, tests = terms * item_terms, tests * item_terms + item_tests * terms
    return terms, tests


def _expressions(node: Any, joined: set[str]) -> int:
    """Entries of the expression sequence durable-rules builds for one pattern (rete.c): an operator
    and an end marker for each $and/$or group, and one expression for each test against a fact bound
    earlier (a join)."""
    if isinstance(node, list):
        return sum(_expressions(item, joined) for item in node)
    if not isinstance(node, dict):
        return 0
    if len(node) == 1 and next(iter(node)) in joined:  # {pN: key}: a reference to an earlier fact
        return 1
    return sum((2 if key in ("$and", "$or") else 0) + _expressions(value, joined) for key, value in node.items())


def _check_limits(rule: Rule, index: int, node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$and", "$or"):
                if len(value) > MAX_SIBLINGS:
                    raise _limit(rule, f"/when/{index - 1}", f"{len(value)} conditions in one group; the limit is {MAX_SIBLINGS}")
                if sum(1 for v in value if "$nex" in v) > MAX_NEX:
                    raise _limit(rule, f"/when/{index - 1}", f"more than {MAX_NEX} `missing` tests in one group")
            _check_limits(rule, index, value)
    elif isinstance(node, list):
        for item in node:
            _check_limits(rule, index, item)


def _partition(compiled: list[CompiledRule]) -> tuple[CompiledPartition, ...]:
    """Rulesets for the rules, in a fixed order: the groups of rules that share fact types, each packed.

    A session's cost per fact grows with the facts in it (durable-rules indexes a session's facts in
    512 hash buckets, state.c), and each ruleset's session receives only the facts of its own types. So
    rules that share no fact type, directly or through other rules, never share a ruleset, and a fact
    goes only to the rulesets of its own type's group (figures in docs/architecture.md).
    """
    return tuple(partition for group in _connected(compiled) for partition in _pack(group))


def _connected(compiled: list[CompiledRule]) -> list[list[CompiledRule]]:
    """The rules grouped by shared fact types (union-find over the types of each rule's patterns, absent
    ones included); each group keeps the rules' order, and groups come in the order of their first rule."""
    parent: dict[str, str] = {}

    def root(fact_type: str) -> str:
        while parent.setdefault(fact_type, fact_type) != fact_type:
            parent[fact_type] = parent[parent[fact_type]]
            fact_type = parent[fact_type]
        return fact_type

    for rule in compiled:
        first, *others = _types(rule)
        for fact_type in others:
            parent[root(fact_type)] = root(first)
    groups: dict[str, list[CompiledRule]] = {}
    for rule in compiled:
        groups.setdefault(root(_types(rule)[0]), []).append(rule)
    return list(groups.values())


def _types(rule: CompiledRule) -> list[str]:
    """The fact types a rule's patterns read; the trigger's for a rule without patterns (the rule schema
    requires one, but the trigger is what such a rule would match on)."""
    return list(rule.weights) or [TRIGGER_TYPE]


def _pack(group: list[CompiledRule]) -> list[CompiledPartition]:
    """First-fit: each fact type's alpha nodes within one ruleset stay under the budget."""
    bins: list[tuple[list[CompiledRule], dict[str, int]]] = []
    for rule in group:
        for members, load in bins:
            if all(load.get(t, 0) + w <= ALPHA_BUDGET for t, w in rule.weights.items()):
                break
        else:
            members, load = [], {}
            bins.append((members, load))
        members.append(rule)
        for fact_type, weight in rule.weights.items():
            load[fact_type] = load.get(fact_type, 0) + weight
    return [CompiledPartition(tuple(members), frozenset(load) | {TRIGGER_TYPE}) for members, load in bins]


def _limit(rule: Rule, pointer: str, message: str) -> RuleError:
    line, column = rule.locate(pointer)
    return RuleError([Problem(rule.source, line, column, pointer, "engine-limit", message,
                              "split the rule, or move arithmetic into a derived value")])


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
