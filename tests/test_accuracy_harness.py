"""The accuracy harness scores what it should: array items matched by identity, not position; an extra item
costs precision, a missing one recall, a wrong value both, once each."""
from __future__ import annotations

import copy

from accuracy import GROUPS, Group, Score, differences, matches, report, score, totals

EXPECTED = {
    "filer": {"name": "Example Holdings Ltd.", "form": "20-F", "fiscal_year_end": "2024-12-31",
              "emerging_growth_company": False},
    "item19": {"exhibits": [
        {"number": "1.1", "title": "Articles of Association", "status": "incorporated_by_reference"},
        {"number": "4.1", "title": "Supply agreement", "status": "filed"},
        {"number": "12.1", "title": "Certification of the CEO", "status": "filed"},
    ]},
    "item6": {"share_ownership": {"holders": [
        {"name": "Ana Example", "shares": 1200, "percent_of_class": 30.5},
        {"name": "Ben Example", "shares": 10, "less_than_one_percent": True},
    ]}},
}


def test_identical_descriptions_score_perfectly():
    assert score(EXPECTED, copy.deepcopy(EXPECTED), "exhibits") == (9, 0, 0)
    assert score(EXPECTED, copy.deepcopy(EXPECTED), "ownership") == (6, 0, 0)
    assert score(EXPECTED, copy.deepcopy(EXPECTED), "cover") == (4, 0, 0)


def test_items_are_matched_by_key_not_index():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item19"]["exhibits"].reverse()
    assert score(EXPECTED, extracted, "exhibits") == (9, 0, 0)


def test_keys_match_whatever_the_whitespace_and_case():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item6"]["share_ownership"]["holders"][0]["name"] = "ANA   example"
    # Matched as the same holder by identity; the name's value itself is then one wrong field.
    assert score(EXPECTED, extracted, "ownership") == (5, 1, 1)


def test_an_extra_item_costs_precision_only():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item19"]["exhibits"].insert(1, {"number": "2.1", "title": "Deposit agreement"})
    assert score(EXPECTED, extracted, "exhibits") == (9, 2, 0)


def test_a_missing_item_costs_recall_only():
    extracted = copy.deepcopy(EXPECTED)
    del extracted["item19"]["exhibits"][1]
    counts = score(EXPECTED, extracted, "exhibits")
    assert counts == (6, 0, 3)
    assert counts.precision == 1.0 and counts.recall == 6 / 9


def test_a_wrong_value_is_one_false_positive_and_one_false_negative():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item19"]["exhibits"][2]["status"] = "furnished"
    assert score(EXPECTED, extracted, "exhibits") == (8, 1, 1)
    assert [str(d) for d in differences(EXPECTED, extracted, "exhibits")] == [
        "wrong /item19/exhibits/[12.1]/status: expected 'filed', extracted 'furnished'"]


def test_numbers_compare_numerically_strings_by_collapsed_whitespace():
    extracted = copy.deepcopy(EXPECTED)
    holders = extracted["item6"]["share_ownership"]["holders"]
    holders[0]["shares"] = 1200.0
    holders[0]["percent_of_class"] = 30.50
    extracted["item19"]["exhibits"][1]["title"] = "  Supply\n agreement "
    assert score(EXPECTED, extracted, "ownership") == (6, 0, 0)
    assert score(EXPECTED, extracted, "exhibits") == (9, 0, 0)


def test_a_number_as_text_or_a_boolean_as_number_is_wrong():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item6"]["share_ownership"]["holders"][0]["shares"] = "1,200"
    extracted["item6"]["share_ownership"]["holders"][1]["less_than_one_percent"] = 1
    assert score(EXPECTED, extracted, "ownership") == (4, 2, 2)


def test_a_boolean_false_is_a_value_and_a_silence_is_not():
    extracted = copy.deepcopy(EXPECTED)
    del extracted["filer"]["emerging_growth_company"]
    assert score(EXPECTED, extracted, "cover") == (3, 0, 1)
    extracted["filer"]["emerging_growth_company"] = True
    assert score(EXPECTED, extracted, "cover") == (3, 1, 1)


def test_dates_compare_as_iso_text():
    import datetime
    extracted = copy.deepcopy(EXPECTED)
    extracted["filer"]["fiscal_year_end"] = datetime.date(2024, 12, 31)
    assert score(EXPECTED, extracted, "cover") == (4, 0, 0)


def test_fields_outside_the_group_are_not_counted():
    extracted = copy.deepcopy(EXPECTED)
    extracted["item19"]["exhibits"][0]["kind"] = "articles"
    extracted["item19"]["exhibits"][0]["page"] = 99
    assert score(EXPECTED, extracted, "exhibits") == (9, 0, 0)


def test_nothing_expected_nothing_extracted_is_perfect():
    counts = score({}, {}, "sanctions")
    assert counts == (0, 0, 0) and counts.precision == 1.0 and counts.recall == 1.0


def test_an_empty_extraction_has_full_precision_and_no_recall():
    counts = score(EXPECTED, {}, "exhibits")
    assert counts == (0, 0, 9) and counts.precision == 1.0 and counts.recall == 0.0


def test_two_items_of_one_identity_are_told_apart_by_rank():
    expected = {"item3": {"risk_factors": [{"caption": "Same", "page": 3}, {"caption": "Same", "page": 4}]}}
    extracted = {"item3": {"risk_factors": [{"caption": "Same", "page": 3}]}}
    assert score(expected, extracted, "risk_factors") == (2, 0, 2)


def test_document_section_arrays_are_keyed_even_without_the_schema_knowing_them():
    expected = {"document": {"items": [{"item": "3", "page": 3}, {"item": "3.D", "page": 5}],
                             "sanctioned_country_mentions": [{"country": "Iran", "page": 9}]}}
    extracted = {"document": {"items": [{"item": "3.D", "page": 6}, {"item": "3", "page": 3}],
                              "sanctioned_country_mentions": [{"country": "iran", "page": 9}]}}
    assert score(expected, extracted, "items") == (3, 1, 1)
    # The country is matched by identity (case folded) but printed differently: one wrong value.
    assert score(expected, extracted, "sanctions") == (0, 1, 1)


def test_amounts_are_numbers_under_the_statements_and_item5_but_not_pages_or_years():
    expected = {"item5": {"operating_results": {"page": 40, "revenue_lines": [
        {"name": "services", "page": 41, "amounts": [{"fiscal_year": 2024, "amount": 500}]}]}},
        "financial_statements": {"balance_sheet": {"page": "F-4", "total_current_assets": 3950000,
                                                   "other_current_assets_itemised": False}}}
    assert score(expected, expected, "amounts") == (2, 0, 0)
    wrong = copy.deepcopy(expected)
    wrong["item5"]["operating_results"]["revenue_lines"][0]["amounts"][0]["fiscal_year"] = 2023
    assert score(expected, wrong, "amounts") == (1, 1, 1)  # the amount is now another year's


def test_patterns():
    assert matches("/item19/exhibits/*/title", "/item19/exhibits/*/title")
    assert matches("/item5/a/*/b", "/item5/**")
    assert not matches("/item5", "/item5/**/x")
    assert not matches("/item19/exhibits/*/title", "/item19/exhibits/*")
    assert set(GROUPS) >= {"cover", "items", "pages_numbered", "risk_factors", "ownership", "exhibits",
                           "statements", "amounts", "sanctions"}
    assert score(EXPECTED, EXPECTED, Group("names", ("/filer/name",))) == (1, 0, 0)


def test_report_and_totals():
    rows = [("a", "exhibits", Score(9, 1, 0)), ("b", "exhibits", Score(1, 0, 1)), ("a", "cover", Score(0, 0, 0))]
    text = report(rows)
    assert text.splitlines()[0] == "| document | group | tp | fp | fn | precision | recall |"
    assert "| a | exhibits | 9 | 1 | 0 | 0.900 | 1.000 |" in text
    assert "| a | cover | 0 | 0 | 0 | 1.000 | 1.000 |" in text
    assert totals(rows) == {"cover": Score(0, 0, 0), "exhibits": Score(10, 1, 1)}
