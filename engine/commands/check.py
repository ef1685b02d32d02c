"""`precomment check`: check filing descriptions against the rules and write the reports; the exit code is
the report's (its gate), so findings fail a build the way every format says they do."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..checking.batch import Job, check_all
from ..checking.review import WaiverReview, follow_renames, keyless_baseline
from ..errors import UsageError
from ..extraction.inputs import answers_beside
from ..language.records import RuleSet
from ..reports.catalogue import Catalogue
from ..reports.formats import Renderer
from ..reports.model import TABLE_WIDTH, Context, FailOn, Gate, Report
from ..reports.wording import summary_line
from ..reports.writer import ReportWriter, plan_outputs
from ..sources.inputs import expand
from .config import Config
from .problems import print_problems
from .rulesets import RuleOptions, configuration, configured_rules, rule_dirs

if TYPE_CHECKING:
    from ..checking.findings import Waiver
    from ..checking.review import Baseline

PROGRESS_FROM = 10  # filings: fewer finish before a bar would help
PROGRESS_WIDTH = 30


@dataclass(frozen=True)
class CheckOptions:
    """What `check` was asked to do, as the command line gave it (the configuration fills in what it left out)."""

    files: list[str]
    outputs: list[tuple[str, str | None]]
    """Each report's format and file (None: standard output), in command-line order; at most one None."""
    rules: RuleOptions
    fail_on: FailOn | None = None
    waivers: str | None = None
    baseline: str | None = None
    fail_on_new: bool | None = None
    allow_incomplete: bool | None = None
    today: datetime.date | None = None
    letter_date: datetime.date | None = None
    stdin_name: str = "<stdin>"
    no_progress: bool = False
    jobs: int = 1
    answers: str | None = None  # laid over each filing document checked (extraction.overlay)


def run(options: CheckOptions, *, own_process: bool = False) -> int:
    """Check every filing named and write each report; the exit code of the report's gate. `own_process`
    (the process ends with the check, cli.run): what is loaded before the first filing is checked is frozen
    out of the garbage collector's reach (gc.freeze), and a check of one filing registers with durable-rules
    only what that filing can fire (evaluator.one_document_process)."""
    outputs = options.outputs
    config = configuration(options.rules)
    waivers_path = options.waivers or (str(config.waivers) if config.waivers else None)
    others = _other_inputs(config, [waivers_path, options.baseline, options.answers], rule_dirs(options.rules, config))
    files, skipped = expand(options.files, others + [path for _, path in outputs])
    print_problems(skipped)
    if files.count("-") > 1:
        raise UsageError("- (standard input) may be given only once")
    # Before any filing is checked: an output over an input, or one that cannot be written, costs no work
    # and leaves every old report as it was.
    others += [] if options.answers else [found for file in files if (found := answers_beside(file))]
    targets = plan_outputs([path for _, path in outputs], files + others)
    fail_on_new = options.fail_on_new if options.fail_on_new is not None else config.fail_on_new
    if fail_on_new and not options.baseline:
        raise UsageError("--fail-on-new needs --baseline REPORT (a previous `check --format json` report)")
    waivers = _load_waivers(waivers_path)
    baseline = _load_baseline(options.baseline)
    ruleset = configured_rules(options.rules, config)
    if own_process:
        # What is loaded by now (modules, the rules) lives for the whole run: out of the collector's reach,
        # it is not walked again by every collection that checking each filing triggers, and a --jobs worker
        # forked from here shares it untouched (BENCHMARKS.md, 'Rule cache load'). Not in a process that goes
        # on after the check (tests, a program calling cli.main): frozen objects are never collected.
        gc.freeze()
        if len(files) == 1:
            # No second filing will follow: durable-rules gets only the rules this one can fire.
            from ..evaluation.durable_rules.evaluator import one_document_process
            one_document_process()
    waivers, baseline, renamed = follow_renames(ruleset.rules, waivers, baseline)
    renamed += keyless_baseline(baseline)
    context = _context(options, ruleset, config, fail_on_new, [name for name, _ in outputs])
    job = Job(ruleset, context.today, Renderer(context.gate, tuple(_output_contexts(outputs, context))),
              tuple(waivers), baseline, options.answers)
    review = WaiverReview(waivers, context.today, (rule.id for rule in ruleset.rules))
    report = Report(context)
    with ReportWriter([(name, target) for (name, _), target in zip(outputs, targets)]) as writer:
        with _progress(len(files), enabled=not options.no_progress) as advance:
            for checked in check_all(job, files, options.jobs, options.stdin_name, advance):
                _print_trace(checked.trace)
                print_problems(list(checked.warnings))
                writer.add(checked.rendered.parts)
                review.add(checked.waivers)
                report.add(checked.rendered.summary)
        for filing in report.invalid:
            print_problems(list(filing.problems))
        outcome = review.outcome()
        report.notes, report.expired = renamed + outcome.notes, outcome.expired
        print_problems(report.notes)
        writer.finish(report)
    if not any(target.stream for target in targets):
        # Every report went to a file: without this line the terminal would show nothing of the run (the
        # summary a report on standard output ends with, printed only then, so it is never said twice).
        print(summary_line(report), file=sys.stderr)
    return report.exit_code()


def _other_inputs(config: Config, named: list[str | None], dirs: list[Path]) -> list[str]:
    """Every file the run reads besides the filings: the configuration file (found or given), the waivers
    file and baseline (`named`, when given) and every rule file in `dirs`."""
    from ..language.rulebook import rule_file_names

    rules = rule_file_names(d for d in dirs if d.is_dir())
    return [path for path in (config.source, *named) if path] + rules


def _context(options: CheckOptions, ruleset: RuleSet, config: Config, fail_on_new: bool,
             formats: list[str]) -> Context:
    """What every filing's part of the report may read: settled before the first filing is checked."""
    today = options.today or datetime.date.today()
    incomplete_ok = options.allow_incomplete if options.allow_incomplete is not None else config.allow_incomplete
    from_config = options.fail_on is None and config.fail_on is not None
    new_from_config = fail_on_new and options.fail_on_new is None
    gate = Gate(options.fail_on or config.fail_on or "error", only_new=fail_on_new, incomplete_ok=incomplete_ok,
                fail_on_from=config.source if from_config else None,
                only_new_from=config.source if new_from_config else None)
    letter_date = options.letter_date or today
    if "response" in formats:
        _check_due_date(options, letter_date)
    return Context(gate, Catalogue.of(ruleset.rules), today=today, letter_date=letter_date,
                   baseline=options.baseline)


def _check_due_date(options: CheckOptions, letter_date: datetime.date) -> None:
    """A usage error when the response skeleton's due date, counted from `letter_date`, is past the last
    date there is (9999-12-31), naming the flag the date came from."""
    from ..reports.formats.response import RESPONSE_DAYS, due_date

    try:
        due_date(letter_date)
    except ValueError:
        flag = (f"--letter-date {letter_date}" if options.letter_date
                else f"--today {letter_date} (the letter date, without --letter-date)")
        raise UsageError(f"{flag}: the response would be due {RESPONSE_DAYS} business days later, after "
                         f"{datetime.date.max}, the last date precomment can count to") from None


def _output_contexts(outputs: list[tuple[str, str | None]], context: Context) -> Iterator[tuple[str, Context]]:
    """Each output's format and context: only the table on a terminal gets colour, and the terminal's width."""
    for name, path in outputs:
        on_terminal = name == "table" and path is None and sys.stdout.isatty()
        yield name, dataclasses.replace(context, color=on_terminal and _colour_stdout(),
                                        width=_terminal_width() if on_terminal else context.width)


def _load_waivers(path: str | None) -> list[Waiver]:
    if not path:
        return []
    from ..checking.review import load_waivers
    return load_waivers(path)


def _load_baseline(path: str | None) -> Baseline | None:
    if not path:
        return None
    from ..checking.review import load_baseline
    return load_baseline(path)


def _terminal_width() -> int:
    """The terminal's width: COLUMNS when set (shutil reads it first), else the terminal's own."""
    return shutil.get_terminal_size((TABLE_WIDTH, 24)).columns


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


def _print_trace(trace: str) -> None:
    """The traceback of precomment's failure on one filing (reported as not checked), for a developer only."""
    if trace and os.environ.get("PRECOMMENT_DEBUG"):
        print(trace, file=sys.stderr, end="")
