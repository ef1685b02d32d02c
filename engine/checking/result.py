"""What checking one input file gives: its findings, or the problems that stopped it (`FilingResult`).

Defined here, in the checking stage that makes it, so that the stages after it (the reports) read it and
none before them has to know it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .coverage import Coverage
from .findings import Finding

INTERNAL_ERROR = "internal-error"
"""The code of the problem that stopped a filing when precomment itself failed on it (batch.py), not its input."""


def internal(problems: Iterable[Problem]) -> bool:
    """Whether a filing's problems are precomment's own failure rather than bad input."""
    return any(problem.code == INTERNAL_ERROR for problem in problems)


@dataclass
class FilingResult:
    """What happened to one input file: its findings, or the problems that stopped it."""

    source: str
    filer: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # rule id -> why it is not yet in force
    fixed: list[Finding] = field(default_factory=list)  # baseline findings that are gone (with --baseline)
    coverage: Coverage | None = None  # what each rule made of the filing; None when it could not be checked
    unassessed: list[Finding] = field(default_factory=list)  # baseline findings whose rule could not look this time
    coverage_drop: list[str] = field(default_factory=list)  # rules the baseline assessed that could not assess now
    warnings: list[Problem] = field(default_factory=list)  # reading it: said on standard error, not in reports
    origins: dict[str, int] | None = None  # values by origin, for a filing read from a document (Document.origins)

    @property
    def status(self) -> str:
        """`checked`, `invalid` (bad input) or `internal-error`: the JSON and SARIF reports' filing status."""
        if not self.problems:
            return "checked"
        return INTERNAL_ERROR if internal(self.problems) else "invalid"
