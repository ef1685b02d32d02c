"""Stage 2, validate: check a loaded document against a JSON Schema; every error gets a place and a hint.

jsonschema finds the errors; this module says them in the user's terms (`unknown key 'percent_of_clas'`,
`expected a number, got the text "12%"`), located at file:line:col and JSON pointer.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any, Iterable

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .errors import InputError, Problem
from .load import Document, escape_pointer_token
from .resources import load_schema

TYPE_NAMES = {"integer": "a whole number", "number": "a number", "string": "text", "boolean": "true or false",
              "object": "a mapping of keys to values", "array": "a list", "null": "null"}
_NUMBER_WITH_DECORATION = re.compile(r"^\s*[^\d\s-]{0,3}\s*-?[\d,]+(\.\d+)?\s*(%|[A-Za-z ]+)?\s*$")


@lru_cache(maxsize=None)
def _validator(schema_name: str) -> Draft202012Validator:
    schema = load_schema(schema_name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def check(document: Document, schema_name: str) -> None:
    """Raise InputError listing every problem, in file order; return quietly when the document conforms."""
    problems = problems_in(document, schema_name)
    if problems:
        raise InputError(problems)


def problems_in(document: Document, schema_name: str) -> list[Problem]:
    problems: dict[tuple[Any, ...], Problem] = {}
    for error in _validator(schema_name).iter_errors(document.data):
        for problem in _explain(document, error):
            problems.setdefault((problem.pointer, problem.code, problem.message), problem)
    return sorted(problems.values(), key=lambda p: (p.line or 0, p.column or 0, p.pointer, p.message))


def pointer_of(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer_token(str(part))}" for part in path)


def _explain(doc: Document, error: ValidationError) -> list[Problem]:
    pointer = pointer_of(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if keyword == "additionalProperties":
        return _unknown_keys(doc, pointer, schema, instance)
    if keyword == "required":
        name = error.message.split("'")[1] if "'" in error.message else "?"
        description = schema.get("properties", {}).get(name, {}).get("description")
        hint = f"add {name!r}" + (f": {_first_sentence(description)[0].lower()}{_first_sentence(description)[1:]}"
                                  if description else "")
        return [doc.problem(pointer, "missing-key", f"required key {name!r} is missing", hint)]
    if keyword == "type":
        return [_wrong_type(doc, pointer, schema, instance)]
    if keyword == "enum":
        allowed = ", ".join(repr(v) for v in schema["enum"])
        close = difflib.get_close_matches(str(instance), [str(v) for v in schema["enum"]], n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed values: {allowed}"
        return [doc.problem(pointer, "bad-value", f"{instance!r} is not an allowed value", hint)]
    if keyword in ("oneOf", "anyOf") and isinstance(instance, (str, int)) and not isinstance(instance, bool):
        return [doc.problem(pointer, "bad-value", f"{instance!r} is not valid here",
                            _first_sentence(schema.get("description", "")) or None)]
    if keyword in ("oneOf", "anyOf") and error.context:
        return [p for sub in _likeliest_branch(error) for p in _explain(doc, sub)]
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
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]!r}?"
        elif allowed:
            hint = "allowed keys here: " + ", ".join(allowed)
        else:
            hint = "no keys are allowed here"
        problems.append(doc.problem(f"{pointer}/{escape_pointer_token(key)}", "unknown-key",
                                    f"unknown key {key!r}", hint, prefer_key=True))
    return problems


def _wrong_type(doc: Document, pointer: str, schema: dict[str, Any], instance: Any) -> Problem:
    expected = schema.get("type")
    names = [TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
    message = f"expected {' or '.join(names)}, got {_describe(instance)}"
    hint = None
    if expected in ("integer", "number") and isinstance(instance, str) and _NUMBER_WITH_DECORATION.match(instance):
        digits = re.sub(r"[^\d.-]", "", instance)
        hint = (f"write the number alone, e.g. {digits}: amounts are in filer.unit, percentages are "
                f"plain numbers (12.5 for 12.5%)")
    elif expected == "integer" and isinstance(instance, float):
        hint = "this must be a whole number"
    elif expected == "boolean" and isinstance(instance, str):
        hint = "write true or false, without quotes"
    elif expected == "string" and isinstance(instance, (bool, int, float)):
        hint = "quote the value to keep it as text (YAML reads yes/no/on/off as booleans)"
    elif instance is None:
        hint = "leave the key out when the filing does not disclose it"
    elif schema.get("description"):
        hint = _first_sentence(schema["description"])
    return doc.problem(pointer, "wrong-type", message, hint)


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


def _plain_message(error: ValidationError) -> str:
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return message


def _first_sentence(text: str) -> str:
    text = text.strip()
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]
