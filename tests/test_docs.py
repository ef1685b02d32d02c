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


def architecture_tree() -> dict[str, set[str]]:
    """The module tree drawn in docs/architecture.md: each directory (relative to engine/, "" for the top)
    with the module file names listed under it (several may share a line)."""
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(engine/.*?)```", text, re.S)
    assert block, "docs/architecture.md: the tree of engine/ is missing"
    tree: dict[str, set[str]] = {}
    stack: list[tuple[int, str]] = []  # (indent, directory) of the directories above the current line
    for line in block.group(1).splitlines()[1:]:
        indent = len(line) - len(line.lstrip())
        entry = line.split()[0] if line.strip() else ""
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        if entry.endswith("/"):
            directory = f"{parent}{entry}"
            tree.setdefault(directory, set())
            stack.append((indent, directory))
        else:
            names = re.split(r"\s{2,}", line.strip())[0]  # the names, before the description
            tree.setdefault(parent, set()).update(re.findall(r"\b\w+\.py\b", names))
    return tree


def test_the_architecture_tree_names_every_module_where_it_is():
    """docs/architecture.md draws engine/ as the pipeline; a module added, moved or removed without the
    drawing following would mislead the next reader. Report formats are listed by kind, not by name."""
    tree = architecture_tree()
    engine = ROOT / "engine"
    actual: dict[str, set[str]] = {}
    for path in engine.rglob("*.py"):
        directory = path.parent.relative_to(engine).as_posix()
        actual.setdefault("" if directory == "." else f"{directory}/", set()).add(path.name)
    for modules in actual.values():
        modules.discard("__init__.py")
    actual[""].discard("__main__.py")
    formats = actual.pop("reports/formats/")
    assert {"common.py", "correspondence.py"} <= formats
    drawn = {directory: names for directory, names in tree.items() if directory != "reports/formats/"}
    assert drawn == actual


def test_make_test_lints_before_the_suite_with_locked_tools():
    """`make test` runs ruff and mypy (the lint target) before pytest, with versions the lock pins."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: lint$", makefile, re.M)
    lint = makefile.split("\nlint: ", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/ruff check" in lint and "$(BIN)/mypy" in lint
    lock = (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    for tool in ("ruff", "mypy", "types-pyyaml", "types-jsonschema", "types-tabulate"):
        assert re.search(rf"^{tool}==", lock, re.M), tool
