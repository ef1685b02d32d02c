"""`precomment extract` and `check DOCUMENT` as a user runs them: a commented description that loads back to what
was read and validates, a sidecar of exact spans, files never replaced, findings with the document's pages,
and a document precomment cannot read refused with what it could not read."""
from __future__ import annotations

import json
import re
import shutil

import yaml
from conftest import AEGON, LONCOR, MUESTRA, ROOT, runner_in
from precomment.documents.read import read_document
from precomment.extraction.assemble import extract
from precomment.extraction.overlay import read_description
from precomment.validation.fact_model import FILING_SCHEMA
from precomment.validation.validate import check

ANSWERS = ROOT / "tests" / "data" / "real" / "loncor.answers.yaml"


def test_extract_writes_a_commented_description_that_loads_back_and_validates(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    code, out, err = run("extract", str(LONCOR), "-o", "loncor.yaml")
    assert (code, out) == (0, "")
    assert re.fullmatch(r"wrote loncor\.yaml and loncor\.sources\.json: \d+ values read from .*loncor-20f-fy2015-"
                        r"0001062993-16-008650\.html \(\d+ drafts to confirm\)\. Answer the TODOs, then run .*\n", err)
    text = (tmp_path / "loncor.yaml").read_text(encoding="utf-8")
    read = extract(read_document(str(LONCOR)))
    assert yaml.safe_load(text) == json.loads(json.dumps(read.description, default=str))  # the same description
    check(read_description(read, None), FILING_SCHEMA)  # valid as written
    # each value with where and how it was read; the judgements left as questions
    assert "  name: LONCOR RESOURCES INC.  # read, unnumbered page, line 30\n" in text
    assert "    - number: '4.1'  # read, page 82, line" in text
    assert "      # TODO ordinary_course: " in text
    assert "# Not found: " in text


def test_the_sidecar_gives_each_values_exact_source_text(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    assert run("extract", str(LONCOR), "-o", "loncor.yaml")[0] == 0
    sidecar = json.loads((tmp_path / "loncor.sources.json").read_text(encoding="utf-8"))
    values = sidecar["values"]
    assert values["/filer/fiscal_year_end"]["value"] == "2015-12-31"
    caption = values["/item3/risk_factors/3/caption"]
    assert (caption["page"], caption["confidence"]) == ("7", "read") and caption["text"] == caption["value"]
    # every value written has its source, and every source's text is in its block
    assert all(record["confidence"] in ("read", "draft") for record in values.values())


def test_extract_never_replaces_a_file_or_the_document(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "loncor.yaml").write_text("mine\n", encoding="utf-8")
    code, _, err = run("extract", str(LONCOR), "-o", "loncor.yaml")
    assert code == 2 and "loncor.yaml already exists; precomment extract never overwrites a file" in err
    assert (tmp_path / "loncor.yaml").read_text(encoding="utf-8") == "mine\n"
    shutil.copy(LONCOR, tmp_path / "draft.htm")
    code, _, err = run("extract", "draft.htm", "-o", "draft.htm", "--force")
    assert code == 2 and "is also an input of this run" in err
    assert (tmp_path / "draft.htm").read_bytes() == LONCOR.read_bytes()


def test_check_on_the_document_cites_its_pages_and_the_answers_lines(cli):
    code, out, _ = cli("check", str(LONCOR), "--answers", str(ANSWERS), "--format", "json")
    report = json.loads(out)
    findings = {f["rule_id"]: f for f in report["filings"][0]["findings"]}
    assert code == 1 and sorted(findings) == ["PC-19-014", "PC-3-001", "PC-GEN-003"]
    assert (findings["PC-3-001"]["page"], findings["PC-3-001"]["line"]) == ("7", 1630)  # the caption's page, line
    assert (findings["PC-19-014"]["page"], findings["PC-19-014"]["subject"]) == ("82", "Exhibit 12.1")
    assert findings["PC-GEN-003"]["page"] == "41"


def test_an_answers_file_beside_the_document_is_used(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    shutil.copy(LONCOR, tmp_path / "draft.htm")
    shutil.copy(ANSWERS, tmp_path / "draft.answers.yaml")
    code, out, _ = run("check", "draft.htm", "--format", "csv")
    assert code == 1 and "PC-19-014" in out and "PC-3-001" in out
    code, out, _ = run("check", ".", "--format", "csv")  # a directory: the answers file is no description
    assert code == 2  # a directory stands for the descriptions in it: none here, the answers file is not one


def test_inline_xbrl_cover_comes_from_its_dei_facts(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    code, out, _ = run("extract", str(MUESTRA))
    assert code == 0
    described = yaml.safe_load(out)
    assert described["filer"]["name"] == "MUESTRA AIRLINES GROUP S.A." and described["filer"]["cik"] == "9876543210"
    assert described["document"]["format"] == "ixbrl"
    assert "# read, unnumbered page, line " in out and "dei:EntityRegistrantName" in out


def test_a_text_only_filing_is_refused_saying_what_could_not_be_read(cli):
    code, out, err = cli("check", str(AEGON))
    assert code == 2
    assert "error [text-only]" in err and "hint:" in err
    assert "1 file could not be checked" in out


def test_coverage_says_what_came_from_the_document_and_the_answers_and_what_is_open(cli):
    code, out, _ = cli("coverage", str(LONCOR), "--answers", str(ANSWERS))
    assert code == 0
    assert re.search(r"\nValues: (\d+) read from the document \((\d+) as printed, (\d+) drafts to confirm\), 9 from "
                     r"the answers file; \d+ fields the rules need still open", out)
    code, out, _ = cli("coverage", str(LONCOR), "--answers", str(ANSWERS), "--format", "json")
    values = json.loads(out)["filings"][0]["values"]
    assert values["answers"] == 9 and values["read"] > 400 and values["draft"] > 0
    code, out, _ = cli("coverage", "filings/iij-fy2009-20f.yaml", "--format", "json")
    assert "values" not in json.loads(out)["filings"][0]  # a description written by hand: all its own
