"""The seeds' cost model against figures computed by hand."""

from __future__ import annotations

import pytest

from clearance.advise.cost import (
    ApiRate,
    Hardware,
    api_monthly,
    break_even,
    gpu_hours,
    self_hosted_monthly,
)
from clearance.advise.prices import parameters_billions, size_class

GPT_4O = ApiRate(2.50, 10.00)
A100_PAIR = Hardware(gpus=2, gpu_hourly=2.0833, tokens_per_day=25_000_000, setup=0)
OWNED_3090S = Hardware(gpus=2, gpu_hourly=0.25, tokens_per_day=138_240_000, setup=4000)


def test_api_month_is_thirty_days_of_input_and_output_at_their_prices() -> None:
    # 50,000 requests x 500 in / 300 out: 25M in + 15M out a day;
    # 30 x (25 x 2.50 + 15 x 10.00) = 30 x 212.50 = 6,375
    assert api_monthly(GPT_4O, 25_000_000, 15_000_000) == pytest.approx(6375.0)
    # the seed's sample, 1,000 requests a day at 500/300: 30 x (0.5 x 2.5 + 0.3 x 10) =
    # 127.50 (the seed prints "$120/mo", which its own formula does not give)
    assert api_monthly(GPT_4O, 500_000, 300_000) == pytest.approx(127.5)


def test_self_hosting_is_always_on_below_one_replica() -> None:
    # 720 h x 2 GPUs x 2.0833 = 2,999.95; no setup
    assert gpu_hours(A100_PAIR, 1_000_000) == 1440
    assert self_hosted_monthly(A100_PAIR, 1_000_000) == pytest.approx(2999.952)


def test_self_hosting_grows_past_one_replica() -> None:
    # 40M tokens a day on 25M-a-day replicas: 720 x 40/25 = 1,152 replica hours,
    # x 2 GPUs = 2,304 GPU hours x 2.0833 = 4,799.92
    assert gpu_hours(A100_PAIR, 40_000_000) == pytest.approx(2304)
    assert self_hosted_monthly(A100_PAIR, 40_000_000) == pytest.approx(4799.9232)


def test_setup_is_amortised_over_twelve_months() -> None:
    # 720 x 2 x 0.25 = 360, + 4,000 / 12 = 333.33
    assert self_hosted_monthly(OWNED_3090S, 0) == pytest.approx(693.3333, abs=1e-3)


def test_break_even_in_the_flat_region() -> None:
    # blended GPT-4o at 500/300: (500 x 2.5 + 300 x 10) / 800 = 5.3125 per 1M;
    # 2,999.952 / (30 x 5.3125e-6) = 18,823,228 tokens a day
    value = break_even(GPT_4O, A100_PAIR, 500 / 800)
    assert value == pytest.approx(2999.952 / (30 * 5.3125e-6))
    assert api_monthly(GPT_4O, value * 0.625, value * 0.375) == pytest.approx(
        self_hosted_monthly(A100_PAIR, value)
    )


def test_no_break_even_when_hosting_costs_more_per_token() -> None:
    cheap = ApiRate(0.01, 0.01)
    assert break_even(cheap, A100_PAIR, 0.5) is None


def test_break_even_past_one_replica_pays_back_the_setup() -> None:
    hw = Hardware(gpus=1, gpu_hourly=1.0, tokens_per_day=1_000, setup=1200)
    rate = ApiRate(100_000, 100_000)  # $0.1 a token
    # flat 720 + 100 = 820 needs 273 tokens a day: inside one replica
    assert break_even(rate, hw, 0.5) == pytest.approx(820 / 3.0)


@pytest.mark.parametrize(
    ("text", "billions", "cls"),
    [
        ("8B", 8, "small"),
        ("70B", 70, "large"),
        ("11B (10.6B)", 11, "small"),
        ("17B active, 109B total (16 experts)", 109, "very-large"),
        ("30B total, 3B active", 30, "large"),
        ("567M", 0.567, "small"),
        (None, None, None),
    ],
)
def test_size_class_from_the_catalogue_text(
    text: str | None, billions: float | None, cls: str | None
) -> None:
    assert parameters_billions(text) == billions
    assert size_class(text) == cls
