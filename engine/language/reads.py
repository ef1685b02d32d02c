"""Which fields of which fact types a rule reads: in its conditions (tests and joins), in the derived values
it computes or uses, and in its comment and remedy.

What a rule reads is what its outcome or its text depends on: a field the filing schema says is
`unanswered` when left out (its `x-absent`) and that a rule reads leaves that rule not assessed for the
subject, and a field no rule reads must say why (`x-informational`; tests/test_absence.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..validation.fact_model import KEY_SEPARATOR, PSEUDO_FIELDS, FactModel
from .conditions import AbsentPattern, Ref, walk_tests
from .derive import Aggregate, Call, Derivation, Expr, FieldRef
from .records import Rule
from .template import Placeholder

FieldRead = tuple[str, str]
"""A fact type and the path of one of its fields (`dependency`, `dependence_analysis.quantified`)."""

_META_KEYS = frozenset(PSEUDO_FIELDS.values())


def fields_read(rule: Rule, derivations: Iterable[Derivation], model: FactModel) -> set[FieldRead]:
    """The schema fields `rule` reads, with those read by `derivations` (the derived values it needs:
    rulebook.DerivationNeeds.of). Derived values themselves, the pointers (`id`, `parent`), `label` and
    `page` placeholders are not schema fields and are left out."""
    reads = set(_condition_reads(rule))
    reads |= {read for part in rule.comment_parts + rule.remedy_parts if isinstance(part, Placeholder)
              for read in _placeholder_read(part, _aliases(rule), model)}
    for derivation in derivations:
        reads |= set(_expr_reads(derivation.expr, derivation.on, model))
    return {(fact_type, path) for fact_type, path in reads if model.types[fact_type].fields.get(path)}


def _aliases(rule: Rule) -> dict[str, str]:
    return {p.alias: p.fact_type for p in rule.patterns if not isinstance(p, AbsentPattern)}


def _condition_reads(rule: Rule) -> Iterator[FieldRead]:
    aliases = _aliases(rule)
    for pattern in rule.patterns:
        for test in walk_tests(pattern.where):
            yield pattern.fact_type, _path(test.key)
            if isinstance(test.value, Ref):
                yield aliases[test.value.alias], _path(test.value.key)


def _placeholder_read(part: Placeholder, aliases: dict[str, str], model: FactModel) -> Iterator[FieldRead]:
    if part.alias == "param":
        return
    fact_type = aliases[part.alias]
    names = list(part.path)
    while names[0] == "parent" and len(names) > 1:
        fact_type = _parent(fact_type, model)
        names.pop(0)
    yield fact_type, ".".join(names)


def _expr_reads(expr: Expr, on: str, model: FactModel) -> Iterator[FieldRead]:
    if isinstance(expr, FieldRef):
        fact_type = on
        for _ in range(expr.ups):
            fact_type = _parent(fact_type, model)
        yield fact_type, _path(expr.key)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _expr_reads(arg, on, model)
    elif isinstance(expr, Aggregate):
        for test in walk_tests(expr.where):
            yield expr.fact_type, _path(test.key)
            if isinstance(test.value, Ref):  # {ref: this.FIELD}: the fact receiving the value
                yield on, _path(test.value.key)
        if expr.key:
            yield expr.fact_type, _path(expr.key)


def _parent(fact_type: str, model: FactModel) -> str:
    """The one fact type enclosing `fact_type` (the parser refuses `parent.` on a type without one)."""
    (parent,) = set(model.types[fact_type].parents)
    assert parent is not None
    return parent


def _path(key: str) -> str:
    return key if key in _META_KEYS else key.replace(KEY_SEPARATOR, ".")
