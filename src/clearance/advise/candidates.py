"""Which deployments to propose for a workload: comparable models x providers x regions.

Models: the workload's own; closed models of the same modality that a vendor
sells at a recorded price (the frontier APIs the seeds compare); open models
of the same modality and size class that the price book records a provider
serving. Providers: a closed model's own vendor API, or a provider the price
book records serving it; open weights through the recorded inference
providers, or self-hosted on any cloud or on the organisation's own sites.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from clearance.advise.prices import PriceBook, size_class
from clearance.bundle.catalogue import GLOBAL_REGION
from clearance.bundle.load import Bundle
from clearance.resolve.resolver import MODE_PROVIDER_KINDS, ResolvedWorkload
from clearance.schema.catalog import ModelEntry, ProviderEntry

# how many regions of one provider are tried, best-placed first, before the
# option is reported blocked (each try is a full evaluation)
REGION_TRIES = 3


@dataclass(frozen=True)
class Candidate:
    model: ModelEntry
    mode: str
    provider: ProviderEntry
    networks: tuple[str, ...]
    regions: tuple[str, ...]  # in the order to try


def comparable_models(
    rw: ResolvedWorkload, bundle: Bundle, book: PriceBook, capability: int
) -> list[ModelEntry]:
    own = rw.model
    cat = bundle.catalogue
    out = own.modalities.output
    inputs = set(own.modalities.input)
    classes: set[str | None]
    if own.weights == "open":
        classes = {size_class(own.parameters)} - {None}
    else:  # the seeds weigh frontier APIs against 70B-class weights, 8B-class for simple tasks
        classes = {"large", *(["small"] if capability >= 4 else [])}
    found = [own]
    for m in sorted(cat.models.values(), key=lambda m: m.id.lower()):
        if m.id == own.id or m.modalities.output != out or not inputs & set(m.modalities.input):
            continue
        priced = book.served_by(m.id)
        if (
            m.weights == "closed"
            and any(cat.providers[p].vendor == m.vendor for p in priced if p in cat.providers)
        ) or (m.weights == "open" and priced and size_class(m.parameters) in classes):
            found.append(m)
    return found


def candidates(
    rw: ResolvedWorkload, bundle: Bundle, book: PriceBook, capability: int
) -> Iterator[Candidate]:
    cat = bundle.catalogue
    sites = [s.id for s in bundle.organisation.sites]
    for model in comparable_models(rw, bundle, book, capability):
        served = set(book.served_by(model.id))
        if model.id == rw.model.id:
            served.add(rw.provider.id)
        for p in sorted(cat.providers.values(), key=lambda p: p.id):
            if model.weights == "closed":
                if p.kind in ("api", "hosted-open") and (
                    p.id in served or p.vendor == model.vendor
                ):
                    yield Candidate(model, "api", p, ("public",), _regions(rw, p, bundle))
                continue
            if p.id in served and p.kind in MODE_PROVIDER_KINDS["hosted-open"]:
                yield Candidate(model, "hosted-open", p, ("public",), _regions(rw, p, bundle))
            if p.kind == "cloud":
                yield Candidate(model, "self-hosted", p, ("private",), _regions(rw, p, bundle))
            elif p.kind == "on-prem" and sites:
                yield Candidate(
                    model, "self-hosted", p, ("private", "air-gapped"), _regions(rw, p, bundle)
                )


def _regions(rw: ResolvedWorkload, p: ProviderEntry, bundle: Bundle) -> tuple[str, ...]:
    """The provider's regions, best-placed first: the current one, those within the
    workload's residency, those in the organisation's country, then the rest."""
    cat = bundle.catalogue
    if p.kind == "on-prem":
        places = [(s.id, s.country) for s in bundle.organisation.sites]
    elif not p.regions:
        return (GLOBAL_REGION,)  # a provider that documents no region may process anywhere
    else:
        places = [(r.id, r.country or r.area or "") for r in p.regions]
    residency = set(rw.workload.residency or ())
    home = bundle.organisation.domicile
    current = rw.workload.deployment.region if rw.provider.id == p.id else None

    def rank(place: tuple[str, str]) -> tuple[int, str]:
        region, country = place
        within = {country, *cat.groups_of.get(country, ())}
        if region == current:
            return (0, region)
        if residency & within:
            return (1, region)
        if country == home:
            return (2, region)
        return (3, region)

    ordered = sorted(places, key=rank)
    # one region per country is enough: the rules read the country and its groups
    seen: set[str] = set()
    picked = []
    for region, country in ordered:
        if country not in seen or region == current:
            seen.add(country)
            picked.append(region)
    return tuple(picked[:REGION_TRIES])
