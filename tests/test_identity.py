"""Finding identity: a finding is its rule and its subject's key (what the subject is: Exhibit 4.2, Koichi
Suzuki), not its JSON pointer (where it sits in a list). Inserting, deleting and reordering list items
leaves waivers and baselines on the same findings, and fingerprints unchanged; old pointer-only waivers and
key-less baselines still work as before, with a warning. As a user sees it: exit codes, standard error and
the JSON report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import IIJ, ROOT, runner_in
from precomment.facts.keys import is_key, item_keys

CARRIER = '{number: "4.1", title: Carrier Agreement, kind: carrier_agreement, ordinary_course: false}'
VENTURE = '{number: "4.2", title: Joint Venture Contract, kind: material_contract, ordinary_course: false}'
LICENCE = '{number: "4.3", title: Trademark Licence, kind: license_agreement, ordinary_course: false}'
ARTICLES = '{number: "1.1", title: Articles of Incorporation, kind: articles}'
OFFICE = '{number: "4.0", title: Office Lease, kind: lease, ordinary_course: false}'
VENTURE_KEY = "item19.exhibits[4.2]"
REASON = "    reason: The joint venture contract is discussed in Item 4.B.\n"
HOLDER = "      - {name: Hana Mori, role: director, position: Director, shares: 500, less_than_one_percent: true}\n"
RISK = "    - caption: Earthquakes in Tokyo could disrupt our network\n      page: 5\n"


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    return runner_in(tmp_path, monkeypatch, capsys)


def exhibits_filing(path: Path, *exhibits: str) -> str:
    """A small filing whose Item 19 lists `exhibits`; each contract exhibit is a PC-10-002 finding (Item 10.C
    is described, and discusses no contract)."""
    items = "".join(f"    - {exhibit}\n" for exhibit in exhibits)
    path.write_text("format_version: 1\nfiler: {name: Acme Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
                    "item10: {material_contracts: {contracts: []}}\n"
                    f"item19:\n  exhibits:\n{items}", encoding="utf-8")
    return path.name


def waivers(path: Path, *entries: str) -> str:
    path.write_text("waivers:\n" + "".join(entries), encoding="utf-8")
    return path.name


def findings(out: str) -> list[dict]:
    return json.loads(out)["filings"][0]["findings"]


def waived(out: str) -> list[tuple[str, str]]:
    """(subject, pointer) of each waived finding."""
    return [(f["subject"], f["pointer"]) for f in findings(out) if f["waiver"]]


def iij_edited(directory: Path, old: str, new: str) -> str:
    """The IIJ description with `old` (found once) replaced by `new`, written under `directory`."""
    text = (ROOT / IIJ).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = directory / "iij-draft.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


# --- keys -------------------------------------------------------------------------------------------------

def test_a_finding_carries_its_subjects_key_beside_its_pointer(cli):
    status, out, err = cli("check", IIJ, "--format", "json")
    keys = {f["pointer"]: f["key"] for f in findings(out)}
    assert keys["/item6/share_ownership/holders/1"] == "item6.share_ownership.holders[Akihisa Watai]"
    assert keys["/item5/operating_results/revenue_lines/0/amounts/2"] == (
        "item5.operating_results.revenue_lines[equipment sales].amounts[2009]")
    assert keys["/item4/property"] == "item4.property", "a fact outside any list is keyed by its path"
    assert keys["/item3/risk_factors/1/dependencies/5"] == (
        "item3.risk_factors[We rely greatly on other telecommunications carriers and other suppliers, and could be "
        "affected by disruptions].dependencies[Juniper Networks]")
    assert all(is_key(key) for key in keys.values())


def test_brackets_and_bars_in_a_key_value_are_escaped_and_a_waiver_can_name_them(run):
    path = iij_edited(run.path, "- name: Akihisa Watai", '- name: "Akihisa [A|W] Watai"')
    status, out, err = run("check", path, "--format", "json")
    key = "item6.share_ownership.holders[Akihisa [A\\|W\\] Watai]"
    assert key in [f["key"] for f in findings(out)]
    entry = f"  - rule: PC-6-001\n    key: '{key}'\n{REASON}"
    status, out, err = run("check", path, "--waivers", waivers(run.path / "w.yaml", entry), "--format", "json")
    assert (err, waived(out)) == ("", [("Akihisa [A|W] Watai", "/item6/share_ownership/holders/1")])


def test_several_key_fields_are_separated_by_a_bar_and_an_absent_one_is_left_empty():
    changes = [{"from_year": 2008, "to_year": 2009}, {"from_year": 2009}]
    assert item_keys("changes", changes, ("from_year", "to_year")) == ["changes[2008|2009]", "changes[2009|]"]


# --- waivers follow their finding -------------------------------------------------------------------------

@pytest.mark.parametrize("edit, pointer", [
    ((ARTICLES, OFFICE, CARRIER, VENTURE, LICENCE), "/item19/exhibits/3"),  # two inserted above it
    ((CARRIER, LICENCE), None),  # it deleted: below
    ((CARRIER, VENTURE), "/item19/exhibits/1"),  # another deleted
    ((LICENCE, VENTURE, CARRIER), "/item19/exhibits/1"),  # reordered
    ((VENTURE, CARRIER, LICENCE), "/item19/exhibits/0"),
])
def test_a_waiver_by_key_stays_with_its_exhibit_whatever_happens_to_the_list(run, edit, pointer):
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n    key: {VENTURE_KEY}\n{REASON}")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", CARRIER, VENTURE, LICENCE), "--waivers", path,
                           "--format", "json")
    assert (err, waived(out)) == ("", [("Exhibit 4.2", "/item19/exhibits/1")])
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", *edit), "--waivers", path, "--format", "json")
    if pointer is None:
        assert waived(out) == []
        assert err == ("w.yaml:2:5: warning [unused-waiver] at /: the waiver of PC-10-002 at item19.exhibits[4.2] "
                       "matched no finding\n"
                       "  hint: remove it if the finding was fixed, or correct its rule, key or filing\n")
    else:
        assert (err, waived(out)) == ("", [("Exhibit 4.2", pointer)])


def test_an_old_pointer_waiver_applies_by_position_as_before_and_says_which_key_to_write(run):
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n    pointer: /item19/exhibits/1\n{REASON}")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", CARRIER, VENTURE, LICENCE), "--waivers", path,
                           "--format", "json")
    assert waived(out) == [("Exhibit 4.2", "/item19/exhibits/1")]
    assert err == ("w.yaml:2:5: warning [pointer-waiver] at /: the waiver of PC-10-002 names its finding by the pointer "
                   "/item19/exhibits/1, which moves to another subject when an item is inserted above it; it covers "
                   "item19.exhibits[4.2]\n"
                   "  hint: write `key: item19.exhibits[4.2]` instead of `pointer:`\n")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", OFFICE, CARRIER, VENTURE, LICENCE),
                           "--waivers", path, "--format", "json")
    assert waived(out) == [("Exhibit 4.1", "/item19/exhibits/1")], "by position, as before keys"
    assert "it covers item19.exhibits[4.1]\n" in err, "the warning names the exhibit it now covers"


def test_an_old_pointer_waiver_with_a_fingerprint_recorded_before_keys_still_matches(cli, tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - rule: PC-19-003\n    pointer: /item4/property/leases/0\n"
                    "    fingerprint: '7572186aac3aae21'\n" + REASON, encoding="utf-8")
    status, out, err = cli("check", IIJ, "--waivers", str(path), "--format", "json")
    assert waived(out) == [("head office", "/item4/property/leases/0")]
    assert err == (f"{path}:2:5: warning [pointer-waiver] at /: the waiver of PC-19-003 names its finding by the "
                   "pointer /item4/property/leases/0, which moves to another subject when an item is inserted above "
                   "it; it covers item4.property.leases[head office]\n"
                   "  hint: write `key: item4.property.leases[head office]` and `fingerprint: 'bff4c9947a6c7e8e'` "
                   "instead of `pointer:`\n")
    [lease] = [f for f in findings(out) if f["rule_id"] == "PC-19-003"]
    assert lease["fingerprint"] == "bff4c9947a6c7e8e"


def test_with_both_key_and_pointer_the_key_decides_and_a_moved_pointer_is_warned_about(run):
    path = waivers(run.path / "w.yaml",
                   f"  - rule: PC-10-002\n    key: {VENTURE_KEY}\n    pointer: /item19/exhibits/1\n{REASON}")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", CARRIER, VENTURE, LICENCE), "--waivers", path,
                           "--format", "json")
    assert (err, waived(out)) == ("", [("Exhibit 4.2", "/item19/exhibits/1")])
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", OFFICE, CARRIER, VENTURE, LICENCE),
                           "--waivers", path, "--format", "json")
    assert waived(out) == [("Exhibit 4.2", "/item19/exhibits/2")]
    assert err == ("w.yaml:2:5: warning [moved-pointer] at /: the waiver's pointer /item19/exhibits/1 is out of date: "
                   "item19.exhibits[4.2] is now at /item19/exhibits/2; the waiver applies by its key\n"
                   "  hint: remove `pointer:`: the key names the finding\n")


def test_a_key_that_is_not_one_is_bad_input(run):
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n    key: item19.exhibits[4.2\n{REASON}")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", VENTURE), "--waivers", path)
    assert (status, out) == (2, "")
    assert err.startswith("w.yaml:3:10: error [bad-key] at /waivers/0/key: 'item19.exhibits[4.2' is not a finding key\n"
                          "  hint: write the key as the report's `key` shows it, e.g. item19.exhibits[4.4]: ")


def test_a_waiver_naming_neither_key_nor_pointer_is_bad_input(run):
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n{REASON}")
    status, out, err = run("check", exhibits_filing(run.path / "f.yaml", VENTURE), "--waivers", path)
    assert (status, out) == (2, "")
    assert err == ("w.yaml:2:5: error [missing-key] at /waivers/0: required key 'key' is missing\n"
                   "  hint: add 'key': the finding's `key` from the report, e.g. item19.exhibits[4.4] (a waiver written "
                   "before keys names its `pointer` instead)\n")


# --- duplicate keys ---------------------------------------------------------------------------------------

def test_siblings_sharing_a_key_are_told_apart_by_occurrence_and_a_plain_key_waives_neither(run):
    twin = '{number: "4.2", title: Second Joint Venture Contract, kind: material_contract, ordinary_course: false}'
    filing = exhibits_filing(run.path / "f.yaml", CARRIER, VENTURE, twin)
    status, out, err = run("check", filing, "--format", "json")
    assert [f["key"] for f in findings(out)] == ["item19.exhibits[4.1]", "item19.exhibits[4.2]#1",
                                                 "item19.exhibits[4.2]#2"]
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n    key: {VENTURE_KEY}\n{REASON}")
    status, out, err = run("check", filing, "--waivers", path, "--format", "json")
    assert (status, waived(out)) == (1, [])
    assert err == ("w.yaml:2:5: warning [ambiguous-waiver] at /: the waiver of PC-10-002 at item19.exhibits[4.2] "
                   "waives nothing in f.yaml: subjects there share that key, so each is named with its occurrence "
                   "(item19.exhibits[4.2]#1, item19.exhibits[4.2]#2)\n"
                   "  hint: give each its own key in the filing (two exhibits may not share a number), or write the "
                   "key of the one meant, occurrence included\n")
    path = waivers(run.path / "w.yaml", f"  - rule: PC-10-002\n    key: '{VENTURE_KEY}#2'\n{REASON}")
    status, out, err = run("check", filing, "--waivers", path, "--format", "json")
    assert (err, waived(out)) == ("", [("Exhibit 4.2", "/item19/exhibits/2")])


# --- fingerprints -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    ("    holders:                                                                       # share counts illustrative\n",
     "    holders:\n" + HOLDER),
    ("  risk_factors:\n", "  risk_factors:\n" + RISK),
])
def test_inserting_an_unrelated_item_changes_no_fingerprint(cli, tmp_path, old, new):
    before = {(f["rule_id"], f["key"]): f for f in findings(cli("check", IIJ, "--format", "json")[1])}
    edited = iij_edited(tmp_path, old, new)
    after = {(f["rule_id"], f["key"]): f for f in findings(cli("check", edited, "--format", "json")[1])}
    assert any(after[identity]["pointer"] != f["pointer"] for identity, f in before.items()), \
        "the insertion moved findings' pointers"
    assert {identity: after[identity]["fingerprint"] for identity in before} == {
        identity: f["fingerprint"] for identity, f in before.items()}


# --- baselines --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, inserted", [
    ("    holders:                                                                       # share counts illustrative\n",
     "    holders:\n" + HOLDER, "holders[Hana Mori]"),
    ("  risk_factors:\n", "  risk_factors:\n" + RISK, "risk_factors[Earthquakes in Tokyo"),
])
def test_a_baseline_matches_findings_by_key_whatever_was_inserted_above_them(cli, tmp_path, old, new, inserted):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(cli("check", IIJ, "--format", "json")[1], encoding="utf-8")
    status, out, err = cli("check", iij_edited(tmp_path, old, new), "--baseline", str(baseline), "--format", "json")
    assert err == ""
    filing = json.loads(out)["filings"][0]
    new_ones = [f["key"] for f in filing["findings"] if f["baseline"] == "new"]
    assert all(inserted in key for key in new_ones), "only the inserted item's findings are new"
    assert filing["fixed"] == [], "nothing moved is taken for fixed"
    assert sum(1 for f in filing["findings"] if f["baseline"] == "open") == 45


def test_a_baseline_written_before_keys_is_matched_by_pointer_with_a_warning(cli, tmp_path):
    report = json.loads(cli("check", IIJ, "--format", "json")[1])
    for finding in report["filings"][0]["findings"]:
        del finding["key"]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(report), encoding="utf-8")
    status, out, err = cli("check", IIJ, "--baseline", str(baseline), "--format", "json")
    assert err == (f"{baseline}: warning [keyless-baseline] at /: the baseline was written before findings had keys: "
                   "its findings are matched by pointer, so one that an inserted item has moved shows as fixed and "
                   "again as new\n"
                   "  hint: save this check's JSON report as the new baseline to match findings by their keys\n")
    counts = json.loads(out)["summary"]["baseline"]
    assert (counts["new"], counts["open"], counts["fixed"]) == (0, 45, 0)
    edited = iij_edited(tmp_path, "  risk_factors:\n", "  risk_factors:\n" + RISK)
    status, out, err = cli("check", edited, "--baseline", str(baseline), "--format", "json")
    filing = json.loads(out)["filings"][0]
    assert filing["fixed"] and all(f["key"] is None for f in filing["fixed"]), "by pointer, as before keys"
