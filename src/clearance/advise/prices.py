"""The price book: `catalog/prices.yaml` with the bundle's `advice.prices` on top.

Loaded only by `clearance advise`. Unknown providers or models in either file
fail closed (a price for nothing is a typo), with a "did you mean".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from clearance.advise.cost import ApiRate, Hardware
from clearance.bundle.load import Bundle
from clearance.errors import Problem, ProblemCollector, did_you_mean
from clearance.loading.files import load_kind
from clearance.loading.tree import locate
from clearance.resources import shipped_catalog

PRICES_FILE = "prices.yaml"


@dataclass(frozen=True)
class ApiPriceFact:
    rate: ApiRate
    source: str  # url, or the bundle's own words
    level: str | None
    as_of: str | None


@dataclass(frozen=True)
class HostingFact:
    hardware: Hardware
    gpu: str
    source: str
    level: str | None


@dataclass
class PriceBook:
    api: dict[tuple[str, str], ApiPriceFact] = field(default_factory=dict)  # (provider, model id)
    hosting: dict[tuple[str, str], HostingFact] = field(default_factory=dict)  # (class, where)

    def served_by(self, model_id: str) -> list[str]:
        """Providers the price book records as serving the model (a sourced fact)."""
        return sorted(p for p, m in self.api if m == model_id)


def load_prices(bundle: Bundle, path: Path | None = None) -> PriceBook:
    loaded = load_kind("prices", path or shipped_catalog() / PRICES_FILE)
    problems = ProblemCollector()
    book = PriceBook()
    for i, p in enumerate(loaded.value.api):
        pos = locate(loaded.raw, ("api", i))
        model = _known(bundle, p.provider, p.model, loaded.name, ("api", i), pos, problems)
        if model is not None:
            book.api[(p.provider, model)] = ApiPriceFact(
                ApiRate(
                    float(p.input_usd_per_million_tokens), float(p.output_usd_per_million_tokens)
                ),
                p.source.url,
                p.source.level,
                p.source.as_of.isoformat(),
            )
    for h in loaded.value.self_hosting:
        hw = Hardware(
            h.gpus, float(h.gpu_hourly_usd), float(h.throughput_tokens_per_day), float(h.setup_usd)
        )
        label = "seed default" if h.seed_default else h.source.level
        book.hosting[(h.size_class, h.where)] = HostingFact(hw, h.gpu, h.source.url, label)
    advice = bundle.organisation.advice
    for i, bp in enumerate(advice.prices if advice else []):
        where = ("advice", "prices", i)
        org = str(bundle.path / "organisation.yaml")
        model = _known(bundle, bp.provider, bp.model, org, where, (1, 1), problems)
        if model is not None:
            rate = ApiRate(
                float(bp.input_usd_per_million_tokens), float(bp.output_usd_per_million_tokens)
            )
            book.api[(bp.provider, model)] = ApiPriceFact(rate, bp.source, "BUNDLE", None)
    problems.raise_if_any()
    return book


def _known(
    bundle: Bundle,
    provider: str,
    model: str,
    file: str,
    where: tuple[str | int, ...],
    pos: tuple[int, int],
    problems: ProblemCollector,
) -> str | None:
    cat = bundle.catalogue
    if provider not in cat.providers:
        problems.add(
            Problem(
                file,
                *pos,
                (*where, "provider"),
                f"unknown provider {provider!r}",
                did_you_mean(provider, cat.providers),
            )
        )
        return None
    entry = cat.model(model)
    if entry is None:
        problems.add(
            Problem(
                file,
                *pos,
                (*where, "model"),
                f"unknown model {model!r}",
                did_you_mean(model, [m.id for m in cat.models.values()]),
            )
        )
        return None
    return entry.id


_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([BM])\b")
_TOTAL = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([BM])\s+total")


def parameters_billions(parameters: str | None) -> float | None:
    """Total parameters in billions from the catalogue's text ("17B active, 109B total")."""
    if not parameters:
        return None
    found = _TOTAL.search(parameters) or _SIZE.search(parameters)
    if found is None:
        return None
    value = float(found.group(1))
    return value / 1000 if found.group(2) == "M" else value


def size_class(parameters: str | None) -> str | None:
    """small up to 15B, large up to 90B (the seed gives no mid-size figure), then very-large."""
    billions = parameters_billions(parameters)
    if billions is None:
        return None
    if billions <= 15:
        return "small"
    if billions <= 90:
        return "large"
    return "very-large"
