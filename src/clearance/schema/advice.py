"""The JSON advice of `clearance advise --format json` (schemas/advice.schema.json)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AdviceOption(_Out):
    model: str
    mode: Literal["api", "hosted-open", "self-hosted"]
    provider: str
    region: str
    network: Literal["public", "private", "air-gapped"]
    agreements: list[str]
    assumed_agreements: list[str]  # not yet held: to be signed with the provider
    weights: Literal["open", "closed"]
    compliant: bool
    blocking: list[str]  # rule ids of error findings
    warnings: list[str]
    monthly_cost_usd: float | None
    cost_basis: str | None


class AdviceScore(_Out):
    dimensions: dict[str, int]
    sources: dict[str, str]
    total: int
    band: Literal["closed-apis", "hybrid", "open-primary", "open-only"]
    hard_constraint: str | None
    decision_flow: str
    notes: list[str]


class AdviceVolume(_Out):
    requests_per_day: int
    input_tokens_per_request: int
    output_tokens_per_request: int
    tokens_per_day: int


class AdviceWorkload(_Out):
    manifest: str
    workload: str
    current: AdviceOption
    score: AdviceScore
    volume: AdviceVolume | None
    break_even_tokens_per_day: float | None
    break_even_between: list[int] | None  # indexes into options: [API, self-hosted]
    notes: list[str]
    options: list[AdviceOption]


class AdviceAssumptions(_Out):
    days_per_month: int
    always_on_gpu_hours: int
    setup_amortised_months: int


class AdviceReport(_Out):
    advice_version: Literal[1]
    policy: dict[str, str]
    assumptions: AdviceAssumptions
    workloads: list[AdviceWorkload]
