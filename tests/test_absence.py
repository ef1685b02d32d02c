"""One meaning for absence: the filing schema says what leaving out each field means (`x-absent`), every
field is read by a rule or says why none reads it (`x-informational`), and no rule reads an unanswered
field as an answer."""
from __future__ import annotations

import re

import pytest
from precomment.language.conditions import AbsentPattern, walk_tests
from precomment.language.operators import OPERATORS
from precomment.language.reads import readers
from precomment.language.rulebook import load_rules
from precomment.validation.fact_model import ABSENCES, KEY_SEPARATOR, fact_model


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def fields():
    return [(fact_type.name, spec) for fact_type in fact_model().types.values() for spec in fact_type.fields.values()]


def shown_in_every_finding():
    """Fields the engine itself reads for a finding, whatever the rule: the fact's page (the finding's page),
    the fields of its label (the finding's subject), and the filer's dates an `effective` date is compared
    with."""
    shown = {("filer", "fiscal_year_end"), ("filer", "filing_date")}
    for fact_type in fact_model().types.values():
        shown |= {(fact_type.name, path) for path in fact_type.fields if path == "page" or path.endswith(".page")}
        shown |= {(fact_type.name, path) for path in re.findall(r"\{([a-z_.]+)\}", fact_type.label)}
    return shown


def read_by_rules(rules):
    return set(readers(rules.rules, rules.derivations, fact_model()))


def test_every_optional_field_says_what_leaving_it_out_means():
    unsaid = [f"{name}.{spec.path}" for name, spec in fields() if not spec.required and spec.absent not in ABSENCES]
    assert unsaid == [], "add x-absent (unanswered, not-disclosed or none) to: " + ", ".join(unsaid)


def test_a_required_field_has_no_absence_meaning():
    assert [f"{name}.{spec.path}" for name, spec in fields() if spec.required and spec.absent] == []


def test_only_lists_mean_none():
    wrong = [f"{name}.{spec.path}" for name, spec in fields() if (spec.absent == "none") != (spec.kind == "array")]
    assert wrong == []


def test_every_field_is_read_by_a_rule_or_says_why_not(rules):
    read = read_by_rules(rules) | shown_in_every_finding()
    unread = [f"{name}.{spec.path}" for name, spec in fields() if (name, spec.path) not in read and not spec.informational]
    assert unread == [], "no rule reads these; add a rule, or x-informational saying why none should: " + ", ".join(unread)


def test_an_informational_field_is_read_by_no_rule(rules):
    read = read_by_rules(rules)
    stale = [f"{name}.{spec.path}" for name, spec in fields() if spec.informational and (name, spec.path) in read]
    assert stale == [], "a rule reads these; remove their x-informational: " + ", ".join(stale)


def test_no_rule_takes_an_unanswered_field_for_an_answer(rules):
    """A rule fires on what the preparer answered: a test on an `unanswered` field must fail when the field
    is left out (equals, in, exists...), so that the rule does not fire and coverage reports it not assessed
    for that subject. In an `absent` pattern the reverse: a left-out field must not make the absence hold,
    so only a test holding on a missing field (not_equals, not_in) may read it there."""
    model = fact_model()
    wrong = []
    for rule in rules.rules:
        for pattern in rule.patterns:
            fact_type = model.types[pattern.fact_type]
            for test in walk_tests(pattern.where):
                spec = fact_type.fields.get(test.key.replace(KEY_SEPARATOR, "."))
                if spec is None or spec.absent != "unanswered":
                    continue
                holds_on_missing = OPERATORS[test.op].when_missing
                if holds_on_missing != isinstance(pattern, AbsentPattern):
                    wrong.append(f"{rule.id} {pattern.fact_type}.{spec.path} {test.op}")
    assert wrong == []
