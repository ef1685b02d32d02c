"""The facts stage: flat typed facts with pointers, inherited pages and derived values."""
from __future__ import annotations

import shutil

import pytest
from conftest import IIJ, ROOT
from documents import load_text
from precomment.facts.build import build_facts
from precomment.sources.load import load_file
from precomment.validation.fact_model import FIELD_KINDS, _SchemaWalker, fact_model


def facts_of(text: str, ruleset):
    return {f["id"]: f for f in build_facts(load_text(text, "t.yaml"), ruleset.deriver()).facts}


FILER = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"


def test_iij_facts_are_flat_typed_and_located(ruleset):
    document = load_file(ROOT / IIJ)
    facts = build_facts(document, ruleset.deriver())
    ntt = facts.by_id["/item4/business/suppliers/2"]
    assert ntt == {"id": "/item4/business/suppliers/2", "_id": "/item4/business/suppliers/2", "_type": "supplier",
                   "_parent": "/item4/business", "_page": "12", "name": "NTT Communications",
                   "kind": "telecom_carrier", "supplies": "leased domestic backbone lines",
                   "non_cancelable_term__years": 1, "non_cancelable_term__page": "41",
                   "material_terms_discussed": False}
    assert document.locate(ntt["id"]) == (46, 9)
    assert len({f["id"] for f in facts.facts}) == len(facts.facts) == 86
    assert facts.label(facts.by_id["/item19/exhibits/2"]) == "Exhibit 4.1"
    assert facts.label(facts.by_id["/financial_statements/income_taxes/valuation_allowance_changes/0"]) == "fiscal 2007"


def test_pages_are_inherited_and_normalised_to_text(ruleset):
    facts = facts_of(FILER + "item3: {page: 5, risk_factors: [{caption: A risk, dependencies: [{counterparty: X, kind: supplier}]}, "
                     "{caption: B, page: 9}]}\n"
                     "financial_statements: {intangible_assets: {page: F-22, assets: [{name: t, indefinite_life: true}]}}\n",
                     ruleset)
    assert facts["/item3/risk_factors/0/dependencies/0"]["_page"] == "5"
    assert facts["/item3/risk_factors/1"]["_page"] == facts["/item3/risk_factors/1"]["page"] == "9"
    assert facts["/financial_statements/intangible_assets/assets/0"]["_page"] == "F-22"


def test_derived_values(ruleset):
    facts = facts_of(FILER + """item6:
  share_ownership:
    as_of: 2009-06-30
    shares_outstanding: 0
    holders:
      - name: A
        role: director
        shares: 30
        less_than_one_percent: true
        options:
          - {amount: 40, exercisable_from: 2009-07-10}
          - {amount: 5, exercisable_from: 2009-09-01}
          - {amount: 7}
      - {name: B, role: director, shares: 1, rights_within_60_days: 3, rights_included: false}
item7:
  major_shareholders:
    shares_outstanding: 10000
    includes_rights_within_60_days: true
    holders:
      - {name: C, shares: 1500, percent_of_class: 15, rights_within_60_days: 500}
      - {name: D, shares: 100}
""", ruleset)
    a, b = facts["/item6/share_ownership/holders/0"], facts["/item6/share_ownership/holders/1"]
    options = [facts[f"/item6/share_ownership/holders/0/options/{i}"] for i in range(3)]
    assert [o.get("derived__days_until_exercisable") for o in options] == [10, 63, None]
    assert a["derived__options_within_60_days"] == 40  # 63 days is outside the window; no date, no count
    assert a["derived__acquirable_within_60_days"] == 40
    assert "derived__percent_of_table" not in a  # division by zero shares outstanding: missing, not zero
    assert "derived__rights_counted" not in a  # neither holder nor table says
    assert b["derived__acquirable_within_60_days"] == 3
    assert b["derived__rights_counted"] is False
    c, d = facts["/item7/major_shareholders/holders/0"], facts["/item7/major_shareholders/holders/1"]
    assert c["derived__percent_with_rights"] == 14.285714
    assert c["derived__percent_gap"] == 0.714286
    assert c["derived__rights_counted"] is True
    assert "derived__percent_with_rights" not in d  # no rights stated: the sum has a missing input


def test_user_rules_add_to_the_builtin_ones(cli, tmp_path, ruleset):
    own = tmp_path / "own-rules"
    own.mkdir()
    shutil.copy(ROOT / "tests/bad_rules/duplicate-id/a.yaml", own / "test-rule.yaml")
    code, out, err = cli("check", IIJ, "--rules", str(own), "--format", "json")
    import json
    report = json.loads(out)
    rules = [f["rule_id"] for f in report["filings"][0]["findings"]]
    assert (code, err) == (1, "")
    assert report["rules"] == len(ruleset.rules) + 1
    assert rules.count("PC-6-901") == 2 and rules.count("PC-6-001") == 2
    code, out, err = cli("check", IIJ, "--no-builtin-rules", "--rules", str(own), "--format", "json")
    assert [f["rule_id"] for f in json.loads(out)["filings"][0]["findings"]] == ["PC-6-901", "PC-6-901"]


def test_derived_values_are_computed_after_those_they_join_on():
    """`a_prior_amount` reads `this.derived.z_prior_year`; computed in name order it would always be
    missing and the rule would silently never fire."""
    from precomment.language.rulebook import load_rules
    pack = load_rules([ROOT / "tests/rule_packs/derived-order"])
    assert [d.name for d in pack.derivations] == ["z_prior_year", "a_prior_amount"]
    facts = facts_of(FILER + "item5: {operating_results: {revenue_lines: [{name: sales, amounts: "
                     "[{fiscal_year: 2008, amount: 10}, {fiscal_year: 2009, amount: 8}]}]}}\n", pack)
    latest = facts["/item5/operating_results/revenue_lines/0/amounts/1"]
    assert (latest["derived__z_prior_year"], latest["derived__a_prior_amount"]) == (2008, 10)


def test_field_kinds_are_the_schema_types_rules_can_test():
    """Every field of the bundled schema has one of the kinds rules compare; a schema field of another type
    (an object without `x-fact` is nested, so only a bare type such as null is left) is refused by name."""
    model = fact_model()
    kinds = {spec.kind for fact_type in model.types.values() for spec in fact_type.fields.values()}
    assert kinds == set(FIELD_KINDS)
    walker = _SchemaWalker({})
    assert walker.field_kind({"type": "string", "format": "date"}) == "date"
    assert walker.field_kind({"x-def": "page", "type": "string"}) == "page"
    with pytest.raises(ValueError, match="the filing schema has the type 'null', which rules cannot test"):
        walker.field_kind({"type": "null"})
