"""Which files a command line names (engine/sources/inputs.py): a directory stands for the filing
descriptions in it, `-` for standard input; what `validate` and `check` then read, and in what order.
(Symbolic links met in a directory are tested in test_inputs_hardening.py.)"""
from __future__ import annotations

import io
import json
import sys
from types import SimpleNamespace

import pytest
from conftest import ROOT, runner_in
from precomment.errors import InputError
from precomment.sources.inputs import expand, read
from precomment.sources.load import MAX_BYTES

FILER = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
FILER_JSON = '{"filer": {"name": "Example Filer Inc.", "form": "20-F", "fiscal_year_end": "2024-12-31"}}\n'


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """`precomment ARGS...` in an empty working directory: (exit code, stdout, stderr); `.path` is it."""
    return runner_in(tmp_path, monkeypatch, capsys)


def write(path, text=FILER):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_directory_stands_for_its_descriptions_in_sorted_order_at_every_depth(run):
    for name in ["b.yaml", "a.YML", "c.json", "sub/a.yaml", "sub/deeper/z.Yaml", "A.yaml", "a b.yaml"]:
        write(run.path / "filings" / name, FILER_JSON if name.endswith(".json") else FILER)
    code, out, err = run("validate", "filings")
    assert (code, err) == (0, "")
    assert out == "".join(f"filings/{name}: valid\n" for name in
                          ["A.yaml", "a b.yaml", "a.YML", "b.yaml", "c.json", "sub/a.yaml", "sub/deeper/z.Yaml"])


def test_hidden_files_hidden_folders_and_other_files_in_a_directory_are_passed_over(run):
    write(run.path / "filings" / "kept.yaml")
    for name in [".draft.yaml", ".git/config.yaml", "notes.txt", "README.md", "filing.yaml.bak", "yaml"]:
        write(run.path / "filings" / name, "not a filing: [\n")
    assert run("validate", "filings") == (0, "filings/kept.yaml: valid\n", "")


def test_a_folder_named_like_a_description_is_walked_not_read(run):
    write(run.path / "filings" / "2024.yaml" / "draft.yaml")
    assert run("validate", "filings") == (0, "filings/2024.yaml/draft.yaml: valid\n", "")


def test_files_keep_their_command_line_order_with_each_directory_in_its_place(run):
    for name in ["z.yaml", "dir/b.yaml", "dir/a.yaml", "m.yml"]:
        write(run.path / name)
    code, out, err = run("validate", "z.yaml", "dir", "m.yml")
    assert (code, out, err) == (0, "z.yaml: valid\ndir/a.yaml: valid\ndir/b.yaml: valid\nm.yml: valid\n", "")
    assert expand(["m.yml", "dir", "z.yaml"]).files == ["m.yml", "dir/a.yaml", "dir/b.yaml", "z.yaml"]


def test_a_file_named_on_the_command_line_is_read_whatever_its_name(run):
    """Only a directory's contents are chosen by suffix: a file the user names is read as YAML."""
    write(run.path / "filing.txt")
    assert run("validate", "filing.txt") == (0, "filing.txt: valid\n", "")


def test_a_directory_without_descriptions_is_refused_in_its_place_and_the_others_still_run(run):
    write(run.path / "first.yaml")
    write(run.path / "empty" / "notes.txt", "notes\n")
    write(run.path / "last.yaml")
    code, out, err = run("validate", "first.yaml", "empty", "last.yaml", "missing.yaml")
    assert (code, out) == (2, "first.yaml: valid\nlast.yaml: valid\n")
    assert err == ("empty: error [no-filings] at /: is a directory with no filing descriptions in it\n"
                   "  hint: give .yaml, .yml or .json files, or a directory that holds some\n"
                   "missing.yaml: error [no-such-file] at /: no such file\n"
                   "  hint: check the path\n")


def test_standard_input_may_be_named_only_once(run):
    assert run("check", "-", "x.yaml", "-") == (
        2, "", "precomment: - (standard input) may be given only once\n")


def test_a_dash_is_standard_input_even_beside_a_directory_called_dash(run):
    write(run.path / "-" / "inside.yaml")
    assert expand(["-"]).files == ["-"]


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


def test_standard_input_is_read_under_the_name_given(monkeypatch):
    _stdin(monkeypatch, FILER.encode())
    document = read("-", "draft.yaml")
    assert (document.source, document.data["filer"]["form"]) == ("draft.yaml", "20-F")


def test_standard_input_named_json_is_read_as_strict_json(monkeypatch):
    _stdin(monkeypatch, b'{"filer": {"name": "X",}}\n')
    with pytest.raises(InputError) as caught:
        read("-", "draft.json")
    assert [problem.render() for problem in caught.value.problems] == [
        ("draft.json:1:23: error [json-syntax] at /: JSON syntax: trailing comma before the end of an object\n"
        "  hint: remove this comma: JSON allows no trailing commas")]


def test_standard_input_past_the_size_limit_is_refused_having_read_only_one_byte_more(monkeypatch):
    stream = io.BytesIO(b"#" * (MAX_BYTES + 4096))
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=stream))
    with pytest.raises(InputError) as caught:
        read("-")
    assert [problem.render() for problem in caught.value.problems] == [
        (f"<stdin>: error [too-large] at /: is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,} bytes\n"
        "  hint: split the description or remove embedded text")]
    assert stream.tell() == MAX_BYTES + 1


SUMMARY = ("0 findings in 1 filing (0 error, 0 warning, 0 info); against the baseline: 0 new, 0 still open, 0 fixed; "
           "1 rule not assessed; not accounted for: Items 1, 2, 3, 4, 4A, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16A, "
           "16B, 16C, 16D, 16E, 16F, 16G, 16H, 16I, 16J, 16K, 18, 19. Gate: off (fail_on never from drafts/precomment.yaml).")


def test_a_directory_leaves_out_the_files_the_run_reads_as_something_else(run):
    """`check drafts --waivers drafts/waivers.yaml` read the waivers file as a filing and reported it invalid;
    so with the baseline, the configuration, rule files and the report of the last run kept beside the drafts.
    They are the run's other inputs (and output), named as such: the directory stands for the filings only."""
    drafts = run.path / "drafts"
    write(drafts / "draft.yaml")
    write(drafts / "waivers.yaml", "waivers: []\n")
    write(drafts / "precomment.yaml", "builtin_rules: false\nfail_on: never\n")
    write(drafts / "rules" / "rule.yaml", (ROOT / "rules/item4/dependence-analysis-missing.yaml").read_text("utf-8"))
    assert run("check", "drafts/draft.yaml", "--config", "drafts/precomment.yaml", "--rules", "drafts/rules",
               "--format", "json", "--output", "drafts/baseline.json")[0] == 0
    write(drafts / "report.json", (drafts / "baseline.json").read_text("utf-8"))  # the last run's report
    code, out, err = run("check", "drafts", "--waivers", "drafts/waivers.yaml", "--baseline", "drafts/baseline.json",
                         "--config", "drafts/precomment.yaml", "--rules", "drafts/rules",
                         "--format", "json", "--output", "drafts/report.json")
    # Nothing about the other files on standard error: only the summary line of a run that wrote every
    # report to a file, for the one filing checked.
    assert (code, out, err.splitlines()) == (0, "", [SUMMARY])
    report = json.loads((drafts / "report.json").read_text("utf-8"))
    assert [filing["source"] for filing in report["filings"]] == ["drafts/draft.yaml"]


def test_a_file_the_run_reads_as_something_else_is_still_a_filing_when_named_as_one(run):
    """Only the walk of a directory leaves the run's other inputs out: a file named as a filing is read as one."""
    write(run.path / "drafts" / "draft.yaml")
    write(run.path / "drafts" / "waivers.yaml", "waivers: []\n")
    code, out, err = run("check", "drafts", "drafts/waivers.yaml", "--waivers", "drafts/waivers.yaml",
                         "--format", "json")
    assert code == 2
    assert err.startswith("drafts/waivers.yaml:1:1: error [missing-key] at /: required key 'filer' is missing\n")
    assert [filing["source"] for filing in json.loads(out)["filings"]] == ["drafts/draft.yaml", "drafts/waivers.yaml"]
