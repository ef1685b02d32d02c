"""What every command shares as the user sees it (engine/commands/problems.py): problems go to standard
error one by one, and a file with very many stops at MAX_PROBLEMS_SHOWN, then says how many more."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, runner_in
from precomment.commands.problems import MAX_PROBLEMS_SHOWN

FILER = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
HINT = ("  hint: allowed keys here: format_version, filer, not_applicable, omitted, document, item3, item4, item4A, item5, "
        "item6, item7, item8, item9, item10, item11, item12, item13, item14, item15, item16, financial_statements, item19\n")


def unknown_keys(count: int) -> str:
    """A description with `count` keys the schema does not know, one problem each."""
    return FILER + "".join(f"extra_{n}: 1\n" for n in range(1, count + 1))


def problems(count: int) -> str:
    return "".join(f"many.yaml:{n + 1}:1: error [unknown-key] at /extra_{n}: unknown key 'extra_{n}'\n" + HINT
                   for n in range(1, count + 1))


@pytest.mark.parametrize("command", ["validate", "check"])
@pytest.mark.parametrize("count", [MAX_PROBLEMS_SHOWN, MAX_PROBLEMS_SHOWN + 12])
def test_a_file_with_many_problems_shows_the_first_ones_and_counts_the_rest(tmp_path, monkeypatch, capsys, command,
                                                                             count):
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "many.yaml").write_text(unknown_keys(count), encoding="utf-8")
    code, _out, err = run(command, "many.yaml", *(["--no-config", "--format", "json"] if command == "check" else []))
    assert code == 2
    more = count - MAX_PROBLEMS_SHOWN
    assert err == problems(MAX_PROBLEMS_SHOWN) + (f"... and {more} more problems in many.yaml\n" if more else "")


FREEZE_COUNT = """
import gc, os, sys
from precomment import cli
sys.stdout = open(os.devnull, "w")
code = cli.main(["check", "filings/iij-fy2009-20f.yaml"], own_process={own})
sys.__stdout__.write(f"{{code}} {{gc.get_freeze_count() > 0}}")
"""


@pytest.mark.parametrize("own, frozen", [(True, "True"), (False, "False")])
def test_only_a_check_that_owns_its_process_freezes_what_it_loaded(own, frozen):
    # The console script ends with its check, so the modules and rules it loaded are frozen out of the
    # collector's reach; a program (or the test suite) calling cli.main keeps a collector that can free them.
    result = subprocess.run([sys.executable, "-c", FREEZE_COUNT.format(own=own)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout == f"1 {frozen}", result.stderr[-500:]
