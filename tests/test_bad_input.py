"""Bad filing descriptions: each file under tests/bad/ gives exactly the error text beside it
(NAME.err), exit 2, and never a traceback. `validate` reports the same problems. Inputs too large to
commit (past the size and value-count limits) are generated here, each limit tested at its edge."""
from __future__ import annotations

import codecs
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, expected_text
from documents import load_text
from precomment.errors import InputError, Problem
from precomment.sources import load, yaml_events
from precomment.validation import validate
from precomment.validation.fact_model import FILING_SCHEMA
from precomment.validation.validate import problems_in

BAD = sorted(p for p in (ROOT / "tests" / "bad").iterdir() if p.suffix != ".err")
FILER = "filer:\n  name: Example Filer Inc.\n  form: 20-F\n  fiscal_year_end: 2024-12-31\n"
HANG_GUARD_SECONDS = 60
"""Only a guard against a hang (an input that never finishes): the runs below take a few seconds even on a
busy machine. Speed is measured by benchmarks, never asserted by tests."""
MEMORY_LIMIT_MB = 200
"""The issue's bound on the memory any bad input may cost, as the child's peak resident set size."""


def test_the_catalogue_has_one_error_file_per_input():
    assert len(BAD) >= 62
    assert len({p.stem for p in BAD}) == len(BAD), "two inputs would share one NAME.err"
    errors = {p.stem for p in (ROOT / "tests" / "bad").glob("*.err")}
    assert errors == {p.stem for p in BAD}


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


def test_missing_file_and_a_directory_without_filings(cli, tmp_path):
    empty = tmp_path / "drafts"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a filing", encoding="utf-8")
    code, out, err = cli("check", "no/such/file.yaml", str(empty))
    assert code == 2
    assert err == ("no/such/file.yaml: error [no-such-file] at /: no such file\n"
                   "  hint: check the path\n"
                   f"{empty}: error [no-filings] at /: is a directory with no filing descriptions in it\n"
                   "  hint: give .yaml, .yml or .json files, or a directory that holds some\n")


def test_good_files_are_still_checked_beside_bad_ones(cli):
    code, out, err = cli("check", "filings/iij-fy2009-20f-amended.yaml", "tests/bad/unknown-key.yaml")
    assert code == 2
    assert "No findings, but 164 rules could not assess this filing (see Coverage)." in out
    assert out.endswith("0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed; 1 file could "
                        "not be checked. Failed: bad input.\n")
    assert err == (ROOT / "tests/bad/unknown-key.err").read_text(encoding="utf-8")


def test_validate_accepts_the_bundled_filings(cli):
    code, out, err = cli("validate", "filings/iij-fy2009-20f.yaml", "filings/iij-fy2009-20f-amended.yaml")
    assert (code, err) == (0, "")
    assert out == "filings/iij-fy2009-20f.yaml: valid\nfilings/iij-fy2009-20f-amended.yaml: valid\n"


def test_a_utf8_byte_order_mark_is_accepted_and_not_counted(cli, tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + FILER.encode())
    assert cli("validate", str(path)) == (0, f"{path}: valid\n", "")
    with_mark = load.load_file(path)
    assert (with_mark.data, with_mark.positions) == (load_text(FILER, "x").data, load_text(FILER, "x").positions)


_LAUNCHER = """\
import os, sys
child = os.posix_spawn(sys.executable, [sys.executable, "-m", "precomment", *sys.argv[2:]], os.environ)
_, status, usage = os.wait4(child, 0)
with open(sys.argv[1], "w", encoding="ascii") as result:
    result.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""
"""Starts `python -m precomment` from a fresh interpreter and reports its exit code and peak RSS. On Linux a
child's ru_maxrss starts from the peak RSS of the process it was spawned from (the kernel keeps the old
memory's high-water mark across exec, and a vfork child's old memory is its parent's): spawned straight
from pytest, the figure was pytest's own peak whenever that was higher (212 MB once other tests had run
first). From this small launcher it is the child's own, or the launcher's 10 MB."""


def run_measured(*args: str) -> tuple[int, str, str, float, float]:
    """Run `python -m precomment ARGS` from the repository root; returns its exit code, stdout, stderr,
    wall time in seconds and peak RSS in MB (the child's own: see _LAUNCHER)."""
    with tempfile.TemporaryDirectory() as scratch:
        result, out, err = (Path(scratch) / name for name in ("result", "out", "err"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            started = time.monotonic()
            launcher = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(result), *args], cwd=ROOT,
                                        stdout=stdout, stderr=stderr, start_new_session=True)
            guard = threading.Timer(HANG_GUARD_SECONDS, os.killpg, (launcher.pid, signal.SIGKILL))
            guard.start()
            try:
                launcher.wait()
            finally:
                guard.cancel()
            seconds = time.monotonic() - started
        assert launcher.returncode == 0, f"the launcher failed (killed by the hang guard?): {err.read_text()}"
        code, maxrss = map(int, result.read_text(encoding="ascii").split())
        texts = out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
    peak_mb = maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux
    return code, texts[0], texts[1], seconds, peak_mb


def test_the_whole_catalogue_in_one_process_is_refused_quickly_and_in_little_memory():
    code, out, err, seconds, peak_mb = run_measured("validate", *(str(p.relative_to(ROOT)) for p in BAD))
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert err == "".join(p.with_suffix(".err").read_text(encoding="utf-8") for p in BAD)
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-nesting-huge.yaml", "json-deep-nesting.json"])
def test_the_heaviest_catalogue_inputs_alone(name):
    code, out, err, seconds, peak_mb = run_measured("validate", f"tests/bad/{name}")
    assert (code, out) == (2, "")
    assert err == (ROOT / "tests" / "bad" / name).with_suffix(".err").read_text(encoding="utf-8")
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB


def test_nesting_a_million_levels_deep_is_refused_at_level_65(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("filer: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n", encoding="utf-8")
    code, out, err, seconds, peak_mb = run_measured("validate", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}:1:{8 + yaml_events.MAX_DEPTH}: error [too-deep] at /filer{'/0' * yaml_events.MAX_DEPTH}: "
                   f"nesting is deeper than {yaml_events.MAX_DEPTH} levels\n"
                   "  hint: a filing description needs fewer than 10 levels: flatten the structure\n")
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB


def test_a_json_file_past_the_value_limit_is_refused_without_decoding_it_whole(tmp_path):
    """json.loads would build three million mappings (over a gigabyte) before any limit applied. Refused,
    the file costs the values read up to the limit: an empty mapping and its place in the list (72 B) and
    its position (8 B) each."""
    path = tmp_path / "many.json"
    path.write_text('{"filer": [' + ",".join(["{}"] * 3_000_000) + "]}\n", encoding="utf-8")
    code, out, err, seconds, peak_mb = run_measured("validate", str(path))
    assert (code, out) == (2, "")
    column = len('{"filer": [') + 3 * (yaml_events.MAX_NODES - 2) + 1
    assert err == (f"{path}:1:{column}: error [too-many-values] at /filer/{yaml_events.MAX_NODES - 2}: the file holds more "
                   f"than {yaml_events.MAX_NODES:,} values\n"
                   "  hint: a filing description needs far fewer: check that this is the right file\n")
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB


def test_a_yaml_file_past_the_value_limit_is_refused_in_little_memory(tmp_path):
    """The same in YAML, a block list one item per line: there the values read stay in memory until the
    error is reported."""
    path = tmp_path / "many.yaml"
    path.write_text("filer:\n" + "- {}\n" * (yaml_events.MAX_NODES + 1_000_000), encoding="utf-8")
    code, out, err, seconds, peak_mb = run_measured("validate", str(path))
    assert (code, out) == (2, "")
    line = yaml_events.MAX_NODES  # the first item, /filer/0, is on line 2
    assert err == (f"{path}:{line}:3: error [too-many-values] at /filer/{yaml_events.MAX_NODES - 2}: the file holds more "
                   f"than {yaml_events.MAX_NODES:,} values\n"
                   "  hint: a filing description needs far fewer: check that this is the right file\n")
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB


def test_size_limit_at_its_edge(tmp_path):
    """A file of exactly MAX_BYTES is read (and here valid); one byte more is refused before reading."""
    at_limit = tmp_path / "at-limit.yaml"
    padding = load.MAX_BYTES - len(FILER) - len("#\n")
    at_limit.write_text(FILER + "#" + "x" * padding + "\n", encoding="utf-8")
    assert at_limit.stat().st_size == load.MAX_BYTES
    code, out, err, seconds, peak_mb = run_measured("validate", str(at_limit))
    assert (code, out, err) == (0, f"{at_limit}: valid\n", "")
    assert seconds < HANG_GUARD_SECONDS  # a hang guard, not a speed test
    assert peak_mb < MEMORY_LIMIT_MB

    over = tmp_path / "over.yaml"
    over.write_text(FILER + "#" + "x" * (padding + 1) + "\n", encoding="utf-8")
    code, out, err, seconds, peak_mb = run_measured("validate", str(over))
    assert (code, out) == (2, "")
    assert err == (f"{over}: error [too-large] at /: is 33,554,433 bytes; the limit is 33,554,432 bytes\n"
                   "  hint: split the description or remove embedded text\n")
    assert peak_mb < MEMORY_LIMIT_MB


def refusal(text: str, source: str = "t.yaml") -> tuple[str, int | None, int | None, str]:
    with pytest.raises(InputError) as caught:
        load_text(text, source)
    problem = caught.value.problems[0]
    return problem.code, problem.line, problem.column, problem.pointer


def test_depth_limit_at_its_edge():
    deepest = "filer: " + "[" * (yaml_events.MAX_DEPTH - 1) + "1" + "]" * (yaml_events.MAX_DEPTH - 1) + "\n"
    value = load_text(deepest, "t.yaml").data["filer"]
    for _ in range(yaml_events.MAX_DEPTH - 2):
        value = value[0]
    assert value == [1]  # the scalar is at level MAX_DEPTH
    too_deep = "filer: " + "[" * yaml_events.MAX_DEPTH + "1" + "]" * yaml_events.MAX_DEPTH + "\n"
    assert refusal(too_deep) == ("too-deep", 1, 8 + yaml_events.MAX_DEPTH, "/filer" + "/0" * yaml_events.MAX_DEPTH)


def _parsers() -> list[tuple[str, object, int | None]]:
    """The YAML parsers a user may have, as (name, loader, libyaml nesting limit to set or None). libyaml
    0.2.5 (PyYAML up to 6.0.3) has no nesting limit; 0.2.6 (PyYAML 6.0.4) refuses past 1,000 levels, and
    reads up to 1,024 characters ahead of the events it hands over; the pure-Python parser has no limit."""
    import yaml
    variants: list[tuple[str, object, int | None]] = [("pure-python", yaml.SafeLoader, None)]
    if getattr(yaml, "CSafeLoader", None) is not None:
        variants.append(("libyaml-as-installed", yaml.CSafeLoader, None))
        if hasattr(yaml._yaml, "_set_max_nest_level"):  # libyaml 0.2.6 and later
            variants += [("libyaml-limit-70", yaml.CSafeLoader, 70), ("libyaml-limit-1000", yaml.CSafeLoader, 1000),
                         ("libyaml-unlimited", yaml.CSafeLoader, 2**31 - 1)]
    return variants


@pytest.fixture(params=_parsers(), ids=lambda variant: variant[0])
def parser(request, monkeypatch):
    """Load with each YAML parser in turn (and libyaml's own nesting limit set, where it has one)."""
    import yaml
    name, loader, limit = request.param
    monkeypatch.setattr(yaml_events, "_PARSER", loader)
    if limit is not None:
        before = yaml._yaml._get_max_nest_level()
        yaml._yaml._set_max_nest_level(limit)
        request.addfinalizer(lambda: yaml._yaml._set_max_nest_level(before))
    return name


DEEP = {  # input, then the too-deep refusal it must get whatever the parser
    "flow": ("filer: " + "[" * 5000 + "]" * 5000 + "\n",
             ("too-deep", 1, 8 + yaml_events.MAX_DEPTH, "/filer" + "/0" * yaml_events.MAX_DEPTH)),
    "flow-a-million": ("filer: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
                       ("too-deep", 1, 8 + yaml_events.MAX_DEPTH, "/filer" + "/0" * yaml_events.MAX_DEPTH)),
    "flow-after-text-and-values": ("filer:\n  name: Société Générale 株式会社\n  x: [1, {a: " + "[" * 3000 + "]" * 3000 + "}]\n",
                                   ("too-deep", 3, 13 + yaml_events.MAX_DEPTH - 2,
                                    "/filer/x/1/a" + "/0" * (yaml_events.MAX_DEPTH - 3))),
    "flow-mappings": ("filer: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
                      ("too-deep", 1, 8 + 4 * yaml_events.MAX_DEPTH, "/filer" + "/a" * yaml_events.MAX_DEPTH)),
    "json": ('{"filer": ' + "[" * 3000 + "]" * 3000 + "}\n",
             ("too-deep", 1, 11 + yaml_events.MAX_DEPTH, "/filer" + "/0" * yaml_events.MAX_DEPTH)),
    "block": ("filer:\n" + "".join(" " * i + "x:\n" for i in range(1, 1200)) + " " * 1200 + "x: 1\n",
              ("too-deep", 2 + yaml_events.MAX_DEPTH, 2 + yaml_events.MAX_DEPTH, "/filer" + "/x" * yaml_events.MAX_DEPTH)),
    "block-sequences-on-one-line": ("- " * 3000 + "x\n",
                                    ("too-deep", 1, 1 + 2 * (yaml_events.MAX_DEPTH + 1), "/0" * (yaml_events.MAX_DEPTH + 1))),
}


@pytest.mark.parametrize("shape", DEEP)
def test_too_deep_is_refused_at_the_level_that_crosses_the_limit_whatever_the_parser(parser, shape):
    """The depth limit is precomment's, not the parser's: a parser that reads ahead of its events and gives
    up on a nesting limit of its own (libyaml 0.2.6) must not turn `too-deep` into a syntax error."""
    text, expected = DEEP[shape]
    source = "t.json" if shape == "json" else "t.yaml"
    assert refusal(text, source) == expected


@pytest.mark.parametrize("name", ["deep-nesting.yaml", "deep-nesting-block.yaml", "deep-nesting-huge.yaml",
                                  "json-deep-nesting.json"])
def test_the_catalogue_nesting_errors_whatever_the_parser(parser, name):
    path = ROOT / "tests" / "bad" / name
    with pytest.raises(InputError) as caught:
        load.load_file(path)
    rendered = "".join(problem.render() + "\n" for problem in caught.value.problems)
    assert rendered == path.with_suffix(".err").read_text(encoding="utf-8").replace(f"tests/bad/{name}", str(path))


def test_a_syntax_error_is_still_a_syntax_error_whatever_the_parser(parser):
    """Reading the text before a parser error again finds nothing to refuse there: the syntax error stands."""
    shallow = "filer: [[[1, 2]]\nitem3: {}\n"
    deep_but_allowed = "filer: " + "[" * (yaml_events.MAX_DEPTH - 1) + "1" + "]" * (yaml_events.MAX_DEPTH - 2) + "\n"
    for text in (shallow, deep_but_allowed):
        code, line, column, pointer = refusal(text)
        assert (code, pointer) == ("yaml-syntax", "")


@pytest.mark.parametrize(("text", "line", "column", "kind"), [
    ('{"filer": {"name": "X",}}', 1, 23, "an object"),
    ('{"filer": {"name": "X"},\n}', 1, 24, "an object"),
    ('{"filer": {"names": ["X", "Y" , ]}}', 1, 31, "a list"),
    ('{"filer": {"names": [1,\n\n  ]}}', 1, 23, "a list"),
])
def test_a_trailing_comma_is_told_the_same_way_on_every_python(text, line, column, kind):
    """Python 3.13's json says "Illegal trailing comma" at the comma; 3.11 and 3.12 point at the bracket
    after it with another message. The error is precomment's, at the comma, whichever Python runs it."""
    with pytest.raises(InputError) as caught:
        load_text(text, "t.json")
    (problem,) = caught.value.problems
    assert problem.render() == (f"t.json:{line}:{column}: error [json-syntax] at /: JSON syntax: trailing comma "
                                f"before the end of {kind}\n  hint: remove this comma: JSON allows no trailing commas")


def test_value_count_limit_at_its_edge():
    def items(count: int) -> str:  # the top mapping and the list are two values, the items the rest
        return "filer: [" + ",".join(["1"] * (count - 2)) + "]\n"
    assert len(load_text(items(yaml_events.MAX_NODES), "t.yaml").data["filer"]) == yaml_events.MAX_NODES - 2
    column = len("filer: [") + 2 * (yaml_events.MAX_NODES - 2) + 1
    assert refusal(items(yaml_events.MAX_NODES + 1)) == ("too-many-values", 1, column, f"/filer/{yaml_events.MAX_NODES - 2}")


def test_path_length_limit_at_its_edge():
    key = "k" * (yaml_events.MAX_POINTER_LENGTH - 1)  # "/" + key is the whole path
    assert load_text(f"{key}: 1\n", "t.yaml").positions[f"/{key}"] == (1, len(key) + 3)
    code, line, column, pointer = refusal(f"{key}k: 1\n")
    assert (code, line, column, pointer) == ("path-too-long", 1, 1, "/" + "k" * 79 + "...")


def test_positions_by_json_pointer_and_the_nearest_enclosing_node():
    """Kept in a tree, not a dict, yet read as one: pointers escape `/` and `~` in keys, list indexes are
    plain decimals, and a pointer to nothing locates its nearest enclosing node (its key, if preferred)."""
    text = "filer:\n  name: Example\n  a/b: [x, {c~d: 1}]\nlist:\n  - 1\n  - {}\n"
    document = load_text(text, "t.yaml")
    assert dict(document.positions.items()) == {
        "": (1, 1), "/filer": (2, 3), "/filer/name": (2, 9), "/filer/a~1b": (3, 8), "/filer/a~1b/0": (3, 9),
        "/filer/a~1b/1": (3, 12), "/filer/a~1b/1/c~0d": (3, 18), "/list": (5, 3), "/list/0": (5, 5), "/list/1": (6, 5)}
    assert dict(document.key_positions.items()) == {
        "/filer": (1, 1), "/filer/name": (2, 3), "/filer/a~1b": (3, 3), "/filer/a~1b/1/c~0d": (3, 13), "/list": (4, 1)}
    asked = [("/filer/a~1b/1/c~0d/more", False), ("/filer/a~1b/1/c~0d/more", True), ("/filer/a/b", False),
             ("/list/01", False), ("/list/2", False), ("/list/1/x", False), ("/list/0", True), ("/other", True)]
    assert [document.locate(pointer, prefer_key) for pointer, prefer_key in asked] == [
        (3, 18), (3, 13), (2, 3), (5, 3), (5, 3), (6, 5), (5, 5), (1, 1)]
    assert "/filer/a/b" not in document.positions and "/list/0" not in document.key_positions
    again = pickle.loads(pickle.dumps(document))  # the rule cache pickles rules' positions
    assert (again.positions, again.key_positions) == (document.positions, document.key_positions)
    wide = load_text("{" + ", ".join(f"k{i}: {i}" for i in range(20)) + "}\n", "t.yaml")  # keys indexed
    assert [wide.locate("/k0"), wide.locate("/k19"), wide.locate("/k19", True), wide.locate("/k20")] == [
        (1, 6), (1, 158), (1, 153), (1, 1)]


@pytest.mark.parametrize("value", ["!!int ''", "!!bool maybe", "!!float ''"])
def test_a_standard_tag_that_does_not_fit_its_value_is_refused(value):
    """PyYAML's own constructors raise IndexError, KeyError or ValueError here: none may escape."""
    assert refusal(f"a: {value}\n") == ("yaml-value", 1, 4, "/a")


def test_hostile_nesting_and_alias_bombs_are_refused_quickly():
    assert refusal("filer: " + "[" * 5000 + "]" * 5000 + "\n")[0] == "too-deep"
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(["*" + chr(96 + i)] * 9) + "]" for i in range(1, 10)]
    assert refusal("\n".join(bomb) + "\n") == ("yaml-alias", 2, 8, "/b/0")


def percent_problems(percent: float, rights: int = 0) -> list[Problem]:
    holder = (f"{{name: Example Capital LP, shares: 50000, percent_of_class: {percent}, "
              f"rights_within_60_days: {rights}}}")
    text = FILER + f"item7:\n  major_shareholders:\n    shares_outstanding: 205000\n    holders:\n      - {holder}\n"
    return problems_in(load_text(text, "t.yaml"), FILING_SCHEMA)


def test_percentage_tolerance_at_its_edge():
    """50,000 of 205,000 shares is 24.3902%: 24.44 and 24.35 are within 0.05 points, 24.45 and 24.34 are
    not; a whole number is allowed one point (24 and 25 pass, 26 does not)."""
    assert percent_problems(24.44) == percent_problems(24.35) == percent_problems(24) == percent_problems(25) == []
    for stated, tolerance in ((24.45, "0.05 points"), (24.34, "0.05 points"), (26, "1 point")):
        (problem,) = percent_problems(stated)
        assert problem.render() == (
            f"t.yaml:9:69: error [inconsistent] at /item7/major_shareholders/holders/0/percent_of_class: "
            f"percent_of_class {stated} does not agree with 50,000 shares of 205,000 outstanding (24.39%)\n"
            f"  hint: correct the percentage, the shares or shares_outstanding (a difference of up to {tolerance} "
            "is accepted as rounding)")


def test_percentage_may_count_the_holders_rights_either_way():
    """With 5,000 rights to acquire: 50,000 / 210,000 = 23.81% (rights in the shares outstanding only) up to
    55,000 / 210,000 = 26.19% (in both); 24.39% (in neither) also passes."""
    assert percent_problems(23.81, 5000) == percent_problems(26.19, 5000) == percent_problems(24.39, 5000) == []
    (problem,) = percent_problems(26.3, 5000)
    assert problem.message == ("percent_of_class 26.3 does not agree with 50,000 shares of 205,000 outstanding "
                               "(between 23.81% and 26.19%, depending on how its 5,000 rights to acquire are counted)")


@pytest.mark.parametrize("bad, reported", [(validate.MAX_PROBLEMS - 1, validate.MAX_PROBLEMS - 1),
                                           (validate.MAX_PROBLEMS + 200, validate.MAX_PROBLEMS)])
def test_schema_problems_stop_at_their_limit(bad, reported):
    """A wrong file may hold hundreds of thousands of schema errors; at most MAX_PROBLEMS are explained,
    then one line says the report stopped."""
    exhibits = "".join(f"    - {{number: 'x{i}', title: T, kind: other}}\n" for i in range(bad))
    text = f"filer: {{name: X, form: 20-F, fiscal_year_end: 2024-12-31}}\nitem19:\n  exhibits:\n{exhibits}"
    problems = validate.problems_in(load_text(text, "many.yaml"), "filing.schema.json")
    assert [p.code for p in problems[:reported]] == ["bad-value"] * reported
    if bad > validate.MAX_PROBLEMS:
        assert len(problems) == reported + 1
        assert problems[-1].render() == (
            f"many.yaml: error [too-many-problems] at /: stopped after {validate.MAX_PROBLEMS:,} problems; there "
            "may be more\n  hint: fix these first: a file with this many problems is probably not a filing description")
    else:
        assert len(problems) == reported


PAIR_HINT = ("a character beyond U+FFFF is escaped as two halves, such as \\ud842\\udfb7 for \U00020BB7: write both, "
             "or the character itself (the file is UTF-8)")


def test_a_json_surrogate_pair_is_the_one_character_it_escapes(parser):
    """JSON writes a character beyond U+FFFF as two \\u escapes (Python's json.dumps does by default): it is
    read as that character, and what follows on the line keeps its own column."""
    text = '{"a": "A \\ud842\\udfb7 B \\uD83D\\uDE00", "b": 1, "c": "\\\\ud842", "d":\n "\\ud842\\udfb7", "a": 2}'
    with pytest.raises(InputError) as caught:  # the duplicate key, found after two pairs on its line
        load_text(text, "t.json")
    assert caught.value.problems[0].render() == ("t.json:2:18: error [duplicate-key] at /a: duplicate key 'a'\n"
                                                 "  hint: 'a' is already defined at line 1, column 2; keep one of them")
    document = load_text(text.replace(', "a": 2}', "}"), "t.json")
    assert document.data == {"a": "A \U00020BB7 B \U0001F600", "b": 1, "c": "\\ud842", "d": "\U00020BB7"}
    assert [document.positions[p] for p in ("/b", "/c", "/d")] == [(1, 45), (1, 53), (2, 2)]
    assert document.key_positions["/c"] == (1, 48)


@pytest.mark.parametrize("escape, message", [
    ("\\ud842", "\\ud842 is the first half of a surrogate pair, without the second"),
    ("\\ud842\\u0041", "\\ud842 is the first half of a surrogate pair, without the second"),
    ("\\uDFB7", "\\udfb7 is the second half of a surrogate pair, without the first"),
])
def test_a_lone_json_surrogate_is_refused_at_its_escape(parser, escape, message):
    text = '{"name": "X", "a": "x ' + escape + ' y", "b": "\\ud842\\udfb7"}'
    with pytest.raises(InputError) as caught:
        load_text(text, "t.json")
    problem = caught.value.problems[0]
    assert (problem.code, problem.message, problem.hint) == ("json-syntax", f"JSON syntax: {message}", PAIR_HINT)
    # libyaml refuses the escape itself; the pure-Python parser reads it, and its string is refused
    assert (problem.line, problem.column, problem.pointer) in ((1, 23, ""), (1, 20, "/a"))


def test_an_earlier_json_error_comes_before_a_lone_surrogate(parser):
    with pytest.raises(InputError) as caught:
        load_text('{"a": 1,, "b": "\\ud842"}', "t.json")
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [(1, 9, "json-syntax")]


@pytest.mark.parametrize("escape, message, hint", [
    ("\\ud842\\udfb7", "\\ud842\\udfb7 is a surrogate pair, which YAML does not read as a character",
     "write the character itself, or escape it as \\U00020BB7 (\\U and 8 hex digits)"),
    ("\\ud842", "\\ud842 is half of a surrogate pair, which is no character",
     "write the character itself, or escape it with \\U and 8 hex digits, such as \\U00020BB7 for \U00020BB7"),
])
def test_a_surrogate_escape_in_yaml_is_refused_with_the_escape_yaml_reads(parser, escape, message, hint):
    with pytest.raises(InputError) as caught:
        load_text(f'name: "x {escape}"\n', "t.yaml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.message, problem.hint) == ("yaml-syntax", f"YAML syntax: {message}", hint)
    assert (problem.line, problem.column) in ((1, 10), (1, 7))  # libyaml: at the escape; pure Python: its string
    assert "\\" + "\\" not in problem.message
