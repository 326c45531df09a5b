"""The advisor's price facts: `catalog/prices.yaml` and a bundle's `advice:` section.

Prices are catalogue facts like any other: each carries its source, `as_of`
and a `level` (PRIMARY: the seller's own page; SECONDARY: someone quoting it).
Self-hosting figures from the seed articles are marked `seed_default`: the
documented defaults where no better source was found. Only `clearance advise`
reads them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from clearance.schema.common import LowerId, Source, Strict, Text

Usd = Annotated[StrictFloat | StrictInt, Field(ge=0)]
Positive = Annotated[StrictFloat | StrictInt, Field(gt=0)]
SizeClass = Literal["small", "medium", "large", "very-large"]
Score = Annotated[StrictInt, Field(ge=1, le=5)]


class ApiPrice(Strict):
    """What a provider charges per million tokens for one model it serves."""

    provider: LowerId
    model: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    input_usd_per_million_tokens: Usd
    output_usd_per_million_tokens: Usd
    notes: Text | None = None
    source: Source


class SelfHosting(Strict):
    """What one replica of a model of a size class costs on a kind of hardware."""

    size_class: SizeClass
    where: Literal["cloud", "on-prem"]
    gpu: Text
    gpus: Annotated[StrictInt, Field(ge=1)]
    gpu_hourly_usd: Usd
    # tokens (input and output together) one replica serves in a day at full use
    throughput_tokens_per_day: Positive
    setup_usd: Usd = 0
    # a figure from the seed articles, kept as the documented default where no
    # better source (a cloud's price list, a benchmark) was found
    seed_default: StrictBool = False
    notes: Text | None = None
    source: Source


class PricesFile(Strict):
    api: list[ApiPrice] = []
    self_hosting: list[SelfHosting] = []


class BundlePrice(Strict):
    """A bundle's own price for a provider and model (a negotiated rate, say)."""

    provider: LowerId
    model: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    input_usd_per_million_tokens: Usd
    output_usd_per_million_tokens: Usd
    source: Text


class ProfileDefaults(Strict):
    """The organisation's usual answers for the dimensions a workload leaves out."""

    capability: Score | None = None
    ops: Score | None = None
    customization: Score | None = None
    latency: Score | None = None


class AdviceSettings(Strict):
    """organisation.yaml `advice:`: defaults and prices for `clearance advise`."""

    profile: ProfileDefaults = ProfileDefaults()
    prices: list[BundlePrice] = []
