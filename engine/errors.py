"""Error records and exit codes: the one place that decides what a failure looks like to a user.

Every stage raises one of the exceptions below; only the CLI turns them into text and an exit code.
"""
from __future__ import annotations

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
