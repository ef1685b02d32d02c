"""The stages wired together for one rule set: validate -> facts -> evaluate -> findings.

Rules are loaded and compiled once; each document then costs only its own facts and evaluation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import oracle
from .errors import InputError
from .evaluate import DurableEvaluator, Match
from .facts import FactSet, build_facts
from .findings import Finding, build_findings
from .load import Document, load_file
from .model import FILING_SCHEMA
from .report import FilingResult
from .rulebook import RuleSet
from .validate import check

class Checker:
    def __init__(self, ruleset: RuleSet) -> None:
        """Compiles the rules now, so an engine limit is reported before any filing is read."""
        self.ruleset = ruleset
        self.deriver = ruleset.deriver()
        self.durable = DurableEvaluator(ruleset)

    def facts(self, document: Document) -> FactSet:
        """Validate the document, then build its facts and derived values."""
        check(document, FILING_SCHEMA)
        return build_facts(document, self.deriver)

    def matches(self, facts: list[dict[str, Any]], engine: str = "durable") -> list[Match]:
        if engine == "oracle":
            return oracle.evaluate(self.ruleset, facts)
        return self.durable.evaluate(facts)

    def findings(self, document: Document, engine: str = "durable") -> list[Finding]:
        facts = self.facts(document)
        return build_findings(self.ruleset, self.matches(facts.facts, engine), facts)

    def check_path(self, path: str | Path) -> FilingResult:
        """Check one file; bad input becomes the result's problems (other files still get checked)."""
        result = FilingResult(str(path))
        try:
            document = load_file(path)
            result.findings = self.findings(document)
            filer = document.data.get("filer", {})
            result.filer = {k: filer[k] for k in ("name", "form", "fiscal_year_end") if k in filer}
        except InputError as error:
            result.problems = list(error.problems)
        return result
