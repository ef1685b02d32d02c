"""Writing reports: a filing at a time, atomically, and never over a file the run reads.

Each filing's part of each report arrives as soon as it is checked and is kept in a temporary spool file
(`ReportWriter`), not in memory; when the run ends, the header (which needs the whole run's counts), the
parts and the footer are written out.

Where each `--output` goes is settled before any filing is checked (`plan_outputs`), so a mistake costs
no work and leaves every old report as it was:

- a regular file (or a new one) is replaced: written to a temporary file in its directory, then renamed
  over it, so a reader (a CI step, a browser) never sees half a report. All the run's report files are
  written before any is renamed, so a failure (a full disk) replaces none of them. A symlink is followed
  to the file it names, which is replaced in its own directory; the link itself is kept;
- a special file (a terminal, /dev/null, a FIFO, a device) is opened and written into, as the shell's `>`
  would; it is never replaced (as root, a rename over /dev/null would replace the system's);
- a path naming the run's own standard output or error (/dev/stdout, /proc/self/fd/1, or the file that
  `> FILE` sent it to) is written through that stream, so `>> log` appends.

The standard streams themselves are wrapped (`guarded_standard_streams`): a reader that went away (`| head`)
ends the output quietly, and a full disk or a closed descriptor is an `OutputError` naming the stream.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TextIO

from ..errors import OutputError, UsageError
from ..sources.inputs import file_identity
from .formats import BODY, Format
from .model import Report

STANDARD_STREAMS = ("stdout", "stderr")  # the sys attributes a path may turn out to name
STDIN = "-"


@dataclass(frozen=True)
class Target:
    """Where one report goes and how, settled before any filing is checked."""

    name: str | None  # as given to --output (messages name it so); None for standard output
    path: str | None = None  # the file written: after any symlink for one replaced
    replace: bool = False  # True: a temporary file beside `path`, renamed over it
    stream: str | None = None  # "stdout" or "stderr": written through that stream of this process

    def key(self) -> object:
        """What two outputs writing to the same place share."""
        return self.stream or file_identity(self.path or "")


def plan_outputs(names: list[str | None], inputs: Iterable[str]) -> list[Target]:
    """Each output's target, in order; a usage error when one would overwrite an input or another output,
    an OutputError when one cannot be written (no such directory, no permission, a directory)."""
    read = {_input_identity(path) for path in inputs}
    targets: list[Target] = []
    written: set[object] = set()
    for name in names:
        target = Target(None, stream="stdout") if name is None else _target(name)
        key = target.key()
        if key in read:
            raise UsageError(f"--output {name} is also an input of this run; it would be overwritten. "
                             "Write the report elsewhere, then move it")
        if key in written:
            raise UsageError(f"two --format options write to the same file: --output {name}")
        written.add(key)
        targets.append(target)
    return targets


def _input_identity(path: str) -> object:
    """An input's identity; for `-`, that of whatever standard input is (so `--output /dev/stdin` is refused
    when it is a file)."""
    if path != STDIN:
        return file_identity(path)
    try:
        return _file_identity(os.fstat(sys.stdin.fileno()))
    except (AttributeError, OSError, ValueError):  # no standard input, or not a real descriptor
        return None


def _file_identity(status: os.stat_result) -> tuple[int, int]:
    return (status.st_dev, status.st_ino)


def _target(name: str) -> Target:
    """How `--output name` will be written, checked now (an OutputError when it cannot be)."""
    try:
        status = os.stat(name)
    except FileNotFoundError:  # a new file, or a dangling symlink to one
        return _replaced(name)
    except OSError as error:  # e.g. a loop of symlinks, or a file where a directory should be
        raise OutputError(f"--output {name}: {error.strerror}") from None
    stream = _standard_stream(status)
    if stream:
        return Target(name, stream=stream)
    return _replaced(name) if stat.S_ISREG(status.st_mode) else _written_into(name, status)


def _replaced(name: str) -> Target:
    """A regular file, existing or new: the file any symlink names, once a temporary file can be made and
    removed beside it (which proves its directory exists and can be written in)."""
    path = _followed(name)
    handle, temporary = _temporary(name, path)
    os.close(handle)
    os.unlink(temporary)
    return Target(name, path, replace=True)


def _written_into(name: str, status: os.stat_result) -> Target:
    """A special file (a device, a FIFO): written into, once known to be writable; a directory or a socket
    cannot take a report."""
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"--output {name} is a directory; give the report a file name")
    if stat.S_ISSOCK(status.st_mode):
        raise OutputError(f"--output {name} is a socket; give a file, a device or a FIFO")
    if not os.access(name, os.W_OK):
        raise OutputError(f"--output {name}: cannot write: {os.strerror(errno.EACCES)}")
    return Target(name, name)


def _standard_stream(status: os.stat_result) -> str | None:
    """Which of this process's standard output and error the file is, if either."""
    for name in STANDARD_STREAMS:
        try:
            if _file_identity(os.fstat(getattr(sys, name).fileno())) == _file_identity(status):
                return name
        except (AttributeError, OSError, ValueError):  # closed, or not a real descriptor (a test's capture)
            continue
    return None


def _followed(name: str) -> str:
    """The file that `name` finally names: itself, or, for a symlink, what it points to (so the link is
    kept and its target replaced, as the shell's `>` would write through it)."""
    if not os.path.islink(name):
        return name
    _refuse_foreign_link(name)
    return os.path.realpath(name)


def _refuse_foreign_link(name: str) -> None:
    """The kernel's protected_symlinks rule, applied here because the link is resolved here, not by open():
    in a directory anyone may write in that has the sticky bit (/tmp), a link is followed only when it
    belongs to the user running or to the directory's owner. Otherwise an attacker's /tmp/report.json ->
    /etc/passwd would make a CI job running as root replace /etc/passwd."""
    directory = os.path.dirname(name) or "."
    shared, link = os.stat(directory), os.lstat(name)
    if (shared.st_mode & stat.S_ISVTX and shared.st_mode & stat.S_IWOTH
            and link.st_uid not in (os.geteuid(), shared.st_uid)):
        raise OutputError(f"--output {name} is a symbolic link in {directory}, a directory anyone may write in, "
                          "and belongs to another user; it is not followed. Write the report elsewhere")


def _temporary(name: str, path: str) -> tuple[int, str]:
    """A new temporary file beside `path` (same directory, so the rename over `path` is atomic)."""
    directory = os.path.dirname(path) or "."
    try:
        return tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise OutputError(f"--output {name}: the directory {directory} does not exist") from None
    except OSError as error:
        raise OutputError(f"--output {name}: cannot write in {directory}: {error.strerror}") from None


def _cannot_write(name: str | None, error: OSError) -> OutputError:
    return OutputError(f"--output {name}: cannot write: {error.strerror}")


def replace_files(files: list[tuple[Target, Iterable[str]]]) -> None:
    """Write each report to a temporary file beside its target, and only when all are written rename them
    into place: a failure (a full disk) leaves every old report as it was, and no temporary file."""
    written: list[tuple[Target, str]] = []
    try:
        for target, pieces in files:
            written.append((target, _write_temporary(target, pieces)))
        for target, temporary in written:
            try:
                os.replace(temporary, target.path or "")
            except OSError as error:
                raise _cannot_write(target.name, error) from None
    finally:
        for _, temporary in written:
            with contextlib.suppress(FileNotFoundError):  # renamed into place already
                os.unlink(temporary)


def _write_temporary(target: Target, pieces: Iterable[str]) -> str:
    """The pieces as UTF-8 in a new temporary file beside the target, on disk (fsync); its path."""
    handle, temporary = _temporary(target.name or "", target.path or "")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            os.fchmod(handle, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
            stream.writelines(pieces)
            stream.flush()
            os.fsync(handle)
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, OSError):
            raise _cannot_write(target.name, error) from None
        raise
    return temporary


def write_into(target: Target, pieces: Iterable[str]) -> None:
    """Write a report into a special file or a standard stream, as it is (nothing to rename)."""
    if target.stream:
        stream = getattr(sys, target.stream)
        stream.writelines(pieces)
        stream.flush()
        return
    try:
        handle = open(target.path or "", "w", encoding="utf-8", newline="")  # a FIFO waits for its reader here
    except OSError as error:
        raise _cannot_write(target.name, error) from None
    with handle:  # closing flushes nothing more: the guard flushed it, or pointed it at /dev/null
        stream = GuardedStream(handle, f"--output {target.name}")
        stream.writelines(pieces)
        stream.flush()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class GuardedStream:
    """A text stream as precomment writes to it. When its reader has gone away (a closed pipe: `| head`) the
    rest is discarded without a word: the reader wanted no more. Any other failure (a full disk, a closed
    descriptor) is an OutputError naming `label`, raised once; with `label` None (standard error, where it
    would be reported) it is discarded too. Either way the descriptor is then pointed at /dev/null, so
    what the stream still buffers goes nowhere instead of failing again when it is flushed or closed."""

    def __init__(self, stream: TextIO | IO[str] | None, label: str | None) -> None:
        self.stream = stream  # None: the process started with the descriptor closed
        self.label = label
        self.failed = False

    def write(self, text: str) -> int:
        self._guard(lambda stream: stream.write(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._guard(lambda stream: stream.flush())

    def isatty(self) -> bool:
        return self.stream is not None and not self.failed and self.stream.isatty()

    def __getattr__(self, name: str) -> object:  # fileno, encoding, ...: the stream's own
        return getattr(self.stream, name)

    def _guard(self, action: Callable[[TextIO | IO[str]], object]) -> None:
        if self.failed:
            return
        try:
            if self.stream is None:
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            action(self.stream)
        except OSError as error:
            self.failed = True
            self._silence()
            if self.label is not None and not isinstance(error, BrokenPipeError):
                raise OutputError(f"{self.label}: cannot write: {error.strerror}") from None

    def _silence(self) -> None:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            # A stream of None has no fileno: the AttributeError is caught below, as for a capture without one.
            os.dup2(null, self.stream.fileno())  # type: ignore[union-attr]
            os.close(null)
        except (AttributeError, OSError, ValueError):  # no descriptor (closed, or a test's capture): nothing buffered
            pass


@contextlib.contextmanager
def guarded_standard_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr as `GuardedStream`s while the body runs (standard output's failures named
    "standard output"; standard error's silent, as there is nowhere to report them), then restored."""
    saved = sys.stdout, sys.stderr
    sys.stdout = GuardedStream(sys.stdout, "standard output")
    sys.stderr = GuardedStream(sys.stderr, None)
    try:
        yield
    finally:
        with contextlib.suppress(OutputError):  # already reported when the body flushed; else nowhere to say it
            sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


class _Spool:
    """One stream of one output: the filings' parts in a temporary file, and where each ends."""

    def __init__(self) -> None:
        # Unlinked at once (nothing is left behind, whatever happens to the run), in the system's temp dir.
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", prefix="precomment-")
        self.lengths: list[int] = []  # in characters, as the text-mode file reads them back

    def add(self, text: str) -> None:
        self.file.write(text)
        self.lengths.append(len(text))

    def parts(self) -> Iterator[str]:
        self.file.flush()
        self.file.seek(0)
        for length in self.lengths:
            yield self.file.read(length)
        self.file.seek(0, os.SEEK_END)


class ReportWriter:
    """Every output of a run: `add` each filing's parts in filing order, then `finish` with the summary.
    A context manager: leaving it removes the spools, whether the run finished or not."""

    def __init__(self, outputs: list[tuple[str, Target]]) -> None:
        self.targets = [target for _, target in outputs]
        self.formats = [Format(name) for name, _ in outputs]
        self.spools = [{stream: _Spool() for stream in fmt.streams} for fmt in self.formats]

    def add(self, parts: tuple[tuple[str, ...], ...]) -> None:
        """One filing's parts: for each output (in the order given), one text per stream of its format."""
        for spools, fmt, texts in zip(self.spools, self.formats, parts):
            for stream, text in zip(fmt.streams, texts):
                spools[stream].add(text)

    def finish(self, report: Report) -> None:
        """Write each output whole: its format's header and footer from `report`, the spooled parts between.
        The report files first, all or none; then the streams and special files, in the order given."""
        documents = [(target, fmt.document(report, self._reader(spools)))
                     for target, fmt, spools in zip(self.targets, self.formats, self.spools)]
        replace_files([(target, pieces) for target, pieces in documents if target.replace])
        for target, pieces in documents:
            if not target.replace:
                write_into(target, pieces)

    @staticmethod
    def _reader(spools: dict[str, _Spool]) -> Callable[..., Iterator[str]]:
        def parts(stream: str = BODY) -> Iterator[str]:
            return spools[stream].parts()
        return parts

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exception: object) -> None:
        for spools in self.spools:
            for spool in spools.values():
                spool.file.close()
