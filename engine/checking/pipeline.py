"""The stages wired together for one rule set: validate -> facts -> evaluate -> findings.

Rules are loaded and compiled once; each document then costs only its own facts and evaluation.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..evaluation.durable_rules.evaluator import DurableEvaluator
from ..evaluation.match import Evaluator, Match
from ..evaluation.oracle import OracleEvaluator
from ..facts.build import FactSet, build_facts
from ..language.derive import Deriver
from ..language.regex import MAX_TEXT_BYTES
from ..language.rulebook import DerivationNeeds, Rule, RuleSet
from ..sources.document import Document
from ..sources.load import load_file
from ..validation.fact_model import FILING_SCHEMA, fact_model
from ..validation.validate import check
from .coverage import Assessor, Coverage
from .findings import Finding, build_findings
from .result import FilingResult

EvaluatorName = Literal["durable", "oracle"]
"""Which evaluator finds the matches: durable-rules (what `check` runs), or the plain-Python oracle."""

FILER_KEYS = ("name", "form", "fiscal_year_end", "filing_date", "file_number")
"""What every report says about the filer: enough for a heading and a letter's Re: block."""


class Checker:
    def __init__(self, ruleset: RuleSet) -> None:
        """Compiles the rules now, so an engine limit is reported before any filing is read."""
        self.ruleset = ruleset
        self.deriver = ruleset.deriver()
        self.durable = DurableEvaluator(ruleset)
        self.evaluators: dict[EvaluatorName, Evaluator] = {"durable": self.durable, "oracle": OracleEvaluator(ruleset)}
        self._needs = DerivationNeeds(ruleset.derivations)
        self._rule_derivers: dict[str, Deriver] = {}
        self.assessor = Assessor(ruleset.rules, fact_model())

    def facts(self, document: Document, deriver: Deriver | None = None) -> FactSet:
        """Validate the document, then build its facts and derived values (every rule's, by default)."""
        check(document, FILING_SCHEMA)
        return build_facts(document, self.deriver if deriver is None else deriver)

    def matches(self, facts: list[dict[str, Any]], engine: EvaluatorName = "durable") -> list[Match]:
        return self.evaluators[engine].evaluate(facts)

    def not_applicable(self, document: Document) -> dict[str, str]:
        """Rules not yet in force for this filing (by their `effective` date), with the reason."""
        filer = document.data.get("filer", {})
        reasons = {rule.id: _not_in_force(rule, filer) for rule in self.ruleset.rules}
        return {rule_id: reason for rule_id, reason in sorted(reasons.items()) if reason}

    def findings(self, document: Document, engine: EvaluatorName = "durable") -> list[Finding]:
        """The findings of the rules in force for the filing; both evaluators see the same filter."""
        return self._outcome(document, engine)[0]

    def coverage(self, document: Document, engine: EvaluatorName = "durable") -> Coverage:
        """What each rule made of the filing (fired, passed, not applicable, not assessed) and how the
        description accounts for each Form item."""
        return self._outcome(document, engine)[2]

    def rule_findings(self, rule: Rule, document: Document, engine: EvaluatorName = "durable") -> list[Finding]:
        """The findings of one rule of the set, as `findings` would give them, from that rule evaluated
        alone: only the derived values it needs are computed, and only it runs (on durable-rules, the one
        ruleset holding it). Checking every example of a pack so costs one rule's evaluation per example,
        not one per rule of the pack, which made loading a large pack take minutes (BENCHMARKS.md, 'Rule
        packs, 150 to 2,100 rules')."""
        facts = self.facts(document, self._deriver_for(rule))
        _refuse_long_texts(document, self.durable.long_texts(facts.facts))
        if _not_in_force(rule, document.data.get("filer", {})):
            return []
        matches = self.evaluators[engine].evaluate(facts.facts, only=rule.id)
        return build_findings(RuleSet((rule,), ()), matches, facts)

    def _deriver_for(self, rule: Rule) -> Deriver:
        """One rule's derivations (DerivationNeeds), found once per rule: its examples share them."""
        if rule.id not in self._rule_derivers:
            self._rule_derivers[rule.id] = Deriver(self._needs.of(rule))
        return self._rule_derivers[rule.id]

    def _outcome(self, document: Document, engine: EvaluatorName) -> tuple[list[Finding], dict[str, str], Coverage]:
        """Findings, the rules not in force, and coverage. A rule that could not assess the filing (a section
        it reads is not described, a cover question is unanswered) reports no findings: they would rest on
        what the description does not say, and coverage says so instead."""
        facts = self.facts(document)
        _refuse_long_texts(document, self.durable.long_texts(facts.facts))
        skipped = self.not_applicable(document)
        findings, coverage = self.findings_of(facts, self.matches(facts.facts, engine), skipped)
        return findings, skipped, coverage

    def findings_of(self, facts: FactSet, matches: list[Match], skipped: Mapping[str, str]
                    ) -> tuple[list[Finding], Coverage]:
        """The findings the matches make, and the coverage: the matches of rules not in force (`skipped`) or
        that could not assess the filing are not findings."""
        matches = [m for m in matches if m.rule_id not in skipped]
        if facts.document.absent_is_open:
            matches = self.assessor.decided_matches(facts, matches)
        coverage = self.assessor.coverage(facts, matches, skipped)
        assessed = coverage.assessed()
        return build_findings(self.ruleset, [m for m in matches if m.rule_id in assessed], facts), coverage

    def check_path(self, path: str | Path, read: Callable[[str], Document] = load_file) -> FilingResult:
        """Check one file; bad input becomes the result's problems (other files still get checked)."""
        result = FilingResult(str(path))
        try:
            document = read(str(path))
            result.source = document.source
            result.warnings = list(document.warnings)
            result.origins = document.origins()
            result.findings, result.not_applicable, result.coverage = self._outcome(document, "durable")
            filer = document.data.get("filer", {})
            result.filer = {k: filer[k] for k in FILER_KEYS if k in filer}
        except InputError as error:
            result.problems = list(error.problems)
        return result


def _not_in_force(rule: Rule, filer: Mapping[str, Any]) -> str | None:
    """Why the rule does not apply to this filer's filing yet (its `effective` date), or None."""
    return rule.effective.not_yet(filer) if rule.effective else None


def _refuse_long_texts(document: Document, long_texts: list[tuple[str, int]]) -> None:
    """A text a rule's pattern reads that durable-rules cannot match in full is bad input, where it is: on
    either evaluator, so that both see the same documents."""
    if long_texts:
        raise InputError([document.problem(
            pointer, "text-too-long", f"durable-rules can match a pattern against at most {MAX_TEXT_BYTES:,} bytes "
            f"of text; this one takes {size:,} (in UTF-8, with each quote, backslash and control character as 3 or "
            "4 bytes)", "shorten it: a rule's `matches` test reads this field") for pointer, size in long_texts])
