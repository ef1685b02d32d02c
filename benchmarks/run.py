"""Benchmarks: where a check spends its time and memory, from 100 to 100,000 facts, and on the command line.

For each size, a synthetic filing (benchmarks/generate.py) is measured in a fresh process, stage by
stage: the YAML parse alone with PyYAML's C loader (the yardstick), precomment's own load (which also
records positions), schema validation, fact building, derivation, durable-rules and oracle evaluation,
findings, and the JSON and table reports; then the process's peak resident memory. Each timing is the
median of several runs (time.perf_counter). Then the command line: the wall time of one check of the
bundled IIJ filing, of `precomment --version`, of a bare interpreter, and the import time; and batch
throughput: many small filings checked in one process.

Timings are reported, never asserted: the machine is shared and noisy. Run from the repository root:

    .venv/bin/python benchmarks/run.py                       # 100, 1k, 10k, 100k facts
    .venv/bin/python benchmarks/run.py --sizes 1k,10k --repeat 5 --json out.json --plot out.png
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IIJ = "filings/iij-fy2009-20f.yaml"
DEFAULT_SIZES = (100, 1_000, 10_000, 100_000)
LARGE = 50_000
"""From this many facts on, a size is timed --repeat-large times (default once): 100,000 facts take minutes."""

STAGES: tuple[tuple[str, str], ...] = (
    ("yaml_c", "YAML parse alone (PyYAML C loader)"),
    ("load", "load (precomment: parse + positions)"),
    ("validate", "schema validation"),
    ("facts", "fact building"),
    ("derive", "derivation"),
    ("durable", "durable-rules evaluation"),
    ("oracle", "oracle evaluation"),
    ("findings", "findings"),
    ("report_json", "report: json"),
    ("report_table", "report: table"),
)
AFTER_PARSE = ("validate", "facts", "derive", "durable", "findings", "report_table")
"""What `precomment check` does after reading the file (the table report is the default)."""
CHECK = ("load",) + AFTER_PARSE
"""One `precomment check` of a filing, without start-up: what a user waits for beyond the interpreter."""


# --- measuring one filing, in a worker process ---

def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Pipeline:
    """The stages of a check, called one at a time so each can be timed on its own."""

    def __init__(self) -> None:
        from precomment.checking.pipeline import Checker
        from precomment.language.rulebook import load_rules

        self.checker = Checker(load_rules())

    def run(self, text: str, source: str, oracle: bool) -> tuple[dict[str, float], dict[str, Any]]:
        """Every stage once; returns the seconds per stage and what the stages produced."""
        import yaml
        from precomment.checking.findings import build_findings
        from precomment.evaluation import oracle as reference
        from precomment.facts.build import build_facts
        from precomment.sources.load import load_bytes
        from precomment.validation.fact_model import FILING_SCHEMA
        from precomment.validation.validate import check

        checker = self.checker
        seconds: dict[str, float] = {}
        seconds["yaml_c"], _ = timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        seconds["load"], document = timed(lambda: load_bytes(text.encode("utf-8"), source))
        seconds["validate"], _ = timed(lambda: check(document, FILING_SCHEMA))
        seconds["facts"], facts = timed(lambda: build_facts(document))
        seconds["derive"], _ = timed(lambda: checker.deriver.apply(facts.facts, facts.by_id))
        seconds["durable"], matches = timed(lambda: checker.durable.evaluate(facts.facts))
        agree = None
        if oracle:
            seconds["oracle"], expected = timed(lambda: reference.evaluate(checker.ruleset, facts.facts))
            agree = sorted(expected) == sorted(matches)

        def findings() -> list[Any]:
            skipped = checker.not_applicable(document)
            return build_findings(checker.ruleset, [m for m in matches if m.rule_id not in skipped], facts)

        seconds["findings"], found = timed(findings)
        results = self.results(document, found)
        rules = checker.ruleset.rules
        seconds["report_json"], _ = timed(lambda: render("json", results, rules))
        seconds["report_table"], _ = timed(lambda: render("table", results, rules))
        return seconds, {"facts": len(facts.facts), "matches": len(matches), "findings": len(found),
                         "rules_firing": len({f.rule_id for f in found}), "evaluators_agree": agree}

    def results(self, document: Any, findings: list[Any]) -> list[Any]:
        from precomment.checking.result import FilingResult

        filer = document.data.get("filer", {})
        return [FilingResult(document.source, {k: filer[k] for k in ("name", "form", "fiscal_year_end") if k in filer},
                             findings, not_applicable=self.checker.not_applicable(document))]


def render(name: str, results: list[Any], rules: tuple[Any, ...]) -> str:
    """The report of `results` in one format, summary included (as the CLI writes it, but in memory)."""
    from precomment.reports.formats import render as render_format
    from precomment.reports.model import Gate, Report

    return render_format(name, Report.of(results, Gate("error"), rules, today=datetime.date(2025, 1, 1)), results)


def peak_rss_mib() -> float:
    """This process's peak resident set so far. On Linux, VmHWM: ru_maxrss also counts the memory of the
    parent at the time it forked this process, even after exec; the parent is kept small, and both are
    recorded in the JSON. Elsewhere ru_maxrss (KiB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mib()


def maxrss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def measure_file(path: Path, repeat: int, oracle: bool, gc_off: bool) -> dict[str, Any]:
    """The worker's job: set up, warm up on the IIJ filing (rules registered, schema compiled, caches
    filled), then time every stage `repeat` times on `path`."""
    from precomment.errors import InputError

    setup, pipeline = timed(Pipeline)
    pipeline.run((ROOT / IIJ).read_text(encoding="utf-8"), IIJ, oracle=True)
    before = peak_rss_mib()
    text = path.read_text(encoding="utf-8")
    if gc_off:
        gc.disable()
    samples: dict[str, list[float]] = {}
    outcome: dict[str, Any] = {}
    try:
        for _ in range(repeat):
            seconds, outcome = pipeline.run(text, str(path), oracle)
            for stage, value in seconds.items():
                samples.setdefault(stage, []).append(value)
    except InputError as error:  # e.g. beyond the loader's limits: reported, the other sizes still run
        return {"file": str(path), "bytes": len(text.encode("utf-8")), "refused": error.problems[0].render()}
    return {"file": str(path), "bytes": len(text.encode("utf-8")), **outcome, "setup_seconds": setup,
            "samples": samples, "median": {stage: statistics.median(v) for stage, v in samples.items()},
            "rss_before_mib": before, "peak_rss_mib": peak_rss_mib(), "ru_maxrss_mib": maxrss_mib(), "gc": not gc_off}


def measure_batch(directory: Path) -> dict[str, Any]:
    """Check every filing of `directory` in this process, as `precomment check DIR` would: rules
    compiled once, then one check per filing, then one table report for them all."""
    setup, pipeline = timed(Pipeline)
    paths = sorted(directory.glob("*.yaml"))
    seconds, results = timed(lambda: [pipeline.checker.check_path(path) for path in paths])
    report_seconds, _ = timed(lambda: render("table", results, pipeline.checker.ruleset.rules))
    total = seconds + report_seconds
    return {"filings": len(paths), "setup_seconds": setup, "check_seconds": seconds, "report_seconds": report_seconds,
            "filings_per_second": len(paths) / total, "findings": sum(len(r.findings) for r in results),
            "invalid": sum(1 for r in results if r.problems), "peak_rss_mib": peak_rss_mib(), "ru_maxrss_mib": maxrss_mib()}


def in_worker(arguments: list[str]) -> dict[str, Any]:
    """Run this script as a fresh worker process and return the JSON it prints."""
    command = [sys.executable, str(Path(__file__).resolve())] + arguments
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        raise SystemExit(f"benchmark worker failed ({' '.join(arguments)}):\n{completed.stderr}")
    return json.loads(completed.stdout)


# --- the command line, measured from outside ---

def wall_times(command: Sequence[str], runs: int, expect: Iterable[int] = (0,)) -> list[float]:
    """Wall-clock seconds of `runs` runs of a command (output discarded), from the repository root."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        completed = subprocess.run(list(command), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if completed.returncode not in expect:
            raise SystemExit(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stderr}")
    return times


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_rows(command: Sequence[str]) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, module) for every import `python -X importtime` logs."""
    completed = subprocess.run([sys.executable, "-X", "importtime"] + list(command), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rows = []
    for line in completed.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            rows.append((int(match[1]), int(match[2]), (len(match[3]) - 1) // 2, match[4]))
    return rows


def import_cost(command: Sequence[str], startup: set[str]) -> tuple[float, dict[str, float]]:
    """Seconds spent importing beyond interpreter start-up, and that time by top-level package."""
    rows = import_rows(command)
    total = sum(cumulative for _, cumulative, depth, name in rows if depth == 0 and name not in startup)
    startup_modules = _startup_tree(rows, startup)
    by_package: dict[str, float] = {}
    for index, (own, _, _, name) in enumerate(rows):
        if index not in startup_modules:
            package = name.split(".")[0]
            by_package[package] = by_package.get(package, 0.0) + own / 1e6
    return total / 1e6, by_package


def _startup_tree(rows: list[tuple[int, int, int, str]], startup: set[str]) -> set[int]:
    """Indexes of the rows that belong to start-up imports (a depth-0 start-up module and what it imported,
    which -X importtime lists just before it)."""
    indexes: set[int] = set()
    pending: list[int] = []
    for index, (_, _, depth, name) in enumerate(rows):
        pending.append(index)
        if depth == 0:
            if name in startup:
                indexes.update(pending)
            pending = []
    return indexes


def measure_cli(runs: int) -> dict[str, Any]:
    precomment = str(Path(sys.executable).parent / "precomment")
    startup = {name for _, _, depth, name in import_rows(["-c", "pass"]) if depth == 0}
    imports = [import_cost(["-c", "import precomment.cli"], startup) for _ in range(max(3, runs // 2))]
    check_imports = import_cost(["-m", "precomment", "check", IIJ], startup)
    check = wall_times([precomment, "check", IIJ], runs, expect=(1,))
    return {
        "check_iij": _summary(check),
        "version": _summary(wall_times([precomment, "--version"], runs)),
        "python_startup": _summary(wall_times([sys.executable, "-c", "pass"], runs)),
        "import_cli": _summary([total for total, _ in imports]),
        "import_cli_by_package": imports[len(imports) // 2][1],
        "import_check_iij": check_imports[0],
        "import_check_iij_by_package": check_imports[1],
    }


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "samples": values}


# --- putting it together ---

def parse_sizes(text: str) -> list[int]:
    """"100,1k,10k,100k" -> [100, 1000, 10000, 100000]."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        factor = 1_000 if part.endswith("k") else 1
        sizes.append(int(float(part.rstrip("k")) * factor))
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers of facts, e.g. 100,1k,10k")
    return sizes


def generated(arguments: list[str]) -> None:
    """Run benchmarks/generate.py in its own process, so this one stays small (see peak_rss_mib)."""
    command = [sys.executable, str(HERE / "generate.py"), "--no-validate"] + arguments
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"generate.py {' '.join(arguments)} failed:\n{completed.stderr}")


def run_sizes(args: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    results = []
    for size in args.sizes:
        path = work / f"synthetic-{size}.yaml"
        generated(["--facts", str(size), "--seed", str(args.seed), "-o", str(path)])
        repeat = args.repeat_large if size >= LARGE else args.repeat
        oracle = args.oracle_max == 0 or size <= args.oracle_max
        _progress(f"{size:,} facts: {repeat} run{'s' if repeat != 1 else ''}{'' if oracle else ', oracle skipped'}")
        worker = ["--worker", str(path), "--repeat", str(repeat)] + ([] if oracle else ["--skip-oracle"])
        results.append({"size": size, **in_worker(worker + (["--no-gc"] if args.no_gc else []))})
    return results


def run_batch(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    directory = work / "batch"
    generated(["--facts", str(args.batch_facts), "--seed", str(args.seed), "--count", str(args.batch), "--dir", str(directory)])
    _progress(f"batch: {args.batch} filings of about {args.batch_facts} facts")
    return {"facts_each": args.batch_facts, **in_worker(["--batch-worker", str(directory)])}


def environment() -> dict[str, Any]:
    def git(*command: str) -> str:
        completed = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
        return completed.stdout.strip()
    import precomment

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "commit": git("rev-parse", "--short", "HEAD"), "modified_files": len(git("status", "--porcelain").splitlines()),
            "precomment": str(Path(precomment.__file__).parent),
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}


def _progress(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


# --- reporting ---

def stage_table(sizes: list[dict[str, Any]]) -> str:
    from tabulate import tabulate

    headers = ["stage (median seconds)"] + [f"{r['facts']:,} facts" for r in sizes] + _ratio_headers(sizes)
    rows = []
    for key, title in STAGES:
        values = [r["median"].get(key) for r in sizes]
        rows.append([title] + [_seconds(v) for v in values] + _ratios(values))
    for title, keys in (("check after the parse", AFTER_PARSE), ("check: load to table report", CHECK)):
        values = [sum(r["median"][k] for k in keys) for r in sizes]
        rows.append([title] + [_seconds(v) for v in values] + _ratios(values))
    rows.append(["after the parse / C-loader parse"] + [f"{after_parse_ratio(r):.2f}x" for r in sizes] + [""] * (len(sizes) - 1))
    rows.append(["peak RSS (MiB)"] + [f"{r['peak_rss_mib']:.0f}" for r in sizes] + _ratios([r["peak_rss_mib"] for r in sizes]))
    rows.append(["RSS before the filing (MiB)"] + [f"{r['rss_before_mib']:.0f}" for r in sizes] + [""] * (len(sizes) - 1))
    rows.append(["file size (KiB)"] + [f"{r['bytes'] / 1024:,.0f}" for r in sizes] + [""] * (len(sizes) - 1))
    rows.append(["findings (rules firing)"] + [f"{r['findings']} ({r['rules_firing']})" for r in sizes] + [""] * (len(sizes) - 1))
    rows.append(["runs timed; evaluators agree"] + [f"{len(r['samples']['load'])}; {_agree(r)}" for r in sizes]
                + [""] * (len(sizes) - 1))
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                    colalign=("left",) + ("right",) * (len(headers) - 1))


def after_parse_ratio(result: dict[str, Any]) -> float:
    return sum(result["median"][k] for k in AFTER_PARSE) / result["median"]["yaml_c"]


def _ratio_headers(sizes: list[dict[str, Any]]) -> list[str]:
    return [f"x {_short(a['facts'])}->{_short(b['facts'])}" for a, b in zip(sizes, sizes[1:])]


def _ratios(values: list[float | None]) -> list[str]:
    return [f"{b / a:.1f}" if a and b else "" for a, b in zip(values, values[1:])]


def _short(facts: int) -> str:
    return f"{facts // 1000}k" if facts >= 1000 and facts % 1000 < 50 else str(facts)


def _seconds(value: float | None) -> str:
    if value is None:
        return "skipped"
    return f"{value:.4f}" if value < 0.1 else f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _agree(result: dict[str, Any]) -> str:
    return {True: "yes", False: "NO", None: "not compared"}[result["evaluators_agree"]]


def cli_table(cli: dict[str, Any], batch: dict[str, Any] | None) -> str:
    from tabulate import tabulate

    rows = [
        ["precomment check " + IIJ + " (wall)", _spread(cli["check_iij"])],
        ["precomment --version (wall)", _spread(cli["version"])],
        ["python -c pass (wall)", _spread(cli["python_startup"])],
        ["import precomment.cli (-X importtime)", _spread(cli["import_cli"])],
        ["imports of one check of IIJ (-X importtime)", f"{cli['import_check_iij']:.3f} s"],
        ["  by package", _packages(cli["import_check_iij_by_package"])],
    ]
    if batch:
        rows.append([f"batch: {batch['filings']} filings of ~{batch['facts_each']} facts, one process",
                     f"{batch['filings_per_second']:.1f} filings/s ({batch['check_seconds']:.2f} s checks, "
                     f"{batch['report_seconds']:.2f} s report, {batch['setup_seconds']:.2f} s set-up, "
                     f"peak RSS {batch['peak_rss_mib']:.0f} MiB, {batch['findings']} findings)"])
    return tabulate(rows, headers=["command line", "seconds: median (min-max)"], tablefmt="simple", disable_numparse=True)


def _spread(summary: dict[str, Any]) -> str:
    return f"{summary['median']:.3f} ({summary['min']:.3f}-{summary['max']:.3f}, n={len(summary['samples'])})"


def _packages(by_package: dict[str, float]) -> str:
    top = sorted(by_package.items(), key=lambda item: -item[1])[:6]
    return ", ".join(f"{name} {seconds:.3f}" for name, seconds in top)


def plot(sizes: list[dict[str, Any]], path: Path) -> None:
    """Seconds against facts for each stage, log-log, with a dashed line of linear growth."""
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("--plot needs matplotlib: .venv/bin/pip install matplotlib (a benchmark dependency only)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    facts = [r["facts"] for r in sizes]
    figure, axes = plt.subplots(figsize=(9, 6), dpi=120)
    for key, title in STAGES:
        points = [(f, r["median"][key]) for f, r in zip(facts, sizes) if key in r["median"]]
        if points:
            axes.plot(*zip(*points), marker="o", label=title)
    check = [sum(r["median"][k] for k in CHECK) for r in sizes]
    axes.plot(facts, check, marker="s", color="black", linewidth=2, label="check: load to table report")
    axes.plot(facts, [check[0] * f / facts[0] for f in facts], linestyle="--", color="grey", label="linear growth")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("facts in the filing")
    axes.set_ylabel("seconds (median)")
    axes.set_title("precomment: time per stage against filing size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker:
        print(json.dumps(measure_file(Path(args.worker), args.repeat, not args.skip_oracle, args.no_gc)))
        return 0
    if args.batch_worker:
        print(json.dumps(measure_batch(Path(args.batch_worker))))
        return 0
    with tempfile.TemporaryDirectory(prefix="precomment-bench-") as temporary:
        work = Path(args.keep) if args.keep else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        sizes = run_sizes(args, work)
        batch = run_batch(args, work) if args.batch else None
        _progress(f"command line: {args.cli_runs} runs each")
        cli = measure_cli(args.cli_runs) if args.cli_runs else None
    measured = [r for r in sizes if "refused" not in r]
    if measured:
        print(stage_table(measured))
    for refused in (r for r in sizes if "refused" in r):
        print(f"{refused['size']:,} facts: not measured, precomment refused the filing:\n  {refused['refused']}")
    if cli:
        print()
        print(cli_table(cli, batch))
    if args.json:
        document = {"environment": environment(), "settings": {k: v for k, v in vars(args).items() if k not in ("json", "plot")},
                    "sizes": sizes, "cli": cli, "batch": batch}
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if args.plot and measured:
        plot(measured, Path(args.plot))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Timings are medians of --repeat runs; see benchmarks/README.md.")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="filing sizes in facts, comma-separated (default: 100,1k,10k,100k)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size, median reported (default 3)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help=f"timed runs for sizes of {LARGE:,} facts or more (default 1)")
    parser.add_argument("--oracle-max", type=int, default=10_000,
                        help="time the oracle only up to this many facts; 0: at every size (default 10000; the "
                             "oracle's nested loops take minutes at 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--cli-runs", type=int, default=10, help="runs of each command-line measurement; 0 skips them")
    parser.add_argument("--batch", type=int, default=200, help="filings in the batch measurement; 0 skips it")
    parser.add_argument("--batch-facts", type=int, default=100, help="facts per batch filing (default 100)")
    parser.add_argument("--no-gc", action="store_true", help="time with Python's cyclic garbage collector off")
    parser.add_argument("--keep", metavar="DIR", help="write the generated filings here and keep them")
    parser.add_argument("--json", metavar="FILE", help="also write every figure and sample as JSON")
    parser.add_argument("--plot", metavar="PNG", help="also plot seconds against facts per stage (needs matplotlib)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--batch-worker", help=argparse.SUPPRESS)
    parser.add_argument("--skip-oracle", action="store_true", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    sys.exit(main())
