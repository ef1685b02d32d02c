"""The suite needs nothing outside the repository, and leaves nothing behind.

A user's clone has nothing beside it, while CI's checkout has the project's reference folder next to it.
Here the repository is copied into a folder of its own and the suite is collected there (a test module
that reads outside the repository when imported fails to collect), the tests that read data files run
there, and the temporary directory they were given is empty afterwards. `.ci/run` runs the whole suite
in such a copy."""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

from conftest import ROOT

READS_DATA = ["tests/test_format_sarif.py::test_iij_with_waivers_matches_the_golden_file_and_the_schema",
              "tests/test_docs.py", "tests/test_iij.py"]
"""Tests that read the repository's data: the SARIF schema, the generated docs, the IIJ goldens."""
LEFT_OUT = {".git", ".venv", ".venv-latest", ".venv-lock", ".hypothesis", ".pytest_cache", "__pycache__", "build",
            "dist"}


def repository_files() -> list[str]:
    """The files a clone would have: git's view where there is one (committed and new, not ignored)."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode()
        return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    return [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
            if path.is_file() and not LEFT_OUT & set(path.relative_to(ROOT).parts)]


def copy_alone(into: Path) -> Path:
    """A copy of the repository at INTO/alone/precomment, with nothing beside it."""
    copy = into / "alone" / "precomment"
    copy.mkdir(parents=True)
    archive = into / "repository.tar"
    with tarfile.open(archive, "w") as tar:
        for name in repository_files():
            tar.add(ROOT / name, arcname=name)
    with tarfile.open(archive) as tar:
        tar.extractall(copy, filter="data")
    archive.unlink()
    return copy


def pytest_in(copy: Path, temporary: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest run in `copy`, with `temporary` as its temporary directory and its own rule cache."""
    env = {key: value for key, value in os.environ.items() if key != "PRECOMMENT_CACHE_DIR"}
    env["TMPDIR"] = str(temporary)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_copy_with_nothing_beside_it_collects_every_test_and_passes_those_reading_data(tmp_path):
    copy = copy_alone(tmp_path)
    assert sorted(path.name for path in copy.parent.parent.iterdir()) == ["alone"]
    assert sorted(path.name for path in copy.parent.iterdir()) == ["precomment"]
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    collected = pytest_in(copy, temporary, "--collect-only", "-q")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    tally = collected.stdout.strip().splitlines()[-1]
    assert " tests collected in " in tally and "error" not in tally, tally
    assert int(tally.split()[0]) > 1400

    ran = pytest_in(copy, temporary, "-q", *READS_DATA)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert " passed" in ran.stdout.splitlines()[-1] and "skipped" not in ran.stdout.splitlines()[-1]

    # Nothing left behind: no rule cache, no folder of a passing test; only pytest's own base folder, empty.
    left = [path.relative_to(temporary).as_posix() for path in sorted(temporary.rglob("*"))]
    assert all(name.startswith("pytest-of-") and "/" not in name for name in left), left
