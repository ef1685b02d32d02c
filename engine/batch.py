"""Checking many filings: in this process, or in worker processes with --jobs N.

Each filing is checked, reviewed (waivers, baseline) and rendered into its part of every report asked for
where it was checked, and only its parts and a summary of counts come back (`Checked`): the process that
gathers them never holds more than one filing's findings, so memory stays flat however many filings a
run has, and the work that grows with the findings is spread over the workers.

Each worker gets the `Job` once, compiles and registers the rules with durable-rules once, and then checks
filings one after another (each filing's durable-rules state is deleted after it, evaluate.py). Results
come back in the order the files were given, whatever order the workers finish in, so the report is the
same for any N. A worker that dies is an internal error naming the file, never a lost filing.

An unexpected error while one filing is checked, reviewed or rendered (a bug, e.g. on a hostile value) is
that filing's outcome, not the run's: it is reported as not checked with an internal error (the run exits
3), and every other filing gets its report. Errors of the run itself (durable-rules cannot load: a
SetupError) still end the run.
"""
from __future__ import annotations

import multiprocessing
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from .errors import InternalError, PrecommentError, Problem
from .formats import Format
from .findings import Waiver
from .inputs import STDIN, read
from .load import MAX_BYTES
from .report import INTERNAL_ERROR, Context, FilingResult, FilingSummary
from .review import Baseline, WaiverEvents, apply_baseline, mark_waivers
from .rule_records import RuleSet

if TYPE_CHECKING:
    from .pipeline import Checker


@dataclass(frozen=True)
class Job:
    """What checking any one filing of a run needs besides the file: the same for every filing and worker."""

    ruleset: RuleSet
    context: Context  # the run's: its gate counts the summaries, its date expires waivers
    outputs: tuple[tuple[str, Context], ...]  # the formats to render each filing's part of, each with its context
    waivers: tuple[Waiver, ...] = ()
    baseline: Baseline | None = None


@dataclass(frozen=True)
class Checked:
    """What comes back of one filing: its summary, its part of each output (per stream), the waivers it used,
    and, when precomment failed on it, the traceback (shown only with PRECOMMENT_DEBUG=1)."""

    summary: FilingSummary
    parts: tuple[tuple[str, ...], ...]
    waivers: WaiverEvents
    trace: str = ""


Task = tuple[int, str, "bytes | None", str]  # (number from 1, path, standard input's bytes for "-", stdin name)


class _Worker:
    """A Checker and the output formats, made once per process."""

    def __init__(self, job: Job) -> None:
        from .pipeline import Checker

        self.job = job
        self.checker: Checker = Checker(job.ruleset)
        self.formats: list[tuple[Format, Context]] = [(Format(name), context) for name, context in job.outputs]

    def check(self, task: Task) -> Checked:
        """The filing checked, reviewed and rendered; if precomment fails on it, a filing not checked with an
        internal error, and a fresh Checker for the next one."""
        try:
            return self._report(task[0], _check(self.checker, *task[1:]))
        except Exception as error:
            if isinstance(error, PrecommentError) and not isinstance(error, InternalError):
                raise  # the run's own failure (durable-rules cannot load): the same for every filing
            from .pipeline import Checker
            # durable-rules may keep state of the failed filing (a session left undeleted, an action pending:
            # evaluate.py); a Checker registers rulesets of its own, which none of that can reach.
            self.checker = Checker(self.job.ruleset)
            what = str(error) if isinstance(error, InternalError) else type(error).__name__
            return self._failed(task, what, _BUG, traceback.format_exc())

    def _report(self, number: int, result: FilingResult, trace: str = "") -> Checked:
        """Review one filing's result (waivers, baseline) and render its part of every output."""
        events = mark_waivers(result, self.job.waivers, self.job.context.today)
        if self.job.baseline is not None:
            apply_baseline([result], self.job.baseline)
        parts = tuple(fmt.part(result, number, context) for fmt, context in self.formats)
        return Checked(FilingSummary.of(result, self.job.context.gate), parts, events, trace)

    def _failed(self, task: Task, what: str, hint: str, trace: str = "") -> Checked:
        """The filing reported as not checked because precomment failed on it (`what`), never as no findings."""
        number, path, _, stdin_name = task
        source = stdin_name if path == STDIN else path
        problem = Problem(source, None, None, "", INTERNAL_ERROR, f"internal error: {what}", hint)
        return self._report(number, FilingResult(source, problems=[problem]), trace)


_BUG = ("a bug in precomment, not in this file; the other files were checked. Please report it with this file "
        "(PRECOMMENT_DEBUG=1 shows the traceback)")


_WORKER: _Worker | None = None  # the worker process's own, made by _start_worker


def check_all(job: Job, files: list[str], jobs: int, stdin_name: str,
              advance: Callable[[], None] = lambda: None) -> Iterator[Checked]:
    """Check every file, yielding each as it is done, in the order given; with jobs > 1 (and more than one
    file) in that many worker processes."""
    stdin = sys.stdin.buffer.read(MAX_BYTES + 1) if STDIN in files else None
    tasks: list[Task] = [(number, path, stdin if path == STDIN else None, stdin_name)
                         for number, path in enumerate(files, 1)]
    if jobs <= 1 or len(files) <= 1:
        worker = _Worker(job)
        for task in tasks:
            yield worker.check(task)
            advance()
        return
    yield from _in_workers(job, tasks, min(jobs, len(files)), advance)


def _in_workers(job: Job, tasks: list[Task], jobs: int, advance: Callable[[], None]) -> Iterator[Checked]:
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    chunk = max(1, min(16, len(tasks) // (jobs * 4)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(job,)) as pool:
            for checked in pool.map(_check_in_worker, tasks, chunksize=chunk):
                done += 1
                yield checked
                advance()
    except BrokenProcessPool:
        failed = tasks[done][1] if done < len(tasks) else "?"
        raise InternalError(f"a worker process died while checking {failed} (or a file near it in the batch)") from None


def _start_worker(job: Job) -> None:
    global _WORKER
    _WORKER = _Worker(job)


def _check_in_worker(task: Task) -> Checked:
    assert _WORKER is not None, "the pool's initializer makes the worker's _Worker"
    return _WORKER.check(task)


def _check(checker: Checker, path: str, stdin: bytes | None, stdin_name: str) -> FilingResult:
    if stdin is not None:
        from .load import load_bytes
        return checker.check_path(path, read=lambda _: load_bytes(stdin, stdin_name))
    return checker.check_path(path, read=lambda p: read(p, stdin_name))
