"""Error records and exit codes: the one place that decides what a failure looks like to a user.

Every stage raises one of the exceptions below; only the CLI turns them into text and an exit code.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    source: str
    line: int | None
    column: int | None
    pointer: str
    code: str
    message: str
    hint: str | None = None
    level: str = "error"  # "warning" for what is reported but does not stop the run (e.g. an unused waiver)

    def location(self) -> str:
        if self.line is None:
            return self.source
        return f"{self.source}:{self.line}:{self.column or 1}"

    def render(self) -> str:
        """`file:line:col: error [code] at /pointer: message`, then an indented hint line."""
        text = f"{self.location()}: {self.level} [{self.code}] at {self.pointer or '/'}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def did_you_mean(word: str, choices: Iterable[str], *, quote: bool = True, ignore_case: bool = False) -> str | None:
    """`did you mean X?`, naming the choice closest to `word`; None when no choice is close enough.

    Defined once so that every "unknown name" message suggests alike: the same closeness (difflib's ratio
    of at least 0.6) and the same words. `quote` writes the choice as a Python repr ('PC-7-001'), as hints
    about a value in a file do; a rule id named on the command line or in a waiver is written bare. With
    `ignore_case` a word is matched ignoring case but the choice is suggested as it is spelt, so "us gaap"
    suggests 'US GAAP'. The choices' order does not matter: difflib breaks ties by the choice itself."""
    import difflib  # here: only a run with something misspelt needs it, and every run imports this module

    spelt = {choice.casefold() if ignore_case else choice: choice for choice in choices}
    close = difflib.get_close_matches(word.casefold() if ignore_case else word, list(spelt), n=1, cutoff=0.6)
    if not close:
        return None
    choice = spelt[close[0]]
    return f"did you mean {choice!r}?" if quote else f"did you mean {choice}?"


class PrecommentError(Exception):
    """Base class: carries the exit code the CLI should use."""

    exit_code = EXIT_INTERNAL


class InputError(PrecommentError):
    """A filing (or other user input) cannot be read or does not conform: exit 2."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


class RuleError(InputError):
    """A rule file is malformed or would misbehave in the engine: refused when rules load (exit 2)."""


class UsageError(PrecommentError):
    """The command line itself is wrong: exit 2."""

    exit_code = EXIT_INPUT


class OutputError(PrecommentError):
    """A report cannot go where it was sent (a missing directory, a full disk, a closed standard output):
    the environment, not a bug, so exit 2 naming where."""

    exit_code = EXIT_INPUT


class SetupError(PrecommentError):
    """precomment's own installation cannot run (a dependency missing, or built wrong for this Python):
    the environment, not a bug, so exit 2 with how to mend it."""

    exit_code = EXIT_INPUT


class InternalError(PrecommentError):
    """precomment itself failed (never reported as "no findings"): exit 3."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, rule_id: str | None = None) -> None:
        self.rule_id = rule_id
        prefix = f"rule {rule_id}: " if rule_id else ""
        super().__init__(prefix + message)
