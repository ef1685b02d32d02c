"""What happens to `check --jobs 2` and its worker processes when the run is stopped from outside: a
supervisor's SIGTERM, `subprocess.run(timeout=...)`'s SIGKILL, Ctrl-C. The workers must end with the
parent, never stay behind orphaned (they held the run's standard error open, so a caller reading it hung
too), and the parent must end at once without a traceback.

Processes are read from /proc (Linux). Every test kills what it started in a `finally`, whatever happens.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import IIJ_AMENDED, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")

FILINGS = 3000
"""Copies of the amended IIJ filing on the command line: about 50 s of checking on two idle cores, far
more than the test needs before it stops the run (the test fails, rather than passes, if the run ends
first)."""
BUSY_TICKS = 20
"""CPU time (in clock ticks, 0.2 s at the usual 100 per second) each worker has used before the run is
stopped: the rules are compiled and filings are being checked."""
BOUND = 60.0
"""Seconds any wait may take, however busy the machine: the workers end within a second once the parent
is gone, so a slow machine cannot make these tests fail, and a broken build fails them in bounded time."""

T = TypeVar("T")


def stat(pid: int) -> tuple[str, int, int, int] | None:
    """(state, parent pid, CPU ticks used, start time) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    return fields[0], int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


Process = tuple[int, int]  # (pid, start time): a pid alone may be reused once its process is gone


def children(parent: int) -> list[Process]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = stat(int(entry.name))
            if info and info[1] == parent:
                found.append((int(entry.name), info[3]))
    return found


def alive(process: Process) -> bool:
    """Still running: not gone, not a zombie waiting to be reaped, not a new process under the same pid."""
    info = stat(process[0])
    return info is not None and info[0] not in "ZX" and info[3] == process[1]


def poll(condition: Callable[[], T], what: str) -> T:
    """`condition()` once it is true, checked every 0.1 s for up to BOUND seconds; fails saying `what`."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"not within {BOUND:.0f} s: {what}")


def busy_workers(parent: int) -> list[Process]:
    """The parent's children once there are two and each has been checking for a while, else []."""
    workers = children(parent)
    busy = [w for w in workers if (stat(w[0]) or ("", 0, 0, 0))[2] >= BUSY_TICKS]
    return workers if len(workers) == 2 and len(busy) == 2 else []


def start_check(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """`precomment check --jobs 2` on FILINGS filings, in a session of its own (so Ctrl-C can be sent to it
    as a terminal would). Standard error goes to a file: a pipe held open by an orphaned worker would block
    the test reading it."""
    errors = tmp_path / "stderr"
    # A run started in the background by a shell without job control (`cmd &` in a script, as a CI step may
    # run the suite) inherits SIGINT ignored, and so would the check, which then rightly ignores Ctrl-C.
    # A handler in this process is reset to the default in the child at exec: the check gets Ctrl-C as from
    # a terminal, however the suite was started.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with errors.open("wb") as stderr:
            parent = subprocess.Popen(
                [sys.executable, "-m", "precomment", "check", "--jobs", "2", "--no-progress", "--format", "json",
                 *[IIJ_AMENDED] * FILINGS], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    return parent, errors


def stop_all(parent: subprocess.Popen[bytes], workers: list[Process]) -> None:
    """Kill whatever of the run is still running (on a failed test too), and reap the parent."""
    if parent.poll() is None:
        parent.kill()
        parent.wait(BOUND)
    for worker in workers:
        if alive(worker):
            os.kill(worker[0], signal.SIGKILL)


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_end_when_the_parent_is_killed(tmp_path, sent):
    parent, errors = start_check(tmp_path)
    workers: list[Process] = []
    try:
        workers = poll(lambda: busy_workers(parent.pid), "two workers checking filings")
        assert parent.poll() is None, "the run ended before it was stopped: give it more filings"
        parent.send_signal(sent)
        assert parent.wait(BOUND) == -sent, "the parent ends at once, by the signal (status 128 + 15 = 143 in a shell)"
        poll(lambda: not any(alive(w) for w in workers), f"workers {[w[0] for w in workers]} ending")
        assert errors.read_text(encoding="utf-8") == "", "no traceback, nothing said"
    finally:
        stop_all(parent, workers)


def test_ctrl_c_ends_the_run_and_its_workers_at_once(tmp_path):
    parent, errors = start_check(tmp_path)
    workers: list[Process] = []
    try:
        workers = poll(lambda: busy_workers(parent.pid), "two workers checking filings")
        os.killpg(parent.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        assert parent.wait(BOUND) == 130
        poll(lambda: not any(alive(w) for w in workers), f"workers {[w[0] for w in workers]} ending")
        assert errors.read_text(encoding="utf-8") == "", "no traceback, nothing said"
    finally:
        stop_all(parent, workers)


WATCHED_WORKER = """
import multiprocessing, os, sys, time
from precomment.checking import batch

batch._death_signal = lambda sent: False  # as on a system without prctl: the watchdog thread alone

def worker(parent):
    batch._end_with_parent(parent)
    time.sleep(600)

process = multiprocessing.get_context("fork").Process(target=worker, args=(os.getpid(),))
process.start()
print(process.pid, flush=True)
time.sleep(600)
"""


def test_without_the_kernels_help_a_watchdog_ends_the_worker(tmp_path):
    """Where Linux's parent-death signal is not available, a thread in each worker watches its parent."""
    parent = subprocess.Popen([sys.executable, "-c", WATCHED_WORKER], cwd=ROOT, stdout=subprocess.PIPE)
    workers: list[Process] = []
    try:
        pid = int(parent.stdout.readline())
        poll(lambda: len(list(Path(f"/proc/{pid}/task").iterdir())) == 2, "the worker's watchdog thread starting")
        workers = [(pid, stat(pid)[3])]
        parent.kill()
        parent.wait(BOUND)
        poll(lambda: not alive(workers[0]), f"worker {pid} ending")
    finally:
        parent.stdout.close()
        stop_all(parent, workers)
