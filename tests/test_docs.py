"""Documentation that can drift is generated or executed: the fact reference is current, and the
examples in the docs are valid input."""
from __future__ import annotations

import re

from conftest import ROOT
from documents import load_text
from precomment.commands.docs import GENERATED
from precomment.validation.fact_model import FILING_SCHEMA
from precomment.validation.validate import problems_in


def test_generated_docs_are_current():
    for name, render in GENERATED.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == render(), f"docs/{name}: run python -m precomment.commands.docs"


def test_rule_catalogue_lists_every_rule_with_its_authorities(ruleset):
    catalogue = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert f"\n{len(ruleset.rules)} rules." in catalogue
    for rule in ruleset.rules:
        assert f"\n### {rule.id}\n" in catalogue and f"[{rule.id}](#{rule.id.lower()})" in catalogue
        for authority in rule.authorities:
            assert authority.cite in catalogue, (rule.id, authority.cite)


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
