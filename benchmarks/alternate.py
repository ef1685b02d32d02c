"""Two or more commands timed side by side: whole-process wall time, the commands alternated in one run (A B A B
...), the median of each and its ratio to the first. For comparisons across versions, rule sets or tools on a
shared, noisy machine, where only figures measured in the same minutes can be compared.

    python benchmarks/alternate.py --runs 15 \\
        --command "before=/tmp/base/.venv/bin/precomment check filings/iij-fy2009-20f.yaml" \\
        --command "after=.venv/bin/precomment check filings/iij-fy2009-20f.yaml"

Each command runs once untimed first (to warm the rule cache and the file cache), then `--runs` times each in
turn. Exit codes 0 and 1 are both normal for `precomment check`; any other stops the measurement. Each command
gets its own XDG_CACHE_HOME under a scratch folder unless `--shared-cache`, so two versions do not evict each
other's cached rule sets. Prints one line per command: median, min-max, ratio to the first command's median.
"""
from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _parse_command(text: str) -> tuple[str, list[str]]:
    label, sep, command = text.partition("=")
    if not sep or not label or not command.strip():
        raise argparse.ArgumentTypeError(f"expected LABEL=COMMAND, got {text!r}")
    return label, shlex.split(command)


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{shlex.join(argv)} exited {done.returncode}")
    return elapsed


def measure(commands: list[tuple[str, list[str]]], runs: int, shared_cache: bool) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {label: [] for label, _ in commands}
    with tempfile.TemporaryDirectory(prefix="alternate-") as scratch:
        envs = {}
        for label, _ in commands:
            env = dict(os.environ)
            if not shared_cache:
                env["XDG_CACHE_HOME"] = str(Path(scratch) / label)
            envs[label] = env
        for label, argv in commands:
            _run(argv, envs[label])  # warm-up, untimed
        for _ in range(runs):
            for label, argv in commands:
                times[label].append(_run(argv, envs[label]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--command", type=_parse_command, action="append", required=True,
                        help="LABEL=COMMAND, at least two; the first is the reference of the ratios")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--shared-cache", action="store_true", help="do not give each command its own XDG_CACHE_HOME")
    args = parser.parse_args(argv)
    if len(args.command) < 2:
        parser.error("give at least two --command")
    times = measure(args.command, args.runs, args.shared_cache)
    reference = statistics.median(times[args.command[0][0]])
    for label, samples in times.items():
        median = statistics.median(samples)
        print(f"{label}: median {median:.3f} s ({min(samples):.3f}-{max(samples):.3f}, n={len(samples)}), "
              f"ratio {median / reference:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
