"""The command line: parses arguments, wires the stages, and is the one place errors become exit codes.

Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import (EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, InputError, PrecommentError, Problem,
                     UsageError)
from .report import GATES, FilingResult, Gate, render_json, render_table

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
    check.add_argument("--fail-on", choices=GATES, default="error",
                       help="exit 1 when a finding has this severity or a higher one (default: error)")

    validate = commands.add_parser("validate", help="only validate filing descriptions against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE")
    return parser


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="a directory of your own rules, added to the built-in ones (may repeat)")
    parser.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args.files)
    return _check(args)


def _check(args: argparse.Namespace) -> int:
    from .pipeline import Checker
    from .resources import rules_dir
    from .rulebook import load_rules

    if args.no_builtin_rules and not args.rules:
        raise UsageError("--no-builtin-rules needs at least one --rules DIR")
    directories = ([] if args.no_builtin_rules else [rules_dir()]) + [Path(d) for d in args.rules]
    ruleset = load_rules(directories)
    checker = Checker(ruleset)
    results = [checker.check_path(path) for path in args.files]
    for result in results:
        _print_problems(result.problems)
    gate = Gate(args.fail_on)
    if args.format == "json":
        sys.stdout.write(render_json(results, gate, len(ruleset.rules)))
    else:
        sys.stdout.write(render_table(results, gate))
    return _exit_code(results, gate)


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
