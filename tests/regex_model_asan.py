"""Check engine/evaluation/durable_rules/regex_model.py against durable-rules' own regex.c, built with AddressSanitizer: a longer,
opt-in hunt than the suite's fuzz test, for whoever changes the model (it needs gcc and the C source).

For random patterns of the `matches` dialect (tests/test_regex_agreement.py's generator), as regex.py
gives them to durable-rules, it compares what the model predicts (Unsafe, or the automaton's matches on
values given as regex.durable_text) with what regex.c does in a child process: an AddressSanitizer
report (use after free, buffer overflow), an error code, a timeout, or its matches. Every pattern the
model compiles must match exactly as regex.c does, and every one regex.c cannot compile cleanly must be
Unsafe for the model; a pattern the model refuses only for its step budget is counted apart.

    pip download --no-deps --no-binary :all: durable-rules==2.0.28 -d /tmp/durable-src
    tar xzf /tmp/durable-src/durable_rules-2.0.28.tar.gz -C /tmp/durable-src
    .venv/bin/python tests/regex_model_asan.py /tmp/durable-src/durable_rules-2.0.28 [PATTERNS [SEED]]

It prints each disagreement and a count of outcomes, and exits 1 if there was a disagreement. With 1,500
patterns and seed 7 (1,440 in the syntax): no disagreement. regex.c compiled 1,079, 1,063 of them as the
model did (16 the model gives up on for its budget); the model also predicted each of regex.c's 7 heap
buffer overflows, 72 uses after free, 254 errors (503, 504, 507) and 28 compilations over 30 s.
"""
from __future__ import annotations

import collections
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from precomment.evaluation.durable_rules import regex_model as durable_regex
from precomment.language import regex
from test_regex_agreement import GRID_VALUES, random_pattern, sample  # noqa: E402

HARNESS = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"
#include "rete.h"
#include "regex.h"
/* argv[1]: a pattern as durable-rules reads it in its ruleset's JSON; then the values to match. */
int main(int argc, char **argv) {
    ruleset tree;
    memset(&tree, 0, sizeof(tree));
    size_t length = strlen(argv[1]);
    char *text = malloc(length + 2);
    memcpy(text, argv[1], length);
    text[length] = '"';  /* the closing quote regex.c's `last` points at */
    text[length + 1] = 0;
    unsigned int result = validateRegex(text, text + length);
    unsigned short vocabulary, states;
    unsigned int offset;
    if (!result) result = compileRegex(&tree, text, text + length, 0, &vocabulary, &states, &offset);
    if (result) { printf("error %u\n", result); return 0; }
    for (int i = 2; i < argc; ++i)
        putchar('0' + evaluateRegex(&tree, argv[i], strlen(argv[i]), 0, vocabulary, states, offset));
    putchar('\n');
    return 0;
}
"""
TIMEOUT = 30.0  # seconds regex.c may take; the slowest patterns the model lets through take milliseconds


def build(source: Path, directory: Path) -> Path:
    """The harness linked with regex.c from the unpacked durable-rules source, with AddressSanitizer."""
    rules = source / "src" / "rules"
    (directory / "harness.c").write_text(HARNESS)
    binary = directory / "harness"
    subprocess.run(["gcc", "-g", "-O1", "-fsanitize=address", "-fno-omit-frame-pointer", f"-I{rules}",
                    str(directory / "harness.c"), str(rules / "regex.c"), "-o", str(binary)], check=True)
    return binary


def in_c(binary: Path, pattern: str, values: list[str]) -> str:
    """regex.c's outcome: its matches as 0s and 1s, `error N`, `asan:KIND`, `signal N` or `timeout`."""
    try:
        done = subprocess.run([str(binary), pattern, *values], capture_output=True, text=True, timeout=TIMEOUT,
                              env={"ASAN_OPTIONS": "detect_leaks=0"})
    except subprocess.TimeoutExpired:
        return "timeout"
    report = re.search(r"AddressSanitizer: ([\w-]+)", done.stderr)
    if report:
        return f"asan:{report.group(1)}"
    if done.returncode:
        return f"signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
    return done.stdout.strip()


def in_model(pattern: str, values: list[str], budget: int) -> str:
    """The model's outcome: the automaton's matches as 0s and 1s, or `unsafe:REASON`."""
    try:
        automaton = durable_regex.compile_pattern(pattern, budget)
    except durable_regex.Unsafe as unsafe:
        return f"unsafe:{unsafe.reason}"
    return "".join("1" if automaton.matches(value) else "0" for value in values)


def verdict(model: str, c: str) -> str:
    """agree, budget (the model gave up on its step budget alone, where regex.c compiled) or DISAGREE."""
    c_compiled = c[:1] in ("0", "1", "")
    if model.startswith("unsafe:"):
        if not c_compiled:
            return "agree"
        return "budget" if "too long" in model else "DISAGREE"
    return "agree" if model == c else "DISAGREE"


def main() -> int:
    source = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    outcomes: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as directory:
        binary = build(source, Path(directory))
        for _ in range(count):
            pattern = random_pattern(rng)
            try:
                emitted = regex.durable_pattern(pattern)
            except regex.PatternError:
                continue  # outside the syntax: never given to durable-rules
            texts = [v for v in GRID_VALUES if v and len(v) < 200] + [sample(regex.parse(pattern), rng) for _ in range(6)]
            values = [regex.durable_text(text) for text in texts if text]
            model, c = in_model(emitted, values, 20 * durable_regex.BUDGET), in_c(binary, emitted, values)
            outcome = verdict(model, c)
            outcomes[f"{outcome}: model {model.split(':')[0] if ':' in model else 'compiles'}, regex.c "
                     f"{c if c[:1] not in ('0', '1') else 'compiles'}"] += 1
            if outcome == "DISAGREE":
                print(f"DISAGREE {pattern!r}: model {model[:80]}, regex.c {c[:80]}", flush=True)
    for outcome, number in sorted(outcomes.items()):
        print(f"{number:6}  {outcome}")
    return 1 if any(key.startswith("DISAGREE") for key in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
