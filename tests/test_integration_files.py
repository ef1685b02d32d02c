"""The files other tools read: .pre-commit-hooks.yaml and the example GitHub Actions workflow. Their
commands must be ones precomment accepts, and must do what the comments in them say."""
from __future__ import annotations

import shlex
import shutil

import yaml
from conftest import IIJ_AMENDED, ROOT
from precomment.cli import main

HOOK_KEYS = {"id", "name", "entry", "language"}  # required by pre-commit's manifest schema


def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_hooks_have_what_pre_commit_requires():
    assert [hook["id"] for hook in hooks()] == ["precomment", "precomment-validate", "precomment-rules"]
    for hook in hooks():
        assert HOOK_KEYS <= hook.keys(), hook["id"]
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "precomment"


def test_each_hook_runs_as_pre_commit_would_run_it(monkeypatch, capsys):
    """pre-commit runs `entry args... filenames...`; run the same argv in-process."""
    monkeypatch.chdir(ROOT)
    for hook in hooks():
        files = [] if hook.get("pass_filenames") is False else [IIJ_AMENDED]
        argv = shlex.split(hook["entry"])[1:] + hook.get("args", []) + files
        if hook["id"] == "precomment-rules":
            argv = argv[:-1] + ["tests/rule_packs/effective"]  # the hook's default `rules` dir is the user's
        assert main(argv) == 0, hook["id"]
        capsys.readouterr()


def test_the_github_actions_example_runs_its_check_step(tmp_path, monkeypatch, capsys):
    workflow = yaml.safe_load((ROOT / "docs/examples/github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    check = next(step for step in steps if step.get("run", "").startswith("precomment check"))
    argv = shlex.split(check["run"])
    assert argv[:3] == ["precomment", "check", "filings/"]
    (tmp_path / "filings").mkdir()
    shutil.copy(ROOT / IIJ_AMENDED, tmp_path / "filings")
    monkeypatch.chdir(tmp_path)
    assert main(argv[1:]) == 0
    out = capsys.readouterr().out
    assert out.endswith("Gate --fail-on error: passed.\n")
    uploaded = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    summary = next(step for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    for name in (uploaded["with"]["sarif_file"], shlex.split(summary["run"])[1], "precomment.html"):
        assert (tmp_path / name).is_file(), name
    assert uploaded["if"] == summary["if"] == "always()", "reports are published even when the gate fails"
