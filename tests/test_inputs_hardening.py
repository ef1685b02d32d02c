"""Inputs that are not what they seem: symbolic links leading out of a filings directory, and files that are
not filing descriptions (a credentials file, a private key), whose content no error may quote."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import IIJ_AMENDED, ROOT, runner_in

SECRET = "ghp_0123456789abcdefSECRET"
CLEAN = "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. Gate --fail-on error: passed.\n"
LINK_HINT = ("  hint: links found in a directory are followed only to files inside it; name the link on the command "
             "line to check what it points to\n")
TOP_LEVEL_HINT = ("  hint: the file must be a mapping of keys to values at its top level (`key: value` lines, or a "
                  "JSON object)\n")
JSON_TOP_LEVEL_HINT = "  hint: the file must be a JSON object ({...}) at its top level\n"


@pytest.fixture
def tree(tmp_path, monkeypatch, capsys):
    """The working directory: filings/ holding one clean filing, private/ beside it holding a credentials file
    and a filing; returns a runner of `precomment ARGS...` giving (exit code, stdout, stderr)."""
    (tmp_path / "filings").mkdir()
    shutil.copy(ROOT / IIJ_AMENDED, tmp_path / "filings" / "iij.yaml")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "credentials").write_text(f"https://bob:{SECRET}@github.com\n", encoding="utf-8")
    shutil.copy(ROOT / IIJ_AMENDED, tmp_path / "private" / "elsewhere.yaml")
    return runner_in(tmp_path, monkeypatch, capsys)


def skipped(link: str, kind: str = "file") -> str:
    return (f"{link}: warning [link-outside] at /: skipped: a symbolic link to a {kind} outside filings\n"
            + LINK_HINT)


def test_a_link_out_of_a_filings_directory_is_skipped_with_a_warning_and_never_read(tree):
    """It was followed, and the credentials' first bytes were quoted in the error (and the JSON report)."""
    (tree.path / "filings" / "token.yaml").symlink_to("../private/credentials")
    code, out, err = tree("check", "filings")
    assert (code, err) == (0, skipped("filings/token.yaml"))
    assert out.startswith("filings/iij.yaml: ") and out.endswith(CLEAN)
    code, out, err = tree("validate", "filings")
    assert (code, out, err) == (0, "filings/iij.yaml: valid\n", skipped("filings/token.yaml"))


def test_a_link_to_a_directory_outside_is_skipped_with_a_warning(tree):
    (tree.path / "filings" / "shared").symlink_to(tree.path / "private", target_is_directory=True)
    code, out, err = tree("check", "filings", "--format", "json")
    assert (code, err) == (0, skipped("filings/shared", "directory"))
    assert [filing["source"] for filing in json.loads(out)["filings"]] == ["filings/iij.yaml"]


def test_links_inside_the_directory_are_followed(tree):
    (tree.path / "filings" / "latest.yaml").symlink_to("iij.yaml")
    (tree.path / "filings" / "drafts").mkdir()
    (tree.path / "filings" / "drafts" / "v2.yaml").symlink_to("../iij.yaml")
    code, out, err = tree("check", "filings", "--format", "json")
    assert (code, err) == (0, "")
    assert [filing["source"] for filing in json.loads(out)["filings"]] == [
        "filings/drafts/v2.yaml", "filings/iij.yaml", "filings/latest.yaml"]


def test_a_link_named_on_the_command_line_is_followed(tree):
    (tree.path / "filings" / "elsewhere.yaml").symlink_to("../private/elsewhere.yaml")
    code, out, err = tree("check", "filings/elsewhere.yaml")
    assert (code, err) == (0, "")
    assert out.startswith("filings/elsewhere.yaml: ") and out.endswith(CLEAN)


@pytest.mark.parametrize("name, content, got", [
    ("token.yaml", f"https://bob:{SECRET}@github.com\n", "text"),  # ~/.git-credentials
    ("id.yaml", f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n-----END OPENSSH PRIVATE KEY-----\n", "text"),
    ("pin.yaml", "0123456701234567\n", "a number"),  # YAML 1.1 octal: was refused quoting it
    ("token.json", f'"{SECRET}"\n', "text"),
])
def test_an_error_about_a_file_that_is_not_a_filing_never_quotes_it(tree, name, content, got):
    (tree.path / name).write_text(content, encoding="utf-8")
    hint = JSON_TOP_LEVEL_HINT if name.endswith(".json") else TOP_LEVEL_HINT  # in the file's own syntax
    expected = f"{name}:1:1: error [wrong-type] at /: expected a mapping of keys to values, got {got}\n{hint}"
    code, out, err = tree("check", name, "--format", "json")
    assert (code, err) == (2, expected)
    [error] = json.loads(out)["filings"][0]["errors"]
    assert error["message"] == f"expected a mapping of keys to values, got {got}"
    assert tree("validate", name) == (2, "", expected)
