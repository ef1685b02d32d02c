"""Bad filing descriptions: each file under tests/bad/ gives exactly the error text beside it
(NAME.err), exit 2, and never a traceback. `validate` reports the same problems."""
from __future__ import annotations

import pytest

from conftest import ROOT, expected_text

BAD = sorted(p for p in (ROOT / "tests" / "bad").iterdir() if p.suffix != ".err")


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_check_reports_the_exact_error(cli, path):
    relative = str(path.relative_to(ROOT))
    code, out, err = cli("check", relative)
    assert code == 2
    assert err == expected_text(path.with_suffix(".err"), err)
    assert "Traceback" not in err
    assert out.startswith(f"{relative}: not checked: ")
    assert out.endswith("could not be checked. Failed: bad input.\n")


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_validate_reports_the_same_error(cli, path):
    code, out, err = cli("validate", str(path.relative_to(ROOT)))
    assert (code, out) == (2, "")
    assert err == path.with_suffix(".err").read_text(encoding="utf-8")


def test_every_line_names_file_line_column_and_pointer():
    for path in BAD:
        for line in path.with_suffix(".err").read_text(encoding="utf-8").splitlines():
            if line.startswith("  hint: "):
                continue
            location, _, rest = line.partition(": error [")
            assert location.startswith("tests/bad/") and location.count(":") == 2, line
            assert "] at /" in rest, line


def test_missing_file_and_directory(cli):
    code, out, err = cli("check", "no/such/file.yaml", "tests/bad")
    assert code == 2
    assert err == ("no/such/file.yaml: error [no-such-file] at /: no such file\n"
                   "  hint: check the path\n"
                   "tests/bad: error [not-a-file] at /: is a directory, not a filing description\n"
                   "  hint: give the path of a .yaml or .json file\n")


def test_good_files_are_still_checked_beside_bad_ones(cli):
    code, out, err = cli("check", "filings/iij-fy2009-20f-amended.yaml", "tests/bad/unknown-key.yaml")
    assert code == 2
    assert "No findings." in out
    assert out.endswith("0 findings in 1 filing (0 error, 0 warning, 0 info); 1 file could not be checked. "
                        "Failed: bad input.\n")
    assert err == (ROOT / "tests/bad/unknown-key.err").read_text(encoding="utf-8")


def test_validate_accepts_the_bundled_filings(cli):
    code, out, err = cli("validate", "filings/iij-fy2009-20f.yaml", "filings/iij-fy2009-20f-amended.yaml")
    assert (code, err) == (0, "")
    assert out == "filings/iij-fy2009-20f.yaml: valid\nfilings/iij-fy2009-20f-amended.yaml: valid\n"


def test_size_limit_at_its_edge(cli, monkeypatch, tmp_path):
    from precomment import load

    text = "filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
    path = tmp_path / "edge.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(load, "MAX_BYTES", len(text.encode()))  # (rule files are held to it too: validate)
    assert cli("validate", str(path)) == (0, f"{path}: valid\n", "")
    monkeypatch.setattr(load, "MAX_BYTES", len(text.encode()) - 1)
    code, out, err = cli("validate", str(path))
    assert code == 2
    assert err == (f"{path}: error [too-large] at /: is {len(text)} bytes; the limit is {len(text) - 1} bytes\n"
                   "  hint: split the description or remove embedded text\n")


def test_hostile_nesting_and_alias_bombs_are_refused_quickly(tmp_path):
    from precomment.errors import InputError
    from precomment.load import load_text

    with pytest.raises(InputError) as caught:
        load_text("filer: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")
    assert caught.value.problems[0].code == "too-deep"
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(["*" + chr(96 + i)] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(InputError) as caught:
        load_text("\n".join(bomb) + "\n", "bomb.yaml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.line, problem.column, problem.pointer) == ("yaml-alias", 2, 8, "/b/0")
