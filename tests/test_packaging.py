"""The wheel carries the rules and schemas and works from any directory: built, installed into a
fresh virtual environment, and run from outside the repository on a filing given by path."""
from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import IIJ, ROOT, run_process
from precomment.register.load import register_files
from precomment.resources import rules_dir


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built by the setuptools of the test environment (the locked one), as `make wheel` does:
    quietly, and without fetching a build backend."""
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            str(ROOT), "-w", str(out)], capture_output=True, text=True, timeout=300)
    assert (build.returncode, build.stderr) == (0, ""), (
        f"the build warns or fails (it needs the setuptools of requirements-build.txt):\n{build.stderr}")
    (path,) = out.glob("precomment-*.whl")
    return path


def test_wheel_contains_rules_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {f"precomment/rules/{p.relative_to(rules_dir()).as_posix()}" for p in rules_dir().rglob("*.yaml")}
    assert bundled and bundled <= names
    register = {f"precomment/register/{p.name}" for p in register_files()}
    assert register and register <= names, "the requirements register is not in the wheel"
    assert {"precomment/schemas/register.schema.json", "precomment/schemas/filing.schema.json", "precomment/schemas/rule.schema.json",
            "precomment/schemas/report.schema.json", "precomment/cli.py"} <= names
    assert not any(name.startswith(("tests/", "filings/", "engine/")) for name in names)


def test_installed_wheel_checks_a_filing_from_outside_the_repo(wheel, tmp_path):
    """Installed alone into a new virtual environment, whose dependencies are those of the test environment
    (a .pth file names its site-packages): nothing is downloaded or built, and precomment itself can only
    come from the wheel, since a .pth file's folder gets no .pth processing (the editable install's hook)."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                              "--no-deps", str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "test-dependencies.pth").write_text("".join(f"{path}\n" for path in sorted(dependencies)))
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
