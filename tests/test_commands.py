"""What every command shares as the user sees it (engine/commands/problems.py): problems go to standard
error one by one, and a file with very many stops at MAX_PROBLEMS_SHOWN, then says how many more."""
from __future__ import annotations

import pytest
from conftest import runner_in
from precomment.commands.problems import MAX_PROBLEMS_SHOWN

FILER = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
HINT = ("  hint: allowed keys here: format_version, filer, item3, item4, item4A, item5, item6, item7, item8, item9, "
        "item10, item11, item12, item13, item14, item15, item16, financial_statements, item19\n")


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
