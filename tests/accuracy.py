"""Accuracy of an extraction, field group by field group: how much of what a document holds the extractors
read back (recall) and how much of what they wrote is right (precision).

A field group is a set of pointer patterns over a description (`/item19/exhibits/*/title`; `*` is one token,
`**` any number of them). Both descriptions are flattened to their leaves, each leaf named by a path in which
every array index is replaced by the item's stable identity (its `x-key` in schemas/filing.schema.json: an
exhibit's number, a holder's name, a caption), so an item is compared with the item of the same identity
wherever the extractor put it: reordering is no error, and an extra or missing item costs only its own
fields. A leaf counts as right only when the values are equal (numbers numerically, strings with whitespace
collapsed, dates as ISO text); a wrong value is one false positive (what was written) and one false negative
(what was missed).

Precision = tp / (tp + fp), recall = tp / (tp + fn); each is 1.0 when its denominator is 0 (nothing claimed,
nothing to find), so a group a document does not exercise never drags a floor down.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple

from precomment.resources import load_schema


@dataclass(frozen=True)
class Group:
    """A field group: the leaves whose shape (pointer with `*` for array indices) matches one of `patterns`,
    less those whose last token is in `exclude`; with `numeric`, only numbers (not booleans)."""

    name: str
    patterns: tuple[str, ...]
    numeric: bool = False
    exclude: frozenset[str] = frozenset()


_OWNERSHIP_FIELDS = ("name", "shares", "percent_of_class", "less_than_one_percent")
GROUPS: dict[str, Group] = {group.name: group for group in (
    Group("cover", tuple(f"/filer/{field}" for field in (
        "name", "form", "fiscal_year_end", "file_number", "basis_of_accounting", "filer_status",
        "emerging_growth_company", "wksi", "country_of_incorporation", "cik"))),
    Group("items", ("/document/items/*/item", "/document/items/*/page")),
    Group("pages_numbered", ("/document/pages_numbered",)),
    Group("risk_factors", ("/item3/risk_factors/*/caption", "/item3/risk_factors/*/page")),
    Group("ownership", tuple(f"/{section}/holders/*/{field}" for section in (
        "item6/share_ownership", "item7/major_shareholders") for field in _OWNERSHIP_FIELDS)),
    Group("exhibits", ("/item19/exhibits/*/number", "/item19/exhibits/*/title", "/item19/exhibits/*/status")),
    Group("statements", ("/financial_statements/primary_statements/statements/*/kind",
                         "/financial_statements/primary_statements/statements/*/periods_presented")),
    Group("amounts", ("/financial_statements/**", "/item5/**"), numeric=True,
          exclude=frozenset({"page", "periods_presented", "fiscal_year", "from_year", "to_year", "identified_in",
                             "earliest_year_omitted_by_reference", "auditor_since", "years_covered",
                             "cash_flows_page"})),
    Group("sanctions", ("/document/sanctioned_country_mentions/*/country",)),
)}
"""The field groups accuracy is measured and held on, in the order reports list them."""

FALLBACK_KEYS: dict[str, str | tuple[str, ...]] = {
    "/document/items": "item",
    "/document/missing_items": "item",
    "/document/sanctioned_country_mentions": "country",
    "/document/inconsistencies": "subject",
}
"""The identities of the arrays of the `document` section, for a schema that does not have it yet (the
schema's own `x-key`, where it has one, wins)."""


class Score(NamedTuple):
    """True positives, false positives, false negatives of one group on one document (they add up)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: object) -> Score:
        if not isinstance(other, Score):
            return NotImplemented
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


# ---------------------------------------------------------------------------------------------- identities


@cache
def array_keys() -> dict[str, str | tuple[str, ...]]:
    """Shape pointer of each array of objects in the filing schema (`/item19/exhibits`) -> its `x-key`."""
    schema = load_schema("filing.schema.json")
    keys: dict[str, str | tuple[str, ...]] = dict(FALLBACK_KEYS)
    _collect(schema, schema, "", keys, 0)
    return keys


def _collect(root: dict[str, Any], node: Any, shape: str, keys: dict[str, str | tuple[str, ...]], depth: int) -> None:
    if not isinstance(node, dict) or depth > 40:
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for token in ref[2:].split("/"):
            target = target.get(token, {}) if isinstance(target, dict) else {}
        _collect(root, target, shape, keys, depth + 1)
    for name, child in (node.get("properties") or {}).items():
        _collect(root, child, f"{shape}/{name}", keys, depth + 1)
    items = node.get("items")
    if isinstance(items, dict):
        key = items.get("x-key")
        if isinstance(key, str):
            keys[shape] = key
        elif isinstance(key, list):
            keys[shape] = tuple(str(part) for part in key)
        _collect(root, items, f"{shape}/*", keys, depth + 1)
    for alternative in ("oneOf", "anyOf", "allOf"):
        for child in node.get(alternative) or ():
            _collect(root, child, shape, keys, depth + 1)


def normalise_key(value: Any) -> str:
    """An identity as matched: whitespace collapsed, case folded (`Chen  Hao` is `chen hao`)."""
    return " ".join(str(canonical(value)).split()).casefold()


# ---------------------------------------------------------------------------------------------- flattening


@dataclass(frozen=True)
class Leaf:
    shape: str  # pointer with `*` for every array index: what group patterns match
    path: str  # pointer with every array index replaced by the item's identity: what two descriptions share
    pointer: str  # the JSON pointer in its own description, to show
    value: Any


def leaves(description: Any) -> Iterator[Leaf]:
    """Every scalar of a description, named by shape and by identity path."""
    keys = array_keys()
    stack: list[tuple[Any, str, str, str]] = [(description, "", "", "")]
    while stack:
        node, shape, path, pointer = stack.pop()
        if isinstance(node, dict):
            for name in sorted(node, reverse=True):
                token = str(name).replace("~", "~0").replace("/", "~1")
                stack.append((node[name], f"{shape}/{token}", f"{path}/{token}", f"{pointer}/{token}"))
        elif isinstance(node, list):
            seen: dict[str, int] = {}
            key = keys.get(shape)
            identities = [_identity(item, key, index) for index, item in enumerate(node)]
            for index, (item, identity) in enumerate(zip(node, identities)):
                seen[identity] = seen.get(identity, 0) + 1
                if seen[identity] > 1:  # a second item of one identity: told apart by its rank among them
                    identity = f"{identity}#{seen[identity]}"
                stack.append((item, f"{shape}/*", f"{path}/[{identity}]", f"{pointer}/{index}"))
        else:
            yield Leaf(shape, path, pointer, node)


def _identity(item: Any, key: str | tuple[str, ...] | None, index: int) -> str:
    if isinstance(item, dict) and key is not None:
        fields = (key,) if isinstance(key, str) else key
        if any(field in item for field in fields):
            return "|".join(normalise_key(item.get(field, "")) for field in fields)
    if not isinstance(item, dict | list):
        return normalise_key(item)  # a list of scalars: a set of values
    return f"@{index}"


# ---------------------------------------------------------------------------------------------- matching


def matches(shape: str, pattern: str) -> bool:
    """Whether a leaf's shape matches a pattern: `*` one token, `**` any number (none included)."""
    return _match(shape.split("/")[1:], pattern.split("/")[1:])


def _match(tokens: list[str], parts: list[str]) -> bool:
    if not parts:
        return not tokens
    if parts[0] == "**":
        return any(_match(tokens[start:], parts[1:]) for start in range(len(tokens) + 1))
    if not tokens:
        return False
    return (parts[0] == "*" or parts[0] == tokens[0]) and _match(tokens[1:], parts[1:])


def in_group(leaf: Leaf, group: Group) -> bool:
    if group.numeric and not _is_number(leaf.value):
        return False
    if leaf.shape.rsplit("/", 1)[-1] in group.exclude:
        return False
    return any(matches(leaf.shape, pattern) for pattern in group.patterns)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


_SPACE = re.compile(r"\s+")


def canonical(value: Any) -> Any:
    """A value as compared: numbers as Decimal, strings with whitespace collapsed, dates as ISO text; a
    boolean stays a boolean (True is not 1)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        try:
            return Decimal(str(value)).normalize()
        except InvalidOperation:
            return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _SPACE.sub(" ", value).strip()
    return value


def equal(expected: Any, extracted: Any) -> bool:
    left, right = canonical(expected), canonical(extracted)
    return type(left) is type(right) and left == right


def group_leaves(description: Any, group: Group) -> dict[str, Leaf]:
    return {leaf.path: leaf for leaf in leaves(description) if in_group(leaf, group)}


def score(expected: Any, extracted: Any, group: str | Group) -> Score:
    """(true positives, false positives, false negatives) of `extracted` against `expected` on one group."""
    chosen = GROUPS[group] if isinstance(group, str) else group
    want, got = group_leaves(expected, chosen), group_leaves(extracted, chosen)
    tp = sum(1 for path, leaf in want.items() if path in got and equal(leaf.value, got[path].value))
    wrong = sum(1 for path, leaf in want.items() if path in got and not equal(leaf.value, got[path].value))
    missed = sum(1 for path in want if path not in got)
    extra = sum(1 for path in got if path not in want)
    return Score(tp, wrong + extra, wrong + missed)


@dataclass(frozen=True)
class Difference:
    """One leaf the extraction got wrong: missed (extracted None), extra (expected None) or a wrong value."""

    path: str
    expected: Any
    extracted: Any

    def __str__(self) -> str:
        if self.extracted is None:
            return f"missed {self.path} = {self.expected!r}"
        if self.expected is None:
            return f"extra {self.path} = {self.extracted!r}"
        return f"wrong {self.path}: expected {self.expected!r}, extracted {self.extracted!r}"


def differences(expected: Any, extracted: Any, group: str | Group) -> list[Difference]:
    """What `score` counts against the extraction, leaf by leaf, in path order: for a test's message."""
    chosen = GROUPS[group] if isinstance(group, str) else group
    want, got = group_leaves(expected, chosen), group_leaves(extracted, chosen)
    found: list[Difference] = []
    for path in sorted(set(want) | set(got)):
        if path not in got:
            found.append(Difference(path, want[path].value, None))
        elif path not in want:
            found.append(Difference(path, None, got[path].value))
        elif not equal(want[path].value, got[path].value):
            found.append(Difference(path, want[path].value, got[path].value))
    return found


# ---------------------------------------------------------------------------------------------- reports


Row = tuple[str, str, Score]
"""(document, group, score): one line of a report."""


def report(rows: Iterable[Row]) -> str:
    """A Markdown table of scores, one line per (document, group) in the order given, for the docs."""
    lines = ["| document | group | tp | fp | fn | precision | recall |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for document, group, counts in rows:
        lines.append(f"| {document} | {group} | {counts.tp} | {counts.fp} | {counts.fn} | "
                     f"{counts.precision:.3f} | {counts.recall:.3f} |")
    return "\n".join(lines) + "\n"


def totals(rows: Iterable[Row]) -> dict[str, Score]:
    """Each group's scores added up over documents, in GROUPS order (then any other group, by name)."""
    summed: dict[str, Score] = {}
    for _document, group, counts in rows:
        summed[group] = summed.get(group, Score(0, 0, 0)) + counts
    order = {name: rank for rank, name in enumerate(GROUPS)}
    return dict(sorted(summed.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
