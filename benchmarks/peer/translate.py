"""Translate precomment's own rules into a Spectral ruleset, for the peer benchmark (issue 18).

    .venv/bin/python benchmarks/peer/translate.py            # writes the two files below, prints the counts

Writes, beside this script:
- `precomment.spectral.yaml`: one Spectral rule per precomment rule Spectral can express with its core
  functions alone (no custom JavaScript): a rule with one positive pattern on one fact type, in force at
  every date, whose tests read that fact's own fields with constants. Its `given` is the JSONPath of the
  fact type's place in the description (`/item6/share_ownership/holders/*` ->
  `$.item6.share_ownership.holders[*]`), its `then` the core `schema` function with the JSON Schema
  `{not: C}`, C being the rule's `when` in JSON Schema: Spectral reports a node that fails `then`, so each
  fact that satisfies the conditions is reported, once, at its own path, as precomment reports the subject.
- `not-expressible.md`: every other rule, grouped by the first reason Spectral cannot express it.

Operators map to JSON Schema as conditions.holds defines them (operators.py): a test that fails on a missing
field (`exists`, `equals`, `in`, `matches`, `lt`...) requires the field; one that holds on a missing field
(`missing`, `not_equals`, `not_in`) is the negation of "present and the opposite". A nested field
(`dependence_analysis.quantified`) is reached through `properties`. `matches` patterns (durable-rules'
dialect, whole value) are rewritten as anchored JavaScript regular expressions from precomment's own parse
tree (language/regex.py).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from precomment.language import regex
from precomment.language.conditions import (
    AbsentPattern,
    AllOf,
    Condition,
    PositivePattern,
    Ref,
    Test,
    walk_tests,
)
from precomment.language.records import Rule
from precomment.language.rulebook import load_rules
from precomment.validation.fact_model import KEY_SEPARATOR, FactModel, fact_model

HERE = Path(__file__).resolve().parent
RULESET = HERE / "precomment.spectral.yaml"
NOT_EXPRESSIBLE = HERE / "not-expressible.md"
SEVERITY = {"error": "error", "warning": "warn", "info": "info"}

# Why a rule cannot be expressed, in the order reasons are reported (a rule is grouped under its first).
REASONS = {
    "absent": "absence of another fact (`absent`)",
    "join": "join between facts (`ref`)",
    "facts": "conditions on two or more facts at once",
    "derived": "derived value (count, sum, ratio, dates apart) computed before evaluation",
    "place": "the fact's place (`id` / `parent`)",
    "effective": "in force from a date (`effective`): compares the filer's fiscal year or filing date",
    "ordered-text": "orders dates or pages (`lt`/`gt` on text)",
    "pattern": "a pattern JavaScript cannot reproduce",
}


class NotExpressible(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reasons(rule: Rule) -> list[str]:
    """Every reason Spectral's core functions cannot express the rule (empty: it can)."""
    found: list[str] = []
    positive = [p for p in rule.patterns if isinstance(p, PositivePattern)]
    tests = [t for p in rule.patterns for t in walk_tests(p.where)]
    if any(isinstance(p, AbsentPattern) for p in rule.patterns):
        found.append("absent")
    if any(isinstance(t.value, Ref) for t in tests):
        found.append("join")
    if len(positive) > 1:
        found.append("facts")
    if any(t.key.startswith("derived" + KEY_SEPARATOR) for t in tests):
        found.append("derived")
    if any(t.key in ("_id", "_parent") for t in tests):
        found.append("place")
    if rule.effective is not None:
        found.append("effective")
    return found


# -- conditions as JSON Schema ------------------------------------------------------------------------------

def _at(path: list[str], leaf: dict[str, Any]) -> dict[str, Any]:
    """The field at `path` is present and satisfies `leaf`."""
    node = leaf
    for name in reversed(path):
        node = {"required": [name], "properties": {name: node}}
    return node


def _test(test: Test, kind: str | None) -> dict[str, Any]:
    path = test.key.split(KEY_SEPARATOR)
    op, value = test.op, test.value
    if op == "exists":
        return _at(path, {})
    if op == "missing":
        return {"not": _at(path, {})}
    if op == "equals":
        return _at(path, {"const": value})
    if op == "not_equals":
        return {"not": _at(path, {"const": value})}
    if op == "in":
        return _at(path, {"enum": list(value)})
    if op == "not_in":
        return {"not": _at(path, {"enum": list(value)})}
    if op == "matches":
        return _at(path, {"type": "string", "pattern": js_pattern(value)})
    if kind not in ("integer", "number", "amount", "year"):
        raise NotExpressible("ordered-text")
    bound = {"lt": "exclusiveMaximum", "lte": "maximum", "gt": "exclusiveMinimum", "gte": "minimum"}[op]
    return _at(path, {"type": "number", bound: value})


def to_schema(condition: Condition, fact_type: str, model: FactModel) -> dict[str, Any]:
    if isinstance(condition, Test):
        return _test(condition, model.kind_of(fact_type, condition.key))
    items = [to_schema(item, fact_type, model) for item in condition.items]
    if isinstance(condition, AllOf):
        return {} if not items else items[0] if len(items) == 1 else {"allOf": items}
    return items[0] if len(items) == 1 else {"anyOf": items}


# -- durable-rules patterns as JavaScript regular expressions ----------------------------------------------

def js_pattern(pattern: str) -> str:
    """The whole-value pattern as an anchored JavaScript regular expression (valid with and without `u`)."""
    return "^(?:" + _js(regex.parse(pattern)) + ")$"


def _char(code: int) -> str:
    if code > 0xFFFF:
        raise NotExpressible("pattern")
    char = chr(code)
    return char if char.isascii() and char.isalnum() or char == " " else f"\\u{code:04x}"


def _js(node: regex.Node) -> str:
    if isinstance(node, regex.Chars):
        if node == regex.ANY:
            return "[\\s\\S]"
        codes = sorted(node.members)
        if len(codes) == 1 and not node.negated:
            return _char(codes[0])
        return ("[^" if node.negated else "[") + "".join(_char(c) for c in codes) + "]"
    if isinstance(node, regex.Sequence):
        return "".join(_js(item) for item in node.items)
    if isinstance(node, regex.Choice):
        return "|".join(_js(item) for item in node.items)
    if isinstance(node, regex.Group):
        return f"(?:{_js(node.item)})"
    high = "" if node.high is None else node.high
    quantifier = {(0, None): "*", (1, None): "+", (0, 1): "?"}.get((node.low, node.high), f"{{{node.low},{high}}}")
    if node.low == node.high:
        quantifier = f"{{{node.low}}}"
    return f"(?:{_js(node.item)}){quantifier}"


# -- the ruleset ------------------------------------------------------------------------------------------

def jsonpath(pointer: str) -> str:
    """A fact type's place as JSONPath: /item19/exhibits/* -> $.item19.exhibits[*]."""
    return "$" + "".join("[*]" if token == "*" else f".{token}" for token in pointer.strip("/").split("/"))


def spectral_rule(rule: Rule, model: FactModel) -> dict[str, Any]:
    found = reasons(rule)
    if found:
        raise NotExpressible(found[0])
    (pattern,) = rule.patterns
    assert isinstance(pattern, PositivePattern)
    places = model.types[pattern.fact_type].pointers
    given = [jsonpath(pointer) for pointer in places]
    return {
        "description": f"{rule.title} (Form 20-F Item {rule.form_item}; {rule.name})",
        "message": rule.title,
        "severity": SEVERITY[rule.severity],
        "given": given[0] if len(given) == 1 else given,
        "then": {"function": "schema",
                 "functionOptions": {"schema": {"not": to_schema(pattern.where, pattern.fact_type, model)}}},
    }


def translate() -> tuple[dict[str, dict[str, Any]], dict[str, list[tuple[Rule, list[str]]]]]:
    """The Spectral rules by id, and the rules not expressible grouped by their first reason."""
    model = fact_model()
    translated: dict[str, dict[str, Any]] = {}
    refused: dict[str, list[tuple[Rule, list[str]]]] = defaultdict(list)
    for rule in load_rules().rules:
        try:
            translated[rule.id] = spectral_rule(rule, model)
        except NotExpressible as why:
            refused[why.reason].append((rule, reasons(rule) or [why.reason]))
    return translated, refused


def write(translated: dict[str, dict[str, Any]], refused: dict[str, list[tuple[Rule, list[str]]]]) -> None:
    header = ("# Generated by benchmarks/peer/translate.py from precomment's rules: do not edit.\n"
              f"# {len(translated)} rules; the others, and why Spectral cannot express them: not-expressible.md\n")
    RULESET.write_text(header + yaml.safe_dump({"rules": translated}, sort_keys=False, allow_unicode=True, width=120))
    total = len(translated) + sum(len(rules) for rules in refused.values())
    lines = ["# Rules Spectral cannot express", "",
             "<!-- Generated by benchmarks/peer/translate.py: do not edit. -->", "",
             f"Of precomment's {total} rules, {len(translated)} are in `precomment.spectral.yaml`; these "
             f"{total - len(translated)} need what Spectral's core functions (truthy, defined, pattern, enumeration, "
             "schema, ...) cannot express without custom JavaScript functions. Each rule is listed under the first "
             "reason that applies, with all of its reasons.", ""]
    for reason in REASONS:
        if reason not in refused:
            continue
        lines += [f"## {REASONS[reason][0].upper()}{REASONS[reason][1:]} ({len(refused[reason])})", ""]
        for rule, why in refused[reason]:
            lines.append(f"- {rule.id} `{rule.name}`: " + "; ".join(REASONS[r].split(" (")[0].split(":")[0]
                                                                    for r in why))
        lines.append("")
    NOT_EXPRESSIBLE.write_text("\n".join(lines))


def main() -> int:
    translated, refused = translate()
    write(translated, refused)
    print(f"{len(translated)} rules translated -> {RULESET.name}")
    for reason, rules in refused.items():
        print(f"  not expressible, {REASONS[reason]}: {len(rules)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
