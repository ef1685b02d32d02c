"""Documentation that can drift is generated or executed: the fact reference is current, and the
examples in the docs are valid input."""
from __future__ import annotations

import re

from conftest import ROOT
from precomment.docs import render_fact_reference
from precomment.load import load_text
from precomment.model import FILING_SCHEMA
from precomment.validate import problems_in


def test_fact_reference_is_current():
    assert (ROOT / "docs/fact-types.md").read_text(encoding="utf-8") == render_fact_reference(), \
        "run: python -m precomment.docs"


def yaml_blocks(path: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (ROOT / path).read_text(encoding="utf-8"), re.S)


def test_filing_format_example_is_valid():
    (block,) = yaml_blocks("docs/filing-format.md")
    assert problems_in(load_text(block, "example"), FILING_SCHEMA) == []


def test_readme_commands_are_the_makefile_targets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert re.search(r"^demo: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
