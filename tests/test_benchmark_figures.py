"""Measured figures live in BENCHMARKS.md only: a comment or docstring in engine/ says why a choice was
made and points there ("see BENCHMARKS.md, 'Join order'"), so a figure is stated once and a rerun cannot
leave a stale copy behind. Limits that are design constants (65,535 bytes, 32 MiB, 16 patterns) are not
measurements and stay in the code; the patterns below look only for timings and speed-ups."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
from conftest import ROOT

ENGINE = ROOT / "engine"

TIMING = re.compile(
    r"\b\d[\d,]*(?:\.\d+)?(?:-\d[\d,]*(?:\.\d+)?)? ?(?:ns|µs|us|ms|s|sec|secs|seconds?|minutes?)\b"  # 0.25 s, 2-5 ms
    r"|\b\d+(?:\.\d+)?(?:x| ?×| times) (?:faster|slower|as (?:long|fast|slow))\b"  # 3 times as long, 2x faster
    r"|\b\d+(?:\.\d+)?x\b"  # 11.2x, 32x: a growth or a speed-up
    r"|\b\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?% (?:of (?:the|its) time|longer|shorter|faster|slower)\b"  # 61% of the time
    r"|\btook (?:about )?\d"  # took 164 s, took about 50
    r"|\bspeed-?up of \d", re.IGNORECASE)

ALLOWED: set[tuple[str, str]] = set()
"""(file relative to the repository, figure) pairs that may stay: none so far."""

POINTER = re.compile(r"BENCHMARKS\.md, '([^']+)'")


def prose(source: str) -> list[tuple[int, str]]:
    """(line, text) of every comment and of every docstring or bare string statement (an attribute's
    docstring) in a module: the text written for readers, not the strings the program uses."""
    found = [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            found.append((node.lineno, node.value.value))
    return found


def figures(source: str) -> list[tuple[int, str]]:
    """(line, figure) of each timing or speed-up in the prose of a module, in line order."""
    return sorted((line + text[:match.start()].count("\n"), match.group(0))
                  for line, text in prose(source) for match in TIMING.finditer(text))


def engine_modules() -> list[Path]:
    return sorted(path for path in ENGINE.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_comment_or_docstring_in_engine_states_a_timing():
    found = [f"{path.relative_to(ROOT)}:{line}: {figure!r}"
             for path in engine_modules()
             for line, figure in figures(path.read_text(encoding="utf-8"))
             if (str(path.relative_to(ROOT)), figure) not in ALLOWED]
    assert found == [], ("measured figures belong in BENCHMARKS.md; say why here and point there "
                         "(\"BENCHMARKS.md, 'Heading'\"):\n" + "\n".join(found))


@pytest.mark.parametrize("text", [
    "# tearing down took about 50 ms of a 0.25 s check",
    '"""which made ((.?){100}){4} take 164 s."""',
    "# one pattern for both took 3 times as long",
    '"""0.110 s at 10,000 facts and 1.24 s at 100,000 (11.2x)"""',
    "# the 100,000-fact filing took 12-16% longer",
    "# 61% of the time of the three largest sessions",
    "# 2-5 ms a check",
])
def test_the_check_finds_a_timing_in_a_comment_or_a_docstring(text):
    assert figures(text + "\n"), text


@pytest.mark.parametrize("text", [
    "MAX_TEXT_BYTES = 65_535  # durable-rules matches at most 65,535 bytes of a text",
    '"""Largest file accepted (32 MiB): far above any real filing description."""',
    "# at most 16 patterns a rule, 31 expressions a pattern (errors 303, 311)",
    "PARENT_POLL = 0.5  # seconds between two looks at the parent",
    '"""Percentages are plain numbers: 12.5 for 12.5%, a 0x41 code point, Form 20-F items."""',
    'HELP = "took 3 s"  # a string the program uses is not prose',
])
def test_design_constants_and_program_strings_are_not_taken_for_timings(text):
    assert figures(text + "\n") == []


def test_every_pointer_to_benchmarks_names_one_of_its_headings():
    headings = {line.lstrip("#").strip() for line in (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("#")}
    pointers = [(path.relative_to(ROOT), name) for path in engine_modules()
                for name in POINTER.findall(" ".join(path.read_text(encoding="utf-8").split()))]
    assert pointers, "the code points to BENCHMARKS.md for its figures"
    assert [f"{path}: {name!r}" for path, name in pointers if name not in headings] == []
