"""`precomment validate`: check filing descriptions against the filing schema only, no rules: each file is
said valid or its problems are listed, and one invalid file does not stop the others."""
from __future__ import annotations

from ..errors import EXIT_CLEAN, EXIT_INPUT, InputError
from ..extraction.inputs import read_filing
from ..sources.inputs import expand
from ..validation.fact_model import FILING_SCHEMA
from ..validation.validate import check
from .problems import print_problems


def run(files: list[str], stdin_name: str, answers: str | None = None) -> int:
    """Validate each file (a directory: the descriptions in it; `-`: standard input, named `stdin_name`);
    exit 2 if any is invalid."""
    status = EXIT_CLEAN
    paths, skipped = expand(files)
    print_problems(skipped)
    for path in paths:
        try:
            document = read_filing(path, stdin_name, answers)
            check(document, FILING_SCHEMA)
            print(f"{document.source}: valid")  # as every report and error names it (`-` as --stdin-name)
        except InputError as error:
            print_problems(list(error.problems))
            status = EXIT_INPUT
    return status
