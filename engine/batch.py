"""Checking many filings: in this process, or in worker processes with --jobs N.

Each worker gets the checked RuleSet once, compiles and registers it with durable-rules once, and then
checks filings one after another (each filing's durable-rules state is deleted after it, evaluate.py).
Results come back in the order the files were given, whatever order the workers finish in, so the report
is the same for any N. A worker that dies is an internal error naming the file, never a lost filing.
"""
from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Callable

from .errors import InternalError
from .inputs import STDIN, read
from .load import MAX_BYTES
from .report import FilingResult
from .rule_records import RuleSet

if TYPE_CHECKING:
    from .pipeline import Checker

_CHECKER: Checker | None = None  # the worker's Checker, made once by _start_worker


def check_all(ruleset: RuleSet, files: list[str], jobs: int, stdin_name: str,
              advance: Callable[[], None] = lambda: None) -> list[FilingResult]:
    """Check every file; with jobs > 1 (and more than one file) in that many worker processes."""
    from .pipeline import Checker

    stdin = sys.stdin.buffer.read(MAX_BYTES + 1) if STDIN in files else None
    tasks = [(path, stdin if path == STDIN else None, stdin_name) for path in files]
    if jobs <= 1 or len(files) <= 1:
        checker = Checker(ruleset)
        results = []
        for task in tasks:
            results.append(_check(checker, task))
            advance()
        return results
    return _in_workers(ruleset, tasks, min(jobs, len(files)), advance)


def _in_workers(ruleset: RuleSet, tasks: list[tuple[str, bytes | None, str]], jobs: int,
                advance: Callable[[], None]) -> list[FilingResult]:
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    chunk = max(1, min(16, len(tasks) // (jobs * 4)))
    results: list[FilingResult] = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(ruleset,)) as pool:
            for result in pool.map(_check_in_worker, tasks, chunksize=chunk):
                results.append(result)
                advance()
    except BrokenProcessPool:
        failed = tasks[len(results)][0] if len(results) < len(tasks) else "?"
        raise InternalError(f"a worker process died while checking {failed} (or a file near it in the batch)") from None
    return results


def _start_worker(ruleset: RuleSet) -> None:
    from .pipeline import Checker

    global _CHECKER
    _CHECKER = Checker(ruleset)


def _check_in_worker(task: tuple[str, bytes | None, str]) -> FilingResult:
    assert _CHECKER is not None, "the pool's initializer makes the worker's Checker"
    return _check(_CHECKER, task)


def _check(checker: Checker, task: tuple[str, bytes | None, str]) -> FilingResult:
    path, stdin, stdin_name = task
    if stdin is not None:
        from .load import load_bytes
        return checker.check_path(path, read=lambda _: load_bytes(stdin, stdin_name))
    return checker.check_path(path, read=lambda p: read(p, stdin_name))
