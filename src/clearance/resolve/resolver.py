"""Join each workload with its model, licences, provider, region and organisation.

The result is one fact record (a tuple, see `records`) per governing licence
(which terms govern: `governing`; where a region puts the data: `places`).

Fail closed: an unknown model, provider, region, data class, agreement or
place is an error with a suggestion, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

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
from clearance.resolve.agreements import Backing, backing, index_records
from clearance.resolve.governing import Governing, governing_terms, split_profile
from clearance.resolve.own_models import Declared
from clearance.resolve.places import Places, established_in, place_hint
from clearance.resolve.records import DataScope, context_tails, workload_head

if TYPE_CHECKING:
    from clearance.schema.catalog import ModelEntry, ProviderEntry

_Context = tuple[tuple["Governing", ...], tuple["ModelEntry", ...], tuple[tuple[Any, ...], ...]]

__all__ = ["MODE_PROVIDER_KINDS", "Governing", "ResolvedWorkload", "Resolver", "governing_terms"]

# Which provider kinds each deployment mode may use.
MODE_PROVIDER_KINDS = {
    "self-hosted": ("cloud", "on-prem"),
    "hosted-open": ("hosted-open", "api"),
    "api": ("api", "hosted-open"),
}


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
    # the model's ancestors, nearest first (through the manifest's own models too)
    ancestors: tuple[ModelEntry, ...] = ()

    @property
    def records(self) -> tuple[tuple[Any, ...], ...]:
        """One fact record per governing licence, same order (one with `licence.*` unknown
        when nothing known governs the workload).

        Built when asked rather than kept: at 100,000 workloads the records
        would hold 70 MB, the heads 18 MB.
        """
        head = self.head
        return tuple(head + tail for tail in self.tails)


class Resolver:
    def __init__(self, bundle: Bundle, today: date | None = None) -> None:
        self.bundle = bundle
        self.today = today or date.today()
        self.cat = bundle.catalogue
        org = bundle.organisation
        groups = self.cat.groups_of
        self.sites = {s.id: s.country for s in org.sites}
        # a fact nobody set stays None: rules that depend on it report it (evaluate.py)
        self.org_facts = {
            "organisation.name": org.name,
            "organisation.monthly_active_users": org.monthly_active_users,
            "organisation.annual_revenue_usd": org.annual_revenue_usd,
            "organisation.domicile": org.domicile,
            "organisation.domicile_groups": None
            if org.domicile is None
            else tuple(sorted(groups.get(org.domicile, ()))),
            "organisation.established_in": established_in(org.domicile, self.sites, groups),
            "organisation.licences_held": tuple(org.licences_held),
        }
        classes = bundle.data_classes.values()
        self.scope = DataScope(
            frozenset(c.id for c in classes if c.personal or c.special),
            frozenset(c.id for c in classes if c.special),
            groups,
        )
        self.regions = Places(self.cat, self.sites)
        self.signed = index_records(getattr(org, "agreements", ()))
        self._contexts: dict[tuple[Any, ...], _Context] = {}
        self.places = self.cat.places()

    def resolve(self, lm: LoadedManifest) -> list[ResolvedWorkload]:
        """Resolve every workload, or raise InputError naming every problem."""
        problems = ProblemCollector()
        declared = Declared(lm.name, (lm.name, lm.digest))
        if lm.manifest.models:  # (checking them needs code a manifest without them never loads)
            from clearance.resolve.declared import declared_models

            declared = declared_models(self.cat, lm, problems)
        out = []
        for i, workload in enumerate(lm.manifest.workloads):
            resolved = self._one(lm, i, workload, problems, declared)
            if resolved is not None:
                out.append(resolved)
        problems.raise_if_any()
        return out

    def _one(
        self,
        lm: LoadedManifest,
        i: int,
        w: Workload,
        problems: ProblemCollector,
        declared: Declared,
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
        model = (
            declared.model(w.model)
            or declared.model(model_name)
            or self.cat.model(w.model)
            or self.cat.model(model_name)
        )
        if model is None and w.model.lower() not in declared.refused:  # (else said already)
            from clearance.resolve.model_hint import unknown_model  # an error's path only

            bad(("model",), *unknown_model(self.cat, w.model, declared))
        if provider is None:
            bad(
                ("deployment", "provider"),
                f"unknown provider {d.provider!r}",
                did_you_mean(d.provider, self.cat.providers),
            )
        region = self.regions.region(provider, d.region, bad, profile) if provider else None
        if model is not None and provider is not None:
            self._check_mode(w, model, provider, bad)
        if len(problems.problems) != before or model is None or provider is None or region is None:
            return None
        backings = backing(d.agreements, provider, self.signed, self.today)
        own = declared if declared.model(model.id) is model else None
        governing, ancestors, tails = self._context(model, provider, region, w, own)
        head = workload_head(lm, w, backings, self.scope)
        line, col = lm.position(*base)
        return ResolvedWorkload(
            lm, i, w, line, col, model, provider, governing, backings, head, tails, ancestors
        )

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
        for field in ("residency", "data_subjects"):
            for j, place in enumerate(getattr(w, field) or ()):
                if place not in self.places:
                    bad(
                        (field, j),
                        f"unknown country or group {place!r} (ISO 3166-1 alpha-2 codes "
                        "such as DE, or groups such as EU, EEA)",
                        place_hint(place, self.cat),
                    )

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

    def _context(
        self,
        model: ModelEntry,
        provider: ProviderEntry,
        region: tuple[Any, ...],
        w: Workload,
        own: Declared | None,
    ) -> _Context:
        """The governing terms, the model's ancestors, and the rest of each record.

        Everything but the facts of the workload and its manifest depends only on the
        model, provider, region and mode, so those parts are built once per combination
        for every manifest of the run. A model a manifest declares is that manifest's
        alone: its key holds the manifest's name and digest, so another manifest
        declaring the same id under another licence never reuses its context.
        """
        mode = w.deployment.mode
        # region[0] names any profile too
        key = (model.id, provider.id, region[0], mode, own.key if own is not None else None)
        context = self._contexts.get(key)
        if context is None:
            if own is None:
                ancestors = self.cat.ancestors(model)
                governing = tuple(governing_terms(model, provider, mode, self.bundle))
                declared_ancestors = None
            else:
                ancestors = declared_ancestors = self.cat.ancestors(model, own.model)
                governing = tuple(
                    governing_terms(model, provider, mode, self.bundle, ancestors, own.via)
                )
            tails = context_tails(
                self.cat, model, provider, region, self.org_facts, governing, declared_ancestors
            )
            context = (governing, tuple(ancestors), tails)
            self._contexts[key] = context
        return context
