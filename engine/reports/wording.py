"""How the human formats word a run's outcome: counts in words, why a filing was not checked, and the
summary line every human report ends with. The report's data model (model.py) holds the numbers; this
module is the one place they become sentences, so every format says them alike."""
from __future__ import annotations

from collections.abc import Sequence

from ..checking.result import internal
from ..errors import Problem
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
                 f"{report.fixed} fixed")
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
    if reasons:
        return text + f". Gate {gate.describe()}: FAILED by " + " and ".join(reasons) + "."
    return text + f". Gate {gate.describe()}: passed."


def _why_not(report: Report) -> str:
    """` (1 internal error, 2 bad input)` when precomment failed on some filings; nothing when all were bad input
    (the text every report had before internal errors became a filing's outcome)."""
    if not report.internal:
        return ""
    bad = len(report.invalid) - report.internal
    return f" ({plural(report.internal, 'internal error')}" + (f", {bad} bad input)" if bad else ")")
