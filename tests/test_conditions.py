"""Every operator and combinator: holds, fails, and what the explanation says."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from helpers import compile_condition, holds, record

CASES = [
    # (condition, facts, expected)
    ("workload.purpose: {equals: inference}", {"workload__purpose": "inference"}, True),
    ("workload.purpose: {equals: inference}", {"workload__purpose": "embedding"}, False),
    ("workload.purpose: {equals: inference}", {}, False),
    ("provider.kind: {not_equals: on-prem}", {"provider__kind": "cloud"}, True),
    ("provider.kind: {not_equals: on-prem}", {"provider__kind": "on-prem"}, False),
    ("workload.purpose: {in: [a, b]}", {"workload__purpose": "b"}, True),
    ("workload.purpose: {in: [a, b]}", {"workload__purpose": "c"}, False),
    ("workload.purpose: {not_in: [a, b]}", {"workload__purpose": "c"}, True),
    ("workload.purpose: {not_in: [a, b]}", {"workload__purpose": "a"}, False),
    ("workload.data: {contains: phi}", {"workload__data": ["pii", "phi"]}, True),
    ("workload.data: {contains: phi}", {"workload__data": ["pii"]}, False),
    ("workload.data: {contains: phi}", {}, False),
    ("workload.data: {contains_any: [phi, pci]}", {"workload__data": ["pci"]}, True),
    ("workload.data: {contains_any: [phi, pci]}", {"workload__data": ["pii"]}, False),
    ("workload.data: {contains_all: [phi, pii]}", {"workload__data": ["pii", "phi"]}, True),
    ("workload.data: {contains_all: [phi, pii]}", {"workload__data": ["phi"]}, False),
    ("workload.data: {subset_of: [phi, pii]}", {"workload__data": ["phi"]}, True),
    ("workload.data: {subset_of: [phi, pii]}", {"workload__data": ["phi", "pci"]}, False),
    ("workload.residency: {exists: true}", {"workload__residency": ["EU"]}, True),
    ("workload.residency: {exists: true}", {}, False),
    ("workload.residency: {exists: false}", {}, True),
    (
        "organisation.monthly_active_users: {gt: 700}",
        {"organisation__monthly_active_users": 701},
        True,
    ),
    (
        "organisation.monthly_active_users: {gt: 700}",
        {"organisation__monthly_active_users": 700},
        False,
    ),
    (
        "organisation.monthly_active_users: {gte: 700}",
        {"organisation__monthly_active_users": 700},
        True,
    ),
    (
        "organisation.monthly_active_users: {gte: 700}",
        {"organisation__monthly_active_users": 699},
        False,
    ),
    (
        "organisation.monthly_active_users: {lt: 700}",
        {"organisation__monthly_active_users": 699},
        True,
    ),
    (
        "organisation.monthly_active_users: {lt: 700}",
        {"organisation__monthly_active_users": 700},
        False,
    ),
    (
        "organisation.monthly_active_users: {lte: 700}",
        {"organisation__monthly_active_users": 700},
        True,
    ),
    (
        "organisation.monthly_active_users: {lte: 700}",
        {"organisation__monthly_active_users": 701},
        False,
    ),
    ("organisation.monthly_active_users: {gt: 1}", {}, False),
    ("model.released: {gte: 2024-07-23}", {"model__released": date(2024, 7, 23)}, True),
    ("model.released: {gte: 2024-07-23}", {"model__released": date(2024, 7, 22)}, False),
    ("workload.trains: {matches: '^(.*/)?Llama'}", {"workload__trains": "acme/Llama-Med"}, True),
    ("workload.trains: {matches: '^(.*/)?Llama'}", {"workload__trains": "acme/med-llama"}, False),
    ("workload.trains: {matches: 'x'}", {}, False),
    ("workload.trains: {version: '>=3.1,<4'}", {"workload__trains": "3.2"}, True),
    ("workload.trains: {version: '>=3.1,<4'}", {"workload__trains": "4.0"}, False),
    ("workload.trains: {version: '>=3.1'}", {"workload__trains": "not-a-version"}, False),
    # {fact: ...} operands
    (
        "organisation.monthly_active_users: {gt: {fact: licence.terms.mau_threshold}}",
        {
            "organisation__monthly_active_users": 700_000_001,
            "licence__terms__mau_threshold": 700_000_000,
        },
        True,
    ),
    (
        "organisation.monthly_active_users: {gt: {fact: licence.terms.mau_threshold}}",
        {
            "organisation__monthly_active_users": 700_000_000,
            "licence__terms__mau_threshold": 700_000_000,
        },
        False,
    ),
    (
        "organisation.monthly_active_users: {gt: {fact: licence.terms.mau_threshold}}",
        {"organisation__monthly_active_users": 5},
        False,
    ),
    (
        "deployment.agreements: {subset_of: {fact: provider.agreements}}",
        {"deployment__agreements": ["baa"], "provider__agreements": ["baa", "dpa"]},
        True,
    ),
    (
        "deployment.agreements: {subset_of: {fact: provider.agreements}}",
        {"deployment__agreements": ["scc"], "provider__agreements": ["baa", "dpa"]},
        False,
    ),
    (
        "region.within: {contains_any: {fact: workload.residency}}",
        {"region__within": ["DE", "EU", "EEA"], "workload__residency": ["EEA"]},
        True,
    ),
    (
        "region.within: {contains_any: {fact: workload.residency}}",
        {"region__within": ["US"], "workload__residency": ["EEA"]},
        False,
    ),
    (
        "workload.trains_family: {equals: {fact: model.family}}",
        {"workload__trains_family": "gpt", "model__family": "gpt"},
        True,
    ),
    ("workload.trains_family: {equals: {fact: model.family}}", {"model__family": "gpt"}, False),
    ("workload.trains_family: {not_equals: {fact: model.family}}", {"model__family": "gpt"}, True),
    (
        "region.country: {in: {fact: workload.residency}}",
        {"region__country": "DE", "workload__residency": ["DE"]},
        True,
    ),
    (
        "region.country: {not_in: {fact: workload.residency}}",
        {"region__country": "DE", "workload__residency": ["DE"]},
        False,
    ),
    (
        "workload.data: {contains: {fact: workload.trains}}",
        {"workload__data": ["x"], "workload__trains": "x"},
        True,
    ),
    (
        "workload.data: {contains_all: {fact: workload.residency}}",
        {"workload__data": ["A", "B"], "workload__residency": ["A"]},
        True,
    ),
    (
        "organisation.monthly_active_users: {gte: {fact: licence.terms.mau_threshold}}",
        {"organisation__monthly_active_users": 7, "licence__terms__mau_threshold": 7},
        True,
    ),
    (
        "organisation.monthly_active_users: {lt: {fact: licence.terms.mau_threshold}}",
        {"organisation__monthly_active_users": 7, "licence__terms__mau_threshold": 7},
        False,
    ),
    (
        "organisation.monthly_active_users: {lte: {fact: licence.terms.mau_threshold}}",
        {"organisation__monthly_active_users": 7, "licence__terms__mau_threshold": 7},
        True,
    ),
    # combinators
    (
        "all: [{workload.data: {contains: phi}}, {provider.kind: {equals: cloud}}]",
        {"workload__data": ["phi"], "provider__kind": "cloud"},
        True,
    ),
    (
        "all: [{workload.data: {contains: phi}}, {provider.kind: {equals: cloud}}]",
        {"workload__data": ["phi"], "provider__kind": "api"},
        False,
    ),
    (
        "any: [{workload.data: {contains: phi}}, {provider.kind: {equals: cloud}}]",
        {"workload__data": [], "provider__kind": "cloud"},
        True,
    ),
    (
        "any: [{workload.data: {contains: phi}}, {provider.kind: {equals: cloud}}]",
        {"workload__data": [], "provider__kind": "api"},
        False,
    ),
    ("not: {provider.kind: {equals: cloud}}", {"provider__kind": "api"}, True),
    ("not: {provider.kind: {equals: cloud}}", {"provider__kind": "cloud"}, False),
    (
        "{workload.data: {contains: phi}, provider.kind: {equals: cloud}}",
        {"workload__data": ["phi"], "provider__kind": "api"},
        False,
    ),
    (
        "organisation.monthly_active_users: {gte: 1, lte: 5}",
        {"organisation__monthly_active_users": 3},
        True,
    ),
    (
        "organisation.monthly_active_users: {gte: 1, lte: 5}",
        {"organisation__monthly_active_users": 6},
        False,
    ),
]


@pytest.mark.parametrize(("text", "facts", "expected"), CASES)
def test_operator(text: str, facts: dict[str, Any], expected: bool) -> None:
    assert holds(text, **facts) is expected


def test_every_operator_is_covered() -> None:
    from clearance.policy.operators import OPERATORS

    used = {
        op for text, _, _ in CASES for op in OPERATORS if f"{{{op}:" in text or f" {op}:" in text
    }
    assert used == set(OPERATORS)


def test_explanation_names_fact_expected_and_actual() -> None:
    cond, _ = compile_condition("deployment.agreements: {contains: baa}")
    assert cond is not None
    [result] = cond.results(record(deployment__agreements=["dpa"]))
    assert not result.holds
    assert result.leaf.path == "deployment.agreements"
    assert result.leaf.expected(record()) == "contains 'baa'"


def test_explanation_under_not_is_negated() -> None:
    cond, _ = compile_condition("not: {provider.agreements: {contains: baa}}")
    assert cond is not None
    [result] = cond.results(record(provider__agreements=["dpa"]))
    assert result.holds and result.negated
    assert result.leaf.expected(record(), result.negated) == "not contains 'baa'"


def test_explanation_of_fact_operand_shows_its_value() -> None:
    cond, _ = compile_condition("deployment.agreements: {subset_of: {fact: provider.agreements}}")
    assert cond is not None
    rec = record(deployment__agreements=["scc"], provider__agreements=["dpa"])
    [result] = cond.results(rec)
    assert result.leaf.expected(rec) == "subset of provider.agreements (['dpa'])"


def test_any_reports_every_branch() -> None:
    cond, _ = compile_condition(
        "any: [{workload.data: {contains: phi}}, {provider.kind: {equals: cloud}}]"
    )
    assert cond is not None
    results = cond.results(record(workload__data=["phi"], provider__kind="api"))
    assert [(r.leaf.path, r.holds) for r in results] == [
        ("workload.data", True),
        ("provider.kind", False),
    ]
