"""Configuration (.precomment.yaml or [tool.precomment] in pyproject.toml): disabling rules, changing
severities, the gate and rule directories; flags win; mistakes are errors with their line."""
from __future__ import annotations

import json
import os
import pwd
import stat
from pathlib import Path

import pytest
from conftest import ROOT, runner_in

IIJ = str(ROOT / "filings/iij-fy2009-20f.yaml")


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    """A repository directory (it holds .git) to run precomment in; returns a runner."""
    (tmp_path / ".git").mkdir()
    return runner_in(tmp_path, monkeypatch, capsys)


def report(project, *args: str) -> tuple[int, dict]:
    code, out, err = project("check", IIJ, "--format", "json", *args)
    assert err == ""
    return code, json.loads(out)


def rule_severities(data: dict) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for finding in data["filings"][0]["findings"]:
        seen.setdefault(finding["rule_id"], set()).add(finding["severity"])
    return seen


def test_without_configuration_every_rule_runs(project):
    code, data = report(project)
    assert code == 1 and {"PC-7-001", "PC-6-001"} <= set(rule_severities(data))


def test_yaml_configuration_disables_rules_and_changes_severity(project):
    (project.path / ".precomment.yaml").write_text(
        "disable: [PC-7-001]\nseverity:\n  PC-6-001: info\n", encoding="utf-8")
    _, data = report(project)
    severities = rule_severities(data)
    assert "PC-7-001" not in severities and severities["PC-6-001"] == {"info"}
    assert data["rules"] == len(main_rules(project)) - 1


def main_rules(project) -> list[str]:
    code, out, _ = project("rules", "list", "--no-config", "--format", "json")
    return [record["id"] for record in json.loads(out)]


def test_configuration_is_found_from_a_subdirectory_up_to_the_repository_root(project, monkeypatch):
    (project.path / ".precomment.yaml").write_text("disable: [PC-7-001]\n", encoding="utf-8")
    (project.path / "drafts").mkdir()
    monkeypatch.chdir(project.path / "drafts")
    assert "PC-7-001" not in rule_severities(report(project)[1])


def test_pyproject_table_sets_the_gate_and_the_flag_wins(project):
    (project.path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.precomment]\nfail_on = "never"\n', encoding="utf-8")
    assert report(project)[0] == 0
    assert report(project, "--fail-on", "error")[0] == 1
    assert report(project, "--no-config")[0] == 1


def test_the_summary_says_where_the_gate_was_set(project):
    def summary(*args: str) -> str:
        code, out, err = project("check", IIJ, *args)
        return out.splitlines()[-1]
    (project.path / "pyproject.toml").write_text('[tool.precomment]\nfail_on = "never"\n', encoding="utf-8")
    assert summary().endswith(". Gate: off (fail_on never from pyproject.toml).")
    assert summary("--fail-on", "never").endswith(". Gate: off (--fail-on never).")
    (project.path / "pyproject.toml").write_text('[tool.precomment]\nfail_on = "warning"\n', encoding="utf-8")
    assert summary().endswith(". Gate fail_on warning from pyproject.toml: FAILED by 45 findings at or above warning.")
    assert summary("--fail-on", "error").endswith(". Gate --fail-on error: FAILED by 14 findings at or above error.")


def test_rules_list_shows_the_configured_rules(project):
    (project.path / ".precomment.yaml").write_text("disable: [PC-7-001]\nseverity: {PC-6-001: info}\n",
                                                    encoding="utf-8")
    code, out, _ = project("rules", "list")
    assert code == 0 and "PC-7-001" not in out
    assert [line.split()[:3] for line in out.splitlines() if line.startswith("PC-6-001")] == [["PC-6-001", "6.E", "info"]]


def test_configured_rule_directories_are_relative_to_the_file(project):
    (project.path / "config").mkdir()
    (project.path / "config" / "precomment.yaml").write_text(
        f"rules: [{ROOT / 'tests/rule_packs/effective'}]\nbuiltin_rules: false\n", encoding="utf-8")
    code, out, _ = project("rules", "list", "--config", "config/precomment.yaml")
    assert code == 0 and out.splitlines()[2].startswith("PC-16J-900") and out.endswith("\n1 rule.\n")


def test_an_unknown_rule_id_is_an_error_at_its_line(project):
    (project.path / ".precomment.yaml").write_text("disable:\n  - PC-7-001\n  - PC-16J-01\nseverity:\n  PC-66-001: info\n",
                                                    encoding="utf-8")
    code, out, err = project("check", IIJ)
    assert (code, out) == (2, "")
    assert err == (".precomment.yaml:3:5: error [unknown-rule] at /disable/1: no rule has the id 'PC-16J-01'\n"
                   "  hint: did you mean 'PC-16J-001'?\n"
                   ".precomment.yaml:5:3: error [unknown-rule] at /severity/PC-66-001: no rule has the id 'PC-66-001'\n"
                   "  hint: did you mean 'PC-6-001'?\n")


def test_an_unknown_key_or_a_bad_value_is_a_schema_error(project):
    (project.path / ".precomment.yaml").write_text("disabled: [PC-7-001]\nfail_on: warnings\n", encoding="utf-8")
    code, out, err = project("check", IIJ)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith(".precomment.yaml:1:1: error [unknown-key] at /disabled: unknown key 'disabled'")
    assert "did you mean 'disable'?" in err
    assert any(line.startswith(".precomment.yaml:2:10: error") and "/fail_on" in line for line in lines)


def test_pyproject_mistakes_name_the_key_line(project):
    (project.path / "pyproject.toml").write_text('[tool.precomment]\n\nseverity = {PC-6-001 = "fatal"}\n',
                                                  encoding="utf-8")
    code, _, err = project("check", IIJ)
    assert code == 2 and err.startswith("pyproject.toml:3:1: error")
    assert "/severity/PC-6-001" in err


def test_toml_syntax_error_is_located(project):
    (project.path / "pyproject.toml").write_text('[tool.precomment]\nfail_on = \n', encoding="utf-8")
    code, _, err = project("check", IIJ)
    assert code == 2 and err.startswith("pyproject.toml:2:11: error [toml-syntax]")


def test_config_and_no_config_exclude_each_other(project):
    code, out, err = project("check", IIJ, "--config", "x.yaml", "--no-config")
    assert (code, out, err) == (2, "", "precomment: --config and --no-config exclude each other\n")
    code, out, err = project("check", IIJ, "--config", "missing.yaml")
    assert (code, out, err) == (2, "", "precomment: --config missing.yaml: no such file\n")


# --- pyproject.toml whose `tool` or `tool.precomment` is not a table ----------------------------------

@pytest.mark.parametrize("toml", ['tool = 1\n', 'tool = "precomment"\n', 'tool = ["precomment"]\n',
                                  '[project]\nname = "x"\n[[tool]]\nprecomment = {fail_on = "never"}\n'])
def test_a_pyproject_whose_tool_is_not_a_table_is_not_a_configuration(project, toml):
    (project.path / "pyproject.toml").write_text(toml, encoding="utf-8")
    code, out, err = project("check", IIJ)
    assert (code, err) == (1, "")
    assert out.endswith("Gate --fail-on error: FAILED by 14 findings at or above error.\n")


@pytest.mark.parametrize("toml, where, kind", [
    ('[project]\nname = "x"\n\n[tool]\nprecomment = 3\n', "5:1", "a number"),
    ('tool.precomment = "never"\n', "1:6", "text"),
    ('[tool]\nblack = {}\n"precomment" = ["PC-7-001"]\n', "3:1", "an array"),
])
def test_a_tool_precomment_that_is_not_a_table_is_a_located_error(project, toml, where, kind):
    (project.path / "pyproject.toml").write_text(toml, encoding="utf-8")
    code, out, err = project("check", IIJ)
    assert (code, out) == (2, "")
    assert err == (f"pyproject.toml:{where}: error [wrong-type] at /: tool.precomment must be a table of "
                   f"settings, got {kind}\n"
                   "  hint: write the settings under a [tool.precomment] header, one `key = value` line each "
                   "(docs/configuration.md)\n")


# --- which configuration files are used: where they are searched, who owns them ------------------------

GATE_FAILED = "Gate --fail-on error: FAILED by 14 findings at or above error.\n"


def gate_off(config: str) -> str:
    """The end of the summary line when the configuration file `config` turned the gate off: it says so."""
    return f"Gate: off (fail_on never from {config}).\n"


TRUST_HINT = ("  hint: precomment uses only configuration files that you or root own and no other user can change; "
              "if you trust this one, make it yours (chown) or give a copy of your own with --config\n")


@pytest.fixture
def outside(tmp_path, monkeypatch, capsys):
    """A directory in no repository (no .git in it or above it) to run precomment in; returns a runner."""
    if any((directory / ".git").exists() for directory in (tmp_path, *tmp_path.parents)):
        pytest.skip(f"the temporary directory {tmp_path} is inside a git repository")
    return runner_in(tmp_path, monkeypatch, capsys)


def nobody_owns(path: Path, link: bool = False) -> str:
    """Give `path` (or, with `link`, the symbolic link itself) to the user `nobody`; returns how messages name
    that user. Only root can give a file away, so the test is skipped for anyone else."""
    if os.geteuid() != 0:
        pytest.skip("only root can make a file owned by another user")
    uid = pwd.getpwnam("nobody").pw_uid
    (os.lchown if link else os.chown)(path, uid, -1)
    return f"nobody (uid {uid})"


def test_outside_a_repository_only_the_working_directory_is_searched(outside, monkeypatch):
    """A .precomment.yaml planted above the working directory (in a shared /tmp) must not turn the gate off."""
    (outside.path / ".precomment.yaml").write_text("fail_on: never\n", encoding="utf-8")
    (outside.path / "drafts").mkdir()
    monkeypatch.chdir(outside.path / "drafts")
    code, out, err = outside("check", IIJ)
    assert (code, err) == (1, "") and out.endswith(GATE_FAILED)
    monkeypatch.chdir(outside.path)
    code, out, err = outside("check", IIJ)
    assert (code, err) == (0, "") and out.endswith(gate_off(".precomment.yaml"))


@pytest.mark.parametrize("name, text", [(".precomment.yaml", "fail_on: never\n"),
                                        ("pyproject.toml", '[tool.precomment]\nfail_on = "never"\n')])
def test_a_configuration_another_user_owns_is_ignored_with_a_warning(project, name, text):
    path = project.path / name
    path.write_text(text, encoding="utf-8")
    owner = nobody_owns(path)
    code, out, err = project("check", IIJ)
    assert (code, err) == (1, f"{name}: warning [untrusted-config] at /: ignored: owned by {owner}, "
                              f"not by you or root\n{TRUST_HINT}")
    assert out.endswith(GATE_FAILED)


def test_a_link_another_user_owns_is_ignored_though_it_points_to_your_file(project):
    (project.path / "mine.yaml").write_text("fail_on: never\n", encoding="utf-8")
    (project.path / ".precomment.yaml").symlink_to("mine.yaml")
    owner = nobody_owns(project.path / ".precomment.yaml", link=True)
    code, out, err = project("check", IIJ)
    assert (code, err) == (1, f".precomment.yaml: warning [untrusted-config] at /: ignored: a symbolic link owned "
                              f"by {owner}, not by you or root\n{TRUST_HINT}")


def test_a_configuration_any_user_can_write_is_ignored_and_the_search_goes_on(project, monkeypatch):
    (project.path / ".precomment.yaml").write_text("fail_on: never\n", encoding="utf-8")
    (project.path / "drafts").mkdir()
    writable = project.path / "drafts" / ".precomment.yaml"
    writable.write_text("fail_on: info\n", encoding="utf-8")
    writable.chmod(0o666)
    monkeypatch.chdir(project.path / "drafts")
    code, out, err = project("check", IIJ)
    assert (code, err) == (0, ".precomment.yaml: warning [untrusted-config] at /: ignored: writable by any user "
                              f"(-rw-rw-rw-)\n{TRUST_HINT}")
    assert out.endswith(gate_off("../.precomment.yaml"))


def test_a_configuration_in_a_directory_any_user_can_write_is_ignored_unless_it_is_sticky(project, monkeypatch):
    """In a directory others can write to, anyone can replace the file; with the sticky bit (as /tmp) only
    its owner can, so a file of your own there is still yours."""
    shared = project.path / "shared"
    shared.mkdir()
    (shared / ".precomment.yaml").write_text("fail_on: never\n", encoding="utf-8")
    shared.chmod(0o777)
    monkeypatch.chdir(shared)
    code, out, err = project("check", IIJ)
    assert (code, err) == (1, f".precomment.yaml: warning [untrusted-config] at /: ignored: in {shared}, which any "
                              f"user can write to (drwxrwxrwx) without the sticky bit\n{TRUST_HINT}")
    shared.chmod(0o777 | stat.S_ISVTX)
    code, out, err = project("check", IIJ)
    assert (code, err) == (0, "") and out.endswith(gate_off(".precomment.yaml"))


def test_an_explicit_config_any_user_can_write_is_refused(project):
    path = project.path / "settings.yaml"
    path.write_text("fail_on: never\n", encoding="utf-8")
    path.chmod(0o646)
    code, out, err = project("check", IIJ, "--config", "settings.yaml")
    assert (code, out, err) == (2, "", "settings.yaml: error [untrusted-config] at /: cannot be used: writable by "
                                       f"any user (-rw-r--rw-)\n{TRUST_HINT}")


def test_an_explicit_config_another_user_owns_is_refused(project):
    path = project.path / "settings.yaml"
    path.write_text("fail_on: never\n", encoding="utf-8")
    owner = nobody_owns(path)
    code, out, err = project("rules", "list", "--config", "settings.yaml")
    assert (code, out, err) == (2, "", f"settings.yaml: error [untrusted-config] at /: cannot be used: owned by "
                                       f"{owner}, not by you or root\n{TRUST_HINT}")
