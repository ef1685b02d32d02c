"""Benchmark: loading a rule pack of 150 to 2,100 rules on a cold cache, and `rules test` on it.

A pack is made of copies of the bundled rules, each copy with a new id, a new name and new names for
the derived values it declares and reads (so the derivations grow with the pack, as in a pack of
distinct rules), examples unchanged. Each size is then measured in fresh processes, from the
repository root, without the rule cache:

- `precomment rules list --no-builtin-rules --rules PACK --no-cache --no-config`: the whole load (rule
  files read and validated, parsed, derived values ordered, every example verified, rules compiled),
  as a user waits for it; the best of --repeat runs, in CPU seconds (user + system: what other
  processes on a shared machine disturb least) and wall seconds;
- the same load in one worker process, stage by stage, in CPU seconds: `load_rules` (files, schema,
  parsing, derived-value ordering), `verify_examples` (every example on the oracle) and `compile_rules`;
- with --rules-test, `precomment rules test PACK` (every example on both evaluators), as the first.

Timings are reported, never asserted: the machine is shared and noisy. Run from the repository root:

    .venv/bin/python benchmarks/rule_packs.py                      # 150, 600, 2,100 rules
    .venv/bin/python benchmarks/rule_packs.py --sizes 150,600 --repeat 3 --rules-test --json out.json
    .venv/bin/python benchmarks/rule_packs.py --write 600 --dir /tmp/pack600   # only write a pack

To measure another version of precomment with the same packs, point PYTHONPATH at a directory whose
`precomment` is that version's engine/ (with its rules/ and schemas/ as precomment/rules and
precomment/schemas): the worker processes inherit it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = (150, 600, 2_100)
_ID = re.compile(r"^PC-(\w+)-\d{3}$")
_DERIVED = re.compile(r"\bderived\.([a-z][a-z0-9_]*)")


# --- writing a pack ---

def write_pack(size: int, directory: Path) -> int:
    """Write `size` rule files under `directory`: the bundled rules, copied round after round, each copy
    renamed. Returns the number of examples written."""
    import yaml
    from precomment.resources import rules_dir
    from precomment.sources.load import load_file

    sources = sorted(rules_dir().rglob("*.yaml"))
    numbers: dict[str, int] = {}
    examples = 0
    for index in range(size):
        copy, source = divmod(index, len(sources))
        data = _renamed(load_file(sources[source]).data, copy + 1, numbers)
        examples += len(data["examples"]["fail"]) + len(data["examples"]["pass"])
        target = directory / sources[source].parent.name / f"{data['name']}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return examples


def _renamed(rule: dict[str, Any], copy: int, numbers: dict[str, int]) -> dict[str, Any]:
    """Copy number `copy` of a rule: id PC-<item>-<next free number of that item>, name and derived
    names suffixed with the copy's number (derived.x becomes derived.x_c<copy> wherever it is read)."""
    item = _ID.match(rule["id"]).group(1)  # type: ignore[union-attr]
    numbers[item] = numbers.get(item, 0) + 1
    if numbers[item] > 999:
        raise SystemExit(f"more than 999 copies of the rules of item {item}: ids would not be unique")
    data = _rename_derived(rule, f"_c{copy}")
    data["id"] = f"PC-{item}-{numbers[item]:03d}"
    data["name"] = f"{rule['name']}-c{copy}"
    return data


def _rename_derived(node: Any, suffix: str) -> Any:
    """Every `derived.NAME` in keys and text, and every key under `derive`, with the suffix appended."""
    if isinstance(node, dict):
        renamed = {_DERIVED.sub(rf"derived.\1{suffix}", key): _rename_derived(value, suffix) for key, value in node.items()}
        if isinstance(renamed.get("derive"), dict):
            renamed["derive"] = {name + suffix: spec for name, spec in renamed["derive"].items()}
        return renamed
    if isinstance(node, list):
        return [_rename_derived(item, suffix) for item in node]
    if isinstance(node, str):
        return _DERIVED.sub(rf"derived.\1{suffix}", node)
    return node


# --- measuring ---

def stages(pack: Path) -> dict[str, Any]:
    """The worker's job: one cold load of the pack, stage by stage, in this fresh process (CPU seconds)."""
    from precomment.checking.examples import verify_examples
    from precomment.evaluation.durable_rules.compile import compile_rules
    from precomment.language.rulebook import load_rules

    seconds: dict[str, float] = {}
    start = time.process_time()
    ruleset = load_rules([pack])
    seconds["load_rules"] = time.process_time() - start
    start = time.process_time()
    verify_examples(ruleset, ruleset.rules)
    seconds["verify_examples"] = time.process_time() - start
    start = time.process_time()
    partitions = compile_rules(ruleset)
    seconds["compile_rules"] = time.process_time() - start
    return {"rules": len(ruleset.rules), "derivations": len(ruleset.derivations), "rulesets": len(partitions),
            "seconds": seconds}


def timed_runs(command: list[str], repeat: int) -> list[dict[str, float]]:
    """Each of `repeat` runs of a command (output discarded, exit 0 required): its wall-clock seconds,
    and its CPU seconds (user + system), which other processes on a shared machine disturb far less."""
    runs = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PRECOMMENT_NO_CACHE": "1"})
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
        runs.append({"wall": wall, "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime})
    return runs


def measure(size: int, repeat: int, rules_test: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"precomment-pack-{size}-") as temporary:
        pack = Path(temporary)
        examples = write_pack(size, pack)
        precomment = [sys.executable, "-m", "precomment"]
        result: dict[str, Any] = {"size": size, "examples": examples}
        result["rules_list"] = timed_runs(precomment + ["rules", "list", "--no-builtin-rules", "--rules", str(pack),
                                                        "--no-cache", "--no-config"], repeat)
        worker = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--stages", str(pack)],
                                cwd=ROOT, capture_output=True, text=True, check=False)
        if worker.returncode != 0:
            raise SystemExit(f"stage worker failed:\n{worker.stderr}")
        result.update(json.loads(worker.stdout))
        if rules_test:
            result["rules_test"] = timed_runs(precomment + ["rules", "test", str(pack)], repeat)
        return result


def table(results: list[dict[str, Any]]) -> str:
    """One row per measure, one column per pack size, and the growth from one size to the next. Commands:
    the best CPU seconds of the runs, with the best wall seconds in brackets; stages: CPU seconds."""
    sizes = [r["size"] for r in results]
    rows: list[tuple[str, list[float], list[float] | None]] = []
    rows.append(("rules list --no-cache", [min(t["cpu"] for t in r["rules_list"]) for r in results],
                 [min(t["wall"] for t in r["rules_list"]) for r in results]))
    for stage in ("load_rules", "verify_examples", "compile_rules"):
        rows.append((f"  {stage}", [r["seconds"][stage] for r in results], None))
    if all("rules_test" in r for r in results):
        rows.append(("rules test", [min(t["cpu"] for t in r["rules_test"]) for r in results],
                     [min(t["wall"] for t in r["rules_test"]) for r in results]))
    growth = [f"x {a:,}->{b:,}" for a, b in zip(sizes, sizes[1:])]
    lines = ["| CPU s (wall s) | " + " | ".join(f"{s:,} rules" for s in sizes) + " | " + " | ".join(growth) + " |",
             "| --- " * (1 + len(sizes) + len(growth)) + "|"]
    for label, values, walls in rows:
        cells = [f"{v:.2f}" + (f" ({w:.2f})" if walls else "") for v, w in zip(values, walls or values)]
        ratios = [f"{b / a:.1f}" if a else "" for a, b in zip(values, values[1:])]
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines.append("| examples / derivations / rulesets | "
                 + " | ".join(f"{r['examples']:,} / {r['derivations']:,} / {r['rulesets']:,}" for r in results) + " |"
                 + " |" * len(growth))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="rules per pack (default 150,600,2100)")
    parser.add_argument("--repeat", type=int, default=1, help="wall-time runs per command (the best is shown)")
    parser.add_argument("--rules-test", action="store_true", help="also time `precomment rules test PACK`")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--write", type=int, metavar="N", help="only write a pack of N rules into --dir")
    parser.add_argument("--dir", type=Path, help="where --write puts the pack")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)  # the worker's job
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(stages(args.stages)))
        return
    if args.write:
        if not args.dir:
            parser.error("--write needs --dir")
        print(f"{args.write} rules, {write_pack(args.write, args.dir)} examples in {args.dir}")
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        results.append(measure(size, args.repeat, args.rules_test))
        print(f"{size:,} rules: {json.dumps(results[-1])}", file=sys.stderr, flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
