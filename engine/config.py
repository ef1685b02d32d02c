"""Project configuration: .precomment.yaml, or [tool.precomment] in pyproject.toml.

Found by walking up from the working directory (stopping at a repository root), read with the same safe
loader and schema validation as every other input, and applied to the loaded rules. Command-line flags
win over the file; a rule id in the file that no rule has is an error, never silently ignored.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .load import MAX_BYTES, Document, escape_pointer_token, load_file
from .rule_records import RuleSet
from .validate import check

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
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    waivers: Path | None = None
    fail_on_new: bool = False

    @property
    def source(self) -> str | None:
        return self.document.source if self.document else None


def find_config(start: Path) -> Path | None:
    """The nearest .precomment.yaml, or pyproject.toml with a [tool.precomment] table, from `start` up to
    the repository root (a directory holding .git) or the filesystem root."""
    for directory in (start, *start.parents):
        candidate = directory / YAML_NAME
        if candidate.is_file():
            return _relative(candidate, start)
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return _relative(pyproject, start)
        if (directory / ".git").exists():
            return None
    return None


def _relative(path: Path, start: Path) -> Path:
    """The path as the user would type it from `start` (messages name it so)."""
    return Path(os.path.relpath(path, start))


def load_config(path: str | Path) -> Config:
    path = Path(path)
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
                  fail_on_new=data.get("fail_on_new", False))


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
    close = difflib.get_close_matches(rule_id, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "`precomment rules list` shows the rule ids"
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
    try:
        raw = path.read_bytes()
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
