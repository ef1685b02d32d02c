"""`precomment extract`: read a filing document and write the description precomment reads from it, with each
value's source and confidence beside it (extraction.written), and a sidecar of exact source spans.

The description is validated before it is written; one that does not validate yet (the cover page's name
could not be read, say) is still written, for the preparer to complete, and the problems are shown (exit 2).
An existing file is never replaced without --force, and never an input."""
from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from .. import __version__
from ..errors import EXIT_CLEAN, EXIT_INPUT, InputError, UsageError
from ..reports.writer import STDIN, Target, plan_outputs, replace_files, write_into
from .problems import print_problems


@dataclass(frozen=True)
class ExtractOptions:
    document: str
    output: str | None = None  # None or -: standard output
    sources: str | None = None  # the sidecar; default: beside --output, OUTPUT.sources.json
    force: bool = False


def run(options: ExtractOptions) -> int:
    from ..documents.read import read_document
    from ..extraction.assemble import extract
    from ..extraction.overlay import read_description
    from ..extraction.written import description_yaml, sources_json
    from ..validation.fact_model import FILING_SCHEMA
    from ..validation.validate import check

    output = None if options.output in (None, STDIN) else options.output
    sources = options.sources or (_sidecar(output) if output else None)
    targets = _plan([name for name in (output, sources) if name], options)
    extraction = extract(read_document(options.document))
    text, sidecar = description_yaml(extraction, __version__), sources_json(extraction)
    problems = []
    try:
        check(read_description(extraction, None), FILING_SCHEMA)
    except InputError as error:
        problems = list(error.problems)
    pieces = ([text] if output else []) + ([sidecar] if sources else [])
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    _write([(target, piece) for target, piece in zip(targets, pieces)])
    _report(extraction.values, options, output, sources)
    if problems:
        print_problems(problems)
        print(f"precomment: the description read from {options.document} does not validate yet (above): complete it "
              "in an answers file, or in the description", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_CLEAN


def _sidecar(output: str) -> str:
    stem = output[:-5] if output.endswith(".yaml") else output[:-4] if output.endswith(".yml") else output
    return stem + ".sources.json"


def _plan(names: list[str], options: ExtractOptions) -> list[Target]:
    targets = plan_outputs(list(names), [options.document])
    for name, target in zip(names, targets):
        if target.replace and os.path.lexists(name) and not options.force:
            raise UsageError(f"{name} already exists; precomment extract never overwrites a file. Give another "
                             "file name, or --force to replace it")
    return targets


def _write(files: list[tuple[Target, str]]) -> None:
    replace_files([(target, [piece]) for target, piece in files if target.replace])
    for target, piece in files:
        if not target.replace:
            write_into(target, [piece])


def _report(values: Mapping[str, object], options: ExtractOptions, output: str | None, sources: str | None) -> None:
    drafts = sum(1 for value in values.values() if getattr(value, "confidence", "") == "draft")
    where = f"wrote {output}" if output else "wrote the description to standard output"
    if sources:
        where += f" and {sources}"
    print(f"{where}: {len(values)} values read from {options.document} ({drafts} drafts to confirm). Answer the "
          f"TODOs, then run `precomment check {shlex.quote(options.document)} --answers ANSWERS.yaml`",
          file=sys.stderr)
