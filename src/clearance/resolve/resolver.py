"""Join each workload with its model, licences, provider, region and organisation.

The result is one fact record (a tuple, see `facts`) per governing licence.
Which terms govern a workload:

- self-hosted weights: the model's licence and the licence of every ancestor
  it declares through `base_model`;
- a provider serving a model of its own vendor (OpenAI serving GPT-4o,
  Mistral serving Mistral Large): the provider's terms only;
- anyone else serving open weights (an inference provider, a cloud's model
  API): the model's licence chain and the provider's terms;
- anyone else serving a closed model (Claude on Bedrock): the provider's terms.

Fail closed: an unknown model, provider, region, data class, agreement or
place is an error with a suggestion, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import GLOBAL_REGION
from clearance.bundle.load import Bundle
from clearance.errors import (
    MAX_PROBLEMS,
    PathPart,
    Problem,
    ProblemCollector,
    did_you_mean,
)
from clearance.manifest.load import LoadedManifest
from clearance.manifest.records import WorkloadRecord as Workload
from clearance.resolve.agreements import Backing, backing, index_records, kinds
from clearance.schema.facts import SLOT, WIDTH

if TYPE_CHECKING:
    from clearance.schema.catalog import InferenceProfile, ModelEntry, ProviderEntry

# The facts of the workload and its manifest, in the order _records gives them:
# they are the first slots of a record, so a record is this head and a tail
# shared by every workload of the same model, provider, region and mode.
_WORKLOAD_SLOTS = tuple(
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
_HEAD = len(_WORKLOAD_SLOTS)
# The region id that meant "processing location unknown" before `global` replaced it.
# Refused with a pointer to `global` rather than kept as an alias: the two meant the
# same, so the fix is one word, and an alias would keep a second spelling alive in
# every manifest, report and baseline key (region.id) for no gain.
UNSPECIFIED_REGION = "unspecified"
# Which provider kinds each deployment mode may use.
MODE_PROVIDER_KINDS = {
    "self-hosted": ("cloud", "on-prem"),
    "hosted-open": ("hosted-open", "api"),
    "api": ("api", "hosted-open"),
}


@dataclass(frozen=True)
class Governing:
    licence: str
    via: str  # the model, ancestor or provider that brings these terms in
    governs_as: str  # "model-licence" or "provider-terms"


@dataclass(frozen=True)
class ResolvedWorkload:
    manifest: LoadedManifest
    index: int
    workload: Workload
    line: int
    column: int
    model: ModelEntry
    provider: ProviderEntry
    governing: tuple[Governing, ...]
    agreements: tuple[Backing, ...]  # what backs each agreement it claims
    head: tuple[Any, ...]  # the workload's own facts
    tails: tuple[tuple[Any, ...], ...]  # the rest, one per governing licence (shared)

    @property
    def records(self) -> tuple[tuple[Any, ...], ...]:
        """One fact record per governing licence, same order (one with `licence.*` unknown
        when nothing known governs the workload).

        Built when asked rather than kept: at 100,000 workloads the records
        would hold 70 MB, the heads 18 MB.
        """
        head = self.head
        return tuple(head + tail for tail in self.tails)


def governing_terms(
    model: ModelEntry, provider: ProviderEntry, mode: str, bundle: Bundle
) -> list[Governing]:
    # (a vendor's provider without terms falls through: its open weights are still
    # governed by their licence; a closed model is then governed by nothing known, which
    # evaluation reports as a finding of its own rather than passing)
    own_vendor = provider.vendor is not None and provider.vendor == model.vendor
    if mode != "self-hosted" and own_vendor and provider.terms is not None:
        return [Governing(provider.terms, provider.id, "provider-terms")]
    out: list[Governing] = []
    # A closed model a reseller sells carries its vendor's terms where a source says
    # the reseller passes them on (Bedrock: the seller's end user licence).
    if mode == "self-hosted" or model.weights == "open" or _carries_vendor_terms(provider, model):
        out.append(Governing(model.licence, model.id, "model-licence"))
        out.extend(
            Governing(a.licence, a.id, "model-licence") for a in bundle.catalogue.ancestors(model)
        )
    if mode != "self-hosted" and provider.terms is not None:
        out.append(Governing(provider.terms, provider.id, "provider-terms"))
    seen: set[str] = set()
    return [g for g in out if not (g.licence in seen or seen.add(g.licence))]  # type: ignore[func-returns-value]


def _carries_vendor_terms(provider: ProviderEntry, model: ModelEntry) -> bool:
    return model.vendor in provider.carries_vendor_terms


def split_profile(provider: ProviderEntry | None, name: str) -> tuple[InferenceProfile | None, str]:
    """The cross-Region inference profile a model id names by its prefix, and the rest."""
    for profile in provider.inference_profiles if provider is not None else ():
        if name.startswith(profile.prefix) and len(name) > len(profile.prefix):
            return profile, name[len(profile.prefix) :]
    return None, name


class Resolver:
    def __init__(self, bundle: Bundle, today: date | None = None) -> None:
        self.bundle = bundle
        self.today = today or date.today()
        self.cat = bundle.catalogue
        org = bundle.organisation
        groups = self.cat.groups_of
        self.org_facts = {
            "organisation.name": org.name,
            "organisation.monthly_active_users": org.monthly_active_users,
            "organisation.annual_revenue_usd": org.annual_revenue_usd,
            "organisation.domicile": org.domicile,
            "organisation.domicile_groups": tuple(sorted(groups.get(org.domicile or "", ()))),
            "organisation.licences_held": tuple(org.licences_held),
        }
        self.sites = {s.id: s.country for s in org.sites}
        self.signed = index_records(getattr(org, "agreements", ()))
        self._contexts: dict[
            tuple[str, ...], tuple[tuple[Governing, ...], tuple[tuple[Any, ...], ...]]
        ] = {}
        self.places = self.cat.places()

    def resolve(self, lm: LoadedManifest) -> list[ResolvedWorkload]:
        """Resolve every workload, or raise InputError naming every problem."""
        problems = ProblemCollector()
        out = []
        for i, workload in enumerate(lm.manifest.workloads):
            resolved = self._one(lm, i, workload, problems)
            if resolved is not None:
                out.append(resolved)
        problems.raise_if_any()
        return out

    def _one(
        self, lm: LoadedManifest, i: int, w: Workload, problems: ProblemCollector
    ) -> ResolvedWorkload | None:
        base: tuple[PathPart, ...] = ("workloads", i)
        # Only the first MAX_PROBLEMS problems are shown; those of later workloads are
        # only counted, so they are placed at their workload's start, which costs
        # nothing, rather than inside it, which in a fast-read manifest means reading
        # the workload's lines again.
        precise = len(problems.problems) < MAX_PROBLEMS

        def bad(sub: tuple[PathPart, ...], message: str, suggestion: str | None = None) -> None:
            line, col = lm.position(*base, *sub) if precise else lm.position(*base)
            problems.add(Problem(lm.name, line, col, (*base, *sub), message, suggestion))

        before = len(problems.problems)
        self._check_vocabulary(w, bad)
        d = w.deployment
        provider = self.cat.providers.get(d.provider)
        # a cross-Region inference profile (`eu.anthropic.claude-...`) names the model
        # after its prefix, and where the request may go
        profile, model_name = split_profile(provider, w.model)
        model = self.cat.model(w.model) or self.cat.model(model_name)
        if model is None:
            bad(
                ("model",),
                f"unknown model {w.model!r}",
                self._model_hint(w.model),
            )
        if provider is None:
            bad(
                ("deployment", "provider"),
                f"unknown provider {d.provider!r}",
                did_you_mean(d.provider, self.cat.providers),
            )
        region = self._region(provider, d.region, bad, profile) if provider else None
        if model is not None and provider is not None:
            self._check_mode(w, model, provider, bad)
        if len(problems.problems) != before or model is None or provider is None or region is None:
            return None
        backings = backing(d.agreements, provider, self.signed, self.today)
        governing, head, tails = self._records(lm, w, model, provider, region, backings)
        line, col = lm.position(*base)
        return ResolvedWorkload(
            lm, i, w, line, col, model, provider, governing, backings, head, tails
        )

    def _model_hint(self, name: str) -> str | None:
        """The closest model id, or alias when the name looks like one (`llama3:71b`)."""
        ids = [m.id for m in self.cat.models.values()]
        aliases = [a for m in self.cat.models.values() for a in m.aliases]
        return did_you_mean(name, ids) or did_you_mean(name, aliases)

    def _check_vocabulary(self, w: Workload, bad: Any) -> None:
        classes = self.bundle.data_classes
        for j, dc in enumerate(w.data):
            if dc not in classes:
                bad(("data", j), f"unknown data class {dc!r}", did_you_mean(dc, classes))
        for j, agreement in enumerate(w.deployment.agreements):
            if agreement not in self.bundle.agreements:
                bad(
                    ("deployment", "agreements", j),
                    f"unknown agreement {agreement!r}",
                    did_you_mean(agreement, self.bundle.agreements),
                )
        for j, place in enumerate(w.residency or ()):
            if place not in self.places:
                bad(
                    ("residency", j),
                    f"unknown country or group {place!r}",
                    did_you_mean(place, self.places),
                )

    def _region(
        self,
        provider: ProviderEntry,
        region_id: str,
        bad: Any,
        profile: InferenceProfile | None = None,
    ) -> tuple[Any, ...] | None:
        """(id, country, groups) of the region, or None after reporting it unknown."""
        if provider.kind == "on-prem":
            country = self.sites.get(region_id)
            if country is None:
                hint = (
                    "; on-prem regions are the organisation's sites"
                    if self.sites
                    else "; organisation.yaml lists no sites"
                )
                bad(
                    ("deployment", "region"),
                    f"{region_id!r} is not a site of the organisation{hint}",
                    did_you_mean(region_id, self.sites),
                )
                return None
            return (region_id, country, self.cat.groups_of.get(country, frozenset()))
        if region_id == GLOBAL_REGION:
            # "may process anywhere" is true of every third party, so any provider may
            # be given it: outside every country and group, residency and transfer
            # rules fail closed rather than assume somewhere safe
            return (GLOBAL_REGION, None, frozenset())
        if region_id == UNSPECIFIED_REGION:
            bad(
                ("deployment", "region"),
                f"'{UNSPECIFIED_REGION}' is no longer a region id: write '{GLOBAL_REGION}' "
                "(may process anywhere, outside every jurisdiction)",
                GLOBAL_REGION,
            )
            return None
        for region in provider.regions:
            if region.id == region_id:
                if profile is not None:
                    return self._profile_place(region.id, profile)
                place = region.country or region.area
                assert place is not None
                groups = self.cat.groups_of.get(place, frozenset())
                if region.area is not None:
                    groups = groups | {region.area}
                return (region.id, region.country, groups)
        listed = [r.id for r in provider.regions]
        if not listed:
            bad(
                ("deployment", "region"),
                f"the catalogue lists no regions for {provider.id}: write "
                f"'{GLOBAL_REGION}' (may process anywhere, outside every jurisdiction), or "
                "add the provider's regions through the bundle's catalogue",
                GLOBAL_REGION if region_id.lower() == GLOBAL_REGION else None,
            )
            return None
        # a short list is worth reading in full; a cloud's thirty regions are not
        shown = (
            f" (its regions: {', '.join(listed)}, or '{GLOBAL_REGION}')" if len(listed) <= 8 else ""
        )
        bad(
            ("deployment", "region"),
            f"{region_id!r} is not a region of {provider.id}{shown}",
            did_you_mean(region_id, [*listed, GLOBAL_REGION]),
        )
        return None

    def _profile_place(self, region_id: str, profile: InferenceProfile) -> tuple[Any, ...]:
        """The geography a cross-Region inference profile may route to, from its source region."""
        place = profile.country or profile.area
        groups = self.cat.groups_of.get(place, frozenset()) if place else frozenset()
        if profile.area is not None:
            groups = groups | {profile.area}
        # the id names both, so a message says where the request starts and how far it may go
        return (f"{region_id} via {profile.prefix}", profile.country, groups)

    def _check_mode(
        self, w: Workload, model: ModelEntry, provider: ProviderEntry, bad: Any
    ) -> None:
        mode = w.deployment.mode
        if provider.kind not in MODE_PROVIDER_KINDS[mode]:
            allowed = " or ".join(MODE_PROVIDER_KINDS[mode])
            bad(
                ("deployment", "mode"),
                f"mode {mode!r} needs a provider of kind {allowed}; "
                f"{provider.id} is of kind {provider.kind!r}",
            )
        elif model.weights == "closed" and mode != "api":
            bad(
                ("deployment", "mode"),
                f"{model.id} has closed weights: it can only be used through an API (mode: api)",
            )

    def _records(
        self,
        lm: LoadedManifest,
        w: Workload,
        model: ModelEntry,
        provider: ProviderEntry,
        region: tuple[Any, ...],
        backings: tuple[Backing, ...],
    ) -> tuple[tuple[Governing, ...], tuple[Any, ...], tuple[tuple[Any, ...], ...]]:
        """The governing terms, the workload's own facts, and the rest of each record.

        Everything but the facts of the workload and its manifest depends only on the
        model, provider, region and mode, so those parts are built once per combination
        for every manifest of the run.
        """
        d = w.deployment
        key = (model.id, provider.id, region[0], d.mode)  # region[0] names any profile too
        context = self._contexts.get(key)
        if context is None:
            governing = tuple(governing_terms(model, provider, d.mode, self.bundle))
            base = self._context_record(model, provider, region)
            tails = tuple(tuple(self._with_licence(base, g)[_HEAD:]) for g in governing)
            if not tails:  # no terms known: one record of the other facts, licence unknown
                tails = (tuple(base[_HEAD:]),)
            context = (governing, tails)
            self._contexts[key] = context
        governing, tails = context
        head = (
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
        return governing, head, tails

    def _context_record(
        self,
        model: ModelEntry,
        provider: ProviderEntry,
        region: tuple[Any, ...],
    ) -> list[Any]:
        rec: list[Any] = [None] * WIDTH
        region_id, country, groups = region
        values: dict[str, Any] = {
            "model.id": model.id,
            "model.name": model.name,
            "model.vendor": model.vendor,
            "model.family": model.family,
            "model.licence": model.licence,
            "model.weights": model.weights,
            "model.input_modalities": tuple(model.modalities.input),
            "model.output_modalities": tuple(model.modalities.output),
            "model.released": model.released,
            "model.base_models": tuple(a.id for a in self.cat.ancestors(model)),
            "model.lineage": model.lineage,
            "provider.id": provider.id,
            "provider.name": provider.name,
            "provider.kind": provider.kind,
            "provider.vendor": provider.vendor,
            "provider.terms": provider.terms,
            "provider.trains_on_customer_data": provider.trains_on_customer_data,
            "provider.retention_days": provider.retention_days,
            "provider.agreements": tuple(provider.agreements),
            "provider.agreements_not_offered": tuple(provider.agreements_not_offered),
            "provider.carries_vendor_terms": _carries_vendor_terms(provider, model),
            "provider.serves_own_model": provider.vendor is not None
            and provider.vendor == model.vendor,
            "region.id": region_id,
            "region.country": country,
            "region.groups": tuple(sorted(groups)),
            "region.within": tuple(sorted({*groups, *([country] if country else [])})),
            **self.org_facts,
        }
        for path, value in values.items():
            rec[SLOT[path]] = value
        return rec

    def _with_licence(self, base: list[Any], g: Governing) -> list[Any]:
        loaded = self.cat.licences[g.licence]
        lic = loaded.value
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
                rec[SLOT[f"licence.terms.{name}"]] = (
                    tuple(value) if isinstance(value, list) else value
                )
        return rec
