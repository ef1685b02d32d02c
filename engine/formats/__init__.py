"""Report formats: each module has `render(report: Report) -> str`, reading only Finding records and report.py.

Modules are imported only when their format is asked for, so a plain check does not pay for the others.
"""
from __future__ import annotations

import importlib
from typing import Callable

from ..report import Report

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


def renderer(name: str) -> Callable[[Report], str]:
    return importlib.import_module(f"{__name__}.{MODULES[name]}").render


def render(name: str, report: Report) -> str:
    return renderer(name)(report)
