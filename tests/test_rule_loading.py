"""Which rule files load, that a run never goes ahead with no rules (what the user sees), and that the
work of loading grows with the rules and examples, not with their product (counted, never timed)."""
from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, runner_in

IIJ = str(ROOT / "filings" / "iij-fy2009-20f.yaml")
PACKS = ROOT / "tests" / "rule_packs"
NO_RULE_FILES = ("{}: error [no-rule-files] at /: holds no rule files (NAME.yaml or NAME.yml)\n"
                 "  hint: rule files end in .yaml or .yml, in any letter case, in the directory or a folder below it "
                 "(names starting with a dot are skipped)\n")
RULE_COMMANDS = [("check", IIJ), ("rules", "list"), ("rules", "explain", "PC-16J-900")]
RULE_IDS = ["check", "rules list", "rules explain"]


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """`precomment ARGS...` in a repository of its own (no configuration found above it)."""
    (tmp_path / ".git").mkdir()
    return runner_in(tmp_path, monkeypatch, capsys)


@pytest.fixture
def yml_pack(tmp_path):
    """Two rules named *.yml and *.YAML, and a hidden folder holding a .yml that is not a rule."""
    pack = tmp_path / "pack"
    (pack / "item5").mkdir(parents=True)
    shutil.copy(PACKS / "effective" / "item16J" / "policy-year-filer.yaml", pack / "policy-year-filer.yml")
    shutil.copy(PACKS / "derived-order" / "item5" / "prior-year-lookup.yaml", pack / "item5" / "PRIOR-YEAR.YAML")
    (pack / ".github").mkdir()
    (pack / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    return pack


@pytest.mark.parametrize("command", RULE_COMMANDS, ids=RULE_IDS)
def test_an_empty_rules_directory_is_refused_by_name(run, tmp_path, command):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(*command, "--no-builtin-rules", "--rules", "empty")
    assert (code, out, err) == (2, "", NO_RULE_FILES.format("empty"))


def test_a_directory_without_rule_files_is_refused_beside_the_builtin_rules(run, tmp_path):
    others = tmp_path / "others"
    (others / "docs").mkdir(parents=True)
    (others / "README.md").write_text("my rules\n", encoding="utf-8")
    (others / "docs" / "rule.json").write_text("{}\n", encoding="utf-8")
    (others / ".hidden.yaml").write_text("id: x\n", encoding="utf-8")
    code, out, err = run("check", IIJ, "--rules", "others")
    assert (code, out, err) == (2, "", NO_RULE_FILES.format("others"))


def test_rules_test_refuses_an_empty_directory(run, tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = run("rules", "test", "empty")
    assert (code, out, err) == (2, "", NO_RULE_FILES.format("empty"))


def test_yml_and_upper_case_suffixes_are_rule_files(run, yml_pack):
    code, out, err = run("rules", "list", "--no-builtin-rules", "--rules", str(yml_pack), "--no-cache")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[2:-2]] == ["PC-5-900", "PC-16J-900"]
    assert out.endswith("\n\n2 rules.\n")
    code, out, err = run("rules", "test", str(yml_pack))
    assert (code, err) == (0, "")
    assert out.endswith("\n5 examples of 2 rules on durable-rules and the oracle: 5 passed, 0 failed.\n")


def write_config(tmp_path, text: str) -> None:
    (tmp_path / ".precomment.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("command", RULE_COMMANDS, ids=RULE_IDS)
def test_disabling_every_rule_by_configuration_is_refused(run, tmp_path, command):
    write_config(tmp_path, f"builtin_rules: false\nrules: [{PACKS / 'effective'}]\ndisable: [PC-16J-900]\n")
    code, out, err = run(*command, "--no-cache")
    assert (code, out) == (2, "")
    assert err == (".precomment.yaml:3:1: error [no-rules-left] at /disable: disables every rule loaded (1 rule), "
                   "so no rule would run\n"
                   "  hint: take rule ids out of `disable`, or add rules with --rules DIR\n")


def test_disabling_some_rules_still_runs_the_others(run, tmp_path):
    write_config(tmp_path, f"rules: [{PACKS / 'effective'}]\ndisable: [PC-16J-900]\n")
    code, out, err = run("rules", "list", "--no-cache")
    assert (code, err) == (0, "") and "PC-16J-900" not in out and "PC-7-001" in out


def test_configuration_turning_builtin_rules_off_without_a_rules_directory_says_so(run, tmp_path):
    write_config(tmp_path, "fail_on: warning\nbuiltin_rules: false\n")
    code, out, err = run("check", IIJ)
    assert (code, out) == (2, "")
    assert err == (".precomment.yaml:2:1: error [no-rules] at /builtin_rules: turns the built-in rules off and names "
                   "no rules directory, so no rule would run\n"
                   "  hint: add `rules: [DIR]` to the configuration, or give --rules DIR\n")


# -- loading is linear in the rules: each example is evaluated against its own rule only ----------------
PRIOR_YEAR = (PACKS / "derived-order" / "item5" / "prior-year-lookup.yaml").read_text(encoding="utf-8")
COPIES = 3


@pytest.fixture
def copies_pack(tmp_path):
    """Three copies of a rule whose derived values read each other (each copy's renamed), a rule that
    reads the first copy's derived value without declaring it, and a rule on the filer alone (another
    durable-rules ruleset): 3 x 2 + 2 + 3 = 11 examples of 5 rules. Two of the filer rule's passing examples
    are filings it is not yet in force for (its effective date): they need no evaluation."""
    pack = tmp_path / "copies"
    pack.mkdir()
    for k in range(1, COPIES + 1):
        (pack / f"copy-{k}.yaml").write_text(renamed(PRIOR_YEAR, k), encoding="utf-8")
    reader = renamed(PRIOR_YEAR, 1).replace("PC-5-901", "PC-5-950").replace("prior-year-lookup-1", "reads-copy-1")
    reader = reader[:reader.index("derive:")] + reader[reader.index("when:"):]
    (pack / "reader.yaml").write_text(reader, encoding="utf-8")
    shutil.copy(PACKS / "effective" / "item16J" / "policy-year-filer.yaml", pack / "filer.yaml")
    return pack


def renamed(text: str, k: int) -> str:
    for old, new in (("PC-5-900", f"PC-5-90{k}"), ("prior-year-lookup", f"prior-year-lookup-{k}"),
                     ("z_prior_year", f"z_prior_year_c{k}"), ("a_prior_amount", f"a_prior_amount_c{k}")):
        text = text.replace(old, new)
    return text


@pytest.fixture
def counted(monkeypatch):
    """What evaluating examples costs, counted: the oracle's (document, rule) evaluations, the derived
    values computed for each document (in the order computed), and durable-rules sessions."""
    from precomment.evaluation import oracle
    from precomment.evaluation.durable_rules import evaluator as evaluate
    from precomment.language.derive import Deriver

    counts = {"oracle": 0, "sessions": 0, "derived": []}
    matches, apply, run_partition = oracle._matches, Deriver.apply, evaluate.DurableEvaluator._run_partition

    def count_matches(patterns, index, bindings, by_type):
        counts["oracle"] += index == 0  # the first pattern: one rule's evaluation begins
        return matches(patterns, index, bindings, by_type)

    def count_apply(self, facts, by_id):
        counts["derived"].append(tuple(d.name for d in self.derivations))
        return apply(self, facts, by_id)

    def count_sessions(self, *args):
        counts["sessions"] += 1
        return run_partition(self, *args)

    monkeypatch.setattr(oracle, "_matches", count_matches)
    monkeypatch.setattr(Deriver, "apply", count_apply)
    monkeypatch.setattr(evaluate.DurableEvaluator, "_run_partition", count_sessions)
    return counts


def expected_derivations() -> list[tuple[str, ...]]:
    """Per example, only the derived values its rule reads, inputs first: a copy's own two (two examples
    each), the first copy's for the reader (two examples), none for the filer rule (three)."""
    own = [(f"z_prior_year_c{k}", f"a_prior_amount_c{k}") for k in range(1, COPIES + 1)]
    return sorted(own * 2 + [own[0]] * 2 + [()] * 3)


def test_loading_evaluates_each_example_against_its_own_rule_only(copies_pack, counted):
    from precomment.checking.rule_cache import load_checked_rules

    ruleset = load_checked_rules([copies_pack], use_cache=False)
    assert len(ruleset.rules) == 5
    assert counted["oracle"] == 9  # the examples of rules in force; evaluated against every rule, 55
    assert sorted(counted["derived"]) == expected_derivations()


def test_rules_test_evaluates_each_example_against_its_own_rule_only(run, copies_pack, counted):
    code, out, err = run("rules", "test", str(copies_pack))
    assert (code, err) == (0, "")
    assert out.endswith("\n11 examples of 5 rules on durable-rules and the oracle: 11 passed, 0 failed.\n")
    assert (counted["oracle"], counted["sessions"]) == (9, 9)  # one oracle run, one durable-rules session each
    assert sorted(counted["derived"]) == sorted(expected_derivations() * 2)  # once per evaluator


# -- derived values that read each other: parsed and ordered without retrying or recursing per link -------
CHAIN_RULE = """\
id: PC-5-{number:03d}
name: chain-{number}
title: Test rule {number} of a chain of derived values
form_item: "5.A"
severity: info
authorities:
  - cite: Test authority
precedents: []
derive:
{derive}when:
  - fact: revenue_amount
    as: amount
    where:
      derived.{last}: {{gt: {threshold}}}
subject: amount
comment: "{{amount.fiscal_year}}"
remedy: Nothing to do; a test rule.
record: Nothing to record; a test rule about `filer`.
examples:
  fail:
    - name: large
      findings: [fiscal 2009]
      filing: {{item5: {{operating_results: {{revenue_lines: [{{name: sales, amounts: [{{fiscal_year: 2009, amount: 100}}]}}]}}}}}}
  pass:
    - name: small
      filing: {{item5: {{operating_results: {{revenue_lines: [{{name: sales, amounts: [{{fiscal_year: 2009, amount: 1}}]}}]}}}}}}
"""


def chain_link(name: str, previous: str | None) -> str:
    """derived.NAME = derived.PREVIOUS + 1 (the amount itself for the first link)."""
    value = f"{{add: [{{field: derived.{previous}}}, 1]}}" if previous else "{field: amount}"
    return f"  {name}:\n    on: revenue_amount\n    value: {value}\n"


def test_derived_values_chained_across_rules_are_each_parsed_at_most_twice(run, tmp_path, monkeypatch):
    """Rule i declares link i, which reads link i - 1 of rule i - 1; the files sort last link first, so
    each link is met before the one it reads. Retrying every unresolved link until none resolves parsed
    n(n+1)/2 of them, with a "did you mean" over every known name each time: 250 rules took a minute."""
    from precomment.language.parser import RuleParser

    links = 40
    pack = tmp_path / "chain"
    pack.mkdir()
    for i in range(links):
        text = CHAIN_RULE.format(number=i, derive=chain_link(f"link{i}", f"link{i - 1}" if i else None),
                                 last=f"link{i}", threshold=98 + i)
        (pack / f"rule-{links - i:03d}.yaml").write_text(text, encoding="utf-8")
    parsed = []
    parse = RuleParser.parse_derivation
    monkeypatch.setattr(RuleParser, "parse_derivation", lambda self, name: parsed.append(name) or parse(self, name))
    code, out, err = run("rules", "list", "--no-builtin-rules", "--rules", "chain", "--no-cache")
    assert (code, err) == (0, "") and out.endswith(f"\n\n{links} rules.\n")
    assert len(parsed) == 2 * links - 1  # each once, and once more after the link it reads: not 820


def test_a_chain_of_1500_derived_values_loads(run, tmp_path):
    """Ordering derived values recursed once per link: a chain of 1,500 was an internal error (exit 3)."""
    links = 1500
    names = [f"x{links - i:05d}" for i in range(links)]  # the last link sorts first: ordering starts there
    derive = "".join(chain_link(name, names[i - 1] if i else None) for i, name in enumerate(names))
    (tmp_path / "long").mkdir()
    (tmp_path / "long" / "chain.yaml").write_text(
        CHAIN_RULE.format(number=0, derive=derive, last=names[-1], threshold=98 + links), encoding="utf-8")
    code, out, err = run("rules", "list", "--no-builtin-rules", "--rules", "long", "--no-cache")
    assert (code, err) == (0, "") and out.endswith("\n\n1 rule.\n")


def test_packing_rules_into_rulesets_passes_each_full_ruleset_once():
    """First fit put each rule in the first ruleset with room for it, looking at every ruleset before it
    again: rules x rulesets / 2 looks for copies of a rule. Loads only grow, so a ruleset without room
    for a weight is now passed over once for it; the rulesets are the same."""
    from precomment.evaluation.durable_rules.compile import CompiledRule, _partition

    class Weights(dict):
        looks = 0

        def items(self):  # every look at a rule's weights, to fit or place it
            Weights.looks += 1
            return super().items()

    rules = [CompiledRule(f"PC-19-{n:03d}", {}, {}, Weights(exhibit=5), frozenset({"exhibit"}), frozenset()) for n in range(1000)]
    rules += [CompiledRule(f"PC-18-{n:03d}", {}, {}, Weights(exhibit=1, note=30), frozenset({"exhibit"}), frozenset())
              for n in range(100)]
    partitions = _partition(rules)
    # 11 rules of weight 5 fill 55 of the 56 alpha nodes allowed; each such ruleset then takes one of the
    # second kind; the last one (10 rules) takes one more, and each other second-kind rule needs its own.
    assert [len(p.rules) for p in partitions] == [12] * 90 + [11] + [1] * 9
    assert Weights.looks <= 4 * len(rules)  # were 50,000
