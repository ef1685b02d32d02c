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
    try:
        return "precomment" in _read_toml(path).get("tool", {})
    except InputError:
        return True  # let load_config report what is wrong with it


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            raise InputError([Problem(str(path), None, None, "", "too-big", f"is larger than {MAX_BYTES} bytes")])
        return tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), None, None, "", "unreadable", str(error))]) from None
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_position(str(error))
        raise InputError([Problem(str(path), line, column, "", "toml-syntax", str(error).split(" (at")[0],
                                  "check the TOML syntax of the file")]) from None


def _pyproject_document(path: Path) -> Document:
    """[tool.precomment] as a document; positions are the lines of the table and its keys (TOML parsers
    give no positions, so they are found in the text)."""
    data = _read_toml(path).get("tool", {}).get("precomment", {})
    lines = path.read_text(encoding="utf-8").splitlines()
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
    return Document(str(path), data, positions, dict(positions))


def _toml_position(message: str) -> tuple[int | None, int | None]:
    found = re.search(r"at line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)
