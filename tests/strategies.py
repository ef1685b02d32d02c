"""Random VALID filing descriptions, and random damage to them, for the property and batch tests.

Why not a schema-blind generator: a random document valid against schemas/filing.schema.json almost
never fires a rule (rules join names across sections, compare with thresholds and test dates), so it
would compare two evaluators on empty lists. This generator walks the schema, steered towards what the
rules look at:

- it usually starts from a *guide*: up to six filings spliced together, drawn from the rules' own
  examples and the bundled filings, so realistic combinations (a supplier named in a risk factor, in
  Item 4.B and in Item 19) occur; it keeps most of the guide, drops some of it, and adds fresh parts;
- every leaf is drawn, most of the time, from a *pool* for its place in the schema: the values the
  examples and filings put there, the constants the rules compare that place with (and the values
  either side, for `lt`, `gte`...), and the rules' effective dates (and the days before);
- free text also comes from one shared pool of names (so joins by name happen across sections) and
  from awkward but valid text (unicode, braces, markup);
- ownership tables are made to agree (engine/validation/sanity.py refuses a percentage the shares contradict).

Measured (rules that report a finding, not-yet-effective rules excluded): with 90 rules, over 200
filings, 85 to 89 of them, depending on the draw (the rarest need a combination: PC-16A-001,
PC-4A-001...); over the 400 examples of the "ci" profile and over the 2,000 filings of
tests/test_batch.py, all 90. With the 98 rules since (firing on recorded answers, not on left-out
ones): all 98 over the first 200 and over the 2,000 of tests/test_batch.py's `batch`; the "ci" profile
was not measured again. Every filing is valid; a quarter of them draw no finding at all.

`generate_filing(rng)` takes a seeded `random.Random`; `filings()` is the hypothesis strategy around it.

Hypothesis profiles, picked with PRECOMMENT_HYPOTHESIS_PROFILE: "ci" (the default: derandomized, so
every run tests the same examples, and no example database) keeps tests/test_properties.py to about
15 s here; "fuzz" draws fresh examples on each run, 25 times as many, and keeps failures in
.hypothesis/ to replay them first next time:

    PRECOMMENT_HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_properties.py
"""
from __future__ import annotations

import copy
import datetime
import json
import os
import random
import string
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from precomment.checking.examples import EXAMPLE_FILER
from precomment.language.conditions import Ref, walk_tests
from precomment.language.operators import COMPARISONS
from precomment.language.rulebook import RuleSet, load_rules
from precomment.resources import load_schema
from precomment.sources.load import load_file
from precomment.validation.fact_model import FILING_SCHEMA, KEY_SEPARATOR, fact_model
from precomment.validation.sanity import OWNERSHIP_TABLES

ROOT = Path(__file__).resolve().parents[1]

PROFILE_VARIABLE = "PRECOMMENT_HYPOTHESIS_PROFILE"
settings.register_profile("ci", max_examples=400, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])  # a shared machine is slow at times
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get(PROFILE_VARIABLE, "ci"))

Path_ = tuple[str, ...]
"""A place in the schema: property names, with "*" for the items of an array."""

HOSTILE_TEXT = (
    "株式会社インターネットイニシアティブ", "Ünïcödé Àçcéñts GmbH", "📈 growth 🚀", "\u202eevil\u202c name",
    "e\u0301\u0301\u0301 combining", "{holder.name}", "{{braces}} and {", "}", "100% %d %s", "line one\nline two",
    "<script>alert(1)</script>", "| pipe | cell |", "*emphasis* _under_ `code` [link](x)", "O'Brien & Sons \"Ltd\"",
    "=HYPERLINK(\"http://x\")", "-", "  padded  ", "\t", "null", "true", "0x1F", "1e3", "2024-12-31",
    "x" * 300, "ＰＦＩＣ ｆｕｌｌ ｗｉｄｔｈ", "Passive Foreign Investment Company 株", "OTHER ✓", "Other, net",
)
"""Valid but awkward strings: every one is printable, so YAML round-trips it; rules and reports must cope."""

def _file_number(prefix: int, serial: int) -> str:
    """A Commission file number in each form EDGAR and cover pages use, from the two draws the generator
    always made (so the rest of a generated filing is as before): the prefix padded or not, a serial of
    four to six digits, a co-registrant's suffix now and then."""
    digits = f"{serial:05d}"[: 4 + serial % 2] if serial % 3 else f"{serial:06d}"
    suffix = f"-{serial % 100:02d}" if serial % 7 == 0 else ""
    return f"{prefix:03d}-{digits}{suffix}" if prefix % 2 else f"{prefix}-{digits}{suffix}"


_PATTERNS: dict[str, Callable[[random.Random], str]] = {
    r"^[0-9]{1,2}(\.[0-9]{1,3}){0,2}$": lambda r: ".".join(
        str(r.randint(0, 99 if i == 0 else 999)) for i in range(r.randint(1, 3))),
    r"^[A-Z]{1,2}-[0-9]{1,4}$": lambda r: "".join(r.choices(string.ascii_uppercase, k=r.randint(1, 2)))
    + f"-{r.randint(0, 9999)}",
    r"^[0-9]{1,3}-[0-9]{4,6}(-[0-9]{2})?$": lambda r: _file_number(r.randint(0, 999), r.randint(0, 99999)),
    r"^[0-9]{1,10}$": lambda r: str(r.randint(0, 9_999_999_999)),
    r"^[A-Z]{3}$": lambda r: r.choice(["JPY", "USD", "EUR", "CNY", "HKD", "GBP", "ZZZ"]),
    r"^[A-Z]{2}$": lambda r: r.choice(["JP", "US", "KY", "CN", "HK", "MO", "GB", "IR", "ZZ"]),
    r"^(1|2|3|4|4A|5|6|7|8|9|10|11|12|13|14|15|16[A-K]|17|18|19)(\.[A-Z](\.[0-9]{1,2})?)?$": lambda r: r.choice(
        ["1", "3", "3.D", "4A", "6.E", "16G", "16K", "19", "8.A.7"]),
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$": lambda r: r.choice(["IR", "SY", "KP", "CU", "SD", "UA-43", "UA-14"]),
}
"""A generator for each `pattern` the filing schema uses; a new pattern fails loudly (KeyError)."""

EDGE_DATES = ("0001-12-31", "0002-01-01", "9999-12-31", "2000-02-29", "2024-02-29", "1900-01-01")
"""Valid dates at the edges of the calendar and of leap years (a fiscal year ending in year 1 once crashed
precomment: test_properties.test_a_fiscal_year_ending_in_year_1_is_checked)."""


# ---------------------------------------------------------------------------------------------------
# The schema, the guides and the pools: computed once per process from the bundled rules and filings.


@cache
def schema() -> dict[str, Any]:
    return load_schema(FILING_SCHEMA)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its `$ref` merged in (the node's own keywords win, as fact_model.py reads them)."""
    while "$ref" in node:
        merged = dict(schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]])
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        node = merged
    return node


@cache
def _leaf_validator(key: str) -> Draft202012Validator:
    node = json.loads(key)
    return Draft202012Validator({**node, "$defs": schema()["$defs"]}, format_checker=FormatChecker())


def valid_leaf(node: dict[str, Any], value: Any) -> bool:
    """Whether `value` may stand where the schema says `node` (a scalar or a list of scalars)."""
    return _leaf_validator(json.dumps(node, sort_keys=True)).is_valid(value)


@cache
def rules() -> RuleSet:
    return load_rules()


@cache
def guides() -> tuple[dict[str, Any], ...]:
    """Whole filings to start from: every rule example's filing (with the examples' default filer) and
    every bundled filing. Splicing them (see `splice`) keeps each one's realistic combinations."""
    found = []
    for rule in rules().rules:
        for example in rule.examples:
            filing = copy.deepcopy(dict(example.filing))
            filing.setdefault("filer", dict(EXAMPLE_FILER))
            found.append(filing)
    for path in sorted((ROOT / "filings").glob("*.yaml")):
        found.append(load_file(path).data)
    return tuple(found)


def leaves(value: Any, node: dict[str, Any], path: Path_ = ()) -> Iterator[tuple[Path_, dict[str, Any], Any]]:
    """(place, schema node, value) for every scalar (or list of scalars) in a valid description."""
    node = resolve(node)
    if isinstance(value, dict) and node.get("type") == "object":
        for key, child in value.items():
            if key in node.get("properties", {}):
                yield from leaves(child, node["properties"][key], path + (key,))
    elif isinstance(value, list) and resolve(node.get("items", {})).get("type") == "object":
        for item in value:
            yield from leaves(item, node["items"], path + ("*",))
    else:
        yield path, node, value


def _rule_constants(ruleset: RuleSet) -> Iterator[tuple[Path_, Any]]:
    """Each constant a rule compares a filing field with, at every place that field occurs; for an
    ordering test also the values either side of it, so both outcomes of the test are drawn."""
    model = fact_model()
    for rule in ruleset.rules:
        for pattern in rule.patterns:
            pointers = model.types[pattern.fact_type].pointers
            for test in walk_tests(pattern.where):
                if (test.key.startswith(("derived" + KEY_SEPARATOR, "_")) or isinstance(test.value, Ref)
                        or test.op == "matches" or test.value is None):
                    continue  # not a field of the filing, or no constant to compare with
                for value in test.value if isinstance(test.value, tuple) else (test.value,):
                    for pointer in pointers:
                        place = tuple(pointer.strip("/").split("/")) + tuple(test.key.split(KEY_SEPARATOR))
                        for candidate in _neighbours(value) if test.op in COMPARISONS else (value,):
                            yield place, candidate


def _neighbours(value: Any) -> tuple[Any, ...]:
    if isinstance(value, bool):
        return (value,)
    if isinstance(value, int):
        return (value - 1, value, value + 1)
    if isinstance(value, float):
        return (value - 0.5, value, value + 0.5)
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return (value,)
    return tuple((day + datetime.timedelta(days=d)).isoformat() for d in (-1, 0, 1))


def _effective_dates(ruleset: RuleSet) -> Iterator[tuple[Path_, str]]:
    """The dates on which rules come into force, and the days before: so both sides of each are drawn."""
    for rule in ruleset.rules:
        if not rule.effective:
            continue
        day, basis = rule.effective.start, rule.effective.basis
        if basis == "fiscal_year_start":  # a fiscal year beginning on `start` ends a year later, the day before
            day, basis = day.replace(year=day.year + 1) - datetime.timedelta(days=1), "fiscal_year_end"
        for candidate in (day - datetime.timedelta(days=1), day):
            yield ("filer", basis), candidate.isoformat()


@cache
def pools() -> dict[Path_, tuple[Any, ...]]:
    """For each place in the schema, the values worth drawing there (sorted, so draws are reproducible)."""
    found: dict[Path_, set[str]] = {}

    def add(place: Path_, node: dict[str, Any] | None, value: Any) -> None:
        node = node if node is not None else _node_at(place)
        if node is not None and valid_leaf(node, value):
            found.setdefault(place, set()).add(json.dumps(value, sort_keys=True))

    for guide in guides():
        for place, node, value in leaves(guide, schema()):
            add(place, node, value)
    for place, value in list(_rule_constants(rules())) + list(_effective_dates(rules())):
        add(place, None, value)
    return {place: tuple(json.loads(v) for v in sorted(values)) for place, values in sorted(found.items())}


@cache
def names() -> tuple[str, ...]:
    """Every free-text value of every pool: drawn anywhere, so one name turns up in several sections."""
    return tuple(sorted({value for place, values in pools().items() if _free_text(place)
                         for value in values if isinstance(value, str)}))


def _free_text(place: Path_) -> bool:
    node = resolve(_node_at(place) or {})
    return node.get("type") == "string" and not {"pattern", "enum", "format"} & set(node)


def _at(data: Any, pointer: str) -> Any:
    for token in pointer.strip("/").split("/"):
        data = data.get(token) if isinstance(data, dict) else None
    return data


def _node_at(place: Path_) -> dict[str, Any] | None:
    node = schema()
    for step in place:
        node = resolve(node)
        node = node.get("items") if step == "*" else node.get("properties", {}).get(step)
        if node is None:
            return None
    return node


# ---------------------------------------------------------------------------------------------------
# The generator.

_ABSENT = object()


class FilingGenerator:
    """Builds one valid filing description from `rng`; every choice goes through `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.density = rng.choice((0.05, 0.15, 0.3))  # how readily an optional part the guide lacks is added
        self.keep = rng.choice((0.8, 0.95, 1.0))  # how much of the guide's structure survives
        self.fidelity = rng.choice((0.7, 0.95, 1.0))  # how many of the guide's values survive

    def filing(self) -> dict[str, Any]:
        count = self.rng.choice((0, 1, 2, 3, 4, 5, 6))
        guide = splice([self.rng.choice(guides()) for _ in range(count)]) if count else _ABSENT
        filing = self.value(schema(), (), guide)
        filing.setdefault("filer", self.value(schema()["properties"]["filer"], ("filer",), _ABSENT))
        for pointer in OWNERSHIP_TABLES:
            table = _at(filing, pointer)
            if isinstance(table, dict):
                self.agree(table)
        return filing

    def agree(self, table: dict[str, Any]) -> None:
        """Make an ownership table's numbers agree as engine/validation/sanity.py requires (a table that does not is
        bad input, exit 2): shares within those outstanding plus rights, and each percentage computed on
        one of the bases Rule 13d-3 allows, so the rules on how rights were counted can still fire."""
        outstanding = table.get("shares_outstanding")
        if not outstanding:
            return
        for holder in table.get("holders", []):
            shares = holder.get("shares")
            if shares is None:
                continue
            rights = holder.get("rights_within_60_days", 0) + sum(o.get("amount", 0) for o in holder.get("options", []))
            if shares > outstanding + rights:
                shares = holder["shares"] = self.rng.randint(0, outstanding + rights)
            if "percent_of_class" in holder:
                basis = self.rng.choice((shares / (outstanding + rights), shares / outstanding,
                                         (shares + rights) / (outstanding + rights)))
                decimals = self.rng.choice((0, 1, 2, 6))  # 75, not 75.0: sanity.py reads the decimals written
                percent = round(100 * basis, decimals)
                holder["percent_of_class"] = min(100, int(percent) if decimals == 0 else percent)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def value(self, node: dict[str, Any], place: Path_, guide: Any) -> Any:
        node = resolve(node)
        kind = node.get("type")
        if kind == "object":
            return self.mapping(node, place, guide if isinstance(guide, dict) else _ABSENT)
        if kind == "array" and resolve(node["items"]).get("type") == "object":
            return self.array(node, place, guide if isinstance(guide, list) else _ABSENT)
        return self.leaf(node, place, guide)

    def mapping(self, node: dict[str, Any], place: Path_, guide: Any) -> dict[str, Any]:
        required = set(node.get("required", ()))
        result: dict[str, Any] = {}
        for key, child in node.get("properties", {}).items():
            given = guide.get(key, _ABSENT) if guide is not _ABSENT else _ABSENT
            if key in required:
                wanted = True
            elif given is not _ABSENT:
                wanted = self.chance(self.keep)
            else:
                wanted = self.chance(self.density)
            if wanted:
                result[key] = self.value(child, place + (key,), given)
        return result

    def array(self, node: dict[str, Any], place: Path_, guide: Any) -> list[Any]:
        items = [self.value(node["items"], place + ("*",), item)
                 for item in (guide if guide is not _ABSENT else []) if self.chance(self.keep)]
        extra = self.rng.choice((0, 0, 1, 1, 2, 3)) if guide is _ABSENT else int(self.chance(self.density))
        items += [self.value(node["items"], place + ("*",), _ABSENT) for _ in range(extra)]
        if items and self.chance(0.05):  # the same entry twice: a rule may match each copy
            items.insert(self.rng.randrange(len(items) + 1), copy.deepcopy(self.rng.choice(items)))
        return items

    def leaf(self, node: dict[str, Any], place: Path_, guide: Any) -> Any:
        if guide is not _ABSENT and valid_leaf(node, guide) and self.chance(self.fidelity):
            return copy.deepcopy(guide)
        pool = pools().get(place, ())
        if pool and self.chance(0.7):
            return copy.deepcopy(self.rng.choice(pool))
        return self.fresh(node)

    def fresh(self, node: dict[str, Any]) -> Any:
        """Any valid value for a scalar node, boundaries included."""
        node = resolve(node)
        if "oneOf" in node:
            return self.fresh(self.rng.choice(node["oneOf"]))
        if "enum" in node:
            return self.rng.choice(node["enum"])
        if "const" in node:
            return node["const"]
        kind = node.get("type")
        if kind == "boolean":
            return self.chance(0.5)
        if kind == "integer":
            return self.integer(node)
        if kind == "number":
            return self.number(node)
        if kind == "array":
            choices = list(resolve(node["items"])["enum"])
            picked = self.rng.sample(choices, self.rng.randint(node.get("minItems", 0), len(choices)))
            return picked
        if node.get("format") == "date":
            return self.date()
        if "pattern" in node:
            return _PATTERNS[node["pattern"]](self.rng)
        return self.text()

    def integer(self, node: dict[str, Any]) -> int:
        low, high = node.get("minimum", -10**6), node.get("maximum", 10**12)
        return self.rng.choice((low, high, max(low, min(high, self.rng.randint(0, 100))), self.rng.randint(low, high)))

    def number(self, node: dict[str, Any]) -> float | int:
        low = node.get("minimum", node.get("exclusiveMinimum", -1e6))
        high = node.get("maximum", 1e12)
        tiny = self.rng.choice((0.00001, 0.00005, 0.0001, 0.0025))  # the smallest amounts and percentages
        candidates = [low, high, round(self.rng.uniform(low, high), 2), round(self.rng.uniform(0, min(high, 100)), 3),
                      self.rng.randint(int(max(low, 0)), int(min(high, 10**6))), max(low, min(high, tiny))]
        value = self.rng.choice(candidates)
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            value = node["exclusiveMinimum"] + 1
        return value

    def date(self) -> str:
        if self.chance(0.1):
            return self.rng.choice(EDGE_DATES)
        day = datetime.date(2005, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 365 * 22))
        return day.isoformat()

    def text(self) -> str:
        roll = self.rng.random()
        if roll < 0.7 and names():
            return self.rng.choice(names())
        if roll < 0.85:
            return self.rng.choice(HOSTILE_TEXT)
        return self.rng.choice(HOSTILE_TEXT[:8]) + " " + self.rng.choice(names() or HOSTILE_TEXT)


def splice(filings: list[dict[str, Any]]) -> dict[str, Any]:
    """Several filings as one guide: mappings merged key by key (the first filing's scalar wins), lists of
    entries concatenated. The schema has no constraint across keys, so the result stays valid except
    for uniqueItems lists, which the generator rebuilds from the enum anyway."""
    merged: Any = _ABSENT
    for filing in filings:
        merged = _merge(merged, copy.deepcopy(filing))
    return merged


def _merge(a: Any, b: Any) -> Any:
    if a is _ABSENT:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {**b, **{k: _merge(v, b[k]) if k in b else v for k, v in a.items()}}
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, dict) for x in a + b):
        return a + b
    return a


def generate_filing(rng: random.Random) -> dict[str, Any]:
    return FilingGenerator(rng).filing()


def generated_filings(count: int, seed: int = 20090930) -> Iterator[dict[str, Any]]:
    """`count` filings from one seeded generator: the same filings on every run and machine."""
    rng = random.Random(seed)
    for _ in range(count):
        yield generate_filing(rng)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a value that occurs twice in full both times (precomment refuses YAML aliases), with
    libyaml's emitter when present: the pure-Python one took half of the batch test's time."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def to_yaml(filing: Any) -> str:
    """The description as a user would write it (block style, keys in schema order)."""
    return yaml.dump(filing, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


# ---------------------------------------------------------------------------------------------------
# Hypothesis strategies.


def filings() -> st.SearchStrategy[dict[str, Any]]:
    """Random valid filing descriptions (see the module docstring for how they are steered), each built
    by `generate_filing` from a seed hypothesis draws.

    Why a seed rather than hypothesis's own draws (`st.randoms(use_true_random=False)`, which would let a
    failure shrink): those lean towards small values (a fair coin built on them came up heads a quarter
    of the time), which starved the filings: as few as 43 of the 90 rules fired over 200 examples,
    against 85 to 89 with seeds. A failing example is printed in full (as `generate_filing(random.Random(N))`);
    reduce it by hand, dropping sections while it still fails."""
    return st.integers(0, 2**32 - 1).map(lambda seed: generate_filing(random.Random(seed)))


JUNK_VALUES = (None, True, False, 0, -1, 1.5, -0.0, 10**30, -10**30, 2**63, 2**64 + 1, 1e308, -1e308, 5e-324,
               float("nan"), float("inf"), "", " ", "¥607,917 thousand", "12%", "NaN", ".inf", "yes", "~",
               "2024-02-30", "0000-00-00", "F-0", "{x}", "\x00", "\x07bell", "\ud800", "\ufeffbom", "a" * 5000,
               [], {}, [None], {"": ""}, {"page": 0}, [1, [2, [3]]], {"name": {"name": "x"}})
"""Wrong types, huge and non-finite numbers, text that looks like a number or a date, control and
unpaired-surrogate characters, empty containers: what hand-written and exported files contain."""

JUNK_KEYS = ("", "id", "_id", "_type", "sid", "__proto__", "a/b~c", "percent_of_clas", "ＰＡＧＥ", "page ", "0")


def mutations(filing: dict[str, Any], rng: random.Random) -> dict[str, Any] | list[Any] | Any:
    """`filing` with one to four random kinds of damage done to random places in it."""
    damaged: Any = copy.deepcopy(filing)
    for _ in range(rng.randint(1, 4)):
        damaged = _damage(damaged, rng)
    return damaged


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _places(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _places(child, path + (index,))


def _damage(root: Any, rng: random.Random) -> Any:
    path = rng.choice(list(_places(root)))
    action = rng.choice(("drop", "replace", "replace", "junk_key", "nest", "wrap", "unicode", "duplicate"))
    if not path:
        return rng.choice((None, [], "text", 7, [root], {"filing": root})) if action in ("replace", "wrap") else root
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    last, current = path[-1], parent[path[-1]]
    if action == "drop":
        del parent[last]
    elif action == "replace":
        parent[last] = copy.deepcopy(rng.choice(JUNK_VALUES))
    elif action == "junk_key" and isinstance(current, dict):
        current[rng.choice(JUNK_KEYS)] = copy.deepcopy(rng.choice(JUNK_VALUES))
    elif action == "nest":
        deep: Any = current
        for _ in range(rng.choice((10, 63, 64, 65, 200))):
            deep = [deep] if rng.random() < 0.5 else {"x": deep}
        parent[last] = deep
    elif action == "wrap":
        parent[last] = [current]
    elif action == "unicode" and isinstance(current, str):
        parent[last] = current + rng.choice(("\u0301", "\u202e", "\U0001F4C8", "\u3000", "\r\n", "\x85", "\ud7ff"))
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(current))
    return root


def encodings(damaged: Any, rng: random.Random) -> tuple[bytes, str]:
    """The damaged description as the bytes of a file, and its name: YAML or JSON, sometimes with the
    bytes themselves damaged (cut short, a stray byte, a tab, a BOM, a tag, a second document)."""
    as_json = rng.random() < 0.3
    try:
        text = json.dumps(damaged, ensure_ascii=False, allow_nan=True) if as_json else to_yaml(damaged)
    except (ValueError, yaml.YAMLError, RecursionError):
        text = repr(damaged)
    raw = text.encode("utf-8", "surrogatepass")
    name = "fuzz.json" if as_json else "fuzz.yaml"
    roll = rng.random()
    if roll < 0.1 and raw:
        raw = raw[: rng.randrange(len(raw))]
    elif roll < 0.2:
        at = rng.randrange(len(raw) + 1)
        stray = rng.choice((0x00, 0x09, 0x80, 0xC3, 0xFF, 0x7B, 0x5B, 0x3A, 0x26, 0x2A, 0x21))  # NUL, tab, bad UTF-8, {[:&*!
        raw = raw[:at] + bytes([stray]) + raw[at:]
    elif roll < 0.25:
        raw = b"\xef\xbb\xbf" + raw
    elif roll < 0.3:
        raw = b"--- !!python/object/apply:os.system ['echo owned']\n" + raw
    elif roll < 0.35:
        raw = raw + b"\n---\nsecond: document\n"
    elif roll < 0.4:
        raw = raw.replace(b"  ", b"\t", 1)
    return raw, name


def damaged_files() -> st.SearchStrategy[tuple[bytes, str]]:
    """Bytes of files that were valid descriptions before random damage, with their file names (built from
    a seed, as `filings` explains)."""
    return st.integers(0, 2**32 - 1).map(damaged_file)


def damaged_file(seed: int) -> tuple[bytes, str]:
    rng = random.Random(seed)
    return encodings(mutations(generate_filing(rng), rng), rng)
