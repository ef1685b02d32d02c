"""The report's tables (reports/grid.py) are drawn as tabulate draws them: random tables, drawn by both,
give the same text byte for byte. tabulate stays the reference; grid.py only spares a check its import."""
from __future__ import annotations

import pytest
import strategies  # noqa: F401  (the suite's Hypothesis profile: 400 examples, derandomized)
from hypothesis import given
from hypothesis import strategies as st
from precomment.reports import grid
from tabulate import tabulate

COLOURS = ["\x1b[31m", "\x1b[33m", "\x1b[36m"]
RESET = "\x1b[0m"

# Text as a report's cells hold it: words, spaces, new lines (a wrapped cell), punctuation, figures like
# "1,000" and "False" (which tabulate must not read as numbers), accents and other scripts.
words = st.text(alphabet=st.sampled_from(list("abcXYZ 0123456789,.-()$%/:'\"é–ü日本\n\t")), max_size=30)
cells = st.one_of(words, st.sampled_from(["", "1,000", "False", "True", "-0", "1e5", "nan", "None", " x "]),
                  st.builds(lambda colour, text: f"{colour}{text}{RESET}", st.sampled_from(COLOURS),
                            st.sampled_from(["error", "warning", "info"])))
headers = st.lists(st.text(alphabet="ABCabc de", min_size=1, max_size=12), min_size=1, max_size=7)


@st.composite
def tables(draw):
    names = draw(headers)
    rows = draw(st.lists(st.lists(cells, min_size=len(names), max_size=len(names)), max_size=8))
    return names, rows


@given(tables())
def test_a_grid_is_what_tabulate_draws(table):
    names, rows = table
    assert grid.grid(rows, names) == tabulate(rows, headers=names, tablefmt="grid", disable_numparse=True)


@given(tables())
def test_a_simple_table_is_what_tabulate_draws(table):
    names, rows = table
    assert grid.simple(rows, names) == tabulate(rows, headers=names, tablefmt="simple", disable_numparse=True)


@pytest.mark.parametrize("draw, tablefmt", [(grid.grid, "grid"), (grid.simple, "simple")])
def test_the_report_tables_of_a_check_are_what_tabulate_draws(draw, tablefmt, checker):
    """The rows the table format draws for the IIJ filing (findings, severity summary, coverage matrix)."""
    from conftest import IIJ, ROOT
    from precomment.reports.formats.common import COVERAGE_HEADERS, coverage_rows

    result = checker.check_path(ROOT / IIJ)
    findings = [[f.rule_id, f.severity, f.form_item, f.page or "", f.subject, f.comment] for f in result.findings]
    coverage = [row.cells for row in coverage_rows(result.coverage)]
    for names, rows in ((["Rule", "Severity", "Item", "Page", "Subject", "Likely comment"], findings),
                        (COVERAGE_HEADERS, coverage)):
        assert draw(rows, names) == tabulate(rows, headers=names, tablefmt=tablefmt, disable_numparse=True)
