"""How facts and rules are laid out for durable-rules so that evaluation scales with the facts: the ids
the facts get in a session, the order of each rule's patterns, and the grouping of rules into rulesets.
None of it may change a match: every test here also compares with the oracle where it evaluates."""
from __future__ import annotations

import json

import durable_rules_engine
from conftest import write_probe_rule
from precomment.checking.pipeline import Checker
from precomment.evaluation.durable_rules.compile import TRIGGER_TYPE, compile_rules
from precomment.evaluation.durable_rules.evaluator import _host
from precomment.evaluation.durable_rules.message_ids import BUCKETS, fnv1a, session_ids
from precomment.language.rulebook import load_rules
from precomment.sources.document import Document


def pattern_names(definition: dict) -> list[str]:
    return [next(iter(pattern)) for pattern in definition["all"]]


def test_ids_in_a_session_hash_apart_and_come_a_bucket_at_a_time():
    # durable-rules stores a fact in bucket hash(id) % 512 and refuses one whose hash is already stored.
    for count in (1, 25, BUCKETS, BUCKETS + 1, 28_556):
        ids = session_ids(count)
        hashes = [fnv1a(ident) for ident in ids]
        run = -(-count // BUCKETS)
        assert len(ids) == count
        assert len(set(hashes)) == count and fnv1a(TRIGGER_TYPE) not in hashes
        runs = [hashes[start:start + run] for start in range(0, count, run)]
        assert all(len({h % BUCKETS for h in each}) == 1 for each in runs)  # a run shares its bucket
        assert len({each[0] % BUCKETS for each in runs}) == len(runs)  # and no other run has it


def test_durable_rules_refuses_a_fact_whose_id_hashes_like_a_stored_one():
    # The hash the ids are chosen by is durable-rules' own: "costarring" and "liquid" collide under it,
    # and durable-rules refuses the second (outcome 2); in a batch where a later fact reaches no rule
    # (outcome 1), the refusal is not even reported. The session is left in place: deleting a session
    # in which no action ran crashes durable-rules 2.0.28.
    assert fnv1a("costarring") == fnv1a("liquid") != fnv1a("liquids")
    host = _host()
    host.set_rulesets({"layout_ids": {"r": {"all": [{"x": {"_type": "x"}}], "run": lambda closure: None}}})
    handle = host.get_ruleset("layout_ids")._handle

    def outcome(sid: str, ids: list[str], last_type: str = "x") -> int:
        facts = [{"id": ident, "_type": "x", "sid": sid} for ident in ids] + [{"id": "z", "_type": last_type, "sid": sid}]
        return durable_rules_engine.assert_facts(handle, json.dumps(facts))[0]

    assert outcome("s1", ["costarring", "liquids"]) == 0
    assert outcome("s2", ["costarring", "liquid"]) == 2
    assert outcome("s3", ["costarring", "liquid"], last_type="y") == 1


def test_a_pattern_that_joins_nothing_on_a_type_with_many_facts_comes_first_then_the_trigger(tmp_path):
    # durable-rules checks each fact reaching any pattern but the first against the facts already there
    # with the same join hash; a pattern with no equality join puts all its facts in one chain.
    write_probe_rule(tmp_path, 1, "exhibit", "  - fact: filer\n    as: filer\n    where: {}\n"
               "  - fact: exhibit\n    as: exhibit\n    where: {title: {equals: A}}\n"
               "  - absent:\n      fact: material_contract\n      where: {exhibit: {equals: {ref: exhibit.number}}}\n")
    write_probe_rule(tmp_path, 2, "exhibit", "  - fact: exhibit\n    as: exhibit\n    where: {}\n"
               "  - fact: exhibit\n    as: other\n    where: {number: {equals: {ref: exhibit.number}}}\n")
    write_probe_rule(tmp_path, 3, "index", "  - absent:\n      fact: exhibit\n      where: {}\n"
               "  - fact: exhibits_index\n    as: index\n    where: {}\n")
    write_probe_rule(tmp_path, 4, "filer", "  - fact: filer\n    as: filer\n    where: {}\n"
               "  - fact: exhibits_index\n    as: index\n    where: {}\n")
    rules = {rule.rule_id: rule for partition in compile_rules(load_rules([tmp_path])) for rule in partition.rules}
    assert pattern_names(rules["PC-19-001"].definition) == ["p2", "p0", "p1", "p3$not"]
    assert pattern_names(rules["PC-19-002"].definition) == ["p1", "p0", "p2"]  # p2 joins p1: it stays
    assert pattern_names(rules["PC-19-003"].definition) == ["p0", "p1$not", "p2"]  # absent first: trigger first
    assert pattern_names(rules["PC-19-004"].definition) == ["p1", "p0", "p2"]  # both have one fact at most


def test_a_first_pattern_fact_passing_two_branches_is_one_match(tmp_path):
    # The first pattern's facts skip durable-rules' duplicate check, so a fact passing both branches of
    # an any_of fires the rule twice; the evaluator reports the match once, as the oracle does.
    write_probe_rule(tmp_path, 1, "exhibit", "  - fact: exhibit\n    as: exhibit\n    where:\n      any_of:\n"
               "        - title: {equals: A}\n        - number: {equals: \"4.1\"}\n")
    checker = Checker(load_rules([tmp_path]))
    data = {"filer": {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"},
            "item19": {"exhibits": [{"number": "4.1", "title": "A"}, {"number": "4.2", "title": "A"}]}}
    facts = checker.facts(Document("probe.yaml", data)).facts
    matches = checker.matches(facts, "durable")
    assert [m.bindings for m in matches] == [(("exhibit", "/item19/exhibits/0"),), (("exhibit", "/item19/exhibits/1"),)]
    assert len(checker.durable._found) == 3  # fired twice for /item19/exhibits/0
    assert matches == checker.matches(facts, "oracle")


def test_rules_linked_only_by_a_type_with_one_fact_per_filing_get_separate_rulesets(tmp_path):
    # A filer fact sent to two sessions costs one fact; exhibits sent to two would cost them all.
    write_probe_rule(tmp_path, 1, "exhibit", "  - fact: filer\n    as: filer\n    where: {}\n"
               "  - fact: exhibit\n    as: exhibit\n    where: {}\n")
    write_probe_rule(tmp_path, 2, "supplier", "  - fact: filer\n    as: filer\n    where: {}\n"
               "  - fact: supplier\n    as: supplier\n    where: {}\n")
    write_probe_rule(tmp_path, 3, "filer", "  - fact: filer\n    as: filer\n    where: {}\n")
    write_probe_rule(tmp_path, 4, "index", "  - fact: exhibits_index\n    as: index\n    where: {}\n")
    partitions = compile_rules(load_rules([tmp_path]))
    assert [([r.rule_id for r in p.rules], sorted(p.fact_types)) for p in partitions] == [
        (["PC-19-001"], ["$trigger", "exhibit", "filer"]),
        (["PC-19-002"], ["$trigger", "filer", "supplier"]),
        (["PC-19-003", "PC-19-004"], ["$trigger", "exhibits_index", "filer"]),
    ]
