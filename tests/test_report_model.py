"""What the report formats may read, and what the checking stage hands them: the finding records, a small
rule catalogue (never a loaded rule with its conditions and templates, nor the `rules` command's helpers),
and a renderer that reaches worker processes whole. Each test asserts what a user or a dashboard sees."""
from __future__ import annotations

import ast
import datetime
import json
import pickle
from pathlib import Path

from conftest import IIJ, IIJ_AMENDED, ROOT
from precomment.reports.catalogue import Catalogue
from precomment.reports.formats import FORMATS, MODULES, Renderer, render
from precomment.reports.model import Context, Gate, Report

REPORTS = ROOT / "engine" / "reports"
TODAY = datetime.date(2009, 9, 30)


def _imports(path: Path) -> list[tuple[str, int, str]]:
    """(module, level, name) of every `from module import name` in a file (anywhere in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module or "", node.level, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names]


def test_only_the_catalogue_reads_a_rule_record():
    """The report modules see a rule only as a catalogue entry; of the rule language they read only the
    authority and precedent records an entry (and a finding) holds, and the Severity type of its severity."""
    readers = {}
    for path in sorted(REPORTS.rglob("*.py")):
        names = {name for module, _, name in _imports(path)
                 if module.split(".")[0] == "language" or module.startswith("precomment.language")}
        if names - {"Authority", "Precedent", "Severity"}:
            readers[str(path.relative_to(REPORTS))] = sorted(names)
    # model.py: `Report.of` makes the catalogue of the rules it is given (for reports rendered in memory).
    assert readers == {"catalogue.py": ["Authority", "Precedent", "Rule", "Severity"], "model.py": ["Rule", "Severity"]}


def test_no_format_imports_another():
    """Code two formats share lives in a module of its own (common.py, correspondence.py), so that no
    format's module is another's dependency."""
    formats = set(MODULES.values())
    found = [(module_name, name) for module_name in sorted(formats)
             for module, level, name in _imports(REPORTS / "formats" / f"{module_name}.py")
             if (level == 1 and (module in formats or (not module and name in formats)))]
    assert found == []


def test_sarif_lists_the_rules_as_rules_list_does(cli):
    """The SARIF driver's rules are the catalogue in Form order: the order and the ids `precomment rules list`
    prints, with the same phrase for when each applies as `rules explain`."""
    _, listed, _ = cli("rules", "list", "--format", "json")
    _, out, _ = cli("check", IIJ, "--format", "sarif", "--today", TODAY.isoformat())
    driver = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in driver] == [rule["id"] for rule in json.loads(listed)]
    for descriptor in (driver[0], next(rule for rule in driver if rule["id"] == "PC-16K-001")):
        _, explained, _ = cli("rules", "explain", descriptor["id"])
        assert f"; {descriptor['properties']['in_force']}." in explained


def test_every_sarif_result_points_at_its_rule(cli):
    _, out, _ = cli("check", IIJ, "--format", "sarif", "--today", TODAY.isoformat())
    run = json.loads(out)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"] and all(rules[result["ruleIndex"]]["id"] == result["ruleId"] for result in run["results"])


def test_the_catalogue_holds_what_a_report_shows_of_each_rule(ruleset):
    catalogue = Catalogue.of(ruleset.rules)
    assert len(catalogue) == len(ruleset.rules)
    dated = next(rule for rule in ruleset.rules if rule.effective)
    entry = catalogue.get(dated.id)
    assert entry is not None and entry.dated
    assert entry.in_force == f"applies to {dated.effective.describe()}"
    assert (entry.title, entry.severity, entry.authorities) == (dated.title, dated.severity, dated.authorities)
    assert catalogue.get("PC-NO-SUCH-RULE") is None
    assert [catalogue.positions[e.id] for e in catalogue.in_form_order] == list(range(len(catalogue)))


def test_a_renderer_reaches_a_worker_process_whole(checker):
    """The checking stage sends the renderer to its worker processes (`--jobs`): pickled and back, it renders
    every format as it does in this process."""
    context = Context(Gate("warning"), Catalogue.of(checker.ruleset.rules), today=TODAY, letter_date=TODAY)
    renderer = Renderer(context.gate, tuple((name, context) for name in FORMATS))
    result = checker.check_path(IIJ)
    here = renderer(result, 1)
    there = pickle.loads(pickle.dumps(renderer))(result, 1)
    assert there == here and len(here.parts) == len(FORMATS)
    assert here.summary.source == IIJ and here.summary.checked and here.summary.fired


def test_the_in_memory_report_of_a_clean_filing(checker):
    """`render` writes a whole report from results held in memory: the same header, parts and footer the CLI
    streams (tests/test_streaming.py compares the two for every format)."""
    result = checker.check_path(IIJ_AMENDED)
    report = Report.of([result], Gate(), checker.ruleset.rules, today=TODAY)
    assert render("table", report, [result]).endswith(
        "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. Gate --fail-on error: passed.\n")


def test_the_sarif_exit_code_is_the_one_the_command_exits_with(cli, tmp_path):
    """SARIF's invocation.exitCode is the process's exit code, whatever the outcome: one definition of it
    (Report.exit_code) for both."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("filer: [\n", encoding="utf-8")
    for files, expected in (([IIJ_AMENDED], 0), ([IIJ], 1), ([IIJ, str(bad)], 2)):
        code, out, _ = cli("check", *files, "--format", "sarif", "--today", TODAY.isoformat())
        invocation = json.loads(out)["runs"][0]["invocations"][0]
        assert (code, invocation["exitCode"]) == (expected, expected)

