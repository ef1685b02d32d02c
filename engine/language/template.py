"""Comment, remedy and record texts: `{alias.path}` placeholders filled from the matched facts.

`{holder.name}` is a field of the fact bound to `holder`; `{dep.parent.caption}` climbs to the enclosing
fact; `{holder.label}` is the fact's display name; `{x.page}` is its page or its section's; `{param.threshold}` is a rule parameter;
`{x.path|text}` gives the text to use when the field is missing. `{{` and `}}` are literal braces.

An amount (a field of kind `amount`, or a value derived from amounts) reads with the currency and unit the
filer block gives (`Money`), as the staff write amounts in comment letters: "¥607,917 thousand".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..validation.fact_model import FieldKind

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}|]*)(?:\|([^{}]*))?\}|[{}]")


@dataclass(frozen=True)
class Placeholder:
    alias: str
    path: tuple[str, ...]  # e.g. ("parent", "caption"); ("label",); ("derived", "x")
    fallback: str | None
    offset: int  # character offset in the template, for error messages
    kind: FieldKind | None = None  # the field's kind, set when the rule is checked (derived values' too)


CURRENCY_SIGNS = {"USD": "$", "JPY": "¥", "EUR": "€", "GBP": "£", "CNY": "RMB", "HKD": "HK$"}
"""How the staff write the currencies they name most often before an amount ("¥607,917 thousand",
"RMB1.2 billion"); any other ISO 4217 code is written before the number with a space ("CHF 1,200")."""

UNIT_WORDS = {"units": "", "thousands": " thousand", "millions": " million", "billions": " billion"}
"""The filer block's `unit`, as it follows an amount."""


@dataclass(frozen=True)
class Money:
    """How the filer block says its amounts are given: `reporting_currency` (ISO 4217) and `unit`."""

    currency: str | None = None
    unit: str | None = None

    @classmethod
    def of(cls, filer: Mapping[str, Any]) -> Money:
        currency, unit = filer.get("reporting_currency"), filer.get("unit")
        return cls(currency if isinstance(currency, str) else None, unit if isinstance(unit, str) else None)

    def say(self, number: str) -> str:
        """The number as written ("-607,917"), with its currency and unit: "-¥607,917 thousand". Without a
        currency nothing is added: a unit alone would let a reader assume one."""
        if self.currency is None:
            return number
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        symbol = CURRENCY_SIGNS.get(self.currency, f"{self.currency} ")
        return f"{sign}{symbol}{digits}{UNIT_WORDS.get(self.unit or 'units', '')}"


NO_MONEY = Money()
"""A filer block that names no currency: amounts read as plain numbers."""


MISSING_TEXT = {"page": "[page not given]", "": "[not disclosed]"}


class TemplateError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def parse(template: str) -> list[str | Placeholder]:
    """Split a template into literal text and placeholders; raise TemplateError on a malformed one."""
    parts: list[str | Placeholder] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(template[position:match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        if token in ("{", "}"):
            raise TemplateError(f"unmatched {token!r}; write {token * 2} for a literal brace", match.start())
        body = match.group(1).strip()
        names = body.split(".")
        if len(names) < 2 or not all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names):
            raise TemplateError(f"placeholder {{{body}}} must be alias.field, e.g. {{holder.name}}", match.start())
        parts.append(Placeholder(names[0], tuple(names[1:]), match.group(2), match.start()))
    parts.append(template[position:])
    return [part for part in parts if part != ""]


def render(parts: list[str | Placeholder], resolve: Callable[[Placeholder], str | None]) -> str:
    """Fill placeholders with `resolve` (text, or None when missing) and fold whitespace.

    A sentence ends once: where a value that ends in a full stop ("Example Holding B.V.", "Acme Inc.") is
    followed by the template's own full stop, the template's is left out, as a writer would ("owned by
    Acme Inc. See Rule 13d-3", never "Acme Inc.. See")."""
    out: list[str] = []
    value_ends_sentence = False  # the last part was a value ending in a full stop
    for part in parts:
        if isinstance(part, str):
            out.append(part[1:] if value_ends_sentence and part.startswith(".") and not part.startswith("..") else part)
            value_ends_sentence = False
            continue
        text = resolve(part)
        if text is None:
            text = part.fallback if part.fallback is not None else MISSING_TEXT.get(part.path[-1], MISSING_TEXT[""])
        out.append(text)
        value_ends_sentence = text.rstrip().endswith(".")
    return " ".join("".join(out).split())


def format_value(value: Any, kind: str | None = None, money: Money = NO_MONEY) -> str:
    """How a value reads in a comment: 607,917; 24.39; yes/no; lists joined with commas; years as 2009;
    amounts with the filer's currency and unit (`money`): ¥607,917 thousand."""
    if value is None:
        return "[not disclosed]"
    if kind == "amount" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return money.say(format_value(value))
    if kind == "year":
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def resolve_in(bindings: Mapping[str, Mapping[str, Any]], by_id: Mapping[str, Mapping[str, Any]],
               params: Mapping[str, Any], labeller: Callable[[Mapping[str, Any]], str],
               kind_of: Callable[[str, str], str | None], money: Money = NO_MONEY) -> Callable[[Placeholder], str | None]:
    """A resolver over matched facts: walks `parent` hops, `label`, `page`, `derived.x` and `param.x`. A
    value is formatted by its placeholder's kind (the rule parser's), else its field's (`kind_of`)."""
    def resolve(placeholder: Placeholder) -> str | None:
        if placeholder.alias == "param":
            value = params.get(placeholder.path[0])
            return None if value is None else format_value(value)
        fact: Mapping[str, Any] | None = bindings[placeholder.alias]
        path = list(placeholder.path)
        while path and path[0] == "parent" and len(path) > 1:
            fact = by_id.get(fact.get("_parent", "")) if fact else None
            path.pop(0)
        if fact is None:
            return None
        if path == ["label"]:
            return labeller(fact)
        if path == ["page"]:
            return fact.get("_page")  # its own page, or the enclosing section's
        key = "__".join(path)
        value = fact.get(key)
        return None if value is None else format_value(value, placeholder.kind or kind_of(fact["_type"], key), money)
    return resolve
