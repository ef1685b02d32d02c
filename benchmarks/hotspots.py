"""Profiles: which functions, and which rules, take the time of a check.

    .venv/bin/python benchmarks/hotspots.py --facts 10000                 # cProfile of each stage
    .venv/bin/python benchmarks/hotspots.py --facts 10000 --stage durable --sort tottime
    .venv/bin/python benchmarks/hotspots.py --cli                         # one `precomment check` of IIJ, imports included
    .venv/bin/python benchmarks/hotspots.py --rules --facts 3000,30000   # each rule alone, on both evaluators

Stage profiles run after a warm-up on the IIJ filing, as benchmarks/run.py times them; `--rules` times
every rule on its own (durable-rules: a ruleset holding that rule alone) at each size, with the growth
factor between sizes, so a rule whose cost grows faster than its facts stands out.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IIJ = "filings/iij-fy2009-20f.yaml"
sys.path.insert(0, str(HERE))
# generate and run import precomment: they are imported where needed, so that --cli starts cold.
FEEDS_LATER = ("load", "facts", "derive", "durable", "findings")
"""Stages whose output a later stage reads: run (unprofiled) even when not asked for."""
STAGE_NAMES = ("yaml_c", "load", "validate", "facts", "derive", "durable", "oracle", "findings", "report_json",
               "report_table")


def stage_calls(pipeline: Any, text: str, source: str) -> list[tuple[str, Callable[[], Any]]]:
    """The stages of run.Pipeline as separate calls, each reading what the previous ones produced."""
    import run
    import yaml
    from precomment.checking.findings import build_findings
    from precomment.evaluation import oracle
    from precomment.facts.build import build_facts
    from precomment.sources.load import load_bytes
    from precomment.validation.fact_model import FILING_SCHEMA
    from precomment.validation.validate import check

    checker = pipeline.checker
    state: dict[str, Any] = {}

    def keep(name: str, function: Callable[[], Any]) -> Callable[[], Any]:
        return lambda: state.__setitem__(name, function())

    return [
        ("yaml_c", lambda: yaml.load(text, Loader=yaml.CSafeLoader)),
        ("load", keep("document", lambda: load_bytes(text.encode("utf-8"), source))),
        ("validate", lambda: check(state["document"], FILING_SCHEMA)),
        ("facts", keep("facts", lambda: build_facts(state["document"]))),
        ("derive", lambda: checker.deriver.apply(state["facts"].facts, state["facts"].by_id)),
        ("durable", keep("matches", lambda: checker.durable.evaluate(state["facts"].facts))),
        ("oracle", lambda: oracle.evaluate(checker.ruleset, state["facts"].facts)),
        ("findings", keep("findings", lambda: build_findings(checker.ruleset, state["matches"], state["facts"]))),
        ("report_json", lambda: run.render("json", pipeline.report(state["document"], state["findings"]))),
        ("report_table", lambda: run.render("table", pipeline.report(state["document"], state["findings"]))),
    ]


def profile_stages(facts: int, seed: int, stages: set[str] | None, sort: str, top: int, out: str | None) -> None:
    import generate
    import run

    text = generate.render(generate.generate(facts, seed), facts, seed)
    pipeline = run.Pipeline()
    pipeline.run((run.ROOT / run.IIJ).read_text(encoding="utf-8"), run.IIJ, oracle=True)
    for name, call in stage_calls(pipeline, text, f"synthetic-{facts}.yaml"):
        if stages and name not in stages:
            if name in FEEDS_LATER:
                call()
            continue
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(call)
        elapsed = time.perf_counter() - start
        print(f"\n===== {name}: {elapsed:.3f} s under the profiler ({facts:,} facts) =====")
        _print_stats(profiler, sort, top)
        if out:
            profiler.dump_stats(f"{out}.{name}.prof")


def profile_cli(sort: str, top: int, out: str | None) -> None:
    """One `precomment check` of the IIJ filing in a fresh process: first timed phase by phase without
    the profiler, then under cProfile (imports, rules, check, report)."""
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--cli-phases"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as temporary:
        target = str(Path(out + ".cli.prof") if out else Path(temporary) / "cli.prof")
        subprocess.run([sys.executable, "-m", "cProfile", "-o", target, "-m", "precomment", "check", IIJ],
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"\n===== precomment check {IIJ} under cProfile =====")
        _print_stats(target, sort, top)


def checked_rules() -> tuple[Any, str]:
    """The built-in rules as the command line gets them: through the rule cache where there is one."""
    from precomment.resources import rules_dir
    try:
        from precomment.checking.rule_cache import load_checked_rules
    except ImportError:
        from precomment.language.rulebook import load_rules
        return load_rules(), "rulebook.load_rules"
    return load_checked_rules([rules_dir()]), "rulecache.load_checked_rules"


def cli_phases() -> None:
    """The phases of `precomment check IIJ` (as commands.check.run runs them), each timed once, in this cold process."""
    start = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    import precomment.cli  # noqa: F401
    mark("import precomment.cli")
    from precomment.checking.pipeline import Checker
    from precomment.reports.model import Gate, Report
    mark("import the pipeline (lazy in commands.check)")
    ruleset, how = checked_rules()
    mark(f"load and check the rules ({how})")
    checker = Checker(ruleset)
    mark("compile the rules (Checker)")
    try:
        from precomment.evaluation.durable_rules.evaluator import one_document_process
    except ImportError:  # before issue 18 the command registered every ruleset before the filing was read
        checker.durable._register()
        mark("register the rulesets with durable-rules")
        registered = ""
    else:
        one_document_process()  # as the command checking one filing: only what it can fire, with the check
        registered = "register what it can fire, "
    result = checker.check_path(IIJ)
    mark(f"check the filing ({registered}load, validate, facts, evaluate, findings)")
    from precomment.reports.formats import render
    text = render("table", Report.of([result], Gate("error"), ruleset.rules), [result])
    mark("render the table")
    previous = start
    print(f"===== phases of one check of {IIJ} ({len(text.splitlines())} report lines), no profiler =====")
    for name, moment in marks:
        print(f"{moment - previous:8.3f} s  {name}")
        previous = moment
    print(f"{previous - start:8.3f} s  total after interpreter start-up")


def profile_rules(sizes: list[int], seed: int, top: int) -> None:
    """Each rule alone on each size, on both evaluators; sorted by the durable time at the largest size."""
    import generate
    import run
    from precomment.evaluation import oracle
    from precomment.evaluation.durable_rules.evaluator import DurableEvaluator
    from precomment.facts.build import build_facts
    from precomment.language.records import RuleSet
    from precomment.language.rulebook import load_rules
    from precomment.sources.load import load_bytes

    ruleset = load_rules()
    deriver = ruleset.deriver()
    single = {rule.id: RuleSet((rule,), ruleset.derivations) for rule in ruleset.rules}
    durable = {rule_id: DurableEvaluator(rules) for rule_id, rules in single.items()}
    times: dict[str, list[tuple[float, float, int]]] = {rule_id: [] for rule_id in single}
    derivations: dict[str, list[float]] = {}
    counts = []
    for size in sizes:
        document = load_bytes(generate.render(generate.generate(size, seed), size, seed).encode("utf-8"),
                              f"synthetic-{size}.yaml")
        fact_set = build_facts(document)
        for name, seconds in derivation_times(deriver, fact_set.facts, fact_set.by_id):
            derivations.setdefault(name, []).append(seconds)
        facts = fact_set.facts
        counts.append(len(facts))
        for rule_id, rules in single.items():  # (each lambda is called at once, in its own iteration)
            d, matches = run.timed(lambda: durable[rule_id].evaluate(facts))  # noqa: B023
            o, _ = run.timed(lambda: oracle.evaluate(rules, facts))  # noqa: B023
            times[rule_id].append((d, o, len(matches)))
        print(f"... {len(facts):,} facts done", file=sys.stderr, flush=True)
    _print_derivation_times(derivations, counts, top)
    _print_rule_times(times, counts, top)


def derivation_times(deriver: Any, facts: list[dict[str, Any]], by_id: dict[str, Any]) -> list[tuple[str, float]]:
    """Deriver.apply, one derivation at a time (in its dependency order), each timed."""
    from precomment.language.derive import facts_by_type

    by_type = facts_by_type(facts)
    result = []
    for derivation in deriver.derivations:
        start = time.perf_counter()
        deriver.derive(derivation, by_type, by_id)
        result.append((f"{derivation.on}.{derivation.name}", time.perf_counter() - start))
    return result


def _print_derivation_times(derivations: dict[str, list[float]], counts: list[int], top: int) -> None:
    print("derivation" + " " * 46 + "".join(f"  seconds@{n:<8}" for n in counts) + ("   growth" if len(counts) > 1 else ""))
    for name, values in sorted(derivations.items(), key=lambda item: -item[1][-1])[:top]:
        growth = f"   {values[-1] / values[0]:7.1f}" if len(values) > 1 and values[0] > 0 else ""
        print(f"{name:56}" + "".join(f"  {v:16.4f}" for v in values) + growth)
    print()


def _print_rule_times(times: dict[str, list[tuple[float, float, int]]], counts: list[int], top: int) -> None:
    ranked = sorted(times.items(), key=lambda item: -item[1][-1][0])[:top]
    header = "rule        " + "".join(f"  durable@{n:<7} oracle@{n:<7} matches" for n in counts)
    print(header + ("   growth durable / oracle" if len(counts) > 1 else ""))
    for rule_id, values in ranked:
        cells = "".join(f"  {d:14.4f} {o:14.4f} {m:7d}" for d, o, m in values)
        growth = ""
        if len(values) > 1 and values[0][0] > 0 and values[0][1] > 0:
            growth = f"   {values[-1][0] / values[0][0]:7.1f} / {values[-1][1] / values[0][1]:7.1f}"
        print(f"{rule_id:12}{cells}{growth}")
    totals = [(sum(v[i][0] for v in times.values()), sum(v[i][1] for v in times.values())) for i in range(len(counts))]
    print("all rules   " + "".join(f"  {d:14.4f} {o:14.4f}        " for d, o in totals))


def _print_stats(profiler: cProfile.Profile | str, sort: str, top: int) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join(lines[start:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--facts", default="10k", help="size(s) in facts, comma-separated (default 10k)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stage", action="append", choices=STAGE_NAMES,
                        help="profile only this stage (may repeat; default: all)")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime", "ncalls"))
    parser.add_argument("--top", type=int, default=25, help="rows to print (default 25)")
    parser.add_argument("--out", metavar="PREFIX", help="also write PREFIX.<stage>.prof files (for snakeviz, pstats)")
    parser.add_argument("--cli", action="store_true", help="profile one command-line check of the IIJ filing")
    parser.add_argument("--rules", action="store_true", help="time each rule alone at each --facts size")
    parser.add_argument("--cli-phases", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cli_phases or args.cli:
        cli_phases() if args.cli_phases else profile_cli(args.sort, args.top, args.out)
        return 0
    import run

    sizes = run.parse_sizes(args.facts)
    if args.rules:
        profile_rules(sizes, args.seed, args.top)
    else:
        for size in sizes:
            profile_stages(size, args.seed, set(args.stage or ()), args.sort, args.top, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
