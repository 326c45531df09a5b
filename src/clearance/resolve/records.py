"""The fact records of a resolved workload: its own head, and a tail per governing licence.

A record is one flat tuple indexed by `facts.SLOT`, so a compiled rule reads a
fact with one index. The head holds the facts of the workload and its manifest;
the tail everything that depends only on the model, provider, region and mode,
built once per combination and shared (see `Resolver._context`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clearance.resolve.agreements import Backing, kinds
from clearance.resolve.governing import Governing, carries_vendor_terms
from clearance.resolve.own_models import UNKNOWN
from clearance.schema.facts import SLOT, WIDTH

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.manifest.load import LoadedManifest
    from clearance.manifest.records import WorkloadRecord as Workload
    from clearance.schema.catalog import ModelEntry, ProviderEntry

# The facts of the workload and its manifest, in the order workload_head gives them:
# they are the first slots of a record, so a record is this head and a tail
# shared by every workload of the same model, provider, region and mode.
WORKLOAD_SLOTS = tuple(
    SLOT[p]
    for p in (
        "workload.id",
        "workload.description",
        "workload.owner",
        "workload.data",
        "workload.purpose",
        "workload.audience",
        "workload.commercial",
        "workload.residency",
        "workload.model",
        "workload.trains",
        "workload.trains_family",
        "workload.data_subjects",
        "workload.data_subjects_within",
        "workload.personal_data",
        "workload.special_category_data",
        "deployment.mode",
        "deployment.provider",
        "deployment.region",
        "deployment.network",
        "deployment.agreements",
        "deployment.agreements_attested",
        "deployment.agreements_recorded",
        "deployment.agreements_expired",
        "manifest.path",
        "manifest.system",
        "manifest.owner",
    )
)
# (tests/test_resolve.py holds facts.FACT_SPECS to listing them first, in this order)
HEAD = len(WORKLOAD_SLOTS)


def workload_head(
    lm: LoadedManifest, w: Workload, backings: tuple[Backing, ...], scope: DataScope
) -> tuple[Any, ...]:
    """The workload's own facts, in WORKLOAD_SLOTS order."""
    d = w.deployment
    subjects = w.data_subjects
    return (
        w.id,
        w.description,
        w.owner or lm.manifest.owner,
        tuple(w.data),
        w.purpose,
        w.audience,
        w.commercial,
        tuple(w.residency) if w.residency is not None else None,
        w.model,
        w.trains,
        w.trains_family,
        tuple(subjects) if subjects is not None else None,
        scope.within(subjects),
        scope.personal(w.data),
        scope.special(w.data),
        d.mode,
        d.provider,
        d.region,
        d.network,
        tuple(d.agreements),
        kinds(backings, "attested"),
        kinds(backings, "recorded"),
        kinds(backings, "expired"),
        lm.name,
        lm.manifest.system,
        lm.manifest.owner,
    )


class DataScope:
    """What the taxonomy and the jurisdictions say of a workload's data: whether it is
    personal or special-category, and where its data subjects are. Answers are kept
    per distinct input: a large manifest repeats a handful of combinations."""

    def __init__(
        self,
        personal: frozenset[str],
        special: frozenset[str],
        groups_of: dict[str, frozenset[str]],
    ) -> None:
        self._personal = personal
        self._special = special
        self._groups_of = groups_of
        self._within: dict[tuple[str, ...], tuple[str, ...]] = {}

    def personal(self, data: list[str]) -> bool:
        return not self._personal.isdisjoint(data)

    def special(self, data: list[str]) -> bool:
        return not self._special.isdisjoint(data)

    def within(self, subjects: list[str] | None) -> tuple[str, ...] | None:
        if subjects is None:
            return None
        key = tuple(subjects)
        found = self._within.get(key)
        if found is None:
            places = set(key)
            for place in key:
                places |= self._groups_of.get(place, frozenset())
            found = self._within[key] = tuple(sorted(places))
        return found


def context_tails(
    cat: Catalogue,
    model: ModelEntry,
    provider: ProviderEntry,
    region: tuple[Any, ...],
    org_facts: dict[str, Any],
    governing: tuple[Governing, ...],
    ancestors: list[ModelEntry] | None = None,
) -> tuple[tuple[Any, ...], ...]:
    """The tail of each record, one per governing licence (one, licence unknown, if none).

    `ancestors` is given for a model the manifest declares (`resolve/declared`).
    """
    declared = ancestors is not None
    if ancestors is None:
        ancestors = cat.ancestors(model)
    base = _context_record(model, provider, region, org_facts, ancestors, declared)
    tails = tuple(tuple(_with_licence(cat, base, g)[HEAD:]) for g in governing)
    return tails or (tuple(base[HEAD:]),)


def _context_record(
    model: ModelEntry,
    provider: ProviderEntry,
    region: tuple[Any, ...],
    org_facts: dict[str, Any],
    ancestors: list[ModelEntry],
    declared: bool,
) -> list[Any]:
    rec: list[Any] = [None] * WIDTH
    region_id, country, groups = region
    values: dict[str, Any] = {
        "model.id": model.id,
        "model.name": model.name,
        # what a manifest does not say about its own model is unknown, not a value
        "model.vendor": None if declared else model.vendor,
        "model.family": None if declared and model.family == UNKNOWN else model.family,
        "model.licence": model.licence,
        "model.weights": model.weights,
        "model.input_modalities": tuple(model.modalities.input) or None,
        "model.output_modalities": tuple(model.modalities.output) or None,
        "model.released": model.released,
        "model.base_models": tuple(a.id for a in ancestors),
        "model.lineage": model.lineage,
        "model.declared_by": "manifest" if declared else "catalogue",
        "provider.id": provider.id,
        "provider.name": provider.name,
        "provider.kind": provider.kind,
        "provider.vendor": provider.vendor,
        "provider.terms": provider.terms,
        "provider.trains_on_customer_data": provider.trains_on_customer_data,
        "provider.retention_days": provider.retention_days,
        "provider.agreements": tuple(provider.agreements),
        "provider.agreements_not_offered": tuple(provider.agreements_not_offered),
        "provider.carries_vendor_terms": carries_vendor_terms(provider, model),
        "provider.serves_own_model": provider.vendor is not None
        and provider.vendor == model.vendor,
        "region.id": region_id,
        "region.country": country,
        "region.groups": tuple(sorted(groups)),
        "region.within": tuple(sorted({*groups, *([country] if country else [])})),
        **org_facts,
    }
    for path, value in values.items():
        rec[SLOT[path]] = value
    return rec


def _with_licence(cat: Catalogue, base: list[Any], g: Governing) -> list[Any]:
    lic = cat.licences[g.licence].value
    rec = list(base)
    rec[SLOT["licence.id"]] = lic.id
    rec[SLOT["licence.name"]] = lic.name
    rec[SLOT["licence.kind"]] = lic.kind
    rec[SLOT["licence.spdx"]] = lic.spdx
    rec[SLOT["licence.url"]] = lic.url
    rec[SLOT["licence.via"]] = g.via
    rec[SLOT["licence.governs_as"]] = g.governs_as
    for name, term in lic.terms:
        if term is not None:
            value = term.value
            rec[SLOT[f"licence.terms.{name}"]] = tuple(value) if isinstance(value, list) else value
    return rec
