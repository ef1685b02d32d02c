"""Stage 0, inputs: which files a command line names. A directory stands for the filing descriptions in it
(recursively, in sorted order); `-` is standard input, read once."""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError, Problem
from .load import MAX_BYTES, Document, load_bytes, load_file

SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


def expand(paths: list[str]) -> list[str]:
    """Files in command-line order, each directory replaced by its filing descriptions; a directory with
    none is kept as is, so loading it reports the problem in its place."""
    files: list[str] = []
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found = sorted(str(p) for p in Path(path).rglob("*")
                           if p.suffix.lower() in SUFFIXES and p.is_file() and not _hidden(p, Path(path)))
            files.extend(found or [path])
        else:
            files.append(path)
    return files


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read(path: str, stdin_name: str = "<stdin>") -> Document:
    """Load one named input; `-` reads standard input (at most the size limit) under `stdin_name`."""
    if path == STDIN:
        return load_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), stdin_name)
    if Path(path).is_dir():
        raise InputError([Problem(path, None, None, "", "no-filings",
                                  "is a directory with no filing descriptions in it",
                                  "give .yaml, .yml or .json files, or a directory that holds some")])
    return load_file(path)
