"""The package's layout is its pipeline: one subpackage per stage, and a module imports only modules of its
own stage or of earlier ones (docs/architecture.md). A later stage's module imported by an earlier one (the
checking stage importing a report format) would tie a stage to what is built on it, and hide the order the
layout is meant to show. Every import counts: at the top, inside a function, under TYPE_CHECKING."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = "precomment"  # the import name of engine/
STAGES = (
    ("errors", "resources", ""),  # the foundation; "" is the package itself (its __version__)
    ("sources", "documents"),  # reading bytes, YAML and JSON with positions, command-line paths; filing documents
    # (HTML, Inline XBRL, Word) to the document model
    ("validation",),  # the fact model from the filing schema, the schema check, consistency checks
    ("language", "register"),  # conditions, derive, regex, template, rule records, the rule parser, loading rule
    # files; the requirements register the rules name
    ("facts",),  # documents to facts
    ("extraction",),  # a filing document's description, read section by section, answers laid over it
    ("evaluation",),  # the oracle and the durable-rules adapter
    ("checking",),  # the pipeline, findings, review (waivers, baseline), batch, the rule cache, examples
    ("reports",),  # the report model, its wording and catalogue, the formats, writing them
    ("commands",),  # configuration, `precomment rules`, the generated docs
    ("cli", "__main__"),  # the command line
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
PERMITTED = {
    ("precomment.language.regex", "precomment.evaluation.durable_rules.regex_model"):
        "regex_model is a pure model of durable-rules' regex compiler that imports nothing else of precomment; "
        "the rule language consults it so that a pattern durable-rules would mishandle is refused where it is "
        "written, in the rule file, rather than when it is compiled",
}


def module_name(path: Path, root: Path) -> str:
    """`engine/checking/batch.py` -> `precomment.checking.batch`; a package's `__init__.py` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported(tree: ast.Module, name: str, package: bool, root: Path) -> set[str]:
    """The modules of the package that a module imports, named in full. `from X import Y` names X.Y when Y
    is a module or subpackage of the tree, else X (Y is something X defines)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[:len(name.split(".")) - node.level + (1 if package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if _exists(submodule, root) else source)
    return found


def _exists(module: str, root: Path) -> bool:
    relative = Path(*module.split(".")[1:])
    return (root / relative).with_suffix(".py").is_file() or (root / relative / "__init__.py").is_file()


def stage(module: str) -> str:
    """The stage a module belongs to: the first name after the package's (`""` for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def violations(root: Path) -> list[str]:
    """`module -> imported module` for every import of a later stage's module (or of a module of no stage)
    in the tree at `root`, but for the `PERMITTED` ones; sorted."""
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        own = RANK.get(stage(name))
        if own is None:
            found.add(f"{name}: in no stage of STAGES (add its stage there, in pipeline order)")
            continue
        for target in imported(tree, name, is_package(path), root):
            theirs = RANK.get(stage(target))
            if (theirs is None or theirs > own) and (name, target) not in PERMITTED:
                found.add(f"{name} -> {target}")
    return sorted(found)


def test_no_module_imports_a_later_stage():
    assert violations(ROOT / "engine") == []


def test_every_permitted_exception_is_still_needed():
    """An exception whose import is gone is removed from PERMITTED, so that it allows nothing unnoticed."""
    root = ROOT / "engine"
    for module, target in PERMITTED:
        path = root / Path(*module.split(".")[1:]).with_suffix(".py")
        assert target in imported(ast.parse(path.read_text(encoding="utf-8")), module, False, root), (module, target)


def test_the_permitted_model_imports_nothing_else_of_precomment():
    """The reason given for the one exception: regex_model stands alone, so importing it early pulls in no
    other module of a later stage."""
    root = ROOT / "engine"
    path = root / "evaluation" / "durable_rules" / "regex_model.py"
    assert imported(ast.parse(path.read_text(encoding="utf-8")), "precomment.evaluation.durable_rules.regex_model",
                    False, root) == set()


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A synthetic engine/ tree: each stage's package, and the given modules."""
    root = tmp_path / "engine"
    for package in ["", *(name for names in STAGES for name in names if name not in ("errors", "resources", "",
                                                                                      "cli", "__main__"))]:
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("errors.py", "resources.py", "cli.py"):
        (root / name).write_text("", encoding="utf-8")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def test_a_language_module_importing_the_report_model_is_named(tmp_path):
    root = _tree(tmp_path, {"reports/model.py": "from ..errors import Problem\n",
                            "language/x.py": "from ..reports import model\n"})
    assert violations(root) == ["precomment.language.x -> precomment.reports.model"]


@pytest.mark.parametrize("text", [
    "import precomment.reports.model\n",
    "from precomment.reports.model import Report\n",
    "from ..reports.model import Report\n",
    "def f():\n    from ..reports.model import Report\n",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..reports.model import Report\n",
])
def test_every_way_of_importing_counts(tmp_path, text):
    root = _tree(tmp_path, {"reports/model.py": "", "language/x.py": text})
    assert violations(root) == ["precomment.language.x -> precomment.reports.model"]


def test_earlier_and_own_stages_may_be_imported(tmp_path):
    root = _tree(tmp_path, {
        "reports/model.py": "from .. import __version__\nfrom ..checking import findings\nfrom . import text\n",
        "reports/text.py": "import re\nfrom ..errors import Problem\n",
        "reports/formats/__init__.py": "from ..model import Report\nfrom ...language.records import Rule\n",
        "checking/findings.py": "",
        "language/records.py": "",
        "cli.py": "from .reports.formats import FORMATS\nfrom .commands import config\n",
        "commands/config.py": "",
    })
    assert violations(root) == []


def test_the_exception_is_for_that_import_alone(tmp_path):
    root = _tree(tmp_path, {
        "evaluation/durable_rules/__init__.py": "",
        "evaluation/durable_rules/regex_model.py": "",
        "evaluation/durable_rules/compile.py": "",
        "language/regex.py": "from ..evaluation.durable_rules import regex_model\n"
                             "from ..evaluation.durable_rules.compile import x\n",
        "language/parser.py": "from ..evaluation.durable_rules import regex_model\n",
    })
    assert violations(root) == ["precomment.language.parser -> precomment.evaluation.durable_rules.regex_model",
                                "precomment.language.regex -> precomment.evaluation.durable_rules.compile"]


def test_a_module_outside_every_stage_is_named(tmp_path):
    root = _tree(tmp_path, {"plugins/__init__.py": "", "checking/x.py": "from ..plugins import y\n"})
    assert violations(root) == ["precomment.checking.x -> precomment.plugins",
                                "precomment.plugins: in no stage of STAGES (add its stage there, in pipeline order)"]
