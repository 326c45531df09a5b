"""The seeds' six-dimension score: each table cell, the bands, the defaults and the override."""

from __future__ import annotations

import pytest

from clearance.advise.score import DIMENSIONS, band_of, build_score, privacy_score, scale_score


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        (["public"], 1),
        (["internal"], 2),
        (["confidential"], 2),
        (["pii"], 3),
        (["phi"], 4),
        (["gdpr"], 4),
        (["gdpr-special"], 4),
        (["pci"], 4),
        (["classified"], 5),
        (["public", "phi"], 4),  # the most sensitive class decides
        (["internal", "pii", "classified"], 5),
    ],
)
def test_privacy_table(classes: list[str], expected: int) -> None:
    assert privacy_score(classes) == (expected, None)


def test_a_class_the_table_lacks_counts_as_three_with_a_note() -> None:
    score, note = privacy_score(["trade-secret"])
    assert score == 3
    assert note is not None and "trade-secret" in note


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (0, 1),
        (99_999, 1),
        (100_000, 2),
        (1_000_000, 2),
        (1_000_001, 3),
        (5_000_000, 3),
        (5_000_001, 4),
        (50_000_000, 4),
        (50_000_001, 5),
        (10**12, 5),
    ],
)
def test_scale_table(tokens: int, expected: int) -> None:
    assert scale_score(tokens) == expected


@pytest.mark.parametrize(
    ("total", "band"),
    [(t, "closed-apis") for t in range(6, 13)]
    + [(t, "hybrid") for t in range(13, 19)]
    + [(t, "open-primary") for t in range(19, 25)]
    + [(t, "open-only") for t in range(25, 31)],
)
def test_bands(total: int, band: str) -> None:
    assert band_of(total) == band


def test_profile_wins_then_tables_then_organisation_then_three() -> None:
    s = build_score(
        {"capability": 5, "privacy": 1},
        {"ops": 4, "latency": None},
        ["phi"],
        2_000_000,
        "private",
    )
    assert s.dimensions == {
        "capability": 5,
        "privacy": 1,
        "scale": 3,
        "ops": 4,
        "customization": 3,
        "latency": 3,
    }
    assert s.sources["capability"] == "workload profile"
    assert s.sources["scale"] == "volume"
    assert s.sources["ops"] == "organisation advice"
    assert s.sources["latency"] == "default"
    assert any(n.startswith("latency: 3 by default") for n in s.notes)
    assert s.total == 19 and s.band == "open-primary"


def test_no_volume_scale_is_three_and_said_so() -> None:
    s = build_score({}, {}, ["public"], None, "public")
    assert s.dimensions["scale"] == 3
    assert any("no volume" in n for n in s.notes)
    assert set(s.dimensions) == set(DIMENSIONS)


@pytest.mark.parametrize(
    ("classes", "network"), [(["classified"], "private"), (["public"], "air-gapped")]
)
def test_hard_privacy_constraint_overrides_the_total(classes: list[str], network: str) -> None:
    low = {d: 1 for d in DIMENSIONS}
    s = build_score(low, {}, classes, 1000, network)
    assert s.total <= 12
    assert s.band == "open-only" and s.hard_constraint


@pytest.mark.parametrize(
    ("capability", "scale", "ops", "expected"),
    [
        (1, 5, 5, "closed API (frontier"),
        (2, 1, 1, "closed API (frontier"),
        (3, 4, 4, "open weights, self-hosted"),
        (5, 5, 5, "open weights, self-hosted"),
        (3, 5, 2, "open weights via an inference provider"),  # high volume, no ops team
        (4, 3, 5, "open weights via an inference provider"),
        (4, 2, 5, "closed API (low volume)"),
        (3, 1, 1, "closed API (low volume)"),
    ],
)
def test_decision_flow(capability: int, scale: int, ops: int, expected: str) -> None:
    s = build_score(
        {"capability": capability, "scale": scale, "ops": ops}, {}, ["public"], None, "public"
    )
    assert s.flow.startswith(expected)
