"""The fact schema's licence terms are the licence format's terms, with the right types."""

from __future__ import annotations

from clearance.schema.facts import FACTS, LICENCE_TERMS
from clearance.schema.licence import LicenceTerms

# each term class of the licence format and the fact type its value has
_TYPE_OF_TERM = {
    "BoolTerm": "bool",
    "IntTerm": "int",
    "StrTerm": "str",
    "ListTerm": "list",
    "OutputTrainingTerm": "str",
}


def test_the_licence_terms_listed_are_the_fields_of_the_licence_format() -> None:
    expected = []
    for name, field in LicenceTerms.model_fields.items():
        term_class = next(a for a in field.annotation.__args__ if a is not type(None))  # type: ignore[union-attr]
        expected.append((name, _TYPE_OF_TERM[term_class.__name__]))
    assert list(LICENCE_TERMS) == expected


def test_every_licence_term_is_a_fact() -> None:
    for name, kind in LICENCE_TERMS:
        assert FACTS[f"licence.terms.{name}"].type == kind
