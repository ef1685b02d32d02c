"""Writing reports: atomically, and never over a file the run reads.

A report file is written to a temporary file in the same directory and renamed over the target, so a
reader (a CI step, a browser) never sees half a report, and an interrupted run leaves the old one intact.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import UsageError


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


def write_atomically(path: str, text: str) -> None:
    """Write `text` as UTF-8 to `path` via a temporary file and a rename; errors are usage errors."""
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
            stream.write(text)
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
