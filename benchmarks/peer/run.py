"""The peer benchmark (issue 18): precomment against Spectral, the declarative YAML/JSON linter, whole processes.

    nice .venv/bin/python benchmarks/peer/run.py                      # about 15 minutes on 2 cores
    nice .venv/bin/python benchmarks/peer/run.py --sizes 1 --runs 5   # a quick look

Installs `@stoplight/spectral-cli` (the version pinned in spectral.py) from the npm registry into a scratch
folder, regenerates the Spectral ruleset from precomment's rules (translate.py; agree.py checks both report
the same subjects), generates filings with benchmarks/generate.py, and times, alternated in one run
(benchmarks/alternate.py's `measure`: one untimed warm-up each, then A B C A B C ..., medians):

- `spectral lint --ruleset precomment.spectral.yaml --format json FILE` (Spectral reads the YAML itself);
- `precomment check FILE --format json`, all of precomment's rules;
- the same with only the rules Spectral expresses (`--no-builtin-rules --rules DIR`, DIR holding copies of
  just those rule files): like for like.

Sizes: `1` is the IIJ description (filings/iij-fy2009-20f.yaml); a number of facts (10k, 100k) is a filing
generated with that many facts (seed 1). Each command's peak memory is measured once more, alone, from a
fresh parent process (benchmarks/documents.py's peak_memory_mb: ru_maxrss of a child counts its parent's
memory at the fork). Prints a Markdown table: medians, min-max, ratios precomment/Spectral, peak memory.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = HERE.parent
ROOT = BENCHMARKS.parent
sys.path[:0] = [str(HERE), str(BENCHMARKS)]

import spectral  # noqa: E402
from alternate import measure  # noqa: E402
from documents import peak_memory_mb  # noqa: E402

PRECOMMENT = str(Path(sys.executable).with_name("precomment"))
IIJ = ROOT / "filings" / "iij-fy2009-20f.yaml"


def size_value(text: str) -> int:
    text = text.lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def filing(size: int, scratch: Path) -> Path:
    """The IIJ description for size 1, else a generated filing of `size` facts (kept in the scratch folder)."""
    if size == 1:
        return IIJ
    path = scratch / f"generated-{size}.yaml"
    if not path.exists():
        subprocess.run([sys.executable, str(BENCHMARKS / "generate.py"), "--facts", str(size), "--seed", "1",
                        "--no-validate", "-o", str(path)], check=True, capture_output=True)
    return path


def like_for_like_rules(scratch: Path) -> Path:
    """A rules directory holding copies of just the rule files the Spectral ruleset translates."""
    import yaml
    from precomment.language.rulebook import load_rules

    translated = yaml.safe_load(spectral.RULESET.read_text())["rules"]
    folder = scratch / "translated-rules"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for rule in load_rules().rules:
        if rule.id in translated:
            shutil.copy(rule.source, folder / Path(rule.source).name)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10k,100k", help="1 (the IIJ description) and numbers of facts")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--runs-large", type=int, default=15,
                        help="timed runs from 50,000 facts on (default 15: every figure in BENCHMARKS.md is a median of at least 15)")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "precomment-peer")
    args = parser.parse_args(argv)

    binary = spectral.install(args.scratch / "spectral")
    subprocess.run([sys.executable, str(HERE / "translate.py")], check=True, stdout=subprocess.DEVNULL)
    rules = like_for_like_rules(args.scratch)
    count = len(list(rules.glob("*.yaml")))
    print(f"Spectral {spectral.VERSION} (node {subprocess.check_output(['node', '--version'], text=True).strip()}), "
          f"{count} translated rules; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start\n")
    print("| filing | runs | Spectral (s) | precomment, all rules (s) | ratio | precomment, like for like (s) | ratio "
          "| peak MB Spectral / all / like | memory ratios all, like |")
    print("|---|---|---|---|---|---|---|---|---|")
    for text in args.sizes.split(","):
        size = size_value(text)
        path = filing(size, args.scratch)
        common = [str(path), "--format", "json", "--no-config", "--no-progress"]
        commands = [
            ("spectral", spectral.lint_command(binary, [str(path)])),
            ("all", [PRECOMMENT, "check", *common]),
            ("like", [PRECOMMENT, "check", *common, "--no-builtin-rules", "--rules", str(rules)]),
        ]
        runs = args.runs if size < 50_000 else args.runs_large
        times = measure(commands, runs, shared_cache=False)
        median = {label: statistics.median(samples) for label, samples in times.items()}
        spread = {label: f"{median[label]:.3f} ({min(s):.3f}-{max(s):.3f})" for label, s in times.items()}
        memory = {label: peak_memory_mb(argv) for label, argv in commands}
        name = "IIJ (1 filing)" if size == 1 else f"{size:,} facts"
        print(f"| {name} | {runs} | {spread['spectral']} | {spread['all']} | {median['all'] / median['spectral']:.2f} "
              f"| {spread['like']} | {median['like'] / median['spectral']:.2f} "
              f"| {memory['spectral']:.0f} / {memory['all']:.0f} / {memory['like']:.0f} "
              f"| {memory['all'] / memory['spectral']:.2f}, {memory['like'] / memory['spectral']:.2f} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
