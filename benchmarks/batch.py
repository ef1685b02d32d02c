"""Batch benchmark: `precomment check DIR --jobs N` on many small generated filings.

For each count of filings (default 100, 1,000, 10,000) and each N (default 1 and 2), runs the installed
CLI once per repeat in a fresh driver process, the values of N alternated within each repeat (so a machine
that slows down part-way slows every N alike), and reports wall time, filings per second, the speed-up of
each N over N=1, and the peak resident memory of the precomment process and of its largest worker
(ru_maxrss of the driver's children). Filings are generated once into --cache (default
/tmp/precomment-bench-batch) and reused. Figures are reported, never asserted.

Before and after the runs it checks that the machine's cores are free and independent: one busy loop
alone, then as many at once as the largest N; on free, independent cores each of them takes the time of
the one alone (a virtual machine whose CPUs share a physical core, or a busy neighbour, shows as a ratio
well above 1, and a speed-up measured then says nothing of the code).

    .venv/bin/python benchmarks/batch.py --counts 100,1000 --jobs 1,2 --repeat 3 --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from tabulate import tabulate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PRECOMMENT = Path(sys.executable).with_name("precomment")


def ensure_filings(cache: Path, count: int, facts: int, seed: int) -> Path:
    """A directory of `count` generated filings of about `facts` facts (made once, then reused)."""
    directory = cache / f"{count}x{facts}-seed{seed}"
    if not (directory / ".complete").exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--facts", str(facts), "--count", str(count),
                        "--seed", str(seed), "--dir", str(directory), "--no-validate"], check=True,
                       stdout=subprocess.DEVNULL)
        (directory / ".complete").write_text("", encoding="utf-8")
    return directory


BUSY = "n = 0\nfor i in range(20_000_000):\n    n += i\n"


def busy_loops(count: int) -> list[float]:
    """Wall seconds of `count` identical busy loops (pure CPU, no memory traffic), each in its own process,
    started together."""
    script = ("import time\nstart = time.perf_counter()\n" + BUSY
              + "print(time.perf_counter() - start)\n")
    loops = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
             for _ in range(count)]
    return [float(loop.communicate()[0]) for loop in loops]


def cores_check(count: int) -> str:
    """One busy loop alone, then `count` at once: how much slower the slowest of them is."""
    alone = busy_loops(1)[0]
    together = busy_loops(count)
    return (f"one busy loop alone {alone:.2f} s; {count} at once {', '.join(f'{t:.2f}' for t in together)} s "
            f"(slowest / alone = {max(together) / alone:.2f}; 1.00 when the cores are free and independent)")


def measure(directory: Path, jobs: int, output: Path) -> dict[str, float]:
    """One run of the CLI, timed from a fresh driver so that ru_maxrss covers only this run's processes."""
    driver = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'code': code, 'wall': wall, 'peak_mib': peak}))\n")
    command = [sys.executable, "-c", driver, str(PRECOMMENT), "check", str(directory), "--jobs", str(jobs),
               "--no-progress", "--format", "json", "--output", str(output)]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    if result["code"] not in (0, 1):
        raise SystemExit(f"precomment exited {result['code']} on {directory}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="100,1000,10000")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--facts", type=int, default=100, help="facts per filing (default 100)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/precomment-bench-batch"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows, records = [], []
    all_jobs = [int(j) for j in args.jobs.split(",")]
    cores_before = cores_check(max(all_jobs)) if max(all_jobs) > 1 else ""
    for count in (int(c) for c in args.counts.split(",")):
        directory = ensure_filings(args.cache, count, args.facts, args.seed)
        base = None
        timed: dict[int, list[dict[str, float]]] = {jobs: [] for jobs in all_jobs}
        for _ in range(args.repeat):
            for jobs in all_jobs:
                timed[jobs].append(measure(directory, jobs, args.cache / "report.json"))
        for jobs in all_jobs:
            runs = timed[jobs]
            wall = statistics.median(r["wall"] for r in runs)
            peak = max(r["peak_mib"] for r in runs)
            base = base or wall
            record = {"filings": count, "jobs": jobs, "wall_s": wall, "min_s": min(r["wall"] for r in runs),
                      "max_s": max(r["wall"] for r in runs), "filings_per_s": count / wall,
                      "speedup": base / wall, "peak_mib": peak}
            records.append(record)
            rows.append([count, jobs, f"{wall:.2f}", f"{record['min_s']:.2f}-{record['max_s']:.2f}",
                         f"{count / wall:.0f}", f"{base / wall:.2f}x", f"{peak:.0f}"])
    print(tabulate(rows, headers=["filings", "--jobs", "wall s (median)", "min-max", "filings/s",
                                  "speed-up", "peak MiB"], disable_numparse=True))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    if cores_before:
        print(f"cores before the runs: {cores_before}")
        print(f"cores after the runs:  {cores_check(max(all_jobs))}")
    if args.json:
        args.json.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
