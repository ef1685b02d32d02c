"""Inputs: which files a command line names. A directory stands for the filing descriptions in it
(recursively, in sorted order); `-` is standard input, read once.

A path named on the command line is read wherever it leads: the user asked for it. A symbolic link found
while walking a directory is followed only to a file inside that directory (its real path under the
directory's): a link out of it (to a credentials file, another user's tree) is skipped with a warning
naming the link, never read, and links to directories are not descended into (one inside is walked under
its own name anyway).

The run's other files (its configuration, waivers file, baseline, rule files and reports) are left out of a
directory's filings: the user named them as what they are, and kept beside the drafts they are not drafts."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError, Problem
from .document import Document
from .load import MAX_BYTES, load_bytes, load_file

SUFFIXES = (".yaml", ".yml", ".json")
ANSWERS_SUFFIXES = (".answers.yaml", ".answers.yml")
"""A filing document's answers file, kept beside it (`draft.htm`, `draft.answers.yaml`): never a description
of its own when a directory is walked (docs/documents.md)."""
STDIN = "-"


class Inputs(NamedTuple):
    """The files to check, in command-line order, and a warning for each link passed over in a directory."""

    files: list[str]
    skipped: list[Problem]


def expand(paths: list[str], others: Iterable[str | None] = ()) -> Inputs:
    """Files in command-line order, each directory replaced by its filing descriptions, but for `others`
    (the files the run reads or writes as something else); a directory with none is kept as is, so loading
    it reports the problem in its place. A file named in `paths` is kept whatever it is: the user asked."""
    files: list[str] = []
    skipped: list[Problem] = []
    not_filings = {file_identity(path) for path in others if path and path != STDIN}
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found, passed_over = _filings_in(path)
            found = [name for name in found if file_identity(name) not in not_filings]
            files.extend(found or [path])
            skipped.extend(passed_over)
        else:
            files.append(path)
    return Inputs(files, skipped)


def _filings_in(root: str) -> tuple[list[str], list[Problem]]:
    """The filing descriptions under `root` (sorted; hidden files and directories left out), and a warning
    for each symbolic link there that leads out of it."""
    inside = Path(os.path.realpath(root))
    found: list[Path] = []
    skipped: list[Problem] = []
    for directory, subdirectories, names in os.walk(root):  # never into a linked directory (followlinks=False)
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        files = [name for name in names if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
                 and not name.lower().endswith(ANSWERS_SUFFIXES)]
        for path in (Path(directory) / name for name in subdirectories + files):
            if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(inside):
                skipped.append(_link_outside(path, root))
            elif path.is_file():  # (a directory, a link to one inside, a dangling link: not a file)
                found.append(path)
    return sorted(str(path) for path in found), sorted(skipped, key=lambda problem: problem.source)


def file_identity(path: str) -> object:
    """The same file under any name: its device and inode when it exists (links followed), else the
    absolute path with links resolved (an output not yet written). Also how the report writer tells an
    output that would replace an input."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def _link_outside(link: Path, root: str) -> Problem:
    kind = "directory" if link.is_dir() else "file"
    return Problem(str(link), None, None, "", "link-outside",
                   f"skipped: a symbolic link to a {kind} outside {root}",
                   "links found in a directory are followed only to files inside it; name the link on the command "
                   "line to check what it points to", level="warning")


def read(path: str, stdin_name: str = "<stdin>") -> Document:
    """Load one named input; `-` reads standard input (at most the size limit) under `stdin_name`."""
    if path == STDIN:
        return load_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), stdin_name)
    if Path(path).is_dir():
        raise InputError([Problem(path, None, None, "", "no-filings",
                                  "is a directory with no filing descriptions in it",
                                  "give .yaml, .yml or .json files, or a directory that holds some")])
    return load_file(path)
