"""The wheel carries the rules and schemas and works from any directory: built, installed into a
fresh virtual environment, and run from outside the repository on a filing given by path."""
from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import IIJ, ROOT, run_process
from precomment.resources import rules_dir


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    str(ROOT), "-w", str(out)], check=True, capture_output=True, timeout=300)
    (path,) = out.glob("precomment-*.whl")
    return path


def test_wheel_contains_rules_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {f"precomment/rules/{p.relative_to(rules_dir()).as_posix()}" for p in rules_dir().rglob("*.yaml")}
    assert bundled and bundled <= names
    assert {"precomment/schemas/filing.schema.json", "precomment/schemas/rule.schema.json",
            "precomment/schemas/report.schema.json", "precomment/cli.py"} <= names
    assert not any(name.startswith(("tests/", "filings/", "engine/")) for name in names)


def test_installed_wheel_checks_a_filing_from_outside_the_repo(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    filing = str(ROOT / IIJ)
    installed = run_process("check", filing, "--format", "json", cwd=elsewhere,
                            executable=str(env_dir / "bin" / "precomment"))
    in_repo = run_process("check", filing, "--format", "json")
    assert (installed.returncode, installed.stderr) == (1, "")
    assert installed.stdout == in_repo.stdout
    report = json.loads(installed.stdout)
    assert report["summary"]["findings"] == 45
    location = subprocess.run([str(python), "-c", "import precomment.resources as r; print(r.rules_dir())"],
                              cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in location
