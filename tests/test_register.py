"""The requirements register (engine/register/) and the rules hold each other to account: every register file is
valid, every id is defined once, every rule names the paragraphs it enforces and each of them is in the
register, and every paragraph is either enforced by a rule or says why none can."""
from __future__ import annotations

import jsonschema
import pytest
import yaml
from conftest import ROOT
from precomment.register.load import Register, load_register, parse_file, register_files
from precomment.resources import load_schema

FILES = register_files(ROOT / "engine" / "register")


def test_the_register_has_files():
    assert FILES, "engine/register/ holds no register file"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_register_file_is_valid(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(load_schema("register.schema.json")).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{path.name} /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    parse_file(path, data)


def test_register_ids_are_unique():
    seen: dict[str, str] = {}
    clashes = []
    for path in FILES:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["requirements"]:
            if entry["id"] in seen:
                clashes.append(f"{entry['id']}: {seen[entry['id']]} and {path.name}")
            seen[entry["id"]] = path.name
    assert not clashes, clashes


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register()


def test_every_bundled_rule_names_what_it_enforces(ruleset):
    """Optional in the rule format (a user's own pack may enforce a house policy the register does not hold),
    required of every rule precomment ships."""
    assert [rule.id for rule in ruleset.rules if not rule.requirements] == []


def test_rules_name_only_register_paragraphs(register, ruleset):
    known = register.by_id
    unknown = [f"{rule.id}: {r}" for rule in ruleset.rules for r in rule.requirements if r not in known]
    assert not unknown, "rules name paragraphs the register does not have (add them to engine/register/): " + ", ".join(unknown)


def test_every_paragraph_is_ruled_or_says_why_not(register, ruleset):
    ruled_by = register.ruled_by(ruleset.rules)
    silent = [r.id for r in register.requirements if not ruled_by[r.id] and not r.no_rule]
    stale = [f"{r.id} ({', '.join(ruled_by[r.id])})" for r in register.requirements if ruled_by[r.id] and r.no_rule]
    assert not silent, "no rule names these and they give no `no_rule` reason: " + ", ".join(silent)
    assert not stale, "a rule enforces these, yet they say why none can (remove `no_rule`): " + ", ".join(stale)


def test_no_decidable_paragraph_waits_for_its_rule(register):
    """`not-yet` (decidable, rule still to write) is a reason a user's own register may give; the bundled one
    has a rule for every paragraph a description can decide."""
    waiting = [r.id for r in register.requirements if r.no_rule == "not-yet"]
    assert not waiting, "decidable paragraphs without their rule: " + ", ".join(waiting)


def test_every_verify_note_asks_the_question_that_remains(register, ruleset):
    """A `verify:` note says what could not be confirmed in the primary text as a question (and what was read),
    never only that a number was recalled: an open point anyone can settle by reading one paragraph."""
    notes = [(r.id, r.verify) for r in register.requirements if r.verify]
    notes += [(f"{rule.id} ({a.cite})", a.verify) for rule in ruleset.rules for a in rule.authorities if a.verify]
    assert len(notes) > 100  # the sweep reads both kinds
    unasked = [where for where, note in notes if "?" not in note]
    assert not unasked, "verify notes that ask no question: " + "; ".join(unasked)


def test_the_bundled_register_is_the_installed_one(register):
    assert len(register.requirements) == sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8"))["requirements"]) for p in FILES)


BUNDLED_LETTERS = {"iij-2009-09-30"}  # the IIJ letter the bundled IIJ filing reproduces (tests/test_iij.py)


def test_a_precedent_not_bundled_names_its_company_date_and_address(ruleset):
    incomplete = [f"{rule.id}: {p.letter}" for rule in ruleset.rules for p in rule.precedents
                  if p.letter not in BUNDLED_LETTERS and not (p.company and p.date and p.url)]
    assert not incomplete, "precedents need company, date and EDGAR url: " + ", ".join(incomplete)
    misnamed = [f"{rule.id}: {p.letter}" for rule in ruleset.rules for p in rule.precedents
                if p.date and not p.letter.endswith(p.date)]
    assert not misnamed, "a precedent's letter slug ends with its date: " + ", ".join(misnamed)


def test_the_register_covers_every_item_an_annual_report_answers(register):
    """Items 3 to 19 (16A-16K included): each has its paragraphs in the register, and the share ruled is given."""
    from precomment.validation.formitems import TITLES
    items = {r.item for r in register.requirements}
    missing = [item for item in TITLES if item not in {"1", "2"} and item not in items]
    assert not missing, "Form items with no register paragraph: " + ", ".join(missing)


def test_requirements_md_gives_the_ruled_share_by_item(register, ruleset):
    from precomment.commands.requirements import ruled_share
    shares = ruled_share(register, ruleset.rules)
    text = (ROOT / "docs" / "requirements.md").read_text(encoding="utf-8")
    total, ruled = sum(t for t, _, _ in shares.values()), sum(r for _, r, _ in shares.values())
    assert f"**{total} paragraphs: {ruled} ruled" in text
    open_questions = sum(1 for r in register.requirements if r.verify) + sum(
        1 for rule in ruleset.rules for a in rule.authorities if a.verify)
    assert f"{open_questions} `verify:` questions remain" in text
    assert "| Item 5. Operating and Financial Review and Prospects |" in text
