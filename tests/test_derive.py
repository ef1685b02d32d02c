"""Derived values: the same numbers as the documented meaning computed by brute force, at linear cost.

derive.py indexes each aggregate's candidates, computes an aggregate once for all receiving facts that
join to the same values, and stops a `lookup` at its first match. None of that may change a value: the
evaluators cannot catch a wrong one, since both read the same derived values.
"""
from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from conftest import FILINGS, IIJ, ROOT
from documents import load_text
from hypothesis import given
from precomment.facts.build import build_facts
from precomment.language import derive
from precomment.language.conditions import AllOf, Ref, holds
from precomment.language.conditions import Test as FieldTest
from precomment.language.derive import Aggregate, Derivation, Deriver
from precomment.sources.load import load_file
from strategies import filings, to_yaml

FY2024 = FILINGS / "lanternfish-fy2024-20f.yaml"
FILER = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"


class BruteForce(Deriver):
    """The meaning in docs/rule-format.md, without index, cache or early stop: every aggregate scans every
    fact in document order for every receiving fact (count: how many satisfy `where`; sum: their total of
    the field, 0 when none; lookup: the field of the first of them that has it)."""

    def apply(self, facts: list[dict[str, Any]], by_id: Any) -> None:
        self.all_facts = facts
        super().apply(facts, by_id)

    def evaluate(self, expr: Any, fact: dict[str, Any], by_type: Any, by_id: Any, indexes: Any) -> Any:
        if not isinstance(expr, Aggregate):
            return super().evaluate(expr, fact, by_type, by_id, indexes)
        matching = [c for c in self.all_facts
                    if c["_type"] == expr.fact_type and holds(expr.where, c, {"this": fact})]
        if expr.op == "count":
            return len(matching)
        values = [c[expr.key] for c in matching if expr.key in c]
        if expr.op == "sum":
            return derive._round(sum(values)) if values else 0
        return values[0] if values else None


def derived_values(deriver: Deriver, text: str) -> dict[str, dict[str, Any]]:
    facts = build_facts(load_text(text, "t.yaml"), deriver).facts
    return {f["id"]: {k: v for k, v in f.items() if k.startswith("derived__")} for f in facts}


def replicated(path: Any, copies: int) -> str:
    """A filing with each outermost list of `path` repeated `copies` times: facts grow linearly with
    `copies`, and so do the groups an aggregate joins on (risk factors and legal proceedings of one kind)."""
    def grow(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: grow(item) for key, item in value.items()}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return [copy.deepcopy(item) for _ in range(copies) for item in value]
        return value
    return yaml.safe_dump(grow(load_file(path).data), sort_keys=False)


@given(filing=filings())
def test_random_filings_get_the_brute_force_values(ruleset, filing):
    text = to_yaml(filing)
    assert derived_values(ruleset.deriver(), text) == derived_values(BruteForce(list(ruleset.derivations)), text)


@pytest.mark.parametrize(("path", "aggregates"), [
    (ROOT / IIJ, {"prior_year_revenue", "components_total", "life_factors_addressed_count"}),
    (FY2024, {"related_event", "businesses_with_separate_results"}),
])
def test_bundled_filings_get_the_brute_force_values(ruleset, path, aggregates):
    text = replicated(path, 3)
    values = derived_values(ruleset.deriver(), text)
    assert values == derived_values(BruteForce(list(ruleset.derivations)), text)
    # lookups, sums and counts were computed (on joined groups of three copies), not just found missing
    assert {key.removeprefix("derived__") for v in values.values() for key in v} >= aggregates


def test_a_lookup_gives_the_first_match_in_document_order_for_every_receiving_fact(ruleset):
    """Three risk factors of one topic share one computation; the threatened proceeding does not count,
    the first one that does is found whichever risk factor asks."""
    text = """\
filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}
item3:
  risk_factors:
    - {caption: A, topic: customer_loss}
    - {caption: B, topic: securities_litigation}
    - {caption: C, topic: customer_loss}
    - {caption: D, topic: customer_loss}
    - {caption: E, topic: cybersecurity_incident}
item8:
  legal_proceedings:
    proceedings:
      - {name: Threatened claim, kind: customer_loss, status: threatened}
      - {name: First claim, kind: customer_loss, status: pending}
      - {name: Second claim, kind: customer_loss, status: pending}
      - {name: Class action, kind: securities_litigation, status: pending}
"""
    values = derived_values(ruleset.deriver(), text)
    events = [values[f"/item3/risk_factors/{i}"].get("derived__related_event") for i in range(5)]
    assert events == ["First claim", "Class action", "First claim", "First claim", None]


def test_aggregates_on_hand_made_facts():
    """What no bundled rule shows: a lookup skips matches without the field; a join outside the indexed
    `equals` tests (here `lt`) makes receivers with the same indexed value get their own results."""
    def fact(type_: str, id_: str, **fields: Any) -> dict[str, Any]:
        return {"_type": type_, "id": id_, "_id": id_, **fields}

    by_group = FieldTest("group", "equals", Ref("this", "group"))
    derivations = [
        Derivation("first_f", "r", Aggregate("lookup", "t", AllOf((by_group,)), "f"), "integer"),
        Derivation("total_f", "r", Aggregate("sum", "t", AllOf((by_group,)), "f"), "number"),
        Derivation("below", "r", Aggregate("count", "t", AllOf((by_group, FieldTest("f", "lt", Ref("this", "limit"))))),
                   "integer"),
    ]
    candidates = [fact("t", "/t0", group="a"), fact("t", "/t1", group="a", f=5), fact("t", "/t2", group="b", f=1),
                  fact("t", "/t3", group="a", f=2)]
    receivers = [fact("r", "/r0", group="a", limit=3), fact("r", "/r1", group="a", limit=9),
                 fact("r", "/r2", group="c", limit=9), fact("r", "/r3", limit=9)]
    results = []
    for deriver in (Deriver(derivations), BruteForce(derivations)):
        facts = copy.deepcopy(receivers[:2] + candidates + receivers[2:])
        deriver.apply(facts, {f["id"]: f for f in facts})
        results.append([{k: v for k, v in f.items() if k.startswith("derived__")} for f in facts if f["_type"] == "r"])
    assert results[0] == results[1] == [
        {"derived__first_f": 5, "derived__total_f": 7, "derived__below": 1},
        {"derived__first_f": 5, "derived__total_f": 7, "derived__below": 2},
        {"derived__total_f": 0, "derived__below": 0},
        {"derived__total_f": 0, "derived__below": 0},
    ]


def holds_calls(ruleset: Any, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(facts, calls of `holds` while deriving their values)."""
    calls = 0
    real_holds = derive.holds

    def counting_holds(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        return real_holds(*args)

    with monkeypatch.context() as patch:
        patch.setattr(derive, "holds", counting_holds)
        facts = build_facts(load_text(text, "t.yaml"), ruleset.deriver()).facts
    return len(facts), calls


def threatened_only(risk_factors: int) -> str:
    """Risk factors and proceedings all of one kind, none of which counts (all threatened): without a
    result per join key, every risk factor scans every proceeding."""
    risks = "".join(f"    - {{caption: Risk {i}, topic: customer_loss}}\n" for i in range(risk_factors))
    claims = "".join(f"      - {{name: Claim {i}, kind: customer_loss, status: threatened}}\n"
                     for i in range(risk_factors))
    return (FILER + "item3:\n  risk_factors:\n" + risks
            + "item8:\n  legal_proceedings:\n    proceedings:\n" + claims)


@pytest.mark.parametrize(("shape", "small", "large"), [
    (lambda copies: replicated(FY2024, copies), 4, 40),
    (threatened_only, 30, 300),
], ids=["fy2024-replicated", "threatened-only"])
def test_derivation_costs_grow_linearly_with_the_facts(ruleset, monkeypatch, shape, small, large):
    """Counted, not timed: `holds` calls at ten times the facts. Before aggregates were computed once
    per join key, with a lookup stopping at its first match, this was 48x on the replicated filing (8.8x
    the facts) and 97x on the other (9.6x the facts); now it grows as the facts do."""
    small_facts, small_calls = holds_calls(ruleset, shape(small), monkeypatch)
    large_facts, large_calls = holds_calls(ruleset, shape(large), monkeypatch)
    assert large_facts > 8 * small_facts
    assert small_calls > 20  # aggregates were evaluated
    assert large_calls / small_calls <= 1.2 * large_facts / small_facts, (small_facts, small_calls, large_facts,
                                                                         large_calls)
