"""Which fields of a filing description a rule reads: its conditions, the derived values they and its texts
use (followed to the fields those are computed from), its texts, its subject's and anchor's pages, and the
filer's date its effective date is compared with.

A field read is `(fact type, field path)`, the path as a rule writes it (`dependence_analysis.quantified`).
`precomment init` names under each field the rules that read it; what a rule reads is what a description
must answer for the rule to be decided.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..validation.fact_model import KEY_SEPARATOR, LABEL_FIELD, PSEUDO_FIELDS, FactModel
from .conditions import AllOf, PositivePattern, Ref, walk_tests
from .derive import Aggregate, Call, Derivation, Expr, FieldRef
from .records import Rule
from .template import Placeholder

FieldRead = tuple[str, str]
"""(fact type, field path): `("share_owner", "percent_of_class")`."""

DERIVED = "derived" + KEY_SEPARATOR
Derivations = Mapping[tuple[str, str], Derivation]
"""Every derivation of the rule set by (fact type, name), as rules look them up."""


def condition_fields(rule: Rule, derivations: Derivations, model: FactModel) -> frozenset[FieldRead]:
    """The fields of the description `rule`'s conditions test or join to, directly or through derived values:
    what decides whether it fires (its texts aside)."""
    return frozenset(_conditions(rule, _Reader(derivations, model)).found)


def _conditions(rule: Rule, reader: _Reader) -> _Reader:
    aliases = _aliases(rule)
    for pattern in rule.patterns:
        reader.condition(pattern.fact_type, pattern.where, aliases)
    return reader


def _aliases(rule: Rule) -> dict[str, str]:
    return {p.alias: p.fact_type for p in rule.patterns if isinstance(p, PositivePattern)}


def fields_read(rule: Rule, derivations: Derivations, model: FactModel) -> frozenset[FieldRead]:
    """Every field of the description `rule` reads, directly or through derived values."""
    reader = _conditions(rule, _Reader(derivations, model))
    aliases = _aliases(rule)
    for part in (*rule.comment_parts, *rule.remedy_parts, *rule.record_parts):
        if isinstance(part, Placeholder) and part.alias in aliases:
            reader.placeholder(aliases[part.alias], part.path)
    reader.placeholder(aliases[rule.subject], ("label",))
    reader.placeholder(aliases[rule.subject], ("page",))
    if rule.anchor:
        reader.placeholder(rule.anchor, ("page",))
    if rule.effective:
        reader.read("filer", "filing_date" if rule.effective.basis == "filing_date" else "fiscal_year_end")
    return frozenset(reader.found)


def readers(rules: Iterable[Rule], derivations: Iterable[Derivation], model: FactModel) -> dict[FieldRead, tuple[str, ...]]:
    """For each field some rule reads, the ids of the rules that read it, sorted."""
    by_key = {(d.on, d.name): d for d in derivations}
    found: dict[FieldRead, set[str]] = {}
    for rule in rules:
        for read in fields_read(rule, by_key, model):
            found.setdefault(read, set()).add(rule.id)
    return {read: tuple(sorted(ids)) for read, ids in sorted(found.items())}


class _Reader:
    """Collects the fields read, following derived values once each (a derived value may read another)."""

    def __init__(self, derivations: Derivations, model: FactModel) -> None:
        self.derivations = derivations
        self.model = model
        self.found: set[FieldRead] = set()
        self.followed: set[tuple[str, str]] = set()

    def read(self, fact_type: str, path: str) -> None:
        if path in PSEUDO_FIELDS or path in PSEUDO_FIELDS.values():
            return  # the fact's pointer or its parent's: no field of the description
        if path.startswith("derived."):
            self.derived(fact_type, path[len("derived."):])
        elif self.model.field(fact_type, path) is not None:
            self.found.add((fact_type, path))

    def key(self, fact_type: str, key: str) -> None:
        """A field as a condition stores it (`a__b`, `derived__x`)."""
        self.read(fact_type, key.replace(KEY_SEPARATOR, "."))

    def condition(self, fact_type: str, where: AllOf, aliases: Mapping[str, str]) -> None:
        for test in walk_tests(where):
            self.key(fact_type, test.key)
            if isinstance(test.value, Ref) and test.value.alias in aliases:
                self.key(aliases[test.value.alias], test.value.key)

    def placeholder(self, fact_type: str, path: tuple[str, ...]) -> None:
        """A text's `{alias.path}`: parent hops, then `label` (the fields its type's label names), `page`,
        `derived.x` or a field."""
        types = {fact_type}
        steps = list(path)
        while steps[0] == "parent" and len(steps) > 1:
            types = {parent for t in types for parent in self.model.types[t].parents if parent}
            steps.pop(0)
        for each in sorted(types):
            if steps == ["label"]:
                for name in LABEL_FIELD.findall(self.model.types[each].label):
                    self.read(each, name)
            else:
                self.read(each, ".".join(steps))

    def derived(self, fact_type: str, name: str) -> None:
        derivation = self.derivations.get((fact_type, name))
        if derivation is None or (fact_type, name) in self.followed:
            return
        self.followed.add((fact_type, name))
        for read_type, key in _expression_reads(derivation.expr, fact_type, self.model):
            self.key(read_type, key)


def _expression_reads(expr: Expr, on: str, model: FactModel) -> Iterator[tuple[str, str]]:
    """(fact type, key) of each field an expression evaluated on a fact of type `on` reads."""
    if isinstance(expr, FieldRef):
        types = {on}
        for _ in range(expr.ups):
            types = {parent for t in types for parent in model.types[t].parents if parent}
        yield from ((t, expr.key) for t in sorted(types))
    elif isinstance(expr, Aggregate):
        for test in walk_tests(expr.where):
            yield expr.fact_type, test.key
            if isinstance(test.value, Ref):  # `this.x`: the fact the value is derived on
                yield on, test.value.key
        if expr.key:
            yield expr.fact_type, expr.key
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _expression_reads(arg, on, model)

