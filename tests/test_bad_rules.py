"""Bad rules are refused when rules load, with file:line:col and pointer: each directory under
tests/bad_rules/ holds a rule pack whose exact error text is NAME.err. The check exits 2."""
from __future__ import annotations

import pytest
from conftest import IIJ_AMENDED, ROOT, expected_text
from precomment.checking.pipeline import Checker
from precomment.checking.rule_cache import load_checked_rules
from precomment.errors import RuleError

CASES = sorted(p for p in (ROOT / "tests" / "bad_rules").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_bad_rule_is_refused_with_its_location(cli, case):
    relative = str(case.relative_to(ROOT))
    code, out, err = cli("check", IIJ_AMENDED, "--no-builtin-rules", "--rules", relative)
    assert (code, out) == (2, "")
    assert err == expected_text(case.parent / f"{case.name}.err", err)
    assert err.startswith(f"{relative}/")


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_loading_and_compiling_raises_rule_error(case):
    with pytest.raises(RuleError) as caught:
        Checker(load_checked_rules([case], use_cache=False))  # engine limits are checked as the rules compile
    assert all(problem.line for problem in caught.value.problems)


def test_rules_dir_must_exist(cli):
    code, out, err = cli("check", IIJ_AMENDED, "--rules", "no/such/rules")
    assert (code, out) == (2, "")
    assert err == "no/such/rules: error [no-rules-dir] at /: is not a directory of rules\n"


def test_no_builtin_rules_needs_a_rules_dir(cli):
    code, out, err = cli("check", IIJ_AMENDED, "--no-builtin-rules")
    assert (code, out, err) == (2, "", "precomment: --no-builtin-rules needs at least one --rules DIR\n")
