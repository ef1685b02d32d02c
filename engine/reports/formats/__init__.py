"""Report formats, written a filing at a time so that a run's memory does not grow with its filings.

A format is a module with
- `part(result: FilingResult, number: int, context: Context) -> str`: one filing's part of the report
  (`number` counts filings from 1 in the order given). It runs in the worker that checked the filing and
  reads only the result and the context. A format that needs several parts per filing (a table of
  contents entry as well as a section) names them in `STREAMS` and returns a tuple in that order.
- `document(report: Report, parts: Parts) -> Iterable[str]`: the whole report, in pieces: the header and
  footer from the run's summary (`Report`: counts per filing, never findings), the filings' parts where
  they belong (`parts(stream)` gives them in filing order; it may be called more than once).
Modules are imported only when their format is asked for, so a plain check does not pay for the others.

The checking stage renders each filing where it checked it (checking/batch.py) without knowing any format:
its caller hands it a `Renderer`, which names the formats rather than holding their modules, so that it
can be sent to worker processes.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from ...checking.result import FilingResult
from ..drafts import as_drafted
from ..model import Context, FilingSummary, Gate, Report

# format name -> module in this package; the order is the order `--help` lists them in.
MODULES = {
    "table": "table",
    "markdown": "markdown",
    "csv": "csv_rows",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "html": "html_page",
    "letter": "letter",
    "response": "response",
}
FORMATS = tuple(MODULES)
BODY = "body"

Parts = Callable[..., Iterator[str]]  # parts(stream=BODY): the filings' parts of one stream, in filing order


class Format:
    """One report format, as the writer uses it."""

    def __init__(self, name: str) -> None:
        self._module: ModuleType = importlib.import_module(f"{__name__}.{MODULES[name]}")
        self.streams: tuple[str, ...] = getattr(self._module, "STREAMS", (BODY,))

    def part(self, result: FilingResult, number: int, context: Context) -> tuple[str, ...]:
        """The filing's part of each stream; a draft's findings asked of a draft (drafts.as_drafted)."""
        text = self._module.part(as_drafted(result, context.today), number, context)
        return (text,) if isinstance(text, str) else tuple(text)

    def document(self, report: Report, parts: Parts) -> Iterable[str]:
        document: Iterable[str] = self._module.document(report, parts)  # (a module of MODULES: typed there)
        return document


@cache
def format_named(name: str) -> Format:
    """The format `name`, made once per process."""
    return Format(name)


@dataclass(frozen=True)
class Rendered:
    """One filing as the process that gathers a run receives it: its summary (for the report's header and
    footer) and its part of each output, per stream of the output's format."""

    summary: FilingSummary
    parts: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Renderer:
    """What turns one checked and reviewed filing into its `Rendered` record: given by the caller of the
    checking stage, and sent to its worker processes (formats are named, so that it pickles)."""

    gate: Gate  # the run's: it counts what fails in each summary
    outputs: tuple[tuple[str, Context], ...] = ()  # each output's format, with the context it renders in

    def __call__(self, result: FilingResult, number: int) -> Rendered:
        parts = tuple(format_named(name).part(result, number, context) for name, context in self.outputs)
        return Rendered(FilingSummary.of(result, self.gate), parts)


def render(name: str, report: Report, results: Sequence[FilingResult]) -> str:
    """The whole report as one string, for results held in memory (the summary `report` made from them)."""
    fmt = Format(name)
    rendered = [fmt.part(result, number, report.context) for number, result in enumerate(results, 1)]

    def parts(stream: str = BODY) -> Iterator[str]:
        index = fmt.streams.index(stream)
        return (filing[index] for filing in rendered)

    return "".join(fmt.document(report, parts))


def joined(separator: str, pieces: Iterable[str]) -> Iterator[str]:
    """The pieces with `separator` between them (str.join for a stream of pieces)."""
    first = True
    for piece in pieces:
        if not first:
            yield separator
        yield piece
        first = False
