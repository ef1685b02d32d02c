"""What a rule tells the user to record in the filing's description (`record`): the fields it names are
fields of the description, and each bundled rule names at least one field its conditions read, so that
recording what the text says is what makes the finding go away."""
from __future__ import annotations

import pytest
from precomment.language.parser import RECORDED_FIELD
from precomment.language.reads import condition_fields
from precomment.language.records import Rule
from precomment.language.rulebook import load_rules
from precomment.validation.fact_model import fact_model

RULESET = load_rules()
MODEL = fact_model()
DERIVED = {(d.on, d.name): d for d in RULESET.derivations}


def fields_read(rule: Rule) -> set[str]:
    """The description paths of the fields a rule's conditions test or join to, through the derived values
    they test (`item6.share_ownership.holders[].shares` for a test of `derived.acquirable_within_60_days`)."""
    return {path for fact_type, field in condition_fields(rule, DERIVED, MODEL)
            for path in MODEL.written_at(fact_type, field)}


@pytest.mark.parametrize("rule", RULESET.rules, ids=[rule.id for rule in RULESET.rules])
def test_record_names_a_field_the_rule_reads(rule):
    named = set(RECORDED_FIELD.findall(rule.record))
    assert named <= MODEL.description_paths  # the parser refuses any other; said again where it matters
    # a rule that asks whether a section is there at all (an absent pattern) may name the section itself
    sections = {pointer.strip("/").replace("/*", "[]").replace("/", ".") for pattern in rule.patterns
                for pointer in MODEL.types[pattern.fact_type].pointers}
    assert named & (fields_read(rule) | sections), (
        f"{rule.id}'s record names {sorted(named)}, none of which its conditions read: {sorted(fields_read(rule))}")


def test_fields_read_follow_derived_values():
    """PC-6-004 tests only derived values; the fields behind them are the holder's and its options'."""
    rule = next(rule for rule in RULESET.rules if rule.id == "PC-6-004")
    assert {"item6.share_ownership.holders[].rights_within_60_days", "item6.share_ownership.holders[].rights_included",
            "item6.share_ownership.includes_rights_within_60_days",
            "item6.share_ownership.holders[].options[].amount"} <= fields_read(rule)


def test_a_record_path_is_where_the_field_is_written():
    assert MODEL.written_at("known_trend", "expected_effect_discussed") == [
        "item5.operating_results.known_trends[].expected_effect_discussed",
        "item5.liquidity.known_trends[].expected_effect_discussed"]
    assert {"item19", "item19.exhibits", "item19.exhibits[]", "item19.exhibits[].number",
            "item4.business.suppliers[].dependence_analysis"} <= MODEL.description_paths
    assert "item19.exhibits[].filed" not in MODEL.description_paths
