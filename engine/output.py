"""Writing reports: a filing at a time, atomically, and never over a file the run reads.

Each filing's part of each report arrives as soon as it is checked and is kept in a temporary spool file
(`ReportWriter`), not in memory; when the run ends, the header (which needs the whole run's counts), the
parts and the footer are written out. A report file is written to a temporary file in the same directory
and renamed over the target, so a reader (a CI step, a browser) never sees half a report, and an
interrupted run leaves the old one intact.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import UsageError
from .formats import BODY, Format
from .report import Report


def refuse_inputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """A usage error when an output path is one of the inputs (the same file by any name)."""
    read = {_identity(path) for path in inputs if path != "-"}
    read.discard(None)
    for output in outputs:
        if _identity(output) in read:
            raise UsageError(f"--output {output} is also an input of this run; it would be overwritten. "
                             "Write the report elsewhere, then move it")


def _identity(path: str) -> tuple[int, int] | str | None:
    """The file's (device, inode) when it exists, else its absolute normalised path."""
    try:
        stat = os.stat(path)
        return (stat.st_dev, stat.st_ino)
    except OSError:
        return os.path.abspath(path)


def write_atomically(path: str, text: str | Iterable[str]) -> None:
    """Write `text` (or its pieces) as UTF-8 to `path` via a temporary file and a rename; errors are usage
    errors."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"--output {path}: the directory {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise UsageError(f"--output {path}: cannot write in {directory}: {error.strerror}") from None
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.writelines([text] if isinstance(text, str) else text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise UsageError(f"--output {path}: cannot write: {error.strerror}") from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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

    def __init__(self, outputs: list[tuple[str, str | None]]) -> None:
        self.outputs = outputs  # (format name, file path or None for standard output)
        self.formats = [Format(name) for name, _ in outputs]
        self.spools = [{stream: _Spool() for stream in fmt.streams} for fmt in self.formats]

    def add(self, parts: tuple[tuple[str, ...], ...]) -> None:
        """One filing's parts: for each output (in the order given), one text per stream of its format."""
        for spools, fmt, texts in zip(self.spools, self.formats, parts):
            for stream, text in zip(fmt.streams, texts):
                spools[stream].add(text)

    def finish(self, report: Report) -> None:
        """Write each output whole: its format's header and footer from `report`, the spooled parts between."""
        for (_, path), fmt, spools in zip(self.outputs, self.formats, self.spools):

            def parts(stream: str = BODY, spools: dict[str, _Spool] = spools) -> Iterator[str]:
                return spools[stream].parts()

            pieces = fmt.document(report, parts)
            if path is None:
                sys.stdout.writelines(pieces)
                sys.stdout.flush()
            else:
                write_atomically(path, pieces)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exception: object) -> None:
        for spools in self.spools:
            for spool in spools.values():
                spool.file.close()
