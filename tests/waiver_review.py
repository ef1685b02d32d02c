"""Waivers applied to a whole run's results at once: the reference the streaming and letter tests compare
with. The CLI never holds every result: each filing's findings are marked where it was checked
(review.mark_waivers, in checking/batch.py) and the events gathered, in filing order, by a
review.WaiverReview (in cli.py); this does both in one place, so it belongs to the tests, not the package."""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from precomment.checking.findings import Waiver
from precomment.checking.review import WaiverOutcome, WaiverReview, mark_waivers


def apply_waivers(results: Iterable[Any], waivers: list[Waiver], today: datetime.date,
                  rule_ids: Iterable[str] = ()) -> WaiverOutcome:
    """Mark the findings each waiver covers (in place on the results); report expired, mismatched and unused
    waivers. A finding is covered when rule and pointer are equal and, if the waiver names one, the filing."""
    review = WaiverReview(waivers, today, rule_ids)
    for result in results:
        review.add(mark_waivers(result, waivers, today))
    return review.outcome()
