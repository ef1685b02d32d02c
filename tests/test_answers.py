"""A description read from a filing document, with an answers file laid over it (extraction.overlay): answers
keyed by stable identity, origins that point findings and errors at the right file, and a field the reader
did not find read as an open question, never as "the filing does not give it"."""
from __future__ import annotations

import pytest
from documents import load_text
from precomment.documents.model import Block, FilingDocument, Sheet
from precomment.errors import InputError
from precomment.extraction.assemble import Extraction, set_at
from precomment.extraction.overlay import read_description, refuse_unread_required
from precomment.extraction.values import Provenance, Value

COVER = {"/filer/name": "Example Filer Inc.", "/filer/form": "20-F", "/filer/fiscal_year_end": "2024-12-31"}


def extraction(values: dict[str, object]) -> Extraction:
    """An extraction as the assembler makes it, from `values` (pointer -> value), each read from its own block."""
    pointers = {**COVER, **values}
    blocks = [Block(index, "text", f"text {index}", 0, str(index + 1), 10 * (index + 1))
              for index in range(len(pointers))]
    document = FilingDocument("draft.htm", "html", blocks, [Sheet(0, "1", 0, len(blocks))])
    result = Extraction(document, {"format_version": 1})
    for index, (pointer, value) in enumerate(pointers.items()):
        set_at(result.description, pointer, value)
        result.values[pointer] = Value(pointer, value, "read", Provenance.of(blocks[index]))
    return result


EXHIBITS = {"/item19/exhibits/0/number": "1.1", "/item19/exhibits/0/title": "Articles of Association",
            "/item19/exhibits/1/number": "4.1", "/item19/exhibits/1/title": "Supply Agreement with Acme Ltd."}


def test_answers_are_laid_over_the_item_with_their_key_whatever_its_place():
    answers = load_text('item19:\n  exhibits:\n    "4.1": {kind: supplier_agreement, counterparty: Acme Ltd.}\n',
                        "answers.yaml")
    document = read_description(extraction(EXHIBITS), answers)
    exhibits = document.data["item19"]["exhibits"]
    assert exhibits[1] == {"number": "4.1", "title": "Supply Agreement with Acme Ltd.",
                           "kind": "supplier_agreement", "counterparty": "Acme Ltd."}
    assert exhibits[0] == {"number": "1.1", "title": "Articles of Association"}
    assert document.warnings == []


def test_each_value_is_located_where_it_came_from():
    answers = load_text('item19:\n  exhibits:\n    "4.1":\n      kind: supplier_agreement\n', "answers.yaml")
    document = read_description(extraction(EXHIBITS), answers)
    assert document.origin("/item19/exhibits/1/kind") == ("answers.yaml", (4, 13))
    assert document.origin("/item19/exhibits/1/title") == ("draft.htm", (70, 1))  # its block's source line
    assert document.origin("/item19/exhibits/1") == ("draft.htm", (60, 1))  # the item: its first value's line
    assert document.value_source("/item19/exhibits/1/kind") == "answers"
    assert document.value_source("/item19/exhibits/1/title") == "document, page 7"


def test_a_key_the_document_lacks_adds_the_item_with_a_warning_at_the_answer():
    answers = load_text('item19:\n  exhibits:\n    "4.9": {title: Lease of the head office}\n', "answers.yaml")
    document = read_description(extraction(EXHIBITS), answers)
    assert document.data["item19"]["exhibits"][2] == {"number": "4.9", "title": "Lease of the head office"}
    [warning] = document.warnings
    assert warning.render() == (
        "answers.yaml:3:5: warning [answer-adds-item] at /item19/exhibits/4.9: '4.9' is not in the document as "
        "read: the answers add it\n  hint: if the document has it, the reader missed it (say so in an issue); if "
        "it was renamed, rename the key")


def test_a_section_the_document_did_not_give_comes_from_the_answers():
    answers = load_text("item16:\n  code_of_ethics: {adopted: true, page: 88}\n", "answers.yaml")
    document = read_description(extraction({}), answers)
    assert document.data["item16"] == {"code_of_ethics": {"adopted": True, "page": 88}}
    assert document.origin("/item16/code_of_ethics/page") == ("answers.yaml", (2, 41))


def test_an_item_the_reader_declared_omitted_is_described_once_the_answers_describe_it():
    read = extraction({"/omitted/16B": "in the document from page 88; not read from it"})
    answers = load_text("item16:\n  code_of_ethics: {adopted: true}\n", "answers.yaml")
    assert "omitted" not in read_description(read, answers).data


def test_a_declaration_the_answers_write_themselves_stays():
    answers = load_text('omitted:\n  "16B": being drafted\n', "answers.yaml")
    assert read_description(extraction({}), answers).data["omitted"] == {"16B": "being drafted"}


def test_a_bad_answer_is_reported_at_its_line_in_the_answers_file(checker):
    answers = load_text('item19:\n  exhibits:\n    "4.1": {kind: a_contract}\n', "answers.yaml")
    with pytest.raises(InputError) as raised:
        checker.facts(read_description(extraction(EXHIBITS), answers))
    [problem] = raised.value.problems
    assert (problem.source, problem.line, problem.pointer) == ("answers.yaml", 3, "/item19/exhibits/1/kind")


def test_an_unread_cover_names_what_to_give_and_where():
    document = read_description(extraction({}), None)
    del document.data["filer"]["fiscal_year_end"]
    with pytest.raises(InputError) as raised:
        refuse_unread_required(document)
    assert [p.render() for p in raised.value.problems] == [
        "draft.htm:10:1: error [not-read] at /filer/fiscal_year_end: the fiscal year end (For the fiscal year ended "
        "...) of filer could not be read from the document's cover page\n  hint: give it in an answers file "
        "(--answers FILE): `filer.fiscal_year_end: ...`"]


def test_a_required_field_the_document_does_not_print_is_asked_for_by_the_items_key():
    read = extraction({"/item6/share_ownership/holders/0/name": "Chen Hao",
                       "/item6/share_ownership/holders/0/shares": 1000})
    with pytest.raises(InputError) as raised:
        refuse_unread_required(read_description(read, None))
    [problem] = raised.value.problems
    assert (problem.pointer, problem.message, problem.hint) == (
        "/item6/share_ownership/holders/0/role",
        '`role` of item6.share_ownership.holders["Chen Hao"] could not be read from the document',
        'give it in an answers file (--answers FILE): `item6.share_ownership.holders["Chen Hao"].role: ...`')
    answers = load_text('item6:\n  share_ownership:\n    holders:\n      "Chen Hao": {role: director}\n', "a.yaml")
    refuse_unread_required(read_description(read, answers))  # answered: nothing to say


RISK = {"/item3/risk_factors/0/caption": "We depend on one supplier", "/item3/page": 12}


def test_a_field_the_reader_did_not_find_is_not_assessed_never_a_finding(checker):
    """Written by hand, a major shareholder without `percent_of_class` is one the filing gives no percentage
    for (PC-7-... fires); read from a document, it is one whose percentage the reader did not find: the rule
    is not assessed, and says which answer it lacks."""
    hand = load_text("filer: {name: Example Filer Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
                     "item7:\n  major_shareholders:\n    holders:\n      - {name: Orchid Ventures L.P., "
                     "shares: 25000000}\n", "hand.yaml")
    read = read_description(extraction({"/item7/major_shareholders/holders/0/name": "Orchid Ventures L.P.",
                                        "/item7/major_shareholders/holders/0/shares": 25000000}), None)
    [rule] = {f.rule_id for f in checker.findings(hand) if f.rule_id.startswith("PC-7")
              and "percent" in f.title.lower()}
    assert checker.findings(read) == []
    [outcome] = [r for r in checker.coverage(read).rules if r.rule_id == rule]
    assert (outcome.outcome, outcome.reason) == (
        "not-assessed", 'not answered: item7.major_shareholders.holders[].percent_of_class of "Orchid Ventures L.P."')


def test_what_the_document_does_say_still_draws_findings(checker):
    read = read_description(extraction({"/document/pages_numbered": False}), None)
    assert [f.rule_id for f in checker.findings(read)] == ["PC-GEN-001"]
    [finding] = checker.findings(read)
    assert (finding.source, finding.line, finding.form_item) == ("draft.htm", 40, "General")


def test_an_item_the_answers_declare_omitted_is_not_also_the_readers_not_applicable():
    read = extraction({"/not_applicable/13": 'the document says "Not applicable." (page 80)'})
    answers = load_text('omitted:\n  "13": still being drafted\n', "answers.yaml")
    data = read_description(read, answers).data
    assert (data["omitted"], "not_applicable" in data) == ({"13": "still being drafted"}, False)


def test_a_part_the_reader_declared_omitted_stays_omitted_while_the_answers_describe_another_part():
    read = extraction({"/omitted/6.A": "in the document (page 49); its text is not read",
                       "/item6/share_ownership/holders/0/name": "Chen Hao",
                       "/item6/share_ownership/holders/0/role": "director"})
    answers = load_text("item6:\n  compensation: {amount_paid: 1200}\n", "answers.yaml")
    assert read_description(read, answers).data["omitted"] == {"6.A": "in the document (page 49); its text is not read"}
