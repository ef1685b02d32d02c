"""The table format wraps its subject and comment cells itself, byte for byte as tabulate's `maxcolwidths`
did (which spent most of a table's time stripping ANSI codes from every word), except that it never casts
a cell first: tabulate showed "False" as "True" and failed on a cell "1,000"."""
from __future__ import annotations

import datetime
import sys
import textwrap

import pytest
import strategies  # noqa: F401 - the hypothesis profiles: "ci" is derandomized
from conftest import FILINGS, IIJ, ROOT
from hypothesis import given
from hypothesis import strategies as st
from precomment.reports.formats import render, table
from precomment.reports.model import TABLE_WIDTH, Gate, Report
from precomment.reports.text import one_line
from tabulate import tabulate

PIECES = ["a", "b", "word", "x" * 30, " ", "  ", "-", "--", "a-b", "\u2014", "\u00a0", "\t", ".", ",", "1,000",
          "12", "False", "True", "\u65e5\u672c", "\u00e9", "\u200b", "\x1b[31m", "https://www.sec.gov/a-b-c/d-e-f.pdf",
          "(", "'"]
"""Words, spaces, hyphens and dashes, numbers, what tabulate casts ("False", "1,000"), wide and invisible
characters, an escape sequence (shown as text by one_line), a long URL with hyphens."""


def tabulate_wraps(cell: str, width: int) -> str | type[Exception]:
    """tabulate's own wrapping of a one-column table (or the exception it raises)."""
    try:
        return tabulate([[cell]], tablefmt="plain", maxcolwidths=[width], disable_numparse=True)
    except Exception as error:  # noqa: BLE001 - the same failure is what must be reproduced
        return type(error)


def wrap_then_tabulate(cell: str, width: int) -> str | type[Exception]:
    try:
        return tabulate([[table.wrap(cell, width)]], tablefmt="plain", disable_numparse=True)
    except Exception as error:  # noqa: BLE001
        return type(error)


def tabulate_casts(cell: str) -> bool:
    """Whether tabulate (with maxcolwidths) would first convert the cell: "False" -> "True", "1,000" -> error."""
    return tabulate_wraps(cell, 1000) != tabulate([[cell]], tablefmt="plain", disable_numparse=True)


@given(text=st.lists(st.sampled_from(PIECES), max_size=40).map("".join), width=st.integers(1, 70))
def test_cells_wrap_as_tabulate_wraps_them(text, width):
    cell = one_line(text)
    if not tabulate_casts(cell):
        assert wrap_then_tabulate(cell, width) == tabulate_wraps(cell, width)


@pytest.mark.parametrize("cell", ["False", "1,000", "12,345"])
def test_cells_are_shown_as_written(cell):
    """tabulate's maxcolwidths cast such cells ("False" became "True", "1,000" raised ValueError)."""
    assert tabulate_casts(cell)
    assert table.wrap(cell, 24) == cell
    assert wrap_then_tabulate(cell, 24) == cell


def test_a_holder_named_false_or_1000_is_reported_as_written(cli, tmp_path):
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    edited = tmp_path / "quirks.yaml"
    edited.write_text(text.replace("      - name: Koichi Suzuki", '      - name: "False"', 1)
                      .replace("      - name: Akihisa Watai", '      - name: "1,000"', 1), encoding="utf-8")
    code, out, err = cli("check", str(edited))
    assert (code, err) == (1, "")
    assert "| PC-6-001 | error      | 6.E    | 50     | False " in out
    assert "| PC-6-001 | error      | 6.E    | 50     | 1,000 " in out


def test_a_long_word_is_cut_at_the_width_not_after_its_last_hyphen():
    url = "https://www.sec.gov/files/rules/interp/2018/33-10459.pdf"
    assert table.wrap(url, 24) == "https://www.sec.gov/file\ns/rules/interp/2018/33-1\n0459.pdf"
    assert textwrap.fill(url, 24) != table.wrap(url, 24)  # what plain textwrap would have printed instead


@pytest.mark.parametrize("path", [ROOT / IIJ, FILINGS / "lanternfish-fy2024-20f.yaml",
                                  ROOT / "tests/data/hostile-20f.yaml"])
@pytest.mark.parametrize("color", [False, True])
def test_reports_are_byte_identical_to_tabulates_wrapping(checker, monkeypatch, path, color):
    result = checker.check_path(path)
    assert result.findings
    report = Report.of([result], Gate(), checker.ruleset.rules, today=datetime.date(2009, 9, 30), color=color)
    fitted: list[tuple[int, int]] = []  # each grid's subject and comment widths, as the table fits them
    fit = table.fit
    monkeypatch.setattr(table, "fit", lambda *args: fitted.append(fit(*args)) or fitted[-1])
    ours = render("table", report, [result])
    widths = iter(list(fitted))
    monkeypatch.setattr(table, "wrap", lambda cell, width: cell)
    # tabulate draws the tables (reports/grid.py draws them as it does), and wraps, as before
    monkeypatch.setattr(table, "grid", lambda rows, headers: tabulate(
        rows, headers=headers, tablefmt="grid", disable_numparse=True,
        maxcolwidths=[None, None, None, None, *next(widths, (None, None))] + [None] * (len(headers) - 6)))
    monkeypatch.setattr(table, "simple", lambda rows, headers: tabulate(rows, headers=headers, tablefmt="simple",
                                                                        disable_numparse=True))
    assert ours == render("table", report, [result])
    assert ("\x1b[31merror\x1b[0m" in ours) == color


def _table_width(out: str) -> int:
    return max(len(line) for line in out.splitlines() if line.startswith(("|", "+")))


@pytest.mark.parametrize("columns", [100, 138, 200])
def test_the_table_fits_the_terminal_it_is_shown_on(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))  # the terminal's width, as shutil.get_terminal_size reads it
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = cli("check", IIJ)
    assert code == 1
    # as wide as the terminal, but for a comment column that stops at its greatest width (96 columns)
    assert _table_width(out) == min(columns, 30 + 19 + 24 + 96)


def test_a_table_not_shown_on_a_terminal_is_120_columns_wide_whatever_the_environment(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = cli("check", IIJ)
    assert (code, _table_width(out)) == (1, TABLE_WIDTH)
