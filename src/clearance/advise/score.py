"""The seeds' six-dimension score: each dimension 1 (favours closed APIs) to 5 (open weights).

Privacy and scale have tables in the seed ("Open Source vs Closed Source LLMs —
Decision Framework (2026)"); the other four come from the workload's `profile`,
else the organisation's `advice.profile`, else 3 with a note. A hard privacy
constraint (classified data, an air-gapped network) overrides the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

DIMENSIONS = ("capability", "privacy", "scale", "ops", "customization", "latency")

# The seed's privacy table: 1 public; 2 internal; 3 customer PII with consent;
# 4 regulated (HIPAA, GDPR, financial); 5 classified or air-gapped.
PRIVACY_BY_CLASS: dict[str, int] = {
    "public": 1,
    "internal": 2,
    "confidential": 2,  # corporate-internal data under standard policy
    "pii": 3,
    "phi": 4,
    "gdpr": 4,
    "gdpr-special": 4,
    "pci": 4,
    "classified": 5,
}
# The seed's scale table, tokens a day: 1 under 100K; 2 100K-1M; 3 1-5M; 4 5-50M; 5 over 50M.
SCALE_BOUNDS: tuple[tuple[float, int], ...] = (
    (100_000, 1),
    (1_000_000, 2),
    (5_000_000, 3),
    (50_000_000, 4),
)
# The seed's bands over the total (6..30).
BANDS: tuple[tuple[int, str], ...] = (
    (12, "closed-apis"),
    (18, "hybrid"),
    (24, "open-primary"),
    (30, "open-only"),
)
BAND_TITLES = {
    "closed-apis": "closed APIs",
    "hybrid": "hybrid",
    "open-primary": "open source primary",
    "open-only": "open source only",
}


@dataclass(frozen=True)
class Score:
    dimensions: dict[str, int]
    sources: dict[str, str]  # where each value came from
    total: int
    band: str
    hard_constraint: str | None = None
    notes: tuple[str, ...] = field(default=())
    flow: str = ""  # the decision flow's answer (seed "Choosing Open vs Closed LLMs Per Workload")


def privacy_score(data_classes: Iterable[str]) -> tuple[int, str | None]:
    """The highest privacy level among the classes; a class the table lacks counts as 3."""
    worst, unknown = 0, []
    for dc in data_classes:
        level = PRIVACY_BY_CLASS.get(dc)
        if level is None:
            unknown.append(dc)
            level = 3
        worst = max(worst, level)
    note = None
    if unknown:
        listed = ", ".join(sorted(unknown))
        note = f"privacy: data classes {listed} are not in the seed's table; counted as 3"
    return max(worst, 1), note


def scale_score(tokens_per_day: float) -> int:
    for bound, score in SCALE_BOUNDS:
        if tokens_per_day < bound or (bound != 100_000 and tokens_per_day == bound):
            return score
    return 5


def band_of(total: int) -> str:
    for top, band in BANDS:
        if total <= top:
            return band
    return BANDS[-1][1]


def decision_flow(dims: Mapping[str, int]) -> str:
    """Quality bar first (frontier needed: closed API), then volume and ops capacity:
    high volume with ops, open self-hosted; mid volume, open via an inference
    provider; low volume, closed API. Frontier = capability 1-2, high volume =
    scale 4-5 (over 5M tokens a day), ops = 4-5, mid volume = scale 3 or high
    volume without the ops team."""
    if dims["capability"] <= 2:
        return "closed API (frontier quality needed)"
    if dims["scale"] >= 4 and dims["ops"] >= 4:
        return "open weights, self-hosted (high volume, ops capacity)"
    if dims["scale"] >= 3:
        return "open weights via an inference provider (mid volume)"
    return "closed API (low volume)"


def build_score(
    profile: Mapping[str, int | None],
    defaults: Mapping[str, int | None],
    data_classes: Iterable[str],
    tokens_per_day: float | None,
    network: str,
) -> Score:
    classes = list(data_classes)
    dims: dict[str, int] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    for name in DIMENSIONS:
        given = profile.get(name)
        if given is not None:
            dims[name], sources[name] = given, "workload profile"
        elif name == "privacy":
            dims[name], note = privacy_score(classes)
            sources[name] = "data classes"
            notes += [note] if note else []
        elif name == "scale" and tokens_per_day is not None:
            dims[name], sources[name] = scale_score(tokens_per_day), "volume"
        elif defaults.get(name) is not None:
            dims[name], sources[name] = int(defaults[name] or 3), "organisation advice"
        else:
            dims[name], sources[name] = 3, "default"
            why = (
                "no volume"
                if name == "scale"
                else "neither the workload nor the organisation sets it"
            )
            notes.append(f"{name}: 3 by default ({why})")
    total = sum(dims.values())
    hard = None
    if "classified" in classes:
        hard = "classified data: open weights on the organisation's own air-gapped sites only"
    elif network == "air-gapped":
        hard = "air-gapped network: no external API calls"
    band = "open-only" if hard else band_of(total)
    flow = "open weights on own air-gapped sites (hard constraint)" if hard else decision_flow(dims)
    return Score(dims, sources, total, band, hard, tuple(notes), flow)
