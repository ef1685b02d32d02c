"""The rulebook: find rule files, validate them against the rule schema, parse them, and order the
derived values they declare. A bad rule is refused here, when rules load, with file:line:col.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import InputError, Problem, RuleError
from ..resources import rules_dir
from ..sources.document import Document
from ..sources.load import load_file
from ..validation.fact_model import FactModel, fact_key, fact_model
from ..validation.validate import problems_in
from .conditions import Ref, walk_tests
from .derive import Aggregate, Call, Derivation, Expr, FieldRef
from .records import Authority, Example, Precedent, Rule, RuleSet
from .template import Placeholder

__all__ = ["Authority", "DerivationNeeds", "Example", "Precedent", "Rule", "RuleSet", "RULE_SUFFIXES", "load_rules",
           "rule_files"]

RULE_SCHEMA = "rule.schema.json"
RULE_SUFFIXES = (".yaml", ".yml")
"""A rule file's name ends in one of these, in any letter case (`.YAML` is a rule file too)."""


def rule_files(directories: Iterable[Path]) -> list[Path]:
    """The rule files under each directory, at any depth, each directory's in sorted order. Files and
    folders whose names start with a dot are skipped, as for filings: a pack kept in git may hold
    `.github/workflows/*.yml` or `.pre-commit-config.yaml`, which are not rules."""
    return [Path(path) for path in rule_file_names(directories)]


def rule_file_names(directories: Iterable[Path]) -> list[str]:
    """`rule_files` as text, for callers that need no Path (a check lists the built-in rules' 412 files
    twice, and making a Path of each cost more than finding them)."""
    files: list[str] = []
    for directory in directories:
        found: list[str] = []
        for folder, subfolders, names in os.walk(directory):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]  # never walk .git
            found.extend(os.path.join(folder, name) for name in names
                         if not name.startswith(".") and name.lower().endswith(RULE_SUFFIXES))
        # Sorted by path components, as sorted(Path) sorts them, without making a Path of each to compare.
        files.extend(path for path in sorted(found, key=lambda path: path.split(os.sep)) if os.path.isfile(path))
    return files


def load_rules(directories: Iterable[str | Path] | None = None, model: FactModel | None = None) -> RuleSet:
    """Load every rule file under the directories (default: the bundled rules); refuse any bad rule, and
    any directory that is not one or holds no rule file (a mistyped path would otherwise run no rules)."""
    model = model or fact_model()
    dirs = [Path(d) for d in directories] if directories else [rules_dir()]
    problems: list[Problem] = []
    paths: list[Path] = []
    for directory in dirs:
        found = rule_files([directory]) if directory.is_dir() else []
        if not found:
            problems.append(_empty_directory(directory))
        paths.extend(found)
    documents: list[Document] = []
    for path in paths:
        try:
            doc = load_file(path)
        except InputError as error:
            problems.extend(error.problems)
            continue
        invalid = problems_in(doc, RULE_SCHEMA)
        problems.extend(invalid)
        if not invalid:
            documents.append(doc)
    if problems:
        raise RuleError(problems)
    return _parse_all(documents, model)


def _empty_directory(directory: Path) -> Problem:
    """Why a directory given for rules yields none: it is not a directory, or it holds no rule file."""
    if not directory.is_dir():
        return Problem(str(directory), None, None, "", "no-rules-dir", "is not a directory of rules")
    return Problem(str(directory), None, None, "", "no-rule-files", "holds no rule files (NAME.yaml or NAME.yml)",
                   "rule files end in .yaml or .yml, in any letter case, in the directory or a folder below it "
                   "(names starting with a dot are skipped)")


def _parse_all(documents: list[Document], model: FactModel) -> RuleSet:
    from .resolution import resolve_derivations  # and the parser: a check with cached rules never parses one

    resolution = resolve_derivations(documents, model)
    problems = list(resolution.problems)
    rules: list[Rule] = []
    placed: list[tuple[Rule, Document]] = []
    seen: dict[str, Document] = {}
    for index, doc in enumerate(documents):
        rule, found = resolution.parser(index, doc, model).parse_rule()
        problems.extend(found)
        if rule is None:
            continue
        for key, label in ((rule.id, "id"), (rule.name, "name")):
            if key in seen:
                problems.append(doc.problem(f"/{label}", "duplicate-rule",
                                f"rule {label} {key!r} is already used by {seen[key].source}",
                                "rule ids and names are unique and never reused"))
            seen[key] = doc
        rules.append(rule)
        placed.append((rule, doc))
    problems.extend(_alias_conflicts(placed))
    derived = resolution.definitions
    ordered, cycle = _order_derivations([value[0] for value in derived.values()])
    if cycle:
        derivation = cycle[0]
        _, doc, pointer = derived[(derivation.on, derivation.name)]
        problems.append(doc.problem(pointer, "derive-cycle", f"derived.{derivation.name} depends on itself through "
                                    + " -> ".join(f"derived.{d.name}" for d in cycle)))
    if problems:
        raise RuleError(sorted(problems, key=lambda p: (p.source, p.line or 0, p.column or 0)))
    return RuleSet(tuple(sorted(rules, key=lambda r: r.id)), tuple(ordered))


def _alias_conflicts(placed: list[tuple[Rule, Document]]) -> list[Problem]:
    """An alias (a former id) that is a rule's id, or another rule's alias too: a waiver or baseline naming it
    could not tell which rule it meant. Each is reported at the alias, whichever file was read first."""
    ids = {rule.id: doc for rule, doc in placed}
    claimed: dict[str, tuple[Rule, Document]] = {}
    problems: list[Problem] = []
    for rule, doc in placed:
        for index, alias in enumerate(rule.aliases):
            pointer = f"/aliases/{index}"
            if alias == rule.id:
                problems.append(doc.problem(pointer, "alias-conflict", f"alias {alias!r} is this rule's own id",
                                            "aliases are the ids the rule had before; remove this one"))
            elif alias in ids:
                problems.append(doc.problem(pointer, "alias-conflict",
                                            f"alias {alias!r} is the id of a rule in {ids[alias].source}",
                                            "a former id is never reused: remove the alias, or give the other "
                                            "rule a new id"))
            elif alias in claimed:
                other, where = claimed[alias]
                problems.append(doc.problem(pointer, "alias-conflict",
                                            f"alias {alias!r} is already an alias of {other.id} in {where.source}",
                                            "a former id belongs to one rule: remove it from one of the two"))
            else:
                claimed[alias] = (rule, doc)
    return problems


def _order_derivations(derivations: list[Derivation]) -> tuple[list[Derivation], list[Derivation]]:
    """Dependency order (inputs first), or the derivations on a cycle.

    A derivation is identified by (fact type, name): derived.x on two types are two derivations. An
    input `derived.x` may be read from the fact itself or an ancestor, so it depends on every derived.x.
    Depth first, from each derivation in (key, type) order, with a stack of its own rather than Python's:
    a chain of more than about 990 derivations exceeded the interpreter's recursion limit (exit 3).
    """
    by_key: dict[str, list[Derivation]] = {}
    for derivation in derivations:
        by_key.setdefault(derivation.key, []).append(derivation)
    ordered: list[Derivation] = []
    state: dict[tuple[str, str], int] = {}  # 1: on the path being followed; 2: ordered

    def inputs(d: Derivation) -> Iterator[Derivation]:
        return (dependency for key in sorted(_derived_inputs(d.expr)) for dependency in by_key.get(key, []))

    for root in sorted(derivations, key=lambda d: (d.key, d.on)):
        if state.get((root.on, root.name)) == 2:
            continue
        path, stack = [root], [inputs(root)]
        state[(root.on, root.name)] = 1
        while stack:
            d = next(stack[-1], None)
            if d is None:  # every input of path[-1] is ordered: it comes next
                done = path.pop()
                stack.pop()
                state[(done.on, done.name)] = 2
                ordered.append(done)
            elif state.get((d.on, d.name)) == 1:
                return ordered, path[path.index(d):] + [d]
            elif state.get((d.on, d.name)) != 2:
                state[(d.on, d.name)] = 1
                path.append(d)
                stack.append(inputs(d))
    return ordered, []


def _derived_inputs(expr: Expr) -> set[str]:
    if isinstance(expr, FieldRef):
        return {expr.key} if expr.key.startswith("derived__") else set()
    if isinstance(expr, Call):
        return set().union(*(_derived_inputs(a) for a in expr.args)) if expr.args else set()
    if isinstance(expr, Aggregate):
        # Derived values the aggregate reads: tested on the facts it counts, joined from the receiving
        # fact ({ref: this.derived.X}), or summed / looked up.
        keys = {t.key for t in walk_tests(expr.where) if t.key.startswith("derived__")}
        keys |= {t.value.key for t in walk_tests(expr.where)
                 if isinstance(t.value, Ref) and t.value.key.startswith("derived__")}
        return keys | ({expr.key} if expr.key and expr.key.startswith("derived__") else set())
    return set()


class DerivationNeeds:
    """The derived values that evaluating one rule needs, in the order they are computed: those it
    declares or reads (in its conditions, joins and placeholders), and those these read in turn, whichever
    rule declared them (a rule may read a value another rule declares). Found through an index by name,
    never by scanning the other rules or derivations, so a rule's examples cost the same in a pack of any
    size; everything else a rule set derives cannot change what this rule finds."""

    def __init__(self, derivations: Sequence[Derivation]) -> None:
        """`derivations` in dependency order, as RuleSet.derivations holds them."""
        self.position = {(d.on, d.name): index for index, d in enumerate(derivations)}
        self.by_key: dict[str, list[Derivation]] = {}
        for d in derivations:
            self.by_key.setdefault(d.key, []).append(d)

    def of(self, rule: Rule) -> list[Derivation]:
        # By key, as _order_derivations does: derived.x read from a fact or an ancestor may be any type's.
        needed: dict[tuple[str, str], Derivation] = {}
        keys = [d.key for d in rule.derivations] + sorted(_keys_read(rule))
        while keys:
            for d in self.by_key.get(keys.pop(), ()):
                if (d.on, d.name) not in needed:
                    needed[(d.on, d.name)] = d
                    keys.extend(sorted(_derived_inputs(d.expr)))
        return sorted(needed.values(), key=lambda d: self.position[(d.on, d.name)])


def _keys_read(rule: Rule) -> set[str]:
    """The derived values' keys a rule's patterns test or join to, and its texts fill in."""
    keys = {test.key for pattern in rule.patterns for test in walk_tests(pattern.where)}
    keys |= {test.value.key for pattern in rule.patterns for test in walk_tests(pattern.where)
             if isinstance(test.value, Ref)}
    parts = rule.comment_parts + rule.remedy_parts + rule.record_parts
    keys |= {_placeholder_key(part) for part in parts if isinstance(part, Placeholder)}
    return {key for key in keys if key.startswith("derived__")}


def _placeholder_key(part: Placeholder) -> str:
    """The key a placeholder reads on the fact it names, or on the ancestor `parent.` climbs to."""
    names = list(part.path)
    while names[0] == "parent" and len(names) > 1:
        names.pop(0)
    return fact_key(".".join(names))
