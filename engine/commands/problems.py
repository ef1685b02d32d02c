"""Problems as the user reads them on standard error, one line each: the warnings a command goes on after
(a link skipped, an invalid filing among many) and the refusal that ends it (the cli's one error edge)."""
from __future__ import annotations

import sys
from collections.abc import Sequence

from ..errors import Problem

MAX_PROBLEMS_SHOWN = 50
"""Most problems printed for one failure: past that, a count, so a file with thousands of errors does not
bury the lines that matter (the first) under the rest."""


def print_problems(problems: Sequence[Problem]) -> None:
    """Each problem on standard error (up to MAX_PROBLEMS_SHOWN, then how many more, in whose file)."""
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(problem.render(), file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems in {problems[0].source}", file=sys.stderr)
