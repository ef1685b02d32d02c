"""The command line: parses arguments, wires the stages, and is the one place errors become exit codes.

Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from .config import Config, apply_config, find_config, load_config
from .errors import (EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, InputError, PrecommentError, Problem,
                     UsageError)
from .report import GATES, FilingResult, Gate, render_json, render_table
from .rule_records import RuleSet

MAX_PROBLEMS_SHOWN = 50


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(build_parser().parse_args(argv))
    except PrecommentError as error:
        _print_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: say so plainly, never as "no findings"
        print("precomment: internal error (a bug in precomment; please report it with the input that caused it)",
              file=sys.stderr)
        if os.environ.get("PRECOMMENT_DEBUG"):
            traceback.print_exc()
        else:
            print("  set PRECOMMENT_DEBUG=1 to see the traceback", file=sys.stderr)
        return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="precomment",
        description="Predict the SEC staff's likely comments on a draft Form 20-F described in YAML.",
        epilog="Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.")
    parser.add_argument("--version", action="version", version=f"precomment {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="check filing descriptions and report likely comments")
    check.add_argument("files", nargs="+", metavar="FILE", help="filing description (.yaml or .json)")
    _add_rule_options(check)
    check.add_argument("--format", choices=("table", "json"), default="table", help="report format (default: table)")
    check.add_argument("--fail-on", choices=GATES, default=None,
                       help="exit 1 when a finding has this severity or a higher one (default: error, or the "
                            "configuration's fail_on)")

    validate = commands.add_parser("validate", help="only validate filing descriptions against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE")

    rules = commands.add_parser("rules", help="list, explain and test the rules")
    actions = rules.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the rules in force: id, Form item, severity, title")
    _add_rule_options(listing)
    listing.add_argument("--format", choices=("table", "json"), default="table", help="(default: table)")
    explain = actions.add_parser("explain", help="one rule in full: text, authorities, precedents, examples")
    explain.add_argument("rule_id", metavar="ID", help="a rule id, e.g. PC-6-001")
    _add_rule_options(explain)
    test = actions.add_parser("test", help="run every rule's embedded examples on both evaluators")
    test.add_argument("dirs", nargs="*", metavar="DIR",
                      help="directories of rules to test (default: the built-in rules)")
    return parser


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="a directory of your own rules, added to the built-in ones (may repeat)")
    parser.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file (default: the nearest .precomment.yaml, or pyproject.toml with "
                             "[tool.precomment], from the working directory up to the repository root)")
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args.files)
    if args.command == "rules":
        return _rules(args)
    return _check(args)


def _configuration(args: argparse.Namespace) -> Config:
    if args.no_config:
        if args.config:
            raise UsageError("--config and --no-config exclude each other")
        return Config()
    if args.config:
        if not Path(args.config).is_file():
            raise UsageError(f"--config {args.config}: no such file")
        return load_config(args.config)
    found = find_config(Path.cwd())
    return load_config(found) if found else Config()


def _configured_rules(args: argparse.Namespace, config: Config) -> RuleSet:
    """The rule set the flags and the configuration ask for: built-in rules unless turned off, plus the
    configured and the --rules directories, less disabled rules, with severities overridden."""
    from .resources import rules_dir
    from .rulebook import load_rules

    builtin = config.builtin_rules and not args.no_builtin_rules
    extra = list(config.rules) + [Path(d) for d in args.rules]
    if not builtin and not extra:
        raise UsageError("--no-builtin-rules needs at least one --rules DIR")
    return apply_config(load_rules(([rules_dir()] if builtin else []) + extra), config)


def _check(args: argparse.Namespace) -> int:
    from .pipeline import Checker

    config = _configuration(args)
    ruleset = _configured_rules(args, config)
    checker = Checker(ruleset)
    results = [checker.check_path(path) for path in args.files]
    for result in results:
        _print_problems(result.problems)
    gate = Gate(args.fail_on or config.fail_on or "error")
    if args.format == "json":
        sys.stdout.write(render_json(results, gate, len(ruleset.rules)))
    else:
        sys.stdout.write(render_table(results, gate))
    return _exit_code(results, gate)


def _rules(args: argparse.Namespace) -> int:
    from . import ruletools

    if args.action == "test":
        return _test_rules(args.dirs)
    ruleset = _configured_rules(args, _configuration(args))
    if args.action == "list":
        render = ruletools.render_list_json if args.format == "json" else ruletools.render_list
        sys.stdout.write(render(ruleset.rules))
        return EXIT_CLEAN
    by_id = {rule.id: rule for rule in ruleset.rules}
    wanted = args.rule_id.upper()
    if wanted not in by_id:
        close = difflib.get_close_matches(wanted, sorted(by_id), n=1, cutoff=0.6)
        raise UsageError(f"no rule has the id {args.rule_id!r}" + (f"; did you mean {close[0]}?" if close else
                                                                   "; `precomment rules list` shows the ids"))
    sys.stdout.write(ruletools.render_explain(by_id[wanted]))
    return EXIT_CLEAN


def _test_rules(dirs: list[str]) -> int:
    """Every example of the rules in `dirs` (default: the built-in rules) on both evaluators."""
    from .examples import run_example
    from .pipeline import Checker
    from .rulebook import load_rules
    from .ruletools import render_test, sorted_rules

    ruleset = load_rules([Path(d) for d in dirs] or None)
    checker = Checker(ruleset)
    outcomes = [run_example(checker, rule, example) for rule in sorted_rules(ruleset.rules) for example in rule.examples]
    sys.stdout.write(render_test(outcomes))
    return EXIT_CLEAN if all(o.passed for o in outcomes) else EXIT_FINDINGS


def _exit_code(results: list[FilingResult], gate: Gate) -> int:
    if any(result.problems for result in results):
        return EXIT_INPUT
    return EXIT_FINDINGS if gate.failing(results) else EXIT_CLEAN


def _validate(files: list[str]) -> int:
    from .load import load_file
    from .model import FILING_SCHEMA
    from .validate import check

    status = EXIT_CLEAN
    for path in files:
        try:
            check(load_file(path), FILING_SCHEMA)
            print(f"{path}: valid")
        except InputError as error:
            _print_problems(list(error.problems))
            status = EXIT_INPUT
    return status


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(problem.render(), file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems in {problems[0].source}", file=sys.stderr)


def _print_error(error: PrecommentError) -> None:
    if isinstance(error, InputError):
        _print_problems(list(error.problems))
    elif error.exit_code == EXIT_INTERNAL:
        print(f"precomment: internal error: {error}", file=sys.stderr)
    else:
        print(f"precomment: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
