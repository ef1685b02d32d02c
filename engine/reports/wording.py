"""How the human formats word a run's outcome: counts in words, why a filing was not checked, and the
summary line every human report ends with. The report's data model (model.py) holds the numbers; this
module is the one place they become sentences, so every format says them alike."""
from __future__ import annotations

from collections.abc import Sequence

from ..checking.coverage import OUTCOMES
from ..checking.result import internal
from ..errors import Problem
from ..validation.formitems import item_key
from .model import Report, total


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def not_checked(problems: Sequence[Problem]) -> str:
    """Why a filing was not checked, as every human format says it: `internal error`, or `N input errors`."""
    return "internal error" if internal(problems) else plural(len(problems), "input error")


def summary_line(report: Report) -> str:
    """The last line of every human report: the tally, and what failed the gate (or that it passed)."""
    by_severity = report.by_severity()
    tally = total(by_severity.values())
    text = (f"{plural(tally.findings, 'finding')} in {plural(report.checked, 'filing')} "
            f"({by_severity['error'].findings} error, {by_severity['warning'].findings} warning, "
            f"{by_severity['info'].findings} info)")
    if tally.waived:
        text += f", {tally.waived} waived"
    if report.baseline is not None:
        text += (f"; against the baseline: {tally.new} new, {tally.findings - tally.new} still open, "
                 f"{report.fixed} fixed" + (f", {report.unassessed} not assessed" if report.unassessed else ""))
    text += _coverage(report)
    failure = report.failure()
    if failure:
        return text + f"; {plural(len(report.invalid), 'file')} could not be checked{_why_not(report)}. Failed: {failure}."
    gate = report.gate
    if gate.fail_on == "never":
        return text + f". Gate: off ({gate.describe()})."
    reasons = []
    if tally.failing:
        scope = "new finding" if gate.only_new else "finding"
        reasons.append(f"{plural(tally.failing, scope)} at or above {gate.fail_on}")
    if report.expired:
        reasons.append(plural(len(report.expired), "expired waiver"))
    if report.incomplete_fails():
        reasons.append(f"{plural(len(report.unaccounted), 'Form item')} not accounted for")
    if gate.only_new and report.coverage_drop:
        reasons.append(f"{plural(report.coverage_drop, 'rule')} the baseline assessed no longer assessed")
    if reasons:
        return text + f". Gate {gate.describe()}: FAILED by " + " and ".join(reasons) + "."
    return text + f". Gate {gate.describe()}: passed."


def _coverage(report: Report) -> str:
    """`; 28 rules not assessed; not accounted for: Items 1, 2, 13` (nothing when every rule could look)."""
    not_assessed = report.outcomes[OUTCOMES.index("not-assessed")]
    text = f"; {plural(not_assessed, 'rule')} not assessed" if not_assessed else ""
    if report.unaccounted:
        items = sorted(report.unaccounted, key=item_key)
        text += "; not accounted for: " + ("Item " if len(items) == 1 else "Items ") + ", ".join(items)
    return text


def _why_not(report: Report) -> str:
    """` (1 internal error, 2 bad input)` when precomment failed on some filings; nothing when all were bad input
    (the text every report had before internal errors became a filing's outcome)."""
    if not report.internal:
        return ""
    bad = len(report.invalid) - report.internal
    return f" ({plural(report.internal, 'internal error')}" + (f", {bad} bad input)" if bad else ")")
