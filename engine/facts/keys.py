"""Finding keys: a subject named by what it is, not by where it sits in a list.

A JSON pointer names an item of a list by its position (`/item19/exhibits/3`), which changes whenever an
item is inserted above it. A key names it by its natural key, the fields its fact type declares with
`x-key` in the filing schema (fact_model.py): `item19.exhibits[4.4]`. The syntax:

- property names joined by `.`, from the document's root: `item6.share_ownership`, `filer`;
- an item of a list: the list's name, then its key's values in brackets, several fields separated by `|`
  in the order `x-key` lists them, an absent field left empty: `item3.risk_factors[Dependence on NTT]`,
  `item5.operating_results.revenue_lines[Internet connectivity].changes[2008|2009]`,
  `item6.share_ownership.holders[Koichi Suzuki].options[240000|2030-07-09]`;
- inside brackets `\\`, `]` and `|` are written `\\\\`, `\\]` and `\\|`; every other character is itself;
- siblings sharing a key are told apart by their occurrence among those equals, in document order, after
  the brackets: `item19.exhibits[4.4]#1` and `item19.exhibits[4.4]#2` (never plain `[4.4]`, which would
  name either).

A text that is a key has exactly one spelling, so keys are compared as text.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_ESCAPED = re.compile(r"([\\\]|])")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VALUE = r"(?:[^\\\]|]|\\[\\\]|])*"
_ITEM = rf"\[{_VALUE}(?:\|{_VALUE})*\](?:#[1-9][0-9]*)?"
_KEY = re.compile(rf"{_NAME}(?:{_ITEM})?(?:\.{_NAME}(?:{_ITEM})?)*")
KEY_SYNTAX_HINT = ("write the key as the report's `key` shows it, e.g. item19.exhibits[4.4]: names joined by `.`, "
                   "a list item's key in brackets (several fields separated by `|`), and inside brackets `\\`, `]` "
                   "and `|` written `\\\\`, `\\]` and `\\|`")


def child(key: str, name: str) -> str:
    """The key of the property `name` of the value keyed `key` (the document's root: "")."""
    return f"{key}.{name}" if key else name


def item_keys(key: str, items: Sequence[Any], fields: Sequence[str]) -> list[str]:
    """The keys of a list's items (the list keyed `key`), by the `fields` of their key; siblings that share
    one get their occurrence among those equals (`#1`, `#2`), in document order."""
    brackets = [_brackets(item, fields) for item in items]
    shared = {text for text, count in Counter(brackets).items() if count > 1}
    seen: Counter[str] = Counter()
    keys = []
    for text in brackets:
        seen[text] += 1
        keys.append(f"{key}{text}#{seen[text]}" if text in shared else f"{key}{text}")
    return keys


def is_key(text: str) -> bool:
    """Whether `text` is a key as written (the syntax above)."""
    return _KEY.fullmatch(text) is not None


def shared_by(key: str, keys: Iterable[str]) -> list[str]:
    """The keys among `keys` that `key` would be but for siblings sharing it: `x[4.4]#1`, `x[4.4]#2` for
    `x[4.4]`, in the order given."""
    return [other for other in keys if other.startswith(f"{key}#") and other[len(key) + 1:].isdigit()]


def _brackets(item: Any, fields: Sequence[str]) -> str:
    texts = []
    for path in fields:  # (written out: this runs once per list item of a filing, 100,000 times in a large one)
        text = _text(item.get(path) if "." not in path and isinstance(item, Mapping) else _value(item, path))
        texts.append(_ESCAPED.sub(r"\\\1", text) if "\\" in text or "]" in text or "|" in text else text)
    return "[" + "|".join(texts) + "]"


def _value(item: Any, path: str) -> Any:
    for name in path.split("."):
        item = item.get(name) if isinstance(item, Mapping) else None
    return item


def _text(value: Any) -> str:
    """A key field's value as a key shows it: a text as itself, a number or truth value as JSON writes it, an
    absent one as nothing."""
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value)
