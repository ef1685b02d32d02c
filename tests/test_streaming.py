"""A run's reports are written a filing at a time (each filing's part rendered where it was checked, the
header and footer from counts): the bytes must be exactly those of rendering the whole run at once.

The reference below is the whole-run path: every result in memory, waivers and baseline applied to all of
them together, then one `render`. Every format is compared on a portfolio with everything a header or
footer counts: findings waived, an expired, a mismatched, a duplicate and an unused waiver, a baseline
(new, open and fixed), a filing that cannot be checked, hostile text, and one clean filing.
"""
from __future__ import annotations

import datetime
import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT
from precomment.checking.pipeline import Checker
from precomment.checking.review import (
    apply_baseline,
    load_baseline,
    load_waivers,
)
from precomment.language.rulebook import load_rules
from precomment.reports.formats import FORMATS, render
from precomment.reports.model import Gate, Report
from precomment.reports.text import markdown
from precomment.reports.writer import _Spool
from waiver_review import apply_waivers

TODAY = datetime.date(2010, 4, 15)  # after the first waiver's expiry (2010-03-31), before the second's

CARRIERS = ("item3.risk_factors[We rely greatly on other telecommunications carriers and other suppliers, and could be "
            "affected by disruptions]")
WAIVERS = f"""\
waivers:
  - rule: PC-4-002
    key: {CARRIERS}.dependencies[Cisco Systems]
    reason: Cisco equipment is bought at list price from several resellers.
    expires: 2010-03-31
  - rule: PC-4-001
    key: {CARRIERS}.dependencies[NTT Communications]
    reason: The carrier agreement is described in Item 4 already.
    owner: Controller
  - rule: PC-4-001
    pointer: /item3/risk_factors/1/dependencies/0
    reason: A second waiver of the same finding, which is a duplicate.
  - rule: PC-6-001
    key: item6.share_ownership.holders[Koichi Suzuki]
    fingerprint: '0000000000000000'
    reason: Waived when the holding was different; now it does not match.
  - rule: PC-7-004
    pointer: /item10/material_contracts/contracts/1
    filing: filings/iij-fy2009-20f.yaml
    reason: Only in the bundled filing, not in its copy.
  - rule: PC-9-999
    pointer: /nowhere
    reason: A waiver of a rule that does not exist, so unused.
"""


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    """(files, waivers path, baseline path): IIJ twice (the copy is outside the waiver naming the filing),
    its amended version (clean), the 2024 filing, hostile text, and a file that cannot be checked."""
    directory = tmp_path_factory.mktemp("streaming")
    copy = directory / "iij-copy.yaml"
    shutil.copy(ROOT / IIJ, copy)
    waivers = directory / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    files = [IIJ, str(copy), IIJ_AMENDED, "filings/lanternfish-fy2024-20f.yaml", "tests/data/hostile-20f.yaml",
             "tests/bad/unknown-key.yaml"]
    return files, str(waivers), str(directory / "baseline.json")


@pytest.fixture(scope="module")
def checker():
    return Checker(load_rules())


def whole_run(checker, files, waivers_path, baseline_path, color=False):
    """The report of the run rendered at once from all results, as before reports were streamed."""
    results = [checker.check_path(path) for path in files]
    outcome = apply_waivers(results, load_waivers(waivers_path), TODAY, (rule.id for rule in checker.ruleset.rules))
    apply_baseline(results, load_baseline(baseline_path))
    report = Report.of(results, Gate("warning"), checker.ruleset.rules, notes=outcome.notes, expired=outcome.expired,
                       today=TODAY, letter_date=TODAY, baseline=baseline_path, color=color)
    return report, results


@pytest.fixture(scope="module")
def baseline(portfolio):
    """A baseline of IIJ alone: its findings are open in IIJ and its copy, fixed in the amended filing (a
    baseline of one filing is compared with any filing not in it), and the 2024 filing's are new."""
    from precomment.cli import main
    files, _, path = portfolio
    assert main(["check", IIJ, "--format", "json", "--output", path, "--fail-on", "never"]) == 0
    return path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_streamed_report_is_the_whole_run_rendered_at_once(cli, checker, portfolio, baseline, fmt, jobs):
    files, waivers, _ = portfolio
    code, out, err = cli("check", *files, "--waivers", waivers, "--baseline", baseline, "--fail-on", "warning",
                         "--today", TODAY.isoformat(), "--letter-date", TODAY.isoformat(), "--format", fmt,
                         "--jobs", jobs)
    report, results = whole_run(checker, files, waivers, baseline)
    assert code == 2  # the file that cannot be checked
    assert out == render(fmt, report, results)
    notes = {note.code for note in report.notes}
    assert notes == {"expired-waiver", "duplicate-waiver", "mismatched-waiver", "unused-waiver", "pointer-waiver"}, \
        "the case covers them"
    assert any(f.waived for r in results for f in r.findings) and any(r.fixed for r in results)


def test_junit_root_counts_are_the_sum_of_its_suites(cli, portfolio, baseline):
    """The root's counts come from the filings' summaries, the suites' from their testcases: they agree."""
    files, waivers, _ = portfolio
    code, out, err = cli("check", *files, "--waivers", waivers, "--baseline", baseline, "--today", TODAY.isoformat(),
                         "--format", "junit")
    root = ET.fromstring(out.encode("utf-8"))
    for attribute, outcome in (("tests", None), ("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        cases = list(root.iter("testcase"))
        counted = len(cases) if outcome is None else sum(1 for case in cases if case.find(outcome) is not None)
        assert int(root.get(attribute)) == counted == sum(int(suite.get(attribute)) for suite in root)
    assert int(root.get("skipped")) > 0 and int(root.get("errors")) > 0 and int(root.get("failures")) > 0


CLEAN_LINE = "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. Gate --fail-on error: passed."


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_filing_without_findings_leaves_empty_parts_and_a_whole_report(cli, fmt):
    """The amended IIJ filing has no finding: its parts of the finding streams are empty, and each report
    still says so in full (an empty array is `[]`, not a dangling comma or bracket)."""
    code, out, err = cli("check", IIJ_AMENDED, "--format", fmt, "--today", "2009-09-30")
    assert (code, err) == (0, "")
    if fmt == "json":
        document = json.loads(out)
        assert document["summary"]["findings"] == 0 and document["filings"][0]["findings"] == []
        assert '"findings": [],' in out
    elif fmt == "sarif":
        run = json.loads(out)["runs"][0]
        assert run["results"] == [] and len(run["artifacts"]) == 1
        assert '      "results": [],\n' in out
    elif fmt == "junit":
        assert '<testsuites name="precomment" tests="165" failures="0" errors="0" skipped="164" time="0">' in out
        assert ET.fromstring(out.encode("utf-8")).find("testsuite/testcase").get("name") == "valid filing description"
    elif fmt == "csv":
        assert out.count("\n") == 1 and out.startswith("source,rule_id,")
    elif fmt in ("table", "markdown", "html"):
        line = markdown(CLEAN_LINE) if fmt == "markdown" else CLEAN_LINE  # markdown escapes its parentheses
        assert "No findings, but 164 rules could not assess this filing" in out and line in out
    else:  # letter, response
        assert "nothing to respond to" in out if fmt == "response" else "PREVIEW" in out


def test_a_spool_gives_back_each_part_exactly():
    spool = _Spool()
    parts = ["first\r\nline", "", "ünïcödé \u2028 and \U0001f600", "x" * 100_000, "\n"]
    for part in parts:
        spool.add(part)
    assert list(spool.parts()) == parts
    assert list(spool.parts()) == parts, "the parts can be read more than once"
