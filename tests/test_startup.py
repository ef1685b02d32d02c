"""What a check of one filing leaves out of its process, for its start-up time (BENCHMARKS.md, 'Start-up'):
the worker-pool machinery (only `--jobs` with several filings uses it), the TOML parser (only a
configuration file needs it), the document readers and extractors (only a filing document needs them),
jsonschema (only a description that does not conform needs its explanations), and tabulate, which imports
importlib.metadata and the email package to look up its own version (reports/grid.py draws the tables)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import ROOT

NOT_LOADED = ("multiprocessing", "concurrent", "tomllib", "lxml", "docx", "jsonschema", "precomment.extraction.sections",
              "precomment.documents.html", "tabulate", "importlib.metadata", "email")

_MODULES = """
import json, sys
from precomment import cli
code = cli.main(["check", sys.argv[1], "--output", "report.txt"])
print(json.dumps([code, sorted(sys.modules)]))
"""


def test_a_check_of_one_description_loads_only_what_it_needs(tmp_path):
    shutil.copy(ROOT / "filings/iij-fy2009-20f.yaml", tmp_path / "draft.yaml")  # no configuration file around it
    done = subprocess.run([sys.executable, "-c", _MODULES, "draft.yaml"], capture_output=True, text=True, cwd=tmp_path)
    code, modules = json.loads(done.stdout)
    assert code == 1, done.stderr  # it checked: findings at or above the gate
    assert "45 findings" in (tmp_path / "report.txt").read_text(encoding="utf-8")
    loaded = [name for name in modules if name.startswith(NOT_LOADED)]
    assert loaded == []
