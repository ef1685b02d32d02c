"""The command line: parses the arguments, runs the command they name (engine/commands: check, validate,
rules, init), and is the one place errors become text and exit codes.

Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.
"""
from __future__ import annotations

import argparse
import datetime
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .commands.problems import print_problems
from .commands.profile import ACCOUNTING, FILER_STATUS
from .errors import EXIT_INTERNAL, InputError, PrecommentError, UsageError
from .reports.formats import FORMATS
from .reports.model import GATES
from .reports.writer import guarded_standard_streams

if TYPE_CHECKING:
    from .commands.rulesets import RuleOptions


def run() -> NoReturn:
    """The `precomment` command: `main()`, then out without the interpreter's teardown.

    Tearing down (durable-rules' registered rulesets, the rules, every module's objects, one by one) is a
    large part of a check's time that nobody waits for usefully (BENCHMARKS.md, 'The command line').
    Nothing is left to do by then: report files are written, closed and renamed, the spools are unlinked,
    a worker pool is shut down, and `main` has flushed standard output and error. So the process ends at
    once with the exit code. For the same reason what a check loads before its first filing may be frozen
    out of the garbage collector's reach (`own_process`). Under a profiler or a tracer (`python -m cProfile -m
    precomment ...`, coverage) the process ends the ordinary way instead, so that the tool writes its results."""
    code = main(own_process=True)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run one command; its exit code. A reader of standard output that goes away (`| head`) ends the output
    quietly and the code is the command's own; standard output that cannot be written is exit 2.
    `own_process`: the process ends with this command (the console script), so the command may change
    process-wide settings for its own speed; a caller running several commands in one process leaves it
    False."""
    with guarded_standard_streams():
        try:
            code = _run(build_parser().parse_args(argv), own_process)
            sys.stdout.flush()  # a full disk may show only now, with the last of the output
            return code
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


_ANSWERS_HELP = ("with a filing document (.htm, .xhtml, .docx): the preparer's answers and corrections, laid over "
                 "what precomment reads from the document (docs/documents.md)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="precomment",
        description="Predict the SEC staff's likely comments on a draft Form 20-F described in YAML.",
        epilog="Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.")
    parser.add_argument("--version", action="version", version=f"precomment {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="check filing descriptions and report likely comments",
        description="Check filing descriptions and report the comments the SEC staff would likely make.",
        epilog="Formats: " + ", ".join(FORMATS) + ". Each --format may be followed by its own --output FILE; "
               "at most one format goes to standard output. Example: --format table --format sarif --output "
               "report.sarif --format html --output report.html")
    check.add_argument("files", nargs="+", metavar="FILE",
                       help="a filing document (.htm, .html, .xhtml: EDGAR HTML or Inline XBRL; .docx), a filing "
                            "description (.yaml, .yml or .json), a directory of descriptions, or - for standard input")
    _add_rule_options(check)
    check.add_argument("--format", dest="outputs", action=_FormatAction, default=[], choices=FORMATS,
                       metavar="FORMAT", help="report format (default: table); may repeat")
    check.add_argument("--output", dest="outputs", action=_OutputAction, metavar="FILE",
                       help="write the report of the --format before it to FILE (a file is replaced atomically; "
                            "a device or FIFO is written into)")
    check.add_argument("--fail-on", choices=GATES, default=None,
                       help="exit 1 when a finding has this severity or a higher one (default: error, or the "
                            "configuration's fail_on)")
    check.add_argument("--waivers", metavar="FILE", help="waivers file (default: the configuration's waivers)")
    check.add_argument("--baseline", metavar="REPORT",
                       help="a previous JSON report: mark findings new, still open or fixed")
    check.add_argument("--fail-on-new", action="store_true", default=None,
                       help="with --baseline: only new findings fail the gate (and rules the baseline assessed "
                            "that cannot assess now)")
    check.add_argument("--allow-incomplete", action="store_true", default=None,
                       help="Form items neither described nor declared do not fail the gate (work in progress; "
                            "default: the configuration's allow_incomplete, else they fail it)")
    check.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                       help="the date waivers expire against (default: today)")
    check.add_argument("--letter-date", type=_iso_date, metavar="YYYY-MM-DD",
                       help="date of the staff letter, for the letter and response formats (default: --today)")
    check.add_argument("--stdin-name", default="<stdin>", metavar="NAME",
                       help="the name FILE - is reported under; a name ending in .json reads it as strict JSON")
    check.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    check.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="check the filings in N worker processes (0: one per CPU; default 1)")
    check.add_argument("--answers", metavar="FILE", help=_ANSWERS_HELP)

    extract = commands.add_parser(
        "extract", help="read a filing document (.htm, .xhtml, .docx) and write its description",
        description="Read a filing document (EDGAR HTML, Inline XBRL or Word) and write the filing description "
                    "precomment reads from it: each value with its page and how it was read, a TODO for each "
                    "question only the preparer can answer, and a sidecar JSON of exact source spans.",
        epilog="Example: precomment extract draft-20f.htm -o draft.yaml (also writes draft.sources.json)")
    extract.add_argument("document", metavar="DOCUMENT", help="the filing document: .htm, .html, .xhtml or .docx")
    extract.add_argument("-o", "--output", metavar="FILE",
                         help="write the description to FILE, which must not exist yet (default, or -: standard output)")
    extract.add_argument("--sources", metavar="FILE",
                         help="write the sidecar of source spans to FILE (default with -o: FILE.sources.json beside it)")
    extract.add_argument("--force", action="store_true", help="replace FILE if it exists")

    validate = commands.add_parser("validate", help="only validate filing descriptions against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE", help="a file, a directory of them, or - for standard input")
    validate.add_argument("--answers", metavar="FILE", help=_ANSWERS_HELP)
    validate.add_argument("--stdin-name", default="<stdin>", metavar="NAME",
                          help="the name FILE - is reported under; a name ending in .json reads it as strict JSON")

    coverage = commands.add_parser("coverage", help="what a check could and could not assess in each filing: Form "
                                   "items accounted for, and each rule fired, passed, not applicable or not assessed")
    coverage.add_argument("files", nargs="+", metavar="FILE", help="a file, a directory of them, or - for standard input")
    coverage.add_argument("--answers", metavar="FILE", help=_ANSWERS_HELP)
    coverage.add_argument("--format", choices=("table", "json"), default="table", help="(default: table)")
    coverage.add_argument("--stdin-name", default="<stdin>", metavar="NAME",
                          help="the name FILE - is reported under; a name ending in .json reads it as strict JSON")
    _add_rule_options(coverage)

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
    _add_init(commands)
    return parser


def _add_init(commands: Any) -> None:
    init = commands.add_parser(
        "init", help="write a questionnaire: a first description to fill in",
        description="Write a commented questionnaire for a filer's profile: every Form item, section and field "
                    "of a description, each with its question, what leaving it out means and the rules that read "
                    "it. It validates as written; fill it in, then `precomment check` it. A profile answer not "
                    "given is left to fill in.",
        epilog="Example: precomment init --fiscal-year-end 2024-12-31 --accounting ifrs --ads --not-china-based "
               "-o draft.yaml")
    init.add_argument("-o", "--output", metavar="FILE",
                      help="write to FILE, which must not exist yet (default, or -: standard output)")
    init.add_argument("--force", action="store_true", help="replace FILE if it exists")
    init.add_argument("--fiscal-year-end", type=_iso_date, metavar="YYYY-MM-DD",
                      help="last day of the fiscal year the report covers (rules not yet in force then do not apply); "
                           "without it, on a terminal, init asks each profile question no flag answers")
    init.add_argument("--name", help="the registrant's exact name (default: a placeholder to replace)")
    init.add_argument("--accounting", choices=ACCOUNTING, help="basis of the financial statements")
    _either(init, "securities", ("--ads", "ads", "American Depositary Shares are listed in the United States"),
            ("--ordinary-shares", "ordinary", "the ordinary shares are listed directly, with no ADSs (Item 12.D is "
                                              "declared not applicable)"))
    _either(init, "china_based", ("--china-based", True, "a China-based issuer (operations or incorporation in "
                                                         "mainland China, Hong Kong or Macao)"),
            ("--not-china-based", False, "not a China-based issuer (the China-based section is left out)"))
    _either(init, "egc", ("--egc", True, "an emerging growth company"),
            ("--not-egc", False, "not an emerging growth company"))
    init.add_argument("--filer-status", choices=FILER_STATUS, help="filer status under Exchange Act Rule 12b-2")
    _add_rule_options(init)


def _either(parser: argparse.ArgumentParser, dest: str, *choices: tuple[str, object, str]) -> None:
    """Flags that answer one question in exclusive ways; none given leaves it unanswered (None)."""
    group = parser.add_mutually_exclusive_group()
    for flag, value, meaning in choices:
        group.add_argument(flag, dest=dest, action="store_const", const=value, help=meaning)


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="a directory of your own rules, added to the built-in ones (may repeat)")
    parser.add_argument("--no-builtin-rules", action="store_true", help="use only the --rules directories")
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file (default: the nearest .precomment.yaml, or pyproject.toml with "
                             "[tool.precomment], from the working directory up to the repository root; "
                             "outside a repository, in the working directory only)")
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")
    parser.add_argument("--no-cache", action="store_true",
                        help="load and verify the rules afresh, without the rule cache (PRECOMMENT_NO_CACHE=1)")


def _run(args: argparse.Namespace, own_process: bool) -> int:
    """The command the arguments name, run with its options (each command's module is imported only here,
    so a run loads no more than its command needs)."""
    if args.command == "validate":
        from .commands import validate
        return validate.run(args.files, args.stdin_name, args.answers)
    if args.command == "coverage":
        from .commands import coverage
        return coverage.run(args.files, _rule_options(args), args.format == "json", args.stdin_name, args.answers)
    if args.command == "extract":
        from .commands import extract
        return extract.run(extract.ExtractOptions(args.document, args.output, args.sources, args.force))
    if args.command == "init":
        return _init(args)
    if args.command == "rules":
        from .commands import rules
        if args.action == "test":
            return rules.run_examples(args.dirs)
        if args.action == "list":
            return rules.list_rules(_rule_options(args), as_json=args.format == "json")
        return rules.explain(args.rule_id, _rule_options(args))
    outputs = _outputs(args.outputs)
    from .commands import check
    return check.run(check.CheckOptions(
        files=args.files, outputs=outputs, rules=_rule_options(args), fail_on=args.fail_on, waivers=args.waivers,
        baseline=args.baseline, fail_on_new=args.fail_on_new,
        allow_incomplete=args.allow_incomplete, today=args.today, letter_date=args.letter_date,
        stdin_name=args.stdin_name, no_progress=args.no_progress, jobs=args.jobs, answers=args.answers),
        own_process=own_process)


def _init(args: argparse.Namespace) -> int:
    """`precomment init`: the profile from the flags, or, without --fiscal-year-end on a terminal, asked."""
    from .commands import init
    from .commands.profile import Profile, ask

    given = dict(fiscal_year_end=args.fiscal_year_end, name=args.name,
                 basis_of_accounting=ACCOUNTING.get(args.accounting or ""), securities=args.securities,
                 china_based=args.china_based, emerging_growth_company=args.egc,
                 filer_status=FILER_STATUS.get(args.filer_status or ""))
    if args.fiscal_year_end is not None:
        profile = Profile(**given)
    elif sys.stdin is not None and sys.stdin.isatty():
        profile = ask(given, _typed)
    else:
        raise UsageError("precomment init needs --fiscal-year-end YYYY-MM-DD, the last day of the fiscal year the "
                         "report covers (on a terminal, without it, init asks)")
    return init.run(init.InitOptions(profile, args.output, args.force, _rule_options(args)))


def _typed(prompt: str) -> str | None:
    """One line typed in answer to `prompt` (shown on standard error, as standard output may be the
    questionnaire); None at the end of input."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return line if line else None


def _rule_options(args: argparse.Namespace) -> RuleOptions:
    """The flags of `_add_rule_options`, as the commands that load rules take them."""
    from .commands.rulesets import RuleOptions

    return RuleOptions(rules=tuple(args.rules), no_builtin_rules=args.no_builtin_rules, config=args.config,
                       no_config=args.no_config, no_cache=args.no_cache)


def _outputs(pairs: list[list[Any]]) -> list[tuple[str, str | None]]:
    """The (format, output file or None for stdout) pairs; table on stdout when no --format is given."""
    outputs = [(name, path) for name, path in pairs] or [("table", None)]
    if sum(1 for _, path in outputs if path is None) > 1:
        raise UsageError("only one --format can go to standard output; give the others an --output FILE")
    return outputs


class _FormatAction(argparse.Action):
    """`--format NAME` starts a new output; a following `--output FILE` belongs to it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        pairs = list(getattr(namespace, self.dest) or [])
        pairs.append([values, None])
        setattr(namespace, self.dest, pairs)


class _OutputAction(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        pairs = list(getattr(namespace, self.dest) or [])
        if not pairs:
            pairs.append(["table", None])  # `--output FILE` alone: the default table, to FILE
        if not values:
            parser.error("--output needs a file name")
        if pairs[-1][1] is not None:
            parser.error(f"--output {values}: the --format before it already has --output {pairs[-1][1]}; "
                         "give each --format its own --output")
        pairs[-1][1] = values
        setattr(namespace, self.dest, pairs)


def _jobs(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 means one per CPU)")
    return count or os.cpu_count() or 1


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _print_error(error: PrecommentError) -> None:
    if isinstance(error, InputError):
        print_problems(list(error.problems))
    elif error.exit_code == EXIT_INTERNAL:
        print(f"precomment: internal error: {error}", file=sys.stderr)
    else:
        print(f"precomment: {error}", file=sys.stderr)


if __name__ == "__main__":
    run()
