"""Synthetic filing descriptions for benchmarks, from about 100 to about 100,000 facts.

A real description holds a few hundred facts; benchmarks need the same shapes at any size. Each
generated filing is built from the four bundled descriptions (filings/): its sections (cover page,
Item 3, ..., the notes) come from the corrected fiscal-2024 draft, completed by the amended IIJ
description, and its lists (risk factors, suppliers, leases, directors and holders, related-party
transactions, material contracts, exhibits, revenue and balance-sheet lines, notes ...) are filled
with *replicas*: all the list items of one bundled description, picked at random, with names and
exhibit numbers made distinct per replica but kept consistent inside it, so that the joins between
sections (a supplier, its risk factor and its exhibit) hold as they do in the original. Items of the
IIJ descriptions are moved forward to fiscal 2024. Replicas of the first drafts, and items randomly
left out of the corrected ones, give findings at a realistic rate (a few per hundred facts).

The size is the number of facts the engine builds (len(build_facts(...).facts)); the same seed and
size always give byte-identical YAML. Run from the repository root:

    python benchmarks/generate.py --facts 10000 --seed 1 -o out.yaml
    python benchmarks/generate.py --facts 100 --count 1000 --dir filings-100/
"""
from __future__ import annotations

import argparse
import copy
import datetime
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from precomment.errors import InputError
from precomment.facts.build import build_facts
from precomment.resources import load_schema
from precomment.sources.load import load_bytes, load_file
from precomment.validation.fact_model import FILING_SCHEMA, PlanNode, fact_model
from precomment.validation.formitems import within
from precomment.validation.sanity import DECLARATIONS
from precomment.validation.validate import check

ROOT = Path(__file__).resolve().parents[1]
FILINGS = ROOT / "filings"
BASE = "lanternfish-fy2024-20f-corrected.yaml"
"""The filer and section-level values of every generated filing: fiscal 2024, so every rule is in force."""
COMPLEMENT = "iij-fy2009-20f-amended.yaml"
"""Supplies the sections the base leaves out (MD&A trends, revenue recognition, taxes, fair value ...)."""
DRAFTS = ("iij-fy2009-20f.yaml", "lanternfish-fy2024-20f.yaml")
"""First drafts: about half a finding per fact. They carry most of the findings."""
CORRECTED = ("iij-fy2009-20f-amended.yaml", "lanternfish-fy2024-20f-corrected.yaml")
"""Corrected drafts: no findings of their own."""
CYCLE = 10
"""Of every ten replicas, in an order shuffled per cycle, one is a first draft and nine are corrected:
about five findings per hundred facts, at every size from a thousand facts up."""
DROP_RATE = 0.03
"""Share of list items left out of a replica: a missing exhibit or holder is a common drafting gap."""
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter: ten times faster than the pure-Python one at 100,000 facts (same text there)."""
ListPath = tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """One list item of a replica, ready to append: where it goes, its value, and its facts."""

    path: ListPath
    value: dict[str, Any]
    facts: int


# --- the fact model: which lists a filing has and how many facts an item makes ---

def list_paths(plan: PlanNode | None = None, prefix: ListPath = ()) -> list[ListPath]:
    """Paths of the lists of facts directly under sections (not those nested in list items), in
    document order: where replicas add their items."""
    plan = plan or fact_model().plan
    paths: list[ListPath] = []
    for name, child in plan.children.items():
        if child.kind == "fact_array":
            paths.append(prefix + (name,))
        elif child.kind in ("container", "fact"):
            paths.extend(list_paths(child, prefix + (name,)))
    return paths


def count_facts(value: Any, plan: PlanNode) -> int:
    """Facts the engine builds from `value` under `plan` (mirrors precomment.facts.build)."""
    if plan.kind == "fact_array":
        return sum(count_facts(item, plan.item) for item in value)
    if plan.kind == "field" or not isinstance(value, dict):
        return 0
    own = 1 if plan.kind == "fact" else 0
    return own + sum(count_facts(value[name], child) for name, child in plan.children.items() if name in value)


def plan_at(path: ListPath) -> PlanNode:
    plan = fact_model().plan
    for name in path:
        plan = plan.children[name]
    return plan


# --- making a replica's values distinct, consistently ---

class Retyper:
    """Rewrites one source document for replica `k`: free-text strings get a suffix, exhibit numbers a
    distinct number, fiscal years and dates move by `years`. The same value always maps to the same
    result within a replica, so names still join across sections."""

    def __init__(self, k: int, years: int) -> None:
        schema = load_schema(FILING_SCHEMA)
        self.defs = schema["$defs"]
        self.root = schema
        self.k = k
        self.years = years

    def document(self, data: dict[str, Any]) -> dict[str, Any]:
        return self.value(data, self.root)

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        name = None
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = {**self.defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return node, name

    def value(self, value: Any, node: dict[str, Any]) -> Any:
        node, def_name = self.resolve(node)
        if isinstance(value, dict):
            properties = node.get("properties", {})
            return {key: self.value(item, properties.get(key, {})) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, node.get("items", {})) for item in value]
        if def_name == "year" and isinstance(value, int):
            return value + self.years
        if isinstance(value, str):
            return self.text(value, node, def_name)
        return value

    def text(self, value: str, node: dict[str, Any], def_name: str | None) -> Any:
        if node.get("format") == "date":
            return _shift_date(value, self.years)
        if def_name == "exhibit_number":
            return self.exhibit(value)
        free_text = node.get("type") == "string" and not any(key in node for key in ("enum", "const", "pattern"))
        if self.k == 0 or not free_text:
            return value
        return f"{value} {self.k}"

    def exhibit(self, number: str) -> str:
        """"4.1" in replica 1234 becomes "4.234.101": still a valid exhibit number, unique per replica."""
        if self.k == 0:
            return number
        major, _, minor = number.partition(".")
        first = minor.split(".")[0] if minor else "0"
        return f"{major}.{self.k % 1000}.{(self.k // 1000) * 100 + int(first) % 100}"


def _shift_date(value: str, years: int) -> datetime.date | str:
    """A date moved by whole years (29 February becomes the 28th); dumped unquoted, as people write it."""
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    year = date.year + years
    return date.replace(year=year, day=min(date.day, 28 if date.month == 2 else 31))


# --- assembling a filing ---

class Material:
    """The bundled descriptions, loaded once, with their fiscal years."""

    def __init__(self) -> None:
        self.data = {name: load_file(FILINGS / name).data for name in DRAFTS + CORRECTED}
        self.base_year = self.year(BASE)

    def year(self, name: str) -> int:
        return datetime.date.fromisoformat(self.data[name]["filer"]["fiscal_year_end"]).year

    def retyped(self, name: str, k: int) -> dict[str, Any]:
        return Retyper(k, self.base_year - self.year(name)).document(self.data[name])


def skeleton(material: Material, paths: list[ListPath]) -> dict[str, Any]:
    """Every section of the base filing, completed by the complement's, with every list emptied."""
    merged = _merge(material.retyped(BASE, 0), material.retyped(COMPLEMENT, 0))
    for path in paths:
        section = _get(merged, path[:-1])
        if isinstance(section, dict) and path[-1] in section:
            section[path[-1]] = []
    return _undeclare_described(merged)


def _undeclare_described(data: dict[str, Any]) -> dict[str, Any]:
    """The merged filing without the Form items one filing declares and the other describes: a description
    must not do both (validation refuses it)."""
    for kind in DECLARATIONS:
        block = data.get(kind, {})
        for designation in list(block):
            if any(within(s.form_item, designation) and s.described(data) for s in fact_model().sections):
                del block[designation]
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in extra.items():
        if key not in result:
            result[key] = copy.deepcopy(value)
        elif isinstance(result[key], dict) and isinstance(value, dict):
            result[key] = _merge(result[key], value)
    return result


def _get(data: dict[str, Any], path: ListPath) -> Any:
    for name in path:
        if not isinstance(data, dict) or name not in data:
            return None
        data = data[name]
    return data


def cycle(index: int, rng: random.Random) -> list[str]:
    """The sources of the `index`th run of CYCLE replicas: one first draft, the rest corrected, both
    issuers alternating, in random order."""
    sources = [DRAFTS[index % 2]] + [CORRECTED[(index + i) % 2] for i in range(CYCLE - 1)]
    rng.shuffle(sources)
    return sources


def replica_units(material: Material, paths: list[ListPath], rng: random.Random, k: int, source: str) -> list[Unit]:
    """The list items of the bundled description `source`, retyped for replica `k`, less a few left out
    at random."""
    data = material.retyped(source, k)
    units = []
    for path in paths:
        items = _get(data, path)
        for item in items or ():
            if rng.random() >= DROP_RATE:
                units.append(Unit(path, item, count_facts(item, plan_at(path).item)))
    return units


def generate(facts: int, seed: int, material: Material | None = None) -> dict[str, Any]:
    """A filing description of about `facts` facts (never fewer, unless the sections alone exceed it)."""
    material = material or Material()
    rng = random.Random(seed)
    paths = list_paths()
    data = skeleton(material, paths)
    total = count_facts(data, fact_model().plan)
    k = 0
    sources: list[str] = []
    while total < facts:
        if not sources:
            sources = cycle(k // CYCLE, rng)
        units = replica_units(material, paths, rng, k, sources.pop())
        chosen = _fill(units, facts - total, rng)
        for unit in chosen:
            _append(data, unit)
        total += sum(unit.facts for unit in chosen)
        k += 1
    return data


def _fill(units: list[Unit], budget: int, rng: random.Random) -> list[Unit]:
    """All the units if they fit the budget; else a random selection that just reaches it, kept in
    document order (so a small filing gets some of every list, not all of the first ones)."""
    if sum(unit.facts for unit in units) <= budget:
        return units
    order = list(range(len(units)))
    rng.shuffle(order)
    chosen: set[int] = set()
    spent = 0
    for index in order:
        if spent >= budget:
            break
        chosen.add(index)
        spent += units[index].facts
    return [unit for index, unit in enumerate(units) if index in chosen]


def _append(data: dict[str, Any], unit: Unit) -> None:
    section = data
    for name in unit.path[:-1]:
        section = section.setdefault(name, {})
    section.setdefault(unit.path[-1], []).append(unit.value)


def _drop_empty(data: Any) -> Any:
    """Lists no replica reached are left out, as a preparer would (most lists need an item)."""
    if isinstance(data, dict):
        return {key: _drop_empty(value) for key, value in data.items() if value != []}
    return data


def render(data: dict[str, Any], facts: int, seed: int) -> str:
    header = (f"# Synthetic Form 20-F description for benchmarks: NOT a real filing.\n"
              f"# Generated by benchmarks/generate.py --facts {facts} --seed {seed} from the bundled descriptions.\n")
    return header + yaml.dump(_drop_empty(data), Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120,
                              default_flow_style=False)


def checked_count(text: str, source: str) -> int:
    """Validate the text as precomment does and return its fact count; raise if it is not valid."""
    document = load_bytes(text.encode("utf-8"), source)
    check(document, FILING_SCHEMA)
    return len(build_facts(document).facts)


def write(path: Path | None, facts: int, seed: int, material: Material, validate: bool) -> int | None:
    text = render(generate(facts, seed, material), facts, seed)
    count = checked_count(text, str(path or "<stdout>")) if validate else None
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return count


def batch_seeds(seed: int, count: int) -> Iterator[tuple[int, int]]:
    """(index, seed) of each filing of a batch: distinct, and the same for the same --seed."""
    for index in range(1, count + 1):
        yield index, seed * 1_000_003 + index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=1000, help="target number of facts per filing (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    parser.add_argument("--count", type=int, help="write this many filings into --dir instead of one")
    parser.add_argument("--dir", type=Path, help="directory for --count filings (created if needed)")
    parser.add_argument("--no-validate", action="store_true", help="skip validating what is written")
    args = parser.parse_args(argv)
    if args.facts < 1 or (args.count is not None and (args.count < 1 or args.dir is None)):
        parser.error("--facts must be positive; --count needs a positive number and --dir")
    material = Material()
    try:
        if args.count is None:
            count = write(args.output, args.facts, args.seed, material, not args.no_validate)
            _say(f"{args.output or '<stdout>'}: {_facts(count)} (target {args.facts}, seed {args.seed})")
            return 0
        args.dir.mkdir(parents=True, exist_ok=True)
        counts = [write(args.dir / f"synthetic-{index:05d}.yaml", args.facts, seed, material, not args.no_validate)
                  for index, seed in batch_seeds(args.seed, args.count)]
        known = [c for c in counts if c is not None]
        _say(f"{args.dir}: {args.count} filings" +
             (f", {min(known)} to {max(known)} facts each (target {args.facts})" if known else ""))
        return 0
    except InputError as error:  # a generator bug: the output must always be a valid description
        print(f"generate.py: the generated filing is not valid:\n{error}", file=sys.stderr)
        return 3


def _facts(count: int | None) -> str:
    return "not validated" if count is None else f"{count} facts"


def _say(text: str) -> None:
    print(text, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
