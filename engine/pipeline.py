"""The stages wired together for one rule set: validate -> facts -> evaluate -> findings.

Rules are loaded and compiled once; each document then costs only its own facts and evaluation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

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

FILER_KEYS = ("name", "form", "fiscal_year_end", "filing_date", "file_number")
"""What every report says about the filer: enough for a heading and a letter's Re: block."""


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

    def not_applicable(self, document: Document) -> dict[str, str]:
        """Rules not yet in force for this filing (by their `effective` date), with the reason."""
        filer = document.data.get("filer", {})
        reasons = {rule.id: rule.effective.not_yet(filer) for rule in self.ruleset.rules if rule.effective}
        return {rule_id: reason for rule_id, reason in sorted(reasons.items()) if reason}

    def findings(self, document: Document, engine: str = "durable") -> list[Finding]:
        """The findings of the rules in force for the filing; both evaluators see the same filter."""
        return self._outcome(document, engine)[0]

    def _outcome(self, document: Document, engine: str) -> tuple[list[Finding], dict[str, str]]:
        facts = self.facts(document)
        skipped = self.not_applicable(document)
        matches = [m for m in self.matches(facts.facts, engine) if m.rule_id not in skipped]
        return build_findings(self.ruleset, matches, facts), skipped

    def check_path(self, path: str | Path, read: Callable[[str], Document] = load_file) -> FilingResult:
        """Check one file; bad input becomes the result's problems (other files still get checked)."""
        result = FilingResult(str(path))
        try:
            document = read(str(path))
            result.source = document.source
            result.findings, result.not_applicable = self._outcome(document, "durable")
            filer = document.data.get("filer", {})
            result.filer = {k: filer[k] for k in FILER_KEYS if k in filer}
        except InputError as error:
            result.problems = list(error.problems)
        return result
