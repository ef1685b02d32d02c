"""The evaluator's guarantees beyond the bundled rules: the regex dialect means the same in both
evaluators, rules spread over several rulesets when durable-rules' limits require it, and a failure
inside evaluation is an internal error naming the rule, never "no findings"."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, write_probe_rule
from precomment.checking.pipeline import Checker
from precomment.errors import InternalError, RuleError
from precomment.evaluation.durable_rules import compile as compile_module
from precomment.evaluation.durable_rules.compile import ALPHA_BUDGET, compile_rules
from precomment.evaluation.durable_rules.evaluator import DurableEvaluator
from precomment.language import regex
from precomment.language.rulebook import load_rules
from precomment.sources.document import Document
from precomment.sources.load import load_file

RULE = """\
id: PC-19-{n:03d}
name: probe-{n}
title: A probe rule for the engine tests, number {n}
form_item: "19"
severity: info
authorities: [{{cite: test}}]
precedents: []
when:
  - fact: exhibit
    as: exhibit
    where:
      {where}
subject: exhibit
comment: Probe {n} matched {{exhibit.title}} in the test filing.
remedy: Nothing to do.
record: Nothing to record; a test rule about `filer`.
examples:
  fail: [{{name: f, findings: [x], filing: {{}}}}]
  pass: [{{name: p, filing: {{}}}}]
"""


def write_rules(directory: Path, conditions: list[str]) -> None:
    for n, where in enumerate(conditions, start=1):
        (directory / f"probe-{n}.yaml").write_text(RULE.format(n=n, where=where), encoding="utf-8")


def exhibits_document(titles: list[str]) -> Document:
    data = {"filer": {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"},
            "item19": {"exhibits": [{"number": f"4.{i + 1}", "title": t} for i, t in enumerate(titles)]}}
    return Document("probe.yaml", data)


PATTERNS = ["Cisco.*", ".*%d+.*", "[A-Z][a-z]+ Systems", "(NTT|KDDI).*", "Exhibit %d%.%d", "a{2,3}", "[^0-9]+",
            "%u%l+", "x?y+z*", ".*%(%a+%)", "[a-c-]+", "%w%w%w", "[%d ]+", "[%dA-C]+", "(%d|%s)+",
            "Limitation of liability.*", "é.*", "[%.a]+", "[A%d]+"]
TITLES = ["Cisco Systems", "cisco", "Juniper Networks", "NTT East", "KDDI Corp", "Exhibit 4.1", "Exhibit 41",
          "aa", "aaaa", "abc", "123", "Abc", "yyz", "xz", "Lease (head office)", "a-b", "A1b", "1 2 3",
          "Limitation of liability agreement", "été", "Tokyo\nOffice", "ÄÖü"]


def test_matches_means_the_same_in_both_evaluators(tmp_path):
    write_rules(tmp_path, [f"title: {{matches: {p!r}}}" for p in PATTERNS])
    checker = Checker(load_rules([tmp_path]))
    facts = checker.facts(exhibits_document(TITLES)).facts
    durable = checker.matches(facts, "durable")
    assert durable == checker.matches(facts, "oracle")
    assert len(durable) > 20  # the probes do match things: the comparison is not vacuous


@pytest.mark.parametrize("pattern, hint", [
    ("\\d+", "%d"), ("^Cisco", "drop it"), ("Cisco$", "drop it"), ("[abc", "%["), ("[a-", None), ("a{101}", None),
    ("(ab", None), ("ab)", "%)"), ("*a", None), ("%q", "classes are"), ("[%d-z]", None), ("a{0}", "leave out"),
    ("a{0,0}b", "leave out"), ("a\ufdd0", "leave it out"), ("[\ufdc0-\ufdff]", "leave it out"), ("a**", None),
])
def test_patterns_outside_the_dialect_are_refused(pattern, hint):
    with pytest.raises(regex.PatternError) as caught:
        regex.check(pattern)
    if hint:
        assert hint in (caught.value.hint or "")


def test_many_rules_on_one_fact_type_are_spread_over_rulesets(tmp_path):
    # Each distinct condition is an alpha node; one fact passing more than 64 aborts durable-rules
    # (error 303). 90 rules on exhibits must be split, and still agree with the oracle.
    write_rules(tmp_path, [f'number: {{not_equals: "9.{n}"}}' for n in range(90)])
    ruleset = load_rules([tmp_path])
    partitions = compile_rules(ruleset)
    assert len(partitions) >= 2
    for partition in partitions:
        assert sum(rule.weights.get("exhibit", 0) for rule in partition.rules) <= ALPHA_BUDGET
    checker = Checker(ruleset)
    facts = checker.facts(exhibits_document(["A", "B", "C"])).facts
    matches = checker.matches(facts, "durable")
    assert matches == checker.matches(facts, "oracle")
    assert len(matches) == 90 * 3


def test_an_action_failure_is_an_internal_error_naming_the_rule(ruleset, monkeypatch):
    from precomment.evaluation.durable_rules import evaluator as module
    original = module._action

    def failing(rule_id, aliases):
        action = original(rule_id, aliases)
        if rule_id != "PC-6-001":
            return action
        return lambda closure: action(type("Broken", (), {"_m": None})())
    monkeypatch.setattr(module, "_action", failing)
    monkeypatch.setattr(module, "_REGISTERED", {})  # registered afresh, with the failing action
    evaluator = DurableEvaluator(ruleset)
    checker = Checker(ruleset)
    checker.durable = evaluator
    facts = checker.facts(exhibits_document([])).facts
    facts.append({"id": "/x", "_id": "/x", "_type": "share_owner", "name": "A", "role": "director", "shares": 5})
    with pytest.raises(InternalError) as caught:
        evaluator.evaluate(facts)
    assert caught.value.rule_id == "PC-6-001"
    assert str(caught.value).startswith("rule PC-6-001: the rule's action failed during evaluation")


def test_an_internal_error_exits_3_and_says_so(cli, monkeypatch):
    from precomment.checking import pipeline

    real = pipeline.Checker.matches

    def broken(self, facts, engine="durable"):
        if engine == "durable":  # the oracle still verifies the rules' examples, if they are not cached yet
            raise InternalError("durable-rules failed while evaluating: simulated", "PC-7-001")
        return real(self, facts, engine)
    monkeypatch.setattr(pipeline.Checker, "matches", broken)
    code, out, err = cli("check", "filings/iij-fy2009-20f.yaml")
    assert (code, out) == (3, "filings/iij-fy2009-20f.yaml: not checked: internal error (reported on standard "
                              "error)\n\n0 findings in 0 filings (0 error, 0 warning, 0 info); 1 file could not be "
                              "checked (1 internal error). Failed: internal error.\n")
    assert err == ("filings/iij-fy2009-20f.yaml: error [internal-error] at /: internal error: rule PC-7-001: "
                   "durable-rules failed while evaluating: simulated\n"
                   "  hint: a bug in precomment, not in this file; the other files were checked. Please report it "
                   "with this file (PRECOMMENT_DEBUG=1 shows the traceback)\n")


def test_an_unexpected_exception_exits_3_without_a_traceback(cli, monkeypatch):
    # Outside any one filing's check (one filing's is that filing's outcome: tests/test_jobs.py).
    from precomment.reports import model as report

    monkeypatch.setattr(report.Report, "add", lambda *a, **k: 1 / 0)
    monkeypatch.delenv("PRECOMMENT_DEBUG", raising=False)
    code, out, err = cli("check", "filings/iij-fy2009-20f.yaml")
    assert (code, out) == (3, "")
    assert err == ("precomment: internal error (a bug in precomment; please report it with the input that caused it)\n"
                   "  set PRECOMMENT_DEBUG=1 to see the traceback\n")


def test_documents_share_no_state(checker):
    # Sessions are deleted after each document: the same filing twice gives the same matches, and a
    # clean filing after a dirty one gives none.
    from conftest import IIJ, IIJ_AMENDED, ROOT
    from precomment.sources.load import load_file

    dirty = checker.facts(load_file(ROOT / IIJ)).facts
    clean = checker.facts(load_file(ROOT / IIJ_AMENDED)).facts
    first = checker.matches(dirty)
    for _ in range(5):
        assert checker.matches(dirty) == first
        assert checker.matches(clean) == []


@pytest.mark.parametrize("groups, accepted", [(6, True), (7, False)])
def test_the_expression_limit_per_pattern_is_durable_rules_own(tmp_path, monkeypatch, groups, accepted):
    # Each all_of item costs 4 entries of durable-rules' expression sequence ($and and $or, each with
    # an end marker); the pattern's own $and and the all_of 2 each: 6 groups need 28, 7 need 32.
    items = ", ".join("{title: {in: [A]}}" for _ in range(groups))
    write_rules(tmp_path, [f"all_of: [{items}]"])
    ruleset = load_rules([tmp_path])
    facts_document = exhibits_document(["A", "t1"])
    if accepted:
        checker = Checker(ruleset)
        facts = checker.facts(facts_document).facts
        assert checker.matches(facts, "durable") == checker.matches(facts, "oracle") != []
        return
    with pytest.raises(RuleError) as caught:
        Checker(ruleset)
    assert "needs 32 durable-rules expressions" in caught.value.problems[0].message
    monkeypatch.setattr(compile_module, "MAX_EXPRESSIONS", 1000)  # without the check, durable-rules refuses
    checker = Checker(ruleset)
    with pytest.raises(InternalError, match="error code: 113"):
        checker.matches(checker.facts(facts_document).facts, "durable")



GROUPED = {  # rule number -> (subject, patterns); PC-19-003's absent exhibit links it to PC-19-001
    1: ("exhibit", "  - fact: exhibit\n    as: exhibit\n    where: {title: {equals: A}}\n"),
    2: ("supplier", "  - fact: supplier\n    as: supplier\n    where: {kind: {equals: supplier}}\n"),
    3: ("contract", "  - fact: material_contract\n    as: contract\n    where: {}\n"
                    "  - absent:\n      fact: exhibit\n      where: {number: {equals: {ref: contract.exhibit}}}\n"),
}


def write_grouped_rules(directory: Path) -> None:
    for n, (subject, when) in GROUPED.items():
        write_probe_rule(directory, n, subject, when)


def grouped_document(exhibits: list[str], suppliers: list[str], contracts: list[str]) -> Document:
    document = exhibits_document(exhibits)
    document.data["item4"] = {"business": {"suppliers": [{"name": s, "kind": "supplier"} for s in suppliers]}}
    document.data["item10"] = {"material_contracts": {"contracts": [{"title": c, "exhibit": "4.9"} for c in contracts]}}
    return document


def test_rules_sharing_no_fact_type_get_separate_rulesets_in_rule_order(tmp_path):
    # A session's cost per fact grows with the facts in it, and each session only receives its own
    # types' facts: PC-19-002 reads suppliers alone, so it gets a ruleset of its own.
    write_grouped_rules(tmp_path)
    partitions = compile_rules(load_rules([tmp_path]))
    assert [([r.rule_id for r in p.rules], sorted(p.fact_types)) for p in partitions] == [
        (["PC-19-001", "PC-19-003"], ["$trigger", "exhibit", "material_contract"]),
        (["PC-19-002"], ["$trigger", "supplier"]),
    ]
    assert [sorted(r.needs) for r in partitions[0].rules] == [["exhibit"], ["material_contract"]]


@pytest.mark.parametrize("exhibits, suppliers, contracts, sessions, fired", [
    (["A"], [], [], ["PC-19-001"], ["PC-19-001"]),  # no supplier: PC-19-002's ruleset gets no session
    (["B"], ["Cisco"], [], ["PC-19-001", "PC-19-002"], ["PC-19-002"]),
    ([], [], ["Lease"], ["PC-19-001"], ["PC-19-003"]),  # the contract matches alone (its exhibit is absent)
    ([], [], [], [], []),
])
def test_a_ruleset_none_of_whose_rules_can_match_gets_no_session(tmp_path, monkeypatch, exhibits, suppliers,
                                                                   contracts, sessions, fired):
    write_grouped_rules(tmp_path)
    checker = Checker(load_rules([tmp_path]))
    facts = checker.facts(grouped_document(exhibits, suppliers, contracts)).facts
    evaluator = checker.durable
    evaluator._register()
    first_rule = {evaluator._names[i]: p.rules[0].rule_id for i, p in enumerate(evaluator.partitions)}
    ran: list[str] = []
    run = evaluator._run_partition
    monkeypatch.setattr(evaluator, "_run_partition",
                        lambda host, name, batch: (ran.append(first_rule[name]), run(host, name, batch))[1])
    matches = checker.matches(facts, "durable")
    assert ran == sessions
    assert [m.rule_id for m in matches] == fired
    assert matches == checker.matches(facts, "oracle")


@pytest.mark.parametrize("value, written", [
    ({"a": 1e-05, "b": "1e-05 and 2E+3"}, '{"a": 1.0e-05, "b": "1e-05 and 2E+3"}'),
    ({"a": 1.5e-07, "b": -1e+16, "c": [3e-06]}, '{"a": 1.5e-07, "b": -1.0e+16, "c": [3.0e-06]}'),
    ({"a": 0.25, "b": "Form 20-F", "c": 100000}, '{"a": 0.25, "b": "Form 20-F", "c": 100000}'),  # unchanged
    ({"b": "Model 3E-1", "c": [2, "x"]}, '{"b": "Model 3E-1", "c": [2, "x"]}'),  # unchanged, though it looks close
])
def test_numbers_are_written_as_durable_rules_reads_them(value, written):
    # durable-rules' JSON reader takes an exponent only after a fraction; text in strings is left alone.
    from precomment.evaluation.durable_rules.evaluator import _durable_json

    assert _durable_json(value) == written


def test_checkers_of_the_same_rules_share_their_registered_rulesets(ruleset):
    """durable-rules never frees a ruleset: a new checker of the same rules registers none (the suite once
    grew to 11 GB, 24 MB per checker), and finds the same as the first."""
    from precomment.evaluation.durable_rules import evaluator as module
    document = load_file(ROOT / "filings/iij-fy2009-20f.yaml")
    first = Checker(ruleset).findings(document)
    registered = dict(module._REGISTERED)
    second = Checker(ruleset)
    assert second.findings(document) == first
    assert module._REGISTERED == registered
    assert set(second.durable._names.values()) <= set(registered.values())
