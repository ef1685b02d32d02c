"""Validation: check a loaded document against a JSON Schema; every error gets a place and a hint.

jsonschema finds the errors; this module says them in the user's terms (`unknown key 'percent_of_clas'`,
`expected a number, got the text "12%"`), located at file:line:col and JSON pointer.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # imported when a document is invalid (fastcheck answers for valid ones)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from ..errors import InputError, Problem, did_you_mean
from ..resources import load_schema
from ..sources.document import Document, escape_pointer_token
from . import sanity
from .fastcheck import conforms, whole_numbers
from .kinds import kind_phrase

MAX_PROBLEMS = 1000
"""Schema problems reported per document at most: a wrong file can hold hundreds of thousands, and
explaining each costs time and memory (the command line shows the first 50 anyway)."""
_NUMBER_IN_TEXT = re.compile(r"^(?P<open>\()?\s*(?P<sign>[-+\u2212])?\s*(?P<currency>[^\d\s().,+-]{0,4})\s*"
                             r"(?P<digits>\d[\d,\u00a0' ]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(?P<percent>%)?\s*"
                             r"(?P<scale>thousands?|millions?|billions?|k|m|mn|bn)?\s*(?P<tail>[A-Za-z.$]{0,4})\s*"
                             r"(?P<close>\))?$", re.IGNORECASE)
_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}
_CHECKS_BEYOND_SCHEMA = {"filing.schema.json": sanity.problems}
"""Consistency checks the schema cannot express, run after it (engine/validation/sanity.py)."""


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema(schema_name)
    # The bundled schemas are checked against the metaschema by tests/test_schemas.py, not on every run:
    # check_schema costs more than validating a whole filing.
    return Draft202012Validator(schema, format_checker=FormatChecker())


def check(document: Document, schema_name: str) -> None:
    """Raise InputError listing every problem, in file order; return quietly when the document conforms."""
    problems = problems_in(document, schema_name)
    if problems:
        raise InputError(problems)


def problems_in(document: Document, schema_name: str) -> list[Problem]:
    """Every problem, in file order: jsonschema's explained (only when fastcheck finds the document does
    not conform), then the consistency checks beyond the schema; at most MAX_PROBLEMS of the former.

    In between, each whole-number float where the schema says integer becomes an int in the document's data
    (fastcheck.whole_numbers), so the checks beyond the schema, the facts and every report read 2009.0 as
    the 2009 the schema accepted it as."""
    problems: dict[tuple[Any, ...], Problem] = {}
    if not conforms(document.data, schema_name):
        validator = _validator(schema_name)
        for error in validator.iter_errors(document.data):
            # The validator was made from a bundled schema, an object (never `true`/`false`): the same dict.
            for problem in _explain(document, error, cast(dict[str, Any], validator.schema)):
                problems.setdefault((problem.pointer, problem.code, problem.message), problem)
            if len(problems) >= MAX_PROBLEMS:
                problems[("", "too-many-problems", "")] = _too_many(document)
                break
    document.data = whole_numbers(document.data, schema_name)
    for problem in _CHECKS_BEYOND_SCHEMA.get(schema_name, lambda _: [])(document):
        problems.setdefault((problem.pointer, problem.code, problem.message), problem)
    ordered = sorted((p for p in problems.values() if p.code != "too-many-problems"),
                     key=lambda p: (p.line or 0, p.column or 0, p.pointer, p.message))
    return ordered + [p for p in problems.values() if p.code == "too-many-problems"]


def _too_many(document: Document) -> Problem:
    return Problem(document.source, None, None, "", "too-many-problems",
                   f"stopped after {MAX_PROBLEMS:,} problems; there may be more",
                   "fix these first: a file with this many problems is probably not a filing description")


def pointer_of(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer_token(str(part))}" for part in path)


def _explain(doc: Document, error: ValidationError, root: dict[str, Any]) -> list[Problem]:
    pointer = pointer_of(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if keyword == "additionalProperties":
        return _unknown_keys(doc, pointer, schema, instance)
    if keyword == "required":
        name = error.message.split("'")[1] if "'" in error.message else "?"
        description = schema.get("properties", {}).get(name, {}).get("description")
        hint = f"add {name!r}" + (f": {_lower_first(_first_sentence(description))}" if description else "")
        return [doc.problem(pointer, "missing-key", f"required key {name!r} is missing", hint)]
    if keyword == "type":
        return [_wrong_type(doc, pointer, schema, instance, _def_name(root, schema))]
    if keyword == "enum":
        return [doc.problem(pointer, "bad-value", f"{instance!r} is not an allowed value",
                            _enum_hint(schema, instance))]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [_out_of_range(doc, pointer, schema, keyword, instance, _def_name(root, schema))]
    if keyword in ("oneOf", "anyOf") and isinstance(instance, (str, int)) and not isinstance(instance, bool):
        return [doc.problem(pointer, "bad-value", f"{instance!r} is not valid here",
                            _first_sentence(schema.get("description", "")) or None)]
    if keyword in ("oneOf", "anyOf") and error.context:
        return [p for sub in _likeliest_branch(error) for p in _explain(doc, sub, root)]
    if keyword == "minItems":
        count = schema["minItems"]
        return [doc.problem(pointer, "too-few", f"the list needs at least {count} item{'s' if count != 1 else ''}",
                            _first_sentence(schema.get("description", "")) or None)]
    if keyword == "format":
        return [doc.problem(pointer, "bad-value", f"{instance!r} is not a valid {schema.get('format')}",
                            "write dates as YYYY-MM-DD, e.g. 2009-03-31")]
    return [doc.problem(pointer, "bad-value", _plain_message(error),
                        _first_sentence(schema.get("description", "")) or None)]


def _likeliest_branch(error: ValidationError) -> list[ValidationError]:
    """The alternative the author most likely meant: fewest errors, then the deepest (most progress)."""
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    return min(branches.values(), key=lambda errors: (len(errors), -max(len(e.absolute_path) for e in errors)))


def _unknown_keys(doc: Document, pointer: str, schema: dict[str, Any], instance: Any) -> list[Problem]:
    allowed = list(schema.get("properties", {}))
    problems = []
    for key in instance:
        if key in allowed:
            continue
        hint = did_you_mean(key, allowed) or (
            "allowed keys here: " + ", ".join(allowed) if allowed else "no keys are allowed here")
        problems.append(doc.problem(f"{pointer}/{escape_pointer_token(key)}", "unknown-key",
                                    f"unknown key {key!r}", hint, prefer_key=True))
    return problems


_SYNTAX_HINTS = {
    "yaml": {
        "top": "the file must be a mapping of keys to values at its top level (`key: value` lines, or a JSON object)",
        "object": "write it as `key: value` lines indented under its key",
        "array": "write each item on a line of its own starting with '- ', even when there is only one",
        "text, not boolean": "quote the value to keep it as text: unquoted, YAML reads yes/no/on/off (and NO, the "
                             "country code) as the boolean {value}",
        "text, not number": "quote the value to keep it as text (\"4.10\"): unquoted, YAML reads it as a number and "
                            "drops trailing zeros",
    },
    "json": {
        "top": "the file must be a JSON object ({...}) at its top level",
        "object": 'write a JSON object, in braces ({"key": value, ...})',
        "array": "write a JSON list, in brackets ([...]), even when it holds one item",
        "text, not boolean": 'write text in double quotes ("..."): true and false without them are booleans',
        "text, not number": 'write text in double quotes ("4.10"): without them it is a number, and trailing zeros '
                            "are lost",
    },
}
"""Hints that say how to write something, in the words of the file's own syntax: a JSON file (a baseline
report, a .json description) is never told about YAML's `- ` items or its reading of yes and no."""


def _syntax(doc: Document) -> str:
    return "json" if doc.source.lower().endswith(".json") else "yaml"


def _wrong_type(doc: Document, pointer: str, schema: dict[str, Any], instance: Any, kind: str | None) -> Problem:
    expected: Any = schema.get("type")
    types: list[str] = expected if isinstance(expected, list) else [expected]
    # At the top level the file is no filing at all (a credentials file, a private key): say what kind of
    # value it holds, never the value.
    message = (f"expected {' or '.join(kind_phrase(t) for t in types)}, "
               f"got {_describe(instance) if pointer else _kind(instance)}")
    numeric = "integer" if "integer" in types else "number" if "number" in types else None  # (or null, ...)
    words = _SYNTAX_HINTS[_syntax(doc)]
    hint = None
    if not pointer:
        hint = words["top"]
    elif numeric and isinstance(instance, str):
        hint = _number_hint(instance, numeric, kind, _syntax(doc))
    elif expected == "integer" and isinstance(instance, float):
        hint = "write a whole number, without a fractional part"
    elif expected == "object" and not isinstance(instance, dict):
        required = schema.get("required")
        hint = words["object"] + (f" (it needs {', '.join(required)})" if required else "")
    elif expected == "array" and not isinstance(instance, list):
        hint = words["array"]
    elif expected == "boolean" and isinstance(instance, str):
        hint = "write true or false, without quotes"
    elif expected == "string" and isinstance(instance, bool):
        hint = words["text, not boolean"].format(value=str(instance).lower())
    elif expected == "string" and isinstance(instance, (int, float)):
        hint = words["text, not number"]
    elif instance is None:
        hint = "leave the key out when the filing does not disclose it"
    elif schema.get("description"):
        hint = _first_sentence(schema["description"])
    return doc.problem(pointer, "wrong-type", message, hint)


def _number_hint(text: str, expected: str, kind: str | None, syntax: str) -> str:
    """How to write a number given as text ("¥607,917 thousand", "1,234", "12%", "(500)", "1.2 million")."""
    generic = "write the number alone, in digits, without quotes, separators, currency or words"
    match = _NUMBER_IN_TEXT.match(text.strip())
    if not match:
        return generic
    try:
        number = Decimal(re.sub(r"[,\u00a0' ]", "", match["digits"]))
    except InvalidOperation:
        return generic
    if match["sign"] in ("-", "\u2212") or (match["open"] and match["close"]):
        number = -number
    scale = (match["scale"] or "").lower().rstrip("s")
    scaled = number * _SCALES.get(scale, 1)
    if expected == "integer" and scaled != scaled.to_integral_value():
        return "write a whole number, in digits, without quotes, separators or words"
    if text.strip() == match["digits"] and "e" in text.lower() and syntax == "yaml":
        return f"write {_plain(number)}: YAML reads {text.strip()} (no sign after the e) as text"
    if text.strip() == match["digits"] and "," not in text:
        return f"remove the quotes: {_plain(number)} written without quotes is a number"
    if match["percent"] or kind == "percent":
        return f"write the percentage as a plain number: {_plain(number)} for {_plain(number)}%"
    if scale and kind == "amount":
        return (f"write the number alone: {_plain(number)} if the filer block says unit: {scale}s (amounts are in "
                "filer.unit), without separators or currency")
    if kind == "amount":
        return (f"write the number alone, e.g. {_plain(scaled)}: amounts are in the unit filer.unit states, "
                "without separators or currency")
    return f"write the number alone, e.g. {_plain(scaled)}, without separators, currency or words"


def _plain(number: Decimal) -> str:
    """A decimal written plainly: 607917, 1200000, 12.5 (never 1.2E+6)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _out_of_range(doc: Document, pointer: str, schema: dict[str, Any], keyword: str, instance: Any,
                  kind: str | None) -> Problem:
    bound = schema[keyword]
    relation = {"minimum": "less than the minimum of", "maximum": "greater than the maximum of",
                "exclusiveMinimum": "not greater than", "exclusiveMaximum": "not less than"}[keyword]
    hint = {"shares": "a number of shares cannot be negative" if keyword == "minimum" else None,
            "percent": "a percentage is from 0 to 100: 12.5 means 12.5%",
            "year": "name a fiscal year by the calendar year in which it ends, e.g. 2009",
            }.get(kind or "") or _first_sentence(schema.get("description", "")) or None
    return doc.problem(pointer, "out-of-range", f"{_number(instance)} is {relation} {_number(bound)}", hint)


def _number(value: int | float) -> str:
    """A schema bound or a value as a person writes it: 1000000000000000, not 1e+15."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return str(value)


def _enum_hint(schema: dict[str, Any], instance: Any) -> str:
    """`did you mean` the closest allowed value (ignoring case), or the list of allowed values."""
    return (did_you_mean(str(instance), [str(v) for v in schema["enum"]], ignore_case=True)
            or "allowed values: " + ", ".join(repr(v) for v in schema["enum"]))


def _def_name(root: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """The name under $defs of the schema an error came from ('amount', 'percent', 'shares'), if any."""
    return next((name for name, definition in root.get("$defs", {}).items() if definition is schema), None)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _kind(value: Any) -> str:
    """What kind of value `value` is, in kinds.KIND_NAMES' words, without showing it."""
    if isinstance(value, bool):
        return kind_phrase("boolean")
    if isinstance(value, (int, float)):
        return kind_phrase("number")
    return kind_phrase("string") if isinstance(value, str) else _describe(value)


def _plain_message(error: ValidationError) -> str:
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return message


_SENTENCE_END = re.compile(r"""(?<=\S)([.?!]["')\]]*)\s+(?=["'(\[]?[A-Z0-9])""")
"""A full stop (or ? or !), any closing quotes or brackets, then space and what starts a sentence."""
_ABBREVIATION = re.compile(r"(\b(e\.g|i\.e|etc|cf|vs|No|Nos|Inc|Ltd|Co|Corp|Mr|Ms|Dr|St)|\b([A-Za-z]\.)*[A-Za-z])\.$")
"""What ends in a full stop without ending a sentence: e.g., U.S., S.D.N.Y., a single initial, No."""


def _first_sentence(text: str) -> str:
    """The first sentence of a schema description, for a hint: cut at a real sentence end, never at "e.g."
    or "U.S.", nor inside brackets or quotes."""
    text = text.strip()
    for match in _SENTENCE_END.finditer(text):
        sentence = text[:match.end(1)]
        if (not _ABBREVIATION.search(text[:match.start(1) + 1]) and sentence.count("(") == sentence.count(")")
                and sentence.count('"') % 2 == 0):
            return sentence
    return text


def _lower_first(sentence: str) -> str:
    """A sentence to follow a colon: its first letter in lower case, unless its first word is an acronym
    ("JSON pointer of ...", "SHA-256 of ...")."""
    return sentence if sentence[1:2].isupper() else sentence[:1].lower() + sentence[1:]
