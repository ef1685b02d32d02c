"""Every kind of value a user can be told about has one name, used by every message and page."""
from __future__ import annotations

from precomment.validation.fact_model import fact_model
from precomment.validation.kinds import KIND_NAMES, kind_label, kind_phrase


def test_every_field_kind_of_the_filing_schema_has_a_name():
    kinds = {spec.kind for fact_type in fact_model().types.values() for spec in fact_type.fields.values()}
    assert kinds and kinds <= set(KIND_NAMES)


def test_a_kind_reads_the_same_in_a_sentence_and_in_a_table_column():
    # The phrase is the label with its article, where the kind takes one.
    for kind, name in KIND_NAMES.items():
        assert name.phrase in (name.label, f"a {name.label}", f"an {name.label}") or kind in ("boolean", "object"), kind
    assert (kind_phrase("year"), kind_label("year")) == ("a fiscal year", "fiscal year")
    assert (kind_phrase("boolean"), kind_label("boolean")) == ("true or false", "true / false")


def test_an_unknown_kind_is_named_by_itself():
    assert (kind_phrase("tuple"), kind_label("tuple")) == ("tuple", "tuple")
