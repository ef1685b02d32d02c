"""Compiling for durable-rules: turn checked rules into durable-rules ruleset definitions, within the engine's limits.

Each rule becomes `{"all": [...]}`: its patterns, and a trigger fact asserted after all other facts of a
document. The trigger is the second pattern (the first, when the rule's first pattern is absent), so
every rule, and every absence (`$not`) after it, is decided only once all facts are in; the first
pattern is, where the rule leaves a choice, one that joins nothing and can have many facts (see
_join_order for why the order matters to durable-rules' cost). Rules are split across rulesets, each
evaluated in its own session with only the facts of its own types: first into groups that share no fact
type a filing can have many of, then, within a group, wherever one fact could otherwise pass more than
64 alpha nodes (durable-rules error 303 at assert time). Limits that would fail or hang at registration
are refused here.
"""
from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from ...errors import Problem, RuleError
from ...language import regex
from ...language.conditions import (
    AbsentPattern,
    AllOf,
    AnyOf,
    Condition,
    PositivePattern,
    Ref,
    Test,
    walk_tests,
)
from ...language.operators import OperatorName
from ...language.rulebook import Rule, RuleSet
from ...validation.fact_model import KEY_SEPARATOR, fact_model

TRIGGER_TYPE = "$trigger"
_SINGLE = "$single"  # stands for every type of which a filing has at most one fact, when grouping rules
_TRIGGER_PATTERN = {"p0": {"$and": [{"_type": TRIGGER_TYPE}]}}
"""Every rule's trigger pattern: right after the first pattern when that one is positive, else first
(see _join_order). As `$and`, so that durable-rules, joining the first pattern's facts to it, has an
expression to evaluate. Shared by every definition: definitions() copies them before registration."""
SENTINEL_RULE = "$sentinel"
MAX_PATTERNS = 16  # per rule, the trigger included
MAX_SIBLINGS = 256  # conditions under one $and/$or; 513 hangs registration
MAX_NEX = 128  # $nex under one parent; more fails registration (error 107)
MAX_EXPRESSIONS = 31  # per pattern: 2 per $and/$or group, 1 per join; 32 fails registration (error 113)
ALPHA_STACK = 64  # durable-rules' alpha-node stack per asserted fact (error 303 beyond it)
ALPHA_BUDGET = ALPHA_STACK - 8  # what the rules of one ruleset may spend per fact type, with a margin
TEXT_PREFIX = f"_text{KEY_SEPARATOR}"
"""Where durable-rules finds the text a `matches` test reads (see text_key)."""


def text_key(key: str) -> str:
    """The key of the fact's text as durable-rules matches it: regex.durable_text of the value at `key`, in
    which JSON escapes nothing, so that durable-rules matches the pattern against the value's own characters
    and not against its JSON text (`\\n` for a newline). Other tests read `key` itself: equality must
    see the value, and durable_text gives every noncharacter as one."""
    return TEXT_PREFIX + key


@dataclass(frozen=True)
class CompiledRule:
    rule_id: str
    definition: dict[str, Any]  # JSON-safe, without the action
    aliases: dict[str, str]  # internal pattern name -> the rule's alias
    weights: dict[str, int]  # fact type -> alpha nodes its patterns may add
    needs: frozenset[str]  # fact types of its positive patterns: it cannot match without a fact of each
    texts: frozenset[tuple[str, str]]  # (fact type, key) of each field a `matches` test reads


@dataclass(frozen=True)
class CompiledPartition:
    rules: tuple[CompiledRule, ...]
    fact_types: frozenset[str]

    def can_fire(self, present: AbstractSet[str]) -> bool:
        """Whether any of its rules could match a document with facts of the types `present`: a rule
        matches only with a fact bound to each positive pattern, so with none of some type it cannot,
        and a session without a possible match is not worth its cost."""
        return any(rule.needs <= present for rule in self.rules)

    def only_firing(self, present: AbstractSet[str]) -> CompiledPartition:
        """The partition without the rules that cannot match a document with facts of the types `present`
        (itself when every rule can): what a process checking that one document registers
        (evaluator.one_document_process). It keeps every fact type: a fact no rule left reads is dropped by
        durable-rules as it is asserted, as any fact that binds no pattern is."""
        kept = tuple(rule for rule in self.rules if rule.needs <= present)
        if len(kept) == len(self.rules):
            return self
        trimmed = CompiledPartition(kept, self.fact_types)
        # Its key: this partition's and the rules kept (cheap, where computing it afresh would cost a sorted
        # JSON dump of the definitions); set where the cached property keeps its value.
        trimmed.__dict__["registry_key"] = f"{self.registry_key}\n{json.dumps([rule.rule_id for rule in kept])}"
        return trimmed

    @functools.cached_property
    def definitions_text(self) -> str:
        """The rules' definitions as JSON (they are JSON-safe): read back, a fresh copy at C speed, where copying
        them in Python took half as long as durable-rules' own registration. Kept with the partition in the rule
        cache (`precompile`)."""
        return json.dumps({rule.rule_id: rule.definition for rule in self.rules})

    def definitions(self) -> dict[str, dict[str, Any]]:
        """Fresh definition dicts: durable-rules consumes what it registers."""
        defs: dict[str, dict[str, Any]] = json.loads(self.definitions_text)
        # Fires once per document, on the trigger alone. durable-rules 2.0.28 leaves a session's action
        # context uninitialised until an action runs, and delete_state frees it: a document with no
        # findings crashed the process (verified with valgrind). The sentinel's action initialises it,
        # and its firing proves the document was evaluated.
        defs[SENTINEL_RULE] = {"all": [{"s0": {"_type": TRIGGER_TYPE}}]}
        return defs

    @functools.cached_property
    def registry_key(self) -> str:
        """What the partition is, as text: two partitions with one key register one ruleset (evaluator.py).
        Computed once, and kept with the partition in the rule cache (`precompile`)."""
        return json.dumps([self.definitions(), [[rule.rule_id, rule.aliases] for rule in self.rules]], sort_keys=True)


@dataclass(frozen=True)
class Precompiled:
    """A rule set's partitions, compiled once and kept with it in the rule cache, for the rules of `ids`."""

    ids: tuple[str, ...]
    partitions: tuple[CompiledPartition, ...]


def compile_rules(ruleset: RuleSet) -> tuple[CompiledPartition, ...]:
    """The rule set's durable-rules partitions: as the rule cache kept them (`precompile`) while the rules are
    the same ones (a configuration may disable some: then compiled afresh), else compiled now."""
    kept = ruleset.compiled
    if isinstance(kept, Precompiled) and kept.ids == tuple(rule.id for rule in ruleset.rules):
        return kept.partitions
    return _partition([compile_rule(rule) for rule in ruleset.rules])


def precompile(ruleset: RuleSet) -> None:
    """Compile the rule set and keep the partitions with it, for the rule cache to store (BENCHMARKS.md,
    'Start-up')."""
    partitions = compile_rules(ruleset)
    for partition in partitions:
        partition.registry_key  # noqa: B018  (computed now, so that it is pickled with the partition)
    ruleset.compiled = Precompiled(tuple(rule.id for rule in ruleset.rules), partitions)


def compile_rule(rule: Rule) -> CompiledRule:
    if len(rule.patterns) + 1 > MAX_PATTERNS:
        raise _limit(rule, "/when", f"{len(rule.patterns)} patterns; durable-rules allows {MAX_PATTERNS - 1} per rule")
    compiled: dict[int, dict[str, Any]] = {}
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
        if isinstance(pattern, AbsentPattern):
            compiled[index] = {f"{name}$not": condition}
        else:
            compiled[index] = {name: condition}
            aliases[name] = pattern.alias
            names[pattern.alias] = name
    patterns = [compiled[index] for index in _join_order(rule)]
    patterns.insert(1 if rule.patterns and isinstance(rule.patterns[0], PositivePattern) else 0, _TRIGGER_PATTERN)
    needs = frozenset(pattern.fact_type for pattern in rule.patterns if isinstance(pattern, PositivePattern))
    texts = frozenset((pattern.fact_type, test.key) for pattern in rule.patterns
                      for test in walk_tests(pattern.where) if test.op == "matches")
    return CompiledRule(rule.id, {"all": patterns}, aliases, weights, needs, texts)


def _join_order(rule: Rule) -> list[int]:
    """The order (1-based) in which durable-rules is given the rule's patterns: the rule's own, except
    that the first place goes, where there is a choice, to a pattern that joins nothing and is on a type
    a filing can have many facts of.

    durable-rules checks each fact reaching a pattern other than a rule's first against every fact
    already there with the same hash of its equality joins (events.c, handleBetaMessage, before
    createRightFrame), so a pattern with no equality join to an earlier one, whose facts all hash alike,
    costs n*n/2 steps for n facts: that check took most of the time of the largest sessions when the
    trigger was every rule's first pattern (BENCHMARKS.md, 'Join order'). Facts reaching the first
    pattern skip the check, and a type with at most one fact per filing makes a chain of one. Hence the
    trigger second, and first a pattern without joins: among the positive patterns before the first
    absent one (all of them sit above every absence already, so moving one changes no absence's "other
    facts"), the first whose type can have many facts, else the rule's first. A rule whose first
    pattern is absent keeps its order, trigger first. A fact passing two `any_of` branches of the first
    pattern reaches the rule twice without that check, and the rule fires twice: evaluator.py drops the
    duplicate match.
    """
    count = len(rule.patterns)
    if not count:
        return []
    leading = list(itertools.takewhile(lambda i: isinstance(rule.patterns[i - 1], PositivePattern),
                                       range(1, count + 1)))
    free = [i for i in leading if not any(isinstance(t.value, Ref) for t in walk_tests(rule.patterns[i - 1].where))]
    first = next((i for i in free if _many(rule.patterns[i - 1].fact_type)), free[0] if free else 1)
    return [first] + [i for i in range(1, count + 1) if i != first]


@functools.cache
def _many(fact_type: str) -> bool:
    """Whether a filing can have more than one fact of the type: the bundled filing schema puts it in an
    array somewhere. A type it does not know counts as many; the answer only ever affects speed."""
    known = fact_model().types.get(fact_type)
    return known is None or any("*" in pointer for pointer in known.pointers)


def _condition(condition: Condition, names: dict[str, str]) -> dict[str, Any]:
    if isinstance(condition, AllOf):
        if not condition.items:
            return {"$ex": {"_type": 1}}
        return {"$and": [_condition(c, names) for c in condition.items]}
    if isinstance(condition, AnyOf):
        return {"$or": [_condition(c, names) for c in condition.items]}
    return _test(condition, names)


def _test(test: Test, names: dict[str, str]) -> dict[str, Any]:
    value = test.value
    if isinstance(value, Ref):
        value = {names[value.alias]: value.key}
    return DURABLE_FORMS[test.op].form(test.key, value)


@dataclass(frozen=True)
class DurableForm:
    """How durable-rules is given a test of one operator (language/operators.py), and what it costs there.

    `form(key, value)` is the durable-rules condition, a join's value already written `{pN: key}`;
    `width(value)` the terms it adds to its pattern's disjunctive normal form, each an alpha node a fact
    may pass (`_weight`). A missing field passes no durable-rules comparison, `$neq` included, so an
    operator that holds on a missing field says so with `$nex`."""

    form: Callable[[str, Any], dict[str, Any]]
    width: Callable[[Any], int]


def _one(value: Any) -> int:
    return 1


def _comparison(operator: str) -> DurableForm:
    return DurableForm(lambda key, value: {operator: {key: value}}, _one)


DURABLE_FORMS: dict[OperatorName, DurableForm] = {
    "exists": DurableForm(lambda key, value: {"$ex": {key: 1}}, _one),
    "missing": DurableForm(lambda key, value: {"$nex": {key: 1}}, _one),
    "equals": DurableForm(lambda key, value: {key: value}, _one),
    "not_equals": DurableForm(lambda key, value: {"$or": [{"$nex": {key: 1}}, {"$neq": {key: value}}]},
                              lambda value: 2),
    "lt": _comparison("$lt"),
    "lte": _comparison("$lte"),
    "gt": _comparison("$gt"),
    "gte": _comparison("$gte"),
    "in": DurableForm(lambda key, value: {"$or": [{key: v} for v in value]}, len),
    "not_in": DurableForm(lambda key, value: {"$or": [{"$nex": {key: 1}},
                                                      {"$and": [{"$neq": {key: v}} for v in value]}]},
                          lambda value: len(value) + 1),
    "matches": DurableForm(lambda key, value: {"$mt": {text_key(key): regex.durable_pattern(value)}}, _one),
}
"""Each operator of the rule language (language/operators.OPERATORS, the same names) as durable-rules
takes it; tests/test_operators.py fails when the two tables name different operators."""


def _weight(condition: Condition) -> int:
    """Alpha nodes a condition may add, counting every disjunct of its DNF separately (an upper bound)."""
    return _dnf_size(condition)[1] + 1


def _dnf_size(condition: Condition) -> tuple[int, int]:
    """(terms, tests) of the condition's disjunctive normal form, counted without expanding it."""
    if isinstance(condition, Test):
        width = DURABLE_FORMS[condition.op].width(condition.value)
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
    """Rulesets for the rules, in a fixed order: the groups of rules that share a fact type a filing can
    have many facts of, each packed.

    Each ruleset's session receives only the facts of its own types, and durable-rules' cost per fact
    grows with the facts a session stores: its message index has 512 buckets (state.c, storeMessage),
    and a session storing more than a few thousand facts outgrows the memory glibc's malloc reuses, so the
    kernel maps it afresh for every document (BENCHMARKS.md, 'Rulesets by fact type'). So rules sharing no
    such type, directly or through other rules, never share a ruleset; a type with at most one fact per filing
    (filer, the sections) links nothing, since sending its fact to several sessions costs one fact each, and
    the rules that read only such types make one group. Grouping by every shared type put the many rules
    linked through `filer` in one large session; by these types the largest sessions are the two that need
    every exhibit (figures in BENCHMARKS.md, 'Rulesets by fact type').
    """
    return tuple(partition for group in _connected(compiled) for partition in _pack(group))


def _connected(compiled: list[CompiledRule]) -> list[list[CompiledRule]]:
    """The rules grouped by shared linking types (union-find over the _linking types of each rule's
    patterns, absent ones included); each group keeps the rules' order, and groups come in the order of
    their first rule."""
    parent: dict[str, str] = {}

    def root(fact_type: str) -> str:
        while parent.setdefault(fact_type, fact_type) != fact_type:
            parent[fact_type] = parent[parent[fact_type]]
            fact_type = parent[fact_type]
        return fact_type

    for rule in compiled:
        first, *others = _linking(rule)
        for fact_type in others:
            parent[root(fact_type)] = root(first)
    groups: dict[str, list[CompiledRule]] = {}
    for rule in compiled:
        groups.setdefault(root(_linking(rule)[0]), []).append(rule)
    return list(groups.values())


def _linking(rule: CompiledRule) -> list[str]:
    """The types by which a rule joins a group: those it reads that a filing can have many facts of. The
    rules that read none share one group."""
    return [fact_type for fact_type in _types(rule) if _many(fact_type)] or [_SINGLE]


def _types(rule: CompiledRule) -> list[str]:
    """The fact types a rule's patterns read; the trigger's for a rule without patterns (the rule schema
    requires one, but the trigger is what such a rule would match on)."""
    return list(rule.weights) or [TRIGGER_TYPE]


def _pack(group: list[CompiledRule]) -> list[CompiledPartition]:
    """First-fit: each fact type's alpha nodes within one ruleset stay under the budget.

    A ruleset's loads only grow, so one without room for a weight on a type never has it again: the
    search for a rule's ruleset starts past those known to lack room for one of its weights, and each
    ruleset is passed over once per (type, weight), not once per rule (with copies of a rule, first fit
    looked at rules x rulesets / 2 rulesets). The rulesets are those of plain first fit."""
    bins: list[tuple[list[CompiledRule], dict[str, int]]] = []
    without_room: dict[tuple[str, int], int] = {}  # (type, weight) -> rulesets before this have no room
    for rule in group:
        index = max((_room_from(bins, without_room, t, w) for t, w in rule.weights.items()), default=0)
        while index < len(bins) and not _fits(bins[index][1], rule.weights):
            index += 1
        if index == len(bins):
            bins.append(([], {}))
        members, load = bins[index]
        members.append(rule)
        for fact_type, weight in rule.weights.items():
            load[fact_type] = load.get(fact_type, 0) + weight
    return [CompiledPartition(tuple(members), frozenset(load) | {TRIGGER_TYPE}) for members, load in bins]


def _room_from(bins: list[tuple[list[CompiledRule], dict[str, int]]], without_room: dict[tuple[str, int], int],
               fact_type: str, weight: int) -> int:
    """The first ruleset with room for `weight` alpha nodes on `fact_type` (len(bins) if none), found from
    where the last search for the same ended."""
    index = without_room.get((fact_type, weight), 0)
    while index < len(bins) and bins[index][1].get(fact_type, 0) + weight > ALPHA_BUDGET:
        index += 1
    without_room[(fact_type, weight)] = index
    return index


def _fits(load: dict[str, int], weights: dict[str, int]) -> bool:
    return all(load.get(t, 0) + w <= ALPHA_BUDGET for t, w in weights.items())


def _limit(rule: Rule, pointer: str, message: str) -> RuleError:
    line, column = rule.locate(pointer)
    return RuleError([Problem(rule.source, line, column, pointer, "engine-limit", message,
                              "split the rule, or move arithmetic into a derived value")])

