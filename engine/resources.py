"""Where the bundled rules and schemas live, in a source checkout and in an installed wheel alike."""
from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any


def rules_dir() -> Path:
    return Path(str(files("precomment.rules")))


def schema_path(name: str) -> Path:
    return Path(str(files("precomment.schemas"))) / name


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema, parsed once per process."""
    with schema_path(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)  # each bundled schema is an object
    return schema
