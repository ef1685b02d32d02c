"""Project configuration: .precomment.yaml, or [tool.precomment] in pyproject.toml.

Found in the working directory and, inside a repository, its parents up to the repository root; used only
when no one but the user and root could have written it; read with the same safe loader and schema
validation as every other input, and applied to the loaded rules. Command-line flags win over the file;
a rule id in the file that no rule has is an error, never silently ignored.
"""
from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, did_you_mean
from ..language.records import RuleSet, Severity
from ..reports.model import FailOn
from ..sources.document import Document, escape_pointer_token
from ..sources.load import MAX_BYTES, load_file
from ..validation.validate import check

CONFIG_SCHEMA = "config.schema.json"
YAML_NAME = ".precomment.yaml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Config:
    """Settings from one configuration file (or none: the defaults)."""

    document: Document | None = None
    rules: tuple[Path, ...] = ()
    builtin_rules: bool = True
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # rule id -> the severity it is given
    fail_on: FailOn | None = None
    waivers: Path | None = None
    fail_on_new: bool = False
    allow_incomplete: bool = False

    @property
    def source(self) -> str | None:
        return self.document.source if self.document else None


def find_config(start: Path) -> tuple[Path | None, list[Problem]]:
    """The configuration file to use, if any, and a warning for each one passed over because someone other
    than the user or root could have written it (`distrust`); the search goes on past those.

    The first .precomment.yaml, or pyproject.toml with a `tool.precomment` entry, in `start` and, inside a
    repository (a directory holding .git, at `start` or above it), in each parent up to its root. Outside a
    repository only `start` is searched: a directory above the work that belongs to no repository (a shared
    /tmp, a home directory) is no project's, and a file planted there must not configure the check."""
    ignored: list[Problem] = []
    for directory in _searched(start):
        for candidate in (directory / YAML_NAME, directory / PYPROJECT):
            if not _is_config(candidate):
                continue
            shown = _relative(candidate, start)
            doubt = distrust(candidate)
            if doubt is None:
                return shown, ignored
            ignored.append(_untrusted(shown, f"ignored: {doubt}", level="warning"))
    return None, ignored


def _searched(start: Path) -> list[Path]:
    """`start`, then its parents up to the repository root; only `start` when it is in no repository."""
    chain = [start, *start.parents]
    root = next((number for number, directory in enumerate(chain) if (directory / ".git").exists()), 0)
    return chain[:root + 1]


def _is_config(path: Path) -> bool:
    return path.is_file() and (path.name != PYPROJECT or _has_tool_table(path))


def distrust(path: Path) -> str | None:
    """Why another user could have decided what the configuration file says, or None when no one but the
    user running precomment and root could have: the file, a symbolic link naming it, and the directory
    holding either belong to one of them, and no other user can write to the file or (unless it has the
    sticky bit, as /tmp, where only a file's owner may replace it) to the directory. A configuration turns
    the gate off and names rule directories to load, so it is trusted only as far as its writers are."""
    if not hasattr(os, "geteuid"):  # no POSIX owners to compare (Windows)
        return None
    try:
        return next((doubt for doubt in _doubts(path) if doubt), None)
    except OSError as error:  # gone or unreadable since it was found: not a file to trust
        return f"cannot be examined ({error.strerror})"


def _doubts(path: Path) -> Iterator[str | None]:
    """Each place whose owner or permissions would let another user change the file: a reason, or None."""
    if path.is_symlink():
        yield _foreign(path.lstat(), "a symbolic link owned by")
    status = path.stat()
    yield _foreign(status, "owned by")
    if status.st_mode & stat.S_IWOTH:
        yield f"writable by any user ({stat.filemode(status.st_mode)})"
    for directory in dict.fromkeys((path.absolute().parent, path.resolve().parent)):
        status = directory.stat()
        yield _foreign(status, f"in {directory}, owned by")
        if status.st_mode & stat.S_IWOTH and not status.st_mode & stat.S_ISVTX:
            yield f"in {directory}, which any user can write to ({stat.filemode(status.st_mode)}) without the sticky bit"


def _foreign(status: os.stat_result, owned_by: str) -> str | None:
    """`owned_by` someone, when that is neither the user running precomment nor root."""
    if status.st_uid in (os.geteuid(), 0):
        return None
    import pwd  # POSIX only, as os.geteuid, without which this is never called

    try:
        name = pwd.getpwuid(status.st_uid).pw_name
    except KeyError:  # a uid with no account (a file from another machine or container)
        name = "a user with no account"
    return f"{owned_by} {name} (uid {status.st_uid}), not by you or root"


def _untrusted(path: Path, message: str, level: str) -> Problem:
    return Problem(str(path), None, None, "", "untrusted-config", message,
                   "precomment uses only configuration files that you or root own and no other user can change; "
                   "if you trust this one, make it yours (chown) or give a copy of your own with --config",
                   level=level)


def _relative(path: Path, start: Path) -> Path:
    """The path as the user would type it from `start` (messages name it so)."""
    return Path(os.path.relpath(path, start))


def load_config(path: str | Path) -> Config:
    """Read and validate a configuration file, found or named with --config; one that another user could
    have written (`distrust`) is refused even when named: its settings cannot be used, and going on without
    them would quietly run another check than the one asked for."""
    path = Path(path)
    doubt = distrust(path)
    if doubt:
        raise InputError([_untrusted(path, f"cannot be used: {doubt}", level="error")])
    document = _pyproject_document(path) if path.name == PYPROJECT else load_file(path)
    if document.data is None:  # an empty .precomment.yaml: all defaults
        document.data = {}
    check(document, CONFIG_SCHEMA)
    data = document.data
    base = path.parent
    return Config(document=document, rules=tuple(base / d for d in data.get("rules", ())),
                  builtin_rules=data.get("builtin_rules", True), disable=tuple(data.get("disable", ())),
                  severity=dict(data.get("severity", {})), fail_on=data.get("fail_on"),
                  waivers=base / data["waivers"] if "waivers" in data else None,
                  fail_on_new=data.get("fail_on_new", False), allow_incomplete=data.get("allow_incomplete", False))


def apply_config(ruleset: RuleSet, config: Config) -> RuleSet:
    """The rules as configured: disabled ones removed, severities overridden."""
    known = {rule.id for rule in ruleset.rules}
    problems = [_unknown_rule(config, pointer, rule_id, known)
                for pointer, rule_id in [(f"/disable/{i}", r) for i, r in enumerate(config.disable)]
                + [(f"/severity/{escape_pointer_token(r)}", r) for r in config.severity]
                if rule_id not in known]
    if problems:
        raise InputError(problems)
    rules = tuple(dataclasses.replace(rule, severity=config.severity.get(rule.id, rule.severity))
                  for rule in ruleset.rules if rule.id not in config.disable)
    return dataclasses.replace(ruleset, rules=rules)


def _unknown_rule(config: Config, pointer: str, rule_id: str, known: set[str]) -> Problem:
    assert config.document is not None
    hint = did_you_mean(rule_id, known) or "`precomment rules list` shows the rule ids"
    return config.document.problem(pointer, "unknown-rule", f"no rule has the id {rule_id!r}", hint,
                                   prefer_key=pointer.startswith("/severity/"))


def _has_tool_table(path: Path) -> bool:
    """Whether the file has a `tool.precomment` entry (a table or not: load_config says what is wrong with
    it). A `tool` that is not a table holds no tools' settings, so the file is simply not a configuration."""
    try:
        tool = _read_toml(path)[0].get("tool")
    except InputError:
        return True  # let load_config report what is wrong with it
    return isinstance(tool, dict) and "precomment" in tool


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text (read once: the text gives the positions TOML parsers do not)."""
    import tomllib  # here: a check with no configuration file to read need not import it (BENCHMARKS.md, 'Start-up')
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # bounded: discovery reads files it does not trust yet
        if len(raw) > MAX_BYTES:
            raise InputError([Problem(str(path), None, None, "", "too-big", f"is larger than {MAX_BYTES} bytes")])
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), None, None, "", "unreadable", str(error))]) from None
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_position(str(error))
        raise InputError([Problem(str(path), line, column, "", "toml-syntax", str(error).split(" (at")[0],
                                  "check the TOML syntax of the file")]) from None


def _pyproject_document(path: Path) -> Document:
    """[tool.precomment] as a document; positions are the lines of the table and its keys (TOML parsers
    give no positions, so they are found in the text)."""
    data, text = _read_toml(path)
    tool = data.get("tool")
    settings = tool.get("precomment", {}) if isinstance(tool, dict) else {}
    lines = text.splitlines()
    if not isinstance(settings, dict):
        raise InputError([_not_a_table(str(path), lines, settings)])
    positions: dict[str, tuple[int, int]] = {}
    header = next((i for i, text in enumerate(lines) if re.match(r"\s*\[tool\.precomment\]\s*(#.*)?$", text)), None)
    if header is not None:
        positions[""] = (header + 1, 1)
        for number in range(header + 1, len(lines)):
            if lines[number].lstrip().startswith("["):
                break
            key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", lines[number])
            if key:
                positions[f"/{key.group(1)}"] = (number + 1, lines[number].index(key.group(1)) + 1)
    return Document(str(path), settings, positions, dict(positions))


_TOML_KINDS = ((bool, "a boolean"), (int, "a number"), (float, "a number"), (str, "text"), (list, "an array"))
_PRECOMMENT_KEY = re.compile(r"""(?:^|[\s{,.])(["']?precomment["']?)\s*=""")


def _not_a_table(source: str, lines: list[str], value: Any) -> Problem:
    """`tool.precomment = 3` (or `precomment = 3` under [tool]), located at the key."""
    kind = next((name for kinds, name in _TOML_KINDS if isinstance(value, kinds)), "a date or time")
    line, column = _precomment_key(lines)
    return Problem(source, line, column, "", "wrong-type", f"tool.precomment must be a table of settings, got {kind}",
                   "write the settings under a [tool.precomment] header, one `key = value` line each "
                   "(docs/configuration.md)")


def _precomment_key(lines: list[str]) -> tuple[int | None, int | None]:
    """Line and column of the first key `precomment` given a value: the file parsed, so a TOML key is set
    once, and that line is where `tool.precomment` got its value."""
    for number, text in enumerate(lines, 1):
        found = _PRECOMMENT_KEY.search(text)
        if found:
            return number, found.start(1) + 1
    return None, None


def _toml_position(message: str) -> tuple[int | None, int | None]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)
