"""Is the Spectral translation faithful? Both tools on the same documents, subjects compared rule by rule.

    .venv/bin/python benchmarks/peer/agree.py [--spectral PATH] [--scratch DIR]

For every rule of `precomment.spectral.yaml` (translate.py), on each of its examples (pass and fail: the
example's filing with the example filer, as precomment.checking.examples builds it) and on every bundled
description (filings/*.yaml), the subjects each tool reports: precomment's findings' `pointer`s (the rule
evaluated alone on durable-rules, as `rules test` does) and Spectral's results' `path`, cut to the depth of
the fact the rule's `given` selects and written as a JSON pointer. Spectral runs once over all documents.
`--also FILE` adds descriptions of any size (say, benchmarks/generate.py's): on those precomment runs as a
whole process, `precomment check --no-builtin-rules --rules DIR --format json`, DIR holding copies of the
translated rule files. Prints each disagreement and the counts; exits 1 if any rule disagrees anywhere.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml
from precomment.checking.examples import example_document
from precomment.checking.pipeline import Checker
from precomment.language.rulebook import load_rules
from precomment.sources.document import escape_pointer_token
from precomment.sources.load import load_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spectral  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def given_depth(rule: dict) -> int:
    """How many path segments name the fact a Spectral rule's `given` selects: $.item6.share_ownership.holders[*] -> 4."""
    given = rule["given"] if isinstance(rule["given"], str) else rule["given"][0]
    return given.count(".") + given.count("[*]")


def spectral_subjects(binary: Path, documents: list[Path], depths: dict[str, int]) -> dict[tuple[str, str], set[str]]:
    """(rule id, document) -> the JSON pointers Spectral reports."""
    done = subprocess.run(spectral.lint_command(binary, [str(d) for d in documents]), capture_output=True, text=True,
                          check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"spectral exited {done.returncode}: {done.stderr[-2000:]}")
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for result in json.loads(done.stdout or "[]"):
        if result["code"] not in depths:
            raise SystemExit(f"spectral reported {result['code']}: {result['message']}")
        path = result["path"][:depths[result["code"]]]
        found[(result["code"], str(Path(result["source"]).resolve()))].add(
            "".join(f"/{escape_pointer_token(str(token))}" for token in path))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spectral", type=Path, help="the spectral binary (default: install it into --scratch)")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "precomment-peer",
                        help="where Spectral is installed and the examples written")
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="another description to compare on (may repeat)")
    args = parser.parse_args(argv)
    binary = args.spectral or spectral.install(args.scratch / "spectral")
    translated = yaml.safe_load(spectral.RULESET.read_text())["rules"]
    depths = {rule_id: given_depth(rule) for rule_id, rule in translated.items()}
    ruleset = load_rules()
    rules = [rule for rule in ruleset.rules if rule.id in translated]
    checker = Checker(ruleset)

    examples_dir = args.scratch / "examples"
    examples_dir.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path, set[str], str]] = []  # (rule id, document, precomment's pointers, label)
    for rule in rules:
        for index, example in enumerate(rule.examples):
            document = example_document(rule, example)
            path = (examples_dir / f"{rule.id}-{index}.json").resolve()
            path.write_text(json.dumps(document.data, default=str))
            pointers = {f.pointer for f in checker.rule_findings(rule, document)}
            cases.append((rule.id, path, pointers, f"{example.kind} example {example.name!r}"))
    filings = sorted((ROOT / "filings").glob("*.yaml"))
    for filing in filings:
        document = load_file(filing)
        for rule in rules:
            pointers = {f.pointer for f in checker.rule_findings(rule, document)}
            cases.append((rule.id, filing.resolve(), pointers, filing.name))

    if args.also:
        folder = args.scratch / "agree-rules"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for rule in rules:
            shutil.copy(rule.source, folder / Path(rule.source).name)
        for extra in args.also:
            report = subprocess.run([str(Path(sys.executable).with_name("precomment")), "check", str(extra), "--format",
                                     "json", "--no-config", "--no-progress", "--no-builtin-rules", "--rules",
                                     str(folder)], capture_output=True, text=True, check=False)
            if report.returncode not in (0, 1):
                raise SystemExit(f"precomment check {extra} exited {report.returncode}: {report.stderr[-2000:]}")
            by_rule: dict[str, set[str]] = defaultdict(set)
            for finding in json.loads(report.stdout)["filings"][0]["findings"]:
                by_rule[finding["rule_id"]].add(finding["pointer"])
            cases.extend((rule.id, extra.resolve(), by_rule[rule.id], extra.name) for rule in rules)
    documents = sorted({path for _, path, _, _ in cases})
    found = spectral_subjects(binary, documents, depths)
    disagreeing: dict[str, list[str]] = defaultdict(list)
    subjects = 0
    for rule_id, path, pointers, label in cases:
        theirs = found.get((rule_id, str(path)), set())
        subjects += len(pointers)
        if theirs != pointers:
            disagreeing[rule_id].append(f"{label}: precomment {sorted(pointers)}, Spectral {sorted(theirs)}")
    for rule_id, lines in sorted(disagreeing.items()):
        print(f"{rule_id} DISAGREES")
        for line in lines:
            print(f"  {line}")
    examples = sum(len(rule.examples) for rule in rules)
    more = f" and {len(args.also)} more descriptions" if args.also else ""
    print(f"{len(rules)} rules translated; {len(rules) - len(disagreeing)} agree on all {examples} examples and "
          f"{len(filings)} bundled filings{more} ({len(cases)} rule-document pairs, {subjects} subjects reported by "
          f"precomment); {len(disagreeing)} disagree")
    return 1 if disagreeing else 0


if __name__ == "__main__":
    sys.exit(main())
