"""A `matches` pattern means the same on durable-rules and on the oracle, or the loader refuses it.

- The grid: every class, `.`, sets, repeats, alternation and groups, against values holding quotes,
  backslashes, tabs, newlines (the one a YAML `>` block adds), carriage returns, control characters,
  non-ASCII letters, the empty string and long strings, through both real evaluators.
- Refusals: patterns durable-rules cannot compile safely (a heap corruption, its errors 501, 503, 504,
  507, use of freed memory, compilations taking minutes) are refused when rules load, exit 2, located.
- The fuzz: random patterns of the whole dialect (fixed seed) are refused by the loader, or register on
  durable-rules in a child process within a time bound, without a signal, and match as the oracle does.
  PRECOMMENT_REGEX_FUZZ=N runs N patterns instead of the suite's FUZZ_PATTERNS (a longer hunt).
- The oracle matches in time linear in the value, so verifying a rule's examples cannot hang; its
  automaton means what Python's re means for the same pattern (small patterns, short values).
- A text longer than durable-rules can match is refused where it is, never half-matched.
"""
from __future__ import annotations

import json
import os
import pickle
import random
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_probe_rule
from precomment.checking.pipeline import Checker
from precomment.errors import RuleError
from precomment.evaluation import oracle
from precomment.facts.build import build_facts
from precomment.language import regex
from precomment.language.rulebook import load_rules
from precomment.sources.document import Document

GRID_PATTERNS = [
    ".", "..", "...", ".{2}", ".{1,3}", "a.b", "a.*", ".*a", ".*%..*", "(..)+", "(.)(.)",
    "%a", "%a+", "%c", "%c+", ".*%c", "%d+", "%g", "%g+", "%g{2}", "%l+", "%p", "%p+", ".*%p",
    "%s", "%s+", "%s*%a+%s*", "%u+", "%u%l+", "%w+", "%x+", "[^a]", "[^a]+", "[^%s]+", "[a-z]+",
    "[%d%s]+", "[^%p%s]+", "[\t ]+", "a\nb", "[^\n]*", "a%sb", "(a|%p)+", "(%p|%s)+", "%a+%s%a+",
    "Lease agreement%s*", "Exhibit %d%.%d%s?", "x?%d{1,3}", ".*\".*", "\"+", "[\"a]+", "(%%|%.)",
    "%d{2,}", ".*Lease.*",
]

LONG = "Lease " + "ab\"\\\n" * 1200 + "z"
GRID_VALUES = [
    "", "a", "A", "z", "é", "É", "ß", "ÿ", "Ä", "0", "7", "42", "x1", "100%", "%", ".", "a-b", "ab", "aa", "Tokyo",
    " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x01", "\x1f", "\x7f", "\x85", "\xa0",
    "\"", "\"\"", "\\", "\\\\", "a\"b", "a\\b", "a\tb", "a\nb", "a b", "a\rb", "\"a\"",
    "Lease agreement", "Lease agreement\n", "Lease agreement \n", "Exhibit 4.1", "Exhibit 4.1\n",
    "(NTT)", "¡Hola!", "¿Qué?", "[x]", "{y}", "a|b", "日本語", "emoji \U0001F600", "\ufdd0", "\uffff",
    "\ufffe", "A" * 300, LONG,
]

FUZZ_PATTERNS = 300
FUZZ_SEED = 20240607
DEADLINE = 20.0  # seconds an accepted pattern may take to register and match: a hang guard, not a speed test


def run_cli(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`precomment ARGS` in a child process (a crash or a hang there must not take the test run with it)."""
    return subprocess.run([sys.executable, "-m", "precomment", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def when_title_matches(pattern: str) -> str:
    """The `when` of a probe rule on exhibit titles; the pattern is written as a JSON (so YAML) string."""
    return f"  - fact: exhibit\n    as: exhibit\n    where: {{title: {{matches: {json.dumps(pattern)}}}}}\n"


def exhibit_facts(titles: list[str]) -> list[dict]:
    """The facts of a filing listing one exhibit per title (built without validation: "" is a title here)."""
    data = {"filer": {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"},
            "item19": {"exhibits": [{"number": f"4.{i + 1}", "title": t} for i, t in enumerate(titles)]}}
    return build_facts(Document("grid.yaml", data)).facts


def by_pattern(matches, patterns: list[str], values: list[str]) -> dict[str, set[str]]:
    """Matches as {pattern: the values it matched}; probe rule n carries patterns[n - 1]."""
    found: dict[str, set[str]] = {p: set() for p in patterns}
    for match in matches:
        exhibit = int(match.fact_id("exhibit").rsplit("/", 1)[1])
        found[patterns[int(match.rule_id.rsplit("-", 1)[1]) - 1]].add(values[exhibit])
    return found


def disagreements(durable: dict[str, set[str]], expected: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    """(pattern, value, which evaluator alone matched it) for every pair the two evaluators differ on."""
    return [(p, v, "durable-rules" if v in durable[p] else "oracle")
            for p in expected for v in sorted(durable[p] ^ expected[p])]


def test_every_pattern_of_the_grid_matches_the_same_values_on_both_evaluators(tmp_path):
    for n, pattern in enumerate(GRID_PATTERNS, start=1):
        write_probe_rule(tmp_path, n, "exhibit", when_title_matches(pattern))
    checker = Checker(load_rules([tmp_path]))
    facts = exhibit_facts(GRID_VALUES)
    expected = by_pattern(checker.matches(facts, "oracle"), GRID_PATTERNS, GRID_VALUES)
    durable = by_pattern(checker.matches(facts, "durable"), GRID_PATTERNS, GRID_VALUES)
    assert disagreements(durable, expected) == []
    # Not vacuous: every pattern matches some values of the grid and not others.
    assert [p for p in GRID_PATTERNS if not 0 < len(expected[p]) < len(GRID_VALUES)] == []


FOLDED_RULE = """\
id: PC-19-901
name: lease-exhibit
title: A lease is filed as an exhibit
form_item: "19"
severity: error
authorities: [{cite: test}]
precedents: []
when:
  - fact: exhibit
    as: exhibit
    where: {title: {matches: ".*[Ll]ease%s*"}}
subject: exhibit
comment: The staff would ask about {exhibit.title}.
remedy: Nothing to do.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{name: f, findings: [Exhibit 4.1], filing: {item19: {exhibits: [{number: "4.1", title: "Office lease\\n"}]}}}]
  pass: [{name: p, filing: {item19: {exhibits: [{number: "4.1", title: "Office lease agreement"}]}}}]
"""

FOLDED_FILING = """\
filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}
item19:
  exhibits:
    - number: "4.1"
      title: >
        Head office lease
    - number: "4.2"
      title: >
        Data centre lease
    - number: "4.3"
      title: Supply agreement
"""


def test_a_pack_reports_folded_block_titles_as_the_oracle_finds_them(tmp_path, cli):
    # A YAML `>` block ends its text with a newline; durable-rules used to match the JSON-escaped text,
    # where `%s*` cannot take the two characters `\n`: "0 findings, passed" where the oracle found 2.
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "lease.yaml").write_text(FOLDED_RULE, encoding="utf-8")
    (tmp_path / "filing.yaml").write_text(FOLDED_FILING, encoding="utf-8")
    code, out, _ = cli("check", str(tmp_path / "filing.yaml"), "--no-builtin-rules", "--rules",
                       str(tmp_path / "rules"), "--no-cache", "--format", "json")
    report = json.loads(out)
    subjects = sorted(f["subject"] for filing in report["filings"] for f in filing["findings"])
    assert (code, subjects) == (1, ["Exhibit 4.1", "Exhibit 4.2"])


ANY_TITLE_RULE = """\
id: PC-19-903
name: pattern-or-example
title: A rule whose examples hold whatever its pattern matches
form_item: "19"
severity: error
authorities: [{{cite: test}}]
precedents: []
when:
  - fact: exhibit
    as: exhibit
    where:
      any_of:
        - title: {{matches: {pattern}}}
        - title: {{equals: EXAMPLE}}
subject: exhibit
comment: Matched {{exhibit.title}}.
remedy: Nothing to do.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{{name: f, findings: [Exhibit 4.1], filing: {{item19: {{exhibits: [{{number: "4.1", title: EXAMPLE}}]}}}}}}]
  pass: [{{name: p, filing: {{}}}}]
"""

SPLIT = ("write its variants as separate `matches` tests under any_of (`.*[Ll]ease.*` as `.*Lease.*` and "
         "`.*lease.*`), or simplify it")
SIMPLIFY = ("simplify it: fewer and smaller repeats, above all of groups holding `.*` or other repeats; or split it "
            "into separate `matches` tests under any_of")
REFUSED = [  # pattern, what it did before it was refused, the error
    ("[a](%g{0}[^a](%])){3}é", "heap corruption: glibc abort, exit 134",
     "a repeat of zero times: durable-rules would read it as '*' (at character 7 of '[a](%g{0}[^a](%])){3}é')\n"
     "  hint: leave out the part repeated zero times"),
    (".*%c.*", "error 501 at registration (durable-rules cannot compile %c): exit 3",
     f"durable-rules cannot take this pattern: compiling it would use memory it has already freed (in '.*%c.*')"
     f"\n  hint: {SIMPLIFY}"),
    ("(.*a){20}", "error 504 at registration: exit 3",
     f"durable-rules cannot take this pattern: compiling it would use memory it has already freed (in '(.*a){{20}}')"
     f"\n  hint: {SIMPLIFY}"),
    ("((.?){100}){4}", "164 s to register, in every process",
     "durable-rules cannot take this pattern: compiling it would take too long (more than 1,000,000 steps of its "
     f"compiler) (in '((.?){{100}}){{4}}')\n  hint: {SIMPLIFY}"),
    (".*a.*b.*", "accepted, though durable-rules reads freed memory compiling it",
     f"durable-rules cannot take this pattern: compiling it would use memory it has already freed (in '.*a.*b.*')"
     f"\n  hint: {SIMPLIFY}"),
    ("a{0}b", "accepted, though durable-rules reads {0} as *",
     "a repeat of zero times: durable-rules would read it as '*' (at character 2 of 'a{0}b')\n"
     "  hint: leave out the part repeated zero times"),
    (".*[Ll]ease.*", "accepted, though durable-rules does not match 'Leasel'",
     f"durable-rules would not match 'Leasel', which the pattern matches (in '.*[Ll]ease.*')\n  hint: {SPLIT}"),
]


@pytest.mark.parametrize("pattern, before, error", REFUSED, ids=[p for p, _, _ in REFUSED])
def test_a_pattern_durable_rules_cannot_compile_safely_is_refused_when_rules_load(tmp_path, pattern, before, error):
    (tmp_path / "rules").mkdir()
    rule = tmp_path / "rules" / "rule.yaml"
    rule.write_text(ANY_TITLE_RULE.format(pattern=json.dumps(pattern)), encoding="utf-8")
    try:
        result = run_cli("check", "filings/iij-fy2009-20f.yaml", "--no-builtin-rules", "--rules",
                         str(tmp_path / "rules"), "--no-cache", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer in 60 s (before the fix: {before})")
    assert (result.returncode, result.stdout) == (2, ""), (before, result.returncode, result.stderr[-300:])
    assert result.stderr == f"{rule}:13:28: error [bad-pattern] at /when/0/where/any_of/0/title/matches: {error}\n"


BACKTRACKING_RULE = """\
id: PC-19-902
name: backtracking-example
title: A rule whose pattern backtracks in Python's re
form_item: "19"
severity: error
authorities: [{cite: test}]
precedents: []
when:
  - fact: exhibit
    as: exhibit
    where: {title: {matches: "(a|a)*b"}}
subject: exhibit
comment: Matched {exhibit.title}.
remedy: Nothing to do.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{name: f, findings: [Exhibit 4.1], filing: {item19: {exhibits: [{number: "4.1", title: aaab}]}}}]
  pass: [{name: p, filing: {item19: {exhibits: [{number: "4.1", title: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}]}}}]
"""


def test_verifying_the_examples_of_a_backtracking_pattern_finishes(tmp_path):
    # The oracle matched with Python's re, which takes 2^n steps for (a|a)*b on n a's: the loader,
    # verifying the passing example (40 a's), hung. It now matches with an automaton, linear in the value.
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "backtracking.yaml").write_text(BACKTRACKING_RULE, encoding="utf-8")
    try:
        result = run_cli("rules", "test", str(tmp_path / "rules"), timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("verifying the examples did not finish in 60 s")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("2 examples of 1 rule on durable-rules and the oracle: 2 passed, 0 failed.\n")


# -- the fuzz ---------------------------------------------------------------------------------------

LITERALS = ["a", "b", "c", "A", "é", "ß", "1", " ", ",", "-", "\"", "\t", "\n", "%.", "%%", "%(", "%)", "%[",
            "%]", "%{", "%}", "%|", "%*", "%+", "%?"]
CLASSES = ["%a", "%c", "%d", "%g", "%l", "%p", "%s", "%u", "%w", "%x"]
SET_ITEMS = ["a", "b", "é", " ", "\"", ".", "^", "%]", "%%", "a-c", "x-z", "0-9", "A-F", "à-ï"] + CLASSES
VALUE_ALPHABET = "abcAé ß-\"\\\t\n1.,%()[]"


def random_pattern(rng: random.Random) -> str:
    """A pattern of the `matches` dialect, at most about 60 characters: every construct the loader accepts."""
    return _choice(rng, 0)


def _choice(rng: random.Random, depth: int) -> str:
    return "|".join(_sequence(rng, depth) for _ in range(1 if rng.random() < 0.75 else rng.randint(2, 3)))


def _sequence(rng: random.Random, depth: int) -> str:
    return "".join(_atom(rng, depth) + _repeat(rng) for _ in range(rng.randint(0 if depth else 1, 4)))


def _atom(rng: random.Random, depth: int) -> str:
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(LITERALS)
    if kind < 0.45:
        return "."
    if kind < 0.6:
        return rng.choice(CLASSES)
    if kind < 0.8:
        items = (["]"] if rng.random() < 0.1 else []) + rng.sample(SET_ITEMS, rng.randint(1, 3))
        return "[" + ("^" if rng.random() < 0.3 else "") + "".join(items) + ("-" if rng.random() < 0.1 else "") + "]"
    if depth < 3:
        return "(" + _choice(rng, depth + 1) + ")"
    return rng.choice(LITERALS)


def _repeat(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        return ""
    if kind < 0.85:
        return rng.choice("*+?")
    low = rng.choice([0, 1, 1, 2, 2, 3, 4, 7, 20, 100]) if rng.random() < 0.9 else rng.randint(1, 100)
    high = low + rng.choice([0, 1, 2, 5, 30])
    if low == 0 and high == 0:
        high = 2
    return rng.choice([f"{{{high}}}", f"{{{low},}}", f"{{{low},{min(high, 100)}}}"])


def random_values(rng: random.Random, count: int = 40) -> list[str]:
    return ["".join(rng.choice(VALUE_ALPHABET) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def sample(tree: regex.Node, rng: random.Random) -> str:
    """A string the pattern's tree matches, drawn from its syntax (not from the automata under test)."""
    if isinstance(tree, regex.Chars):
        pool = sorted(tree.members) if not tree.negated else [ord(c) for c in VALUE_ALPHABET + "\x01\ufdd0"
                                                               if ord(c) not in tree.members]
        return chr(rng.choice(pool))
    if isinstance(tree, regex.Sequence):
        return "".join(sample(item, rng) for item in tree.items)
    if isinstance(tree, regex.Choice):
        return sample(rng.choice(tree.items), rng)
    if isinstance(tree, regex.Group):
        return sample(tree.item, rng)
    count = rng.randint(tree.low, min(tree.high if tree.high is not None else tree.low + 3, tree.low + 3))
    return "".join(sample(tree.item, rng) for _ in range(count))


def near(text: str, rng: random.Random) -> str:
    """`text` with one character changed, added or dropped: a string the pattern may just miss."""
    at = rng.randint(0, len(text))
    return text[:at] + rng.choice(["", rng.choice(VALUE_ALPHABET)]) + text[at + rng.randint(0, 1):]


class Child:
    """tests/durable_child.py, restarted after it dies or hangs: `ask` returns its answer to one ruleset, or
    what went wrong ("killed by signal 6", "no answer in 20 s", "exit 3")."""

    def __init__(self, facts: Path) -> None:
        self.facts = facts
        self.process: subprocess.Popen | None = None

    def ask(self, ruleset: Path) -> dict:
        if self.process is None:
            self.process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "durable_child.py"), str(self.facts)],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.process.stdin.write(f"{ruleset}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], DEADLINE)
        line = self.process.stdout.readline() if ready else ""
        if line:
            return json.loads(line)
        return {"failure": self.end()}

    def end(self) -> str:
        """Stop the child (it died, or did not answer in time) and say which it was."""
        process, self.process = self.process, None
        if process.poll() is None:
            process.kill()
            process.wait()
            return f"no answer in {DEADLINE:.0f} s"
        return f"killed by signal {-process.returncode}" if process.returncode < 0 else f"exit {process.returncode}"

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=DEADLINE)


def test_random_patterns_are_refused_or_register_and_agree_on_durable_rules(tmp_path):
    rng = random.Random(FUZZ_SEED)
    count = int(os.environ.get("PRECOMMENT_REGEX_FUZZ", FUZZ_PATTERNS))
    values = GRID_VALUES + random_values(rng)
    rulesets: list[tuple[str, Path]] = []
    for n in range(count):
        pattern = random_pattern(rng)
        directory = tmp_path / f"pattern-{n}"
        directory.mkdir()
        write_probe_rule(directory, 1, "exhibit", when_title_matches(pattern))
        try:
            ruleset = load_rules([directory])
        except RuleError as error:  # refused: only ever as a pattern the loader will not take
            assert [problem.code for problem in error.problems] == ["bad-pattern"], (pattern, str(error))
            continue
        (directory / "ruleset.pickle").write_bytes(pickle.dumps(ruleset))
        rulesets.append((pattern, directory / "ruleset.pickle"))
        values += [text := sample(regex.parse(pattern), rng), near(text, rng)]
    facts = exhibit_facts(values)
    (tmp_path / "facts.pickle").write_bytes(pickle.dumps(facts))
    child = Child(tmp_path / "facts.pickle")
    failures, matching = [], 0
    try:
        for pattern, path in rulesets:
            expected = sorted([m.rule_id, m.bindings[0][1]] for m in oracle.evaluate(pickle.loads(path.read_bytes()), facts))
            answer = child.ask(path)
            matching += bool(expected) and len(expected) < len(values)
            if answer.get("matches") != expected:
                failures.append((pattern, answer.get("failure") or answer.get("error") or "different matches"))
    finally:
        child.close()
    assert failures == []
    # Not vacuous: many patterns are accepted, and nearly all of those match some values and not others.
    assert len(rulesets) >= count // 3
    assert matching >= len(rulesets) * 9 // 10


def to_python(tree: regex.Node) -> str:
    """The tree as Python `re` source (for fullmatch with DOTALL): an independent reading of its meaning."""
    if isinstance(tree, regex.Chars):
        members = "".join(re.escape(chr(code)) for code in sorted(tree.members))
        return "." if tree == regex.ANY else f"[{'^' if tree.negated else ''}{members}]"
    if isinstance(tree, regex.Sequence):
        return "".join(to_python(item) for item in tree.items)
    if isinstance(tree, regex.Choice):
        return "(?:" + "|".join(to_python(item) for item in tree.items) + ")"
    if isinstance(tree, regex.Group):
        return f"(?:{to_python(tree.item)})"
    high = "" if tree.high is None else tree.high
    return f"(?:{to_python(tree.item)}){{{tree.low},{high}}}"


def counts(tree: regex.Node) -> list[int]:
    """Every repeat count of the tree."""
    if isinstance(tree, regex.Chars):
        return []
    if isinstance(tree, (regex.Sequence, regex.Choice)):
        return [n for item in tree.items for n in counts(item)]
    own = [tree.low, tree.high or 0] if isinstance(tree, regex.Repeat) else []
    return own + counts(tree.item)


def test_the_oracle_means_what_pythons_re_means(tmp_path):
    # The oracle's automaton against Python's re, on random patterns with small repeat counts and short
    # values (where re's backtracking stays cheap): the meaning the proof holds durable-rules to.
    rng = random.Random(FUZZ_SEED + 1)
    compared = matching = 0
    while compared < 400:
        try:
            tree = regex.parse(random_pattern(rng))
        except regex.PatternError:  # the generator also writes patterns outside the dialect
            continue
        if max(counts(tree), default=0) > 4:
            continue
        compared += 1
        texts = random_values(rng, 20) + [text := sample(tree, rng)[:10], near(text, rng), ""]
        python = re.compile(to_python(tree), re.DOTALL)
        reference = regex.Reference(tree)
        assert [t for t in texts if reference.matches(t) != bool(python.fullmatch(t))] == [], to_python(tree)
        matching += any(python.fullmatch(t) for t in texts)
    assert matching > compared // 2  # not vacuous: most patterns match one of their texts


ENDS_WITH_X = FOLDED_RULE.replace('".*[Ll]ease%s*"', '".*X"').replace("Office lease\\n", "aX").replace(
    "Office lease agreement", "Xa")


@pytest.mark.parametrize("size, code", [(65_535, 1), (65_536, 2)])
def test_a_text_longer_than_durable_rules_can_match_is_refused_where_it_is(tmp_path, cli, size, code):
    # durable-rules matches a pattern against at most 65,535 bytes of a value (an unsigned short length
    # in events.c): past that it matched the length modulo 65,536 and reported nothing.
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "x.yaml").write_text(ENDS_WITH_X, encoding="utf-8")
    title = "a" * (size - 1) + "X"
    (tmp_path / "filing.yaml").write_text(FOLDED_FILING.replace("Supply agreement", title), encoding="utf-8")
    result = cli("check", str(tmp_path / "filing.yaml"), "--no-builtin-rules", "--rules", str(tmp_path / "rules"),
                 "--no-cache")
    if code == 1:
        assert result[0] == 1 and "1 finding in 1 filing (1 error" in result[1]
    else:
        assert result[:2] == (2, f"{tmp_path / 'filing.yaml'}: not checked: 1 input error (reported on standard "
                                 "error)\n\n0 findings in 0 filings (0 error, 0 warning, 0 info); 1 file could not be "
                                 "checked. Failed: bad input.\n")
        assert result[2] == (
            f"{tmp_path / 'filing.yaml'}:11:14: error [text-too-long] at /item19/exhibits/2/title: durable-rules can "
            "match a pattern against at most 65,535 bytes of text; this one takes 65,536 (in UTF-8, with each quote, "
            "backslash and control character as 3 or 4 bytes)\n  hint: shorten it: a rule's `matches` test reads this field\n")
