"""The command line: parses arguments, wires the stages, and is the one place errors become exit codes.

Exit codes: 0 clean, 1 findings at or above the gate, 2 bad input or usage, 3 internal error.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NoReturn, Sequence

from . import __version__
from .commands.config import Config, apply_config, find_config, load_config
from .errors import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    InputError,
    PrecommentError,
    Problem,
    UsageError,
    did_you_mean,
)
from .language.records import RuleSet
from .reports.formats import FORMATS
from .reports.model import GATES, Gate
from .reports.writer import ReportWriter, guarded_standard_streams, plan_outputs

if TYPE_CHECKING:
    from .checking.findings import Waiver
    from .checking.review import Baseline
    from .reports.model import Context

MAX_PROBLEMS_SHOWN = 50
PROGRESS_FROM = 10  # filings: fewer finish before a bar would help
PROGRESS_WIDTH = 30


def run() -> NoReturn:
    """The `precomment` command: `main()`, then out without the interpreter's teardown.

    Tearing down (durable-rules' registered rulesets, the rules, every module's objects, one by one) is a
    large part of a check's time that nobody waits for usefully (BENCHMARKS.md, 'The command line').
    Nothing is left to do by then: report files are written, closed and
    renamed, the spools are unlinked, a worker pool is shut down, and `main` has flushed standard output
    and error. So the process ends at once with the exit code."""
    os._exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code. A reader of standard output that goes away (`| head`) ends the output
    quietly and the code is the command's own; standard output that cannot be written is exit 2."""
    with guarded_standard_streams():
        try:
            code = _run(build_parser().parse_args(argv))
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
                       help="filing description (.yaml, .yml or .json), a directory of them, or - for standard input")
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
                       help="with --baseline: only new findings fail the gate")
    check.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                       help="the date waivers expire against (default: today)")
    check.add_argument("--letter-date", type=_iso_date, metavar="YYYY-MM-DD",
                       help="date of the staff letter, for the letter and response formats (default: --today)")
    check.add_argument("--stdin-name", default="<stdin>", metavar="NAME",
                       help="the name FILE - is reported under; a name ending in .json reads it as strict JSON")
    check.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    check.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="check the filings in N worker processes (0: one per CPU; default 1)")

    validate = commands.add_parser("validate", help="only validate filing descriptions against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE", help="a file, a directory of them, or - for standard input")
    validate.add_argument("--stdin-name", default="<stdin>", metavar="NAME",
                          help="the name FILE - is reported under; a name ending in .json reads it as strict JSON")

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
                             "[tool.precomment], from the working directory up to the repository root; "
                             "outside a repository, in the working directory only)")
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")
    parser.add_argument("--no-cache", action="store_true",
                        help="load and verify the rules afresh, without the rule cache (PRECOMMENT_NO_CACHE=1)")


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args.files, args.stdin_name)
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
    found, ignored = find_config(Path.cwd())
    _print_problems(ignored)
    return load_config(found) if found else Config()


def _rule_dirs(args: argparse.Namespace, config: Config) -> list[Path]:
    """The rule directories the flags and the configuration ask for: the built-in rules unless turned off,
    then the configured and the --rules directories. None at all is refused, saying which setting left none."""
    from .resources import rules_dir

    builtin = config.builtin_rules and not args.no_builtin_rules
    extra = list(config.rules) + [Path(d) for d in args.rules]
    if not builtin and not extra:
        if args.no_builtin_rules:
            raise UsageError("--no-builtin-rules needs at least one --rules DIR")
        raise InputError([_config_problem(config, "/builtin_rules", "no-rules",
                                          "turns the built-in rules off and names no rules directory, so no rule "
                                          "would run", "add `rules: [DIR]` to the configuration, or give --rules DIR")])
    return ([rules_dir()] if builtin else []) + extra


def _configured_rules(args: argparse.Namespace, config: Config) -> RuleSet:
    """The rule set of `_rule_dirs`, less disabled rules, with severities overridden. A run with no rule at
    all is refused: it would report "0 findings, passed"."""
    from .checking.rule_cache import load_checked_rules

    loaded = load_checked_rules(_rule_dirs(args, config), use_cache=not args.no_cache)
    configured = apply_config(loaded, config)
    if not configured.rules:  # every directory holds a rule file (rulebook), so `disable` removed them all
        count = len(loaded.rules)
        raise InputError([_config_problem(config, "/disable", "no-rules-left",
                                          f"disables every rule loaded ({count} rule{'s' if count != 1 else ''}), "
                                          "so no rule would run",
                                          "take rule ids out of `disable`, or add rules with --rules DIR")])
    return configured


def _config_problem(config: Config, pointer: str, code: str, message: str, hint: str) -> Problem:
    """A problem located at a setting of the configuration file (which, here, always exists)."""
    assert config.document is not None
    return config.document.problem(pointer, code, message, hint, prefer_key=True)


def _check(args: argparse.Namespace) -> int:
    from .checking.batch import Job, check_all
    from .checking.review import WaiverReview, follow_renames
    from .reports.formats import Renderer
    from .reports.model import Report
    from .sources.inputs import expand

    outputs = _outputs(args.outputs)
    config = _configuration(args)
    waivers_path = args.waivers or (str(config.waivers) if config.waivers else None)
    files, skipped = expand(args.files)
    _print_problems(skipped)
    if files.count("-") > 1:
        raise UsageError("- (standard input) may be given only once")
    # Before any filing is checked: an output over an input, or one that cannot be written, costs no work
    # and leaves every old report as it was.
    targets = plan_outputs([path for _, path in outputs],
                           _inputs(files, config, [waivers_path, args.baseline], _rule_dirs(args, config)))
    fail_on_new = args.fail_on_new if args.fail_on_new is not None else config.fail_on_new
    if fail_on_new and not args.baseline:
        raise UsageError("--fail-on-new needs --baseline REPORT (a previous `check --format json` report)")
    waivers = _load_waivers(waivers_path)
    baseline = _load_baseline(args.baseline)
    ruleset = _configured_rules(args, config)
    waivers, baseline, renamed = follow_renames(ruleset.rules, waivers, baseline)
    context = _context(args, ruleset, config, fail_on_new, [name for name, _ in outputs])
    job = Job(ruleset, context.today, Renderer(context.gate, tuple(_output_contexts(outputs, context))),
              tuple(waivers), baseline)
    review = WaiverReview(waivers, context.today, (rule.id for rule in ruleset.rules))
    report = Report(context)
    with ReportWriter([(name, target) for (name, _), target in zip(outputs, targets)]) as writer:
        with _progress(len(files), enabled=not args.no_progress) as advance:
            for checked in check_all(job, files, args.jobs, args.stdin_name, advance):
                _print_trace(checked.trace)
                writer.add(checked.rendered.parts)
                review.add(checked.waivers)
                report.add(checked.rendered.summary)
        for filing in report.invalid:
            _print_problems(list(filing.problems))
        outcome = review.outcome()
        report.notes, report.expired = renamed + outcome.notes, outcome.expired
        _print_problems(report.notes)
        writer.finish(report)
    return report.exit_code()


def _inputs(files: list[str], config: Config, named: list[str | None], rule_dirs: list[Path]) -> list[str]:
    """Every file the run reads: the filings, the configuration file (found or given), the waivers file and
    baseline (`named`, when given) and every rule file."""
    from .language.rulebook import rule_files

    rules = [str(path) for path in rule_files(d for d in rule_dirs if d.is_dir())]
    return files + [path for path in (config.source, *named) if path] + rules


def _context(args: argparse.Namespace, ruleset: RuleSet, config: Config, fail_on_new: bool,
             formats: list[str]) -> Context:
    """What every filing's part of the report may read: settled before the first filing is checked."""
    from .reports.catalogue import Catalogue
    from .reports.model import Context

    today = args.today or datetime.date.today()
    gate = Gate(args.fail_on or config.fail_on or "error", only_new=fail_on_new)
    letter_date = args.letter_date or today
    if "response" in formats:
        _check_due_date(args, letter_date)
    return Context(gate, Catalogue.of(ruleset.rules), today=today, letter_date=letter_date, baseline=args.baseline)


def _check_due_date(args: argparse.Namespace, letter_date: datetime.date) -> None:
    """A usage error when the response skeleton's due date, counted from `letter_date`, is past the last
    date there is (9999-12-31), naming the flag the date came from."""
    from .reports.formats.response import RESPONSE_DAYS, due_date

    try:
        due_date(letter_date)
    except ValueError:
        flag = (f"--letter-date {letter_date}" if args.letter_date
                else f"--today {letter_date} (the letter date, without --letter-date)")
        raise UsageError(f"{flag}: the response would be due {RESPONSE_DAYS} business days later, after "
                         f"{datetime.date.max}, the last date precomment can count to") from None


def _output_contexts(outputs: list[tuple[str, str | None]], context: Context) -> Iterator[tuple[str, Context]]:
    """Each output's format and context: only the table on a terminal gets colour."""
    for name, path in outputs:
        yield name, dataclasses.replace(context, color=name == "table" and path is None and _colour_stdout())


def _load_waivers(path: str | None) -> list[Waiver]:
    if not path:
        return []
    from .checking.review import load_waivers
    return load_waivers(path)


def _load_baseline(path: str | None) -> Baseline | None:
    if not path:
        return None
    from .checking.review import load_baseline
    return load_baseline(path)


def _outputs(pairs: list[list[str | None]]) -> list[tuple[str, str | None]]:
    """The (format, output file or None for stdout) pairs; table on stdout when no --format is given."""
    outputs = [(name, path) for name, path in pairs] or [("table", None)]
    if sum(1 for _, path in outputs if path is None) > 1:
        raise UsageError("only one --format can go to standard output; give the others an --output FILE")
    return outputs


class _FormatAction(argparse.Action):
    """`--format NAME` starts a new output; a following `--output FILE` belongs to it."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        pairs = list(getattr(namespace, self.dest) or [])
        pairs.append([values, None])
        setattr(namespace, self.dest, pairs)


class _OutputAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
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


def _colour_stdout() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org)."""
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error while many filings are checked, only when it is a terminal."""
    if not enabled or total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda: None
        return
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        filled = PROGRESS_WIDTH * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (PROGRESS_WIDTH - filled)}] {done}/{total} filings")
        sys.stderr.flush()

    try:
        yield advance
    finally:
        sys.stderr.write("\r" + " " * (PROGRESS_WIDTH + 30) + "\r")
        sys.stderr.flush()


def _rules(args: argparse.Namespace) -> int:
    from .commands import ruletools

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
        raise UsageError(f"no rule has the id {args.rule_id!r}; " + (did_you_mean(wanted, by_id, quote=False)
                                                                     or "`precomment rules list` shows the ids"))
    sys.stdout.write(ruletools.render_explain(by_id[wanted]))
    return EXIT_CLEAN


def _test_rules(dirs: list[str]) -> int:
    """Every example of the rules in `dirs` (default: the built-in rules) on both evaluators."""
    from .checking.examples import run_example
    from .checking.pipeline import Checker
    from .commands.ruletools import render_test, sorted_rules
    from .language.rulebook import load_rules

    ruleset = load_rules([Path(d) for d in dirs] or None)
    checker = Checker(ruleset)
    outcomes = [run_example(checker, rule, example) for rule in sorted_rules(ruleset.rules) for example in rule.examples]
    sys.stdout.write(render_test(outcomes))
    return EXIT_CLEAN if all(o.passed for o in outcomes) else EXIT_FINDINGS


def _print_trace(trace: str) -> None:
    """The traceback of precomment's failure on one filing (reported as not checked), for a developer only."""
    if trace and os.environ.get("PRECOMMENT_DEBUG"):
        print(trace, file=sys.stderr, end="")


def _validate(files: list[str], stdin_name: str) -> int:
    from .sources.inputs import expand, read
    from .validation.fact_model import FILING_SCHEMA
    from .validation.validate import check

    status = EXIT_CLEAN
    paths, skipped = expand(files)
    _print_problems(skipped)
    for path in paths:
        try:
            document = read(path, stdin_name)
            check(document, FILING_SCHEMA)
            print(f"{document.source}: valid")  # as every report and error names it (`-` as --stdin-name)
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
    run()
