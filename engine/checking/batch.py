"""Checking many filings: in this process, or in worker processes with --jobs N.

Each filing is checked, reviewed (waivers, baseline) and rendered into its part of every report asked for
where it was checked, and only what it was rendered into comes back (`Checked`): the process that gathers
them never holds more than one filing's findings, so memory stays flat however many filings a run has, and
the work that grows with the findings is spread over the workers. What a filing is rendered into, and how,
is the caller's (`Job.render`: the reports stage comes after this one, so it is handed in, never imported).

Each worker gets the `Job` once, compiles and registers the rules with durable-rules once, and then checks
filings one after another (each filing's durable-rules state is deleted after it, durable_rules/evaluator.py). Results
come back in the order the files were given, whatever order the workers finish in, so the report is the
same for any N. A worker that dies (killed, or crashed in native code) costs only the filing it was
checking, which is reported as not checked with an internal error naming it, never a lost filing; the
other filings are checked (`_in_workers`).

Workers end with the process that started them, however it ends (SIGTERM, SIGKILL, Ctrl-C): otherwise
they would wait for filings for good, holding the run's standard error open (`_end_with_parent`).

An unexpected error while one filing is checked, reviewed or rendered (a bug, e.g. on a hostile value) is
that filing's outcome, not the run's: it is reported as not checked with an internal error (the run exits
3), and every other filing gets its report. Errors of the run itself (durable-rules cannot load: a
SetupError) still end the run.
"""
from __future__ import annotations

import contextlib
import datetime
import itertools
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..errors import InternalError, PrecommentError, Problem
from ..extraction.inputs import read_filing
from ..language.records import RuleSet
from ..sources.inputs import STDIN
from ..sources.load import MAX_BYTES
from .findings import Waiver
from .result import INTERNAL_ERROR, FilingResult
from .review import Baseline, WaiverEvents, apply_baseline, mark_waivers

if TYPE_CHECKING:  # multiprocessing and concurrent.futures are imported by the run that uses them (_pool)
    from concurrent.futures import Future, ProcessPoolExecutor

    from .pipeline import Checker


Rendered = TypeVar("Rendered")
"""What the caller renders each filing into (reports.formats.Rendered: its summary and its report parts)."""


@dataclass(frozen=True)
class Job(Generic[Rendered]):
    """What checking any one filing of a run needs besides the file: the same for every filing and worker.
    With --jobs it is sent to the worker processes, so `render` must pickle (a module-level class's instance)."""

    ruleset: RuleSet
    today: datetime.date  # the date waivers expire against
    render: Callable[[FilingResult, int], Rendered]  # (reviewed result, its number from 1) -> what comes back
    waivers: tuple[Waiver, ...] = ()
    baseline: Baseline | None = None
    answers: str | None = None  # the answers file laid over each filing document read (extraction.overlay)


@dataclass(frozen=True)
class Checked(Generic[Rendered]):
    """What comes back of one filing: what it was rendered into, the waivers it used, and, when precomment
    failed on it, the traceback (shown only with PRECOMMENT_DEBUG=1)."""

    rendered: Rendered
    waivers: WaiverEvents
    trace: str = ""
    warnings: tuple[Problem, ...] = ()  # what reading the filing found worth saying (Document.warnings)


Task = tuple[int, str, "bytes | None", str]  # (number from 1, path, standard input's bytes for "-", stdin name)


class _Reporter(Generic[Rendered]):
    """The review (waivers, baseline) and the job's rendering: what turns one filing's result into `Checked`."""

    def __init__(self, job: Job[Rendered]) -> None:
        self.job = job

    def report(self, number: int, result: FilingResult, trace: str = "") -> Checked[Rendered]:
        """Review the filing's result and render it."""
        events = mark_waivers(result, self.job.waivers, self.job.today)
        if self.job.baseline is not None:
            apply_baseline([result], self.job.baseline)
        return Checked(self.job.render(result, number), events, trace, tuple(result.warnings))

    def failed(self, task: Task, what: str, hint: str, trace: str = "") -> Checked[Rendered]:
        """The filing reported as not checked because precomment failed on it (`what`), never as no findings."""
        number, path, _, stdin_name = task
        source = stdin_name if path == STDIN else path
        problem = Problem(source, None, None, "", INTERNAL_ERROR, f"internal error: {what}", hint)
        return self.report(number, FilingResult(source, problems=[problem]), trace)


_BUG = ("a bug in precomment, not in this file; the other files were checked. Please report it with this file "
        "(PRECOMMENT_DEBUG=1 shows the traceback)")
_DIED = "the worker process checking this file died (killed, or crashed in native code)"
_DIED_HINT = ("the other files were checked. If it happens again with this file, it is a bug in precomment: please "
              "report it with this file")


class _Worker(Generic[Rendered]):
    """A Checker and the job's review and rendering, made once per process."""

    def __init__(self, job: Job[Rendered]) -> None:
        from .pipeline import Checker

        self.reporter = _Reporter(job)
        self.checker: Checker = Checker(job.ruleset)

    def check(self, task: Task) -> Checked[Rendered]:
        """The filing checked, reviewed and rendered; if precomment fails on it, a filing not checked with an
        internal error, and a fresh Checker for the next one."""
        try:
            return self.reporter.report(task[0], _check(self.checker, *task[1:], answers=self.reporter.job.answers))
        except Exception as error:
            if isinstance(error, PrecommentError) and not isinstance(error, InternalError):
                raise  # the run's own failure (durable-rules cannot load): the same for every filing
            from .pipeline import Checker
            # durable-rules may keep state of the failed filing (a session left undeleted, an action pending:
            # evaluator.py); a Checker registers rulesets of its own, which none of that can reach.
            self.checker = Checker(self.checker.ruleset)
            what = str(error) if isinstance(error, InternalError) else type(error).__name__
            return self.reporter.failed(task, what, _BUG, traceback.format_exc())


_WORKER: _Worker[Any] | Exception | None = None  # the worker process's own (or why it could not be made): _start_worker
WINDOW = 2
"""Filings in flight per worker: enough that a worker never waits for its next filing, few to check again
when a worker dies (the pool hands each worker one at a time, and one more to the first that asks)."""


def check_all(job: Job[Rendered], files: list[str], jobs: int, stdin_name: str,
              advance: Callable[[], None] = lambda: None) -> Iterator[Checked[Rendered]]:
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


def _in_workers(job: Job[Rendered], tasks: list[Task], jobs: int,
                advance: Callable[[], None]) -> Iterator[Checked[Rendered]]:
    """The tasks checked in `jobs` worker processes. A worker that dies (killed, or crashed in native code)
    breaks its pool and fails every filing then in flight, without saying which one it was checking. Those
    filings are checked again one after another in a pool of one worker, where the filing being checked when
    that worker dies is the first one not done: it alone is reported as not checked (internal error), its
    worker's death taking no other filing with it, and the rest of the run goes on in a fresh pool."""
    todo = deque(tasks)
    suspects = 0  # how many of the first tasks of `todo` were in flight when a worker died
    while todo:
        if not suspects:
            with _pool(job, jobs) as pool:
                suspects = yield from _through(pool, todo, len(todo), jobs * WINDOW, advance)
            continue
        with _pool(job, 1) as pool:
            before = len(todo)
            died = yield from _through(pool, todo, suspects, suspects, advance)
        suspects -= before - len(todo)
        if died:
            yield _Reporter(job).failed(todo.popleft(), _DIED, _DIED_HINT)
            advance()
            suspects -= 1


@contextlib.contextmanager
def _pool(job: Job[Any], workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes, each with its `_Worker`, known to have started (an internal error if
    none can: every filing would otherwise be blamed for it). Left by an exception, it checks no more
    filings; after Ctrl-C it does not even wait for the ones being checked: the workers end with this
    process, which is about to end."""
    import multiprocessing  # here: a check without --jobs need not import it (BENCHMARKS.md, 'Start-up')
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(job, os.getpid()))
    try:
        try:
            pool.submit(_started).result()
        except BrokenProcessPool:
            raise InternalError("a worker process died as it started") from None
        yield pool
    except BaseException as error:
        pool.shutdown(wait=not isinstance(error, KeyboardInterrupt), cancel_futures=True)
        raise
    pool.shutdown()


def _through(pool: ProcessPoolExecutor, todo: deque[Task], limit: int, window: int,
             advance: Callable[[], None]) -> Generator[Checked[Any], None, int]:
    """Check the first `limit` tasks of `todo` in `pool`, at most `window` at a time, yielding each result in
    order and then removing its task from `todo`. Returns 0, or, if a worker died, how many tasks were in
    flight: they stay at the front of `todo`, any of their results dropped."""
    from concurrent.futures.process import BrokenProcessPool
    waiting = iter(list(itertools.islice(todo, limit)))
    flight: deque[Future[Checked[Any]]] = deque()  # the futures of the first len(flight) tasks of `todo`
    while True:
        try:
            for task in itertools.islice(waiting, window - len(flight)):
                flight.append(pool.submit(_check_in_worker, task))
            if not flight:
                return 0
            checked = flight[0].result()
        except BrokenProcessPool:
            return max(len(flight), 1)  # 1: the pool broke as the first task was given to it
        flight.popleft()
        todo.popleft()
        yield checked
        advance()


def _start_worker(job: Job[Any], parent: int) -> None:
    """The pool's initializer. An error making the worker is kept and raised by its first task, so that it
    reaches the parent as the run's error (an initializer's error would be logged with its traceback, and
    its worker would stop)."""
    global _WORKER
    # Ctrl-C reaches the terminal's whole process group: the parent alone stops the run, and the worker ends
    # with it (KeyboardInterrupt inside durable-rules' C code printed a traceback of its own).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(parent)
    try:
        _WORKER = _Worker(job)
    except Exception as error:
        _WORKER = error


PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL = 0.5  # seconds between two looks at the parent, where the kernel cannot be asked to tell


def _end_with_parent(parent: int) -> None:
    """End this worker as soon as `parent`, the process that started it, is gone, however it ended (SIGKILL
    included, when it can run no code). On Linux the kernel kills the worker then (PR_SET_PDEATHSIG: the pool
    starts its workers from the thread that runs the check, so that thread ends only with the process);
    elsewhere a daemon thread polls the parent's pid, which changes to the reaper's when the parent dies."""
    if not _death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent,), name="precomment-parent", daemon=True).start()
    if os.getppid() != parent:  # the parent was gone before the kernel was asked
        os._exit(1)


def _death_signal(sent: int) -> bool:
    """Ask Linux to send `sent` to this process when its parent ends; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here, in the worker: a cost a check without --jobs need not pay (BENCHMARKS.md, 'Worker start')
    try:
        return int(ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sent, 0, 0, 0)) == 0  # (a C int)
    except (OSError, AttributeError):  # no C library to load, or no prctl in it
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)  # nothing to clean up: a worker writes no file, and its results would reach nobody


def _started() -> None:
    """The first task of every pool: raises the error that kept the worker from being made, if any."""
    if isinstance(_WORKER, Exception):
        raise _WORKER


def _check_in_worker(task: Task) -> Checked[Any]:
    _started()
    assert isinstance(_WORKER, _Worker), "the pool's initializer makes the worker's _Worker"
    return _WORKER.check(task)


def _check(checker: Checker, path: str, stdin: bytes | None, stdin_name: str, answers: str | None = None
           ) -> FilingResult:
    if stdin is not None:
        from ..sources.load import load_bytes
        return checker.check_path(path, read=lambda _: load_bytes(stdin, stdin_name))
    return checker.check_path(path, read=lambda p: read_filing(p, stdin_name, answers))
