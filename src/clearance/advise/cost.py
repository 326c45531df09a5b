"""The seeds' cost model ("Open vs Closed LLMs: The Real Cost of Free Models (2026)").

A month is 30 days. An API costs tokens x price per million, input and output
apart. Self-hosting costs max(GPU hours needed, 720 always-on hours for each
GPU of one replica) x the GPU's hourly cost + setup / 12 (set-up amortised
over a year). Break-even is the daily volume at which the two cost the same.
"""

from __future__ import annotations

from dataclasses import dataclass

DAYS_PER_MONTH = 30
ALWAYS_ON_HOURS = 720
SETUP_MONTHS = 12


@dataclass(frozen=True)
class ApiRate:
    input_per_million: float
    output_per_million: float


@dataclass(frozen=True)
class Hardware:
    gpus: int
    gpu_hourly: float
    tokens_per_day: float  # one replica at full use
    setup: float


def api_monthly(rate: ApiRate, input_tokens_per_day: float, output_tokens_per_day: float) -> float:
    monthly_in = DAYS_PER_MONTH * input_tokens_per_day
    monthly_out = DAYS_PER_MONTH * output_tokens_per_day
    return (monthly_in * rate.input_per_million + monthly_out * rate.output_per_million) / 1_000_000


def gpu_hours(hw: Hardware, tokens_per_day: float) -> float:
    """GPU hours a month: replica hours to serve the volume, never under always-on."""
    replica_hours = DAYS_PER_MONTH * 24 * tokens_per_day / hw.tokens_per_day
    return max(replica_hours, ALWAYS_ON_HOURS) * hw.gpus


def self_hosted_monthly(hw: Hardware, tokens_per_day: float) -> float:
    return gpu_hours(hw, tokens_per_day) * hw.gpu_hourly + hw.setup / SETUP_MONTHS


def blended_per_million(rate: ApiRate, input_share: float) -> float:
    return rate.input_per_million * input_share + rate.output_per_million * (1 - input_share)


def break_even(rate: ApiRate, hw: Hardware, input_share: float) -> float | None:
    """Tokens a day above which self-hosting is cheaper than the API; None if never.

    The API's cost rises linearly from zero; self-hosting's is flat up to one
    replica's capacity, then rises at the GPUs' cost per token.
    """
    api_per_token = DAYS_PER_MONTH * blended_per_million(rate, input_share) / 1_000_000
    if api_per_token <= 0:
        return None
    flat = self_hosted_monthly(hw, 0)
    at_flat = flat / api_per_token
    if at_flat <= hw.tokens_per_day:
        return at_flat
    # past one replica: cost = tokens x hourly x GPUs x 720 / capacity + setup / 12
    hosted_per_token = DAYS_PER_MONTH * 24 * hw.gpus * hw.gpu_hourly / hw.tokens_per_day
    if hosted_per_token >= api_per_token:
        return None
    return (hw.setup / SETUP_MONTHS) / (api_per_token - hosted_per_token)
