"""The pre-commit path's manifest check agrees with the pydantic models.

`loading/manifest_check.py` validates manifests without pydantic, so that the
pre-commit path never imports it. Its contract: where it accepts data, the
models accept the same data and the records built are the same; where the
models accept plain data, it accepts it too (else the fast path would be
slow for no reason). Random manifests come from the property tests'
generator (real ids mixed with junk of every YAML type), plus values at
every length and pattern boundary of the format.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from clearance.manifest.plain_check import NotSure, check_header, check_workload
from clearance.manifest.records import ManifestRecord, from_model
from clearance.schema.manifest import Manifest
from test_properties import manifests

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fast(doc: Any, deployments: dict[Any, Any] | None = None) -> ManifestRecord | None:
    try:
        header = check_header(doc)
        header.workloads.extend(check_workload(w, deployments) for w in doc["workloads"])
    except NotSure:
        return None
    return header


def models(doc: Any) -> ManifestRecord | None:
    try:
        return from_model(Manifest.model_validate(doc))
    except ValidationError:
        return None


# values at the edges of the format: lengths, patterns, near-miss types
_EDGE_TEXT = st.sampled_from(
    [
        "",
        "a",
        "a" * 100,
        "a" * 101,
        "a" * 200,
        "a" * 201,
        "a" * 300,
        "a" * 301,
        "x" * 10_000,
        "x" * 10_001,
        "abc\n",
        "\nabc",
        "ab c",
        "Abc",
        "-abc",
        ".abc",
        "a.b_c-d",
        "é",
        "EU",
        "EU\n",
        "eu",
        "E-1",
        "1EU",
        "inference",
        "Inference",
        "public",
        "api",
    ]
)
_EDGE = st.one_of(
    _EDGE_TEXT,
    st.sampled_from([0, 1, -1, True, False, None, 1.0, 2**70, [], {}, ["a"], ["EU"]]),
)
_PATHS = [
    ("id",),
    ("data",),
    ("commercial",),
    ("model",),
    ("purpose",),
    ("audience",),
    ("residency",),
    ("trains",),
    ("trains_family",),
    ("description",),
    ("owner",),
    ("volume",),
    ("volume", "requests_per_day"),
    ("deployment", "mode"),
    ("deployment", "provider"),
    ("deployment", "region"),
    ("deployment", "network"),
    ("deployment", "agreements"),
]


@st.composite
def edge_manifests(draw: st.DrawFn) -> dict[str, Any]:
    workload: dict[str, Any] = {
        "id": "w0",
        "data": ["pii"],
        "commercial": True,
        "model": "gpt-4o",
        "deployment": {"mode": "api", "provider": "openai", "region": "us"},
    }
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_PATHS))
        value = draw(_EDGE | st.lists(_EDGE, max_size=2))
        target = workload
        for part in path[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[path[-1]] = value
    doc: dict[str, Any] = {
        "version": draw(st.sampled_from([1, 1, 1, True, 1.0, 2, "1"])),
        "workloads": [workload],
    }
    if draw(st.booleans()):
        doc["owner"] = draw(_EDGE)
    if draw(st.booleans()):
        doc["gateways"] = draw(_GATEWAYS)
    return doc


# `gateways:` entries: valid ones, and near misses of each kind (a key missing or extra,
# a value of the wrong type or length, not a list)
_GATEWAY = st.one_of(
    st.fixed_dictionaries({"format": _EDGE_TEXT, "path": _EDGE_TEXT}),
    st.fixed_dictionaries({}, optional={"format": _EDGE, "path": _EDGE, "extra": _EDGE}),
)
_GATEWAYS = st.one_of(
    st.lists(st.one_of(_GATEWAY, _EDGE), max_size=3),
    st.just([{"format": "litellm", "path": "x" * 1000}]),
    st.just([{"format": "litellm", "path": "x" * 1001}]),
    st.just([{"format": "l" * 51, "path": "infra/litellm.yaml"}]),
    _EDGE,
)


# deployments found valid are remembered across every example, so a remembered one
# meeting a near miss (an extra key, a changed type) is tried as often as can be
_REMEMBERED: dict[Any, Any] = {}


@SETTINGS
@given(doc=st.one_of(manifests(), edge_manifests()))
def test_the_fast_check_accepts_exactly_what_the_models_accept(doc: Any) -> None:
    by_check, by_models = fast(doc, _REMEMBERED), models(doc)
    if by_check is not None:
        assert by_models == by_check, "the fast check accepted data the models read differently"
    elif by_models is not None:
        pytest.fail(f"the models accept data the fast check doubts: {doc!r}")


def test_a_valid_workload_becomes_the_same_record_both_ways() -> None:
    doc = {
        "version": 1,
        "owner": "team",
        "workloads": [
            {
                "id": "w1",
                "data": ["pii", "gdpr"],
                "commercial": False,
                "model": "gpt-4o",
                "purpose": "evaluation",
                "audience": "external",
                "residency": ["EU"],
                "trains": "acme/x",
                "trains_family": "acme",
                "volume": {"requests_per_day": 10, "input_tokens_per_request": None},
                "deployment": {
                    "mode": "api",
                    "provider": "openai",
                    "region": "us",
                    "network": "private",
                    "agreements": ["dpa"],
                },
            },
            {
                "id": "w2",
                "data": ["public"],
                "commercial": True,
                "model": "m",
                "deployment": {"mode": "self-hosted", "provider": "on-prem", "region": "dc"},
            },
        ],
    }
    record = fast(doc)
    assert record is not None
    assert record == models(doc)
    assert record.workloads[1].deployment.agreements == []
    assert record.workloads[1].purpose == "inference"
