"""Reading the filing itself, measured: `precomment check DOCUMENT --answers ANSWERS` (read, extract, lay the
answers over, check) against a bare `check` of the description it amounts to, and `precomment extract` alone;
whole-process wall time, the commands alternated (benchmarks/alternate.py), median of --runs, as ratios; and
each command's peak memory (the largest resident set of its process, from the kernel's accounting).

    python benchmarks/documents.py --runs 15 \\
        --document tests/data/real/documents/loncor-20f-fy2015-0001062993-16-008650.html \\
        --answers tests/data/real/loncor.answers.yaml

The description checked bare is what `extract` writes with the answers laid over it (written to a scratch
folder first), so both checks see the same facts; the difference is the reading.
"""
from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from alternate import measure  # noqa: E402  (a sibling script, not a package)

PRECOMMENT = str(Path(sys.executable).with_name("precomment"))


def merged_description(document: str, answers: str | None, into: Path) -> Path:
    """The description `check DOCUMENT --answers ANSWERS` checks, written as YAML (JSON is YAML) to `into`."""
    from precomment.extraction.overlay import read_filing_document

    read = read_filing_document(document, answers)
    path = into / "description.json"
    path.write_text(json.dumps(read.data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def peak_memory_mb(argv: list[str]) -> float:
    """The peak resident set of `argv`'s process, in MB (run alone, in a fresh parent)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--document", required=True)
    parser.add_argument("--answers")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    answers = ["--answers", args.answers] if args.answers else []
    with tempfile.TemporaryDirectory(prefix="documents-bench-") as scratch:
        description = merged_description(args.document, args.answers, Path(scratch))
        out = str(Path(scratch) / "extracted.yaml")
        commands = [
            ("check description", [PRECOMMENT, "check", str(description), "--allow-incomplete"]),
            ("check document", [PRECOMMENT, "check", args.document, *answers, "--allow-incomplete"]),
            ("extract", [PRECOMMENT, "extract", args.document, "-o", out, "--force"]),
        ]
        times = measure(commands, args.runs, shared_cache=True)
        base = statistics.median(times[commands[0][0]])
        size = Path(args.document).stat().st_size
        print(f"{args.document} ({size / 1e6:.2f} MB), {args.runs} runs each, alternated")
        for label, command in commands:
            median = statistics.median(times[label])
            print(f"  {label:18} median {median:.3f} s  (min {min(times[label]):.3f}, max {max(times[label]):.3f})"
                  f"  x{median / base:.2f} of check description  peak {peak_memory_mb(command):.0f} MB"
                  f"  [{shlex.join(command[1:3])}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
