"""Nothing lost, nothing invented: properties that must hold for EVERY filing, checked on random ones.

- Random valid filings get identical matches from durable-rules and the plain-Python oracle.
- Random damage to a valid filing (keys dropped, wrong types, junk text, huge numbers, unicode, deep
  nesting, damaged bytes) never crashes the check: the only failure allowed is InputError, and it is
  reported as problems that name the file, as the CLI reports them.
- The order in which facts reach the evaluators changes neither the findings nor the reports.

The filings come from tests/strategies.py, steered towards what the rules look at (its docstring says
how many rules report findings over them); the hypothesis profile "ci" draws 400 (derandomized: every
run tests the same filings). For a longer fuzz on your machine (fresh examples each run, 25 times as many):

    PRECOMMENT_HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_properties.py

Below them, tests hold the reduced cases of bugs these properties found (now fixed), so they stay fixed.
"""
from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from documents import load_text
from hypothesis import given, settings
from hypothesis import strategies as st
from precomment.checking.pipeline import Checker
from precomment.checking.result import FilingResult
from precomment.reports.formats import FORMATS, render
from precomment.reports.model import Gate, Report
from precomment.sources.load import load_bytes
from strategies import damaged_files, filings, to_yaml

TODAY = datetime.date(2025, 6, 30)
"""Reports that print a date get this one, so two renderings can be compared byte for byte."""


HEAVY = settings(settings.default, max_examples=max(1, settings.default.max_examples * 3 // 8))
"""For the properties whose every example checks a whole filing with every rule and renders it in every format
(about 0.1 s each with 408 rules): 150 examples in the suite's profile, where the others have 400; the
fuzz profile (strategies.py) still runs thousands."""


def rendered(checker: Checker, result: FilingResult, fmt: str) -> str:
    return render(fmt, Report.of([result], Gate(), checker.ruleset.rules, today=TODAY, letter_date=TODAY), [result])


@given(filing=filings())
def test_random_filings_get_the_same_matches_from_both_evaluators(checker, filing):
    facts = checker.facts(load_text(to_yaml(filing), "random.yaml")).facts
    assert checker.matches(facts, "durable") == checker.matches(facts, "oracle")


@HEAVY
@given(damaged=damaged_files())
def test_damaged_filings_are_refused_or_checked_never_a_crash(checker, damaged):
    raw, name = damaged
    # The CLI's own path: read (here from bytes) -> validate -> facts -> evaluate -> findings. An
    # InputError becomes the result's problems; anything else escapes and fails the test.
    result = checker.check_path(name, read=lambda path: load_bytes(raw, path))
    for problem in result.problems:
        assert problem.render().startswith(f"{name}:"), problem.render()
        assert problem.code and problem.message
    if not result.problems:  # the damage left a valid filing: it must be checked like any other
        facts = checker.facts(load_bytes(raw, name)).facts
        assert checker.matches(facts, "durable") == checker.matches(facts, "oracle")
    for fmt in FORMATS:  # every report format copes with whatever survived validation
        assert rendered(checker, result, fmt)


@HEAVY
@given(filing=filings(), seed=st.integers(0, 2**32 - 1))
def test_fact_order_changes_neither_findings_nor_reports(checker, filing, seed):
    document = load_text(to_yaml(filing), "random.yaml")
    facts = checker.facts(document)
    skipped = checker.not_applicable(document)
    in_order = checker.findings(document)
    shuffled = facts.facts[:]
    random.Random(seed).shuffle(shuffled)
    coverage = checker.coverage(document)
    for engine in ("durable", "oracle"):
        findings, shuffled_coverage = checker.findings_of(facts, checker.matches(shuffled, engine), skipped)
        assert findings == in_order, engine
        assert shuffled_coverage == coverage, engine
        assert (rendered(checker, _result(document, findings, skipped), "json")
                == rendered(checker, _result(document, in_order, skipped), "json"))


def _result(document: Any, findings: list[Any], skipped: dict[str, str]) -> FilingResult:
    return FilingResult(document.source, filer=dict(document.data["filer"]), findings=findings, not_applicable=skipped)


# ---------------------------------------------------------------------------------------------------
# Bugs found by the properties above, reduced to the smallest filing; not fixed yet.

TINY_FLOAT_CASES = {
    # The holder after the one with 0.00001% is never seen: its missing percentage (PC-6-001) and the
    # exhibit's missing discussion (PC-10-002) are lost.
    "findings-lost": """\
filer: {name: X, form: 20-F, fiscal_year_end: 2024-12-31}
item6:
  share_ownership:
    holders:
      - {name: Tiny Holder, role: director, shares: 100, percent_of_class: 0.00001}
      - {name: Koichi Suzuki, role: director, shares: 12000}
item19:
  exhibits:
    - {number: "4.1", title: Lease, kind: lease}
""",
    # The exhibit after the holder is never seen, so "no exhibit for this supplier" holds: durable-rules
    # invents PC-19-001 (and loses PC-10-002).
    "finding-invented": """\
filer: {name: X, form: 20-F, fiscal_year_end: 2024-12-31}
item3:
  risk_factors:
    - caption: We depend on one foundry
      dependencies:
        - {counterparty: Example Foundry Ltd., kind: supplier, extent: sole_source, what: wafers}
item6:
  share_ownership:
    holders:
      - {name: Tiny Holder, role: director, shares: 100, percent_of_class: 0.00001}
item19:
  exhibits:
    - {number: "4.1", title: Wafer supply agreement, kind: supplier_agreement, counterparty: Example Foundry Ltd.}
""",
    # A derived value: 1 / 10,000,000 as a percentage is 1e-05; the reporting unit's PC-5-018 is lost.
    "derived-value": """\
filer: {name: X, form: 20-F, fiscal_year_end: 2024-12-31}
financial_statements:
  goodwill:
    market_capitalisation: 1
    total_equity: 10000000
    reporting_units:
      - {name: A, goodwill: 118400, headroom_disclosed: false}
""",
}


# Found by these properties: durable-rules 2.0.28 reads an exponent only after a fraction (src/rules/json.c
# getNumber); Python writes 0.00001 as 1e-05, and assert_facts silently dropped that fact and every later
# one in the batch. evaluator._durable_json now writes such numbers as 1.0e-05.
@pytest.mark.parametrize("case", sorted(TINY_FLOAT_CASES))
def test_a_float_python_writes_with_an_exponent_loses_and_invents_nothing(checker, case):
    facts = checker.facts(load_text(TINY_FLOAT_CASES[case], f"{case}.yaml")).facts
    oracle = checker.matches(facts, "oracle")
    assert oracle  # each case has findings to lose
    assert checker.matches(facts, "durable") == oracle


def test_a_fiscal_year_ending_in_year_1_is_checked(checker):
    """Found by these properties: the previous fiscal year end of year 1 is year 0, which does not exist;
    the ValueError escaped as an internal error (exit 3)."""
    text = "filer: {name: X, form: 20-F, fiscal_year_end: 0001-12-31}\n"  # a valid date, as the schema stands
    result = checker.check_path("year-1.yaml", read=lambda path: load_text(text, path))
    assert result.source == "year-1.yaml"

