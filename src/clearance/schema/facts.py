"""The fact schema: every path a rule may read, its type, and its slot in a record.

A fact record is a plain tuple; each path has a fixed slot, so a compiled rule
reads `record[7]` rather than walking dictionaries by string at run time, and
an unknown path is an error when the bundle loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FactType = Literal["str", "bool", "int", "list", "date"]


@dataclass(frozen=True)
class FactSpec:
    path: str
    type: FactType
    doc: str


# The licence terms a rule may read, with their types. They mirror the fields of
# `model.licence.LicenceTerms` (a test holds the two equal); spelt out here so that
# the fact schema, which every check needs, does not import pydantic.
LICENCE_TERMS: tuple[tuple[str, FactType], ...] = (
    ("commercial_use", "bool"),
    ("mau_threshold", "int"),
    ("revenue_threshold_usd", "int"),
    ("output_training", "str"),
    ("excluded_domiciles", "list"),
    ("excluded_modalities", "list"),
    ("attribution", "str"),
    ("notice", "str"),
    ("naming_prefix", "str"),
    ("licence_copy_required", "bool"),
    ("hosting_is_distribution", "bool"),
    ("use_policy", "str"),
)


def _term_specs() -> list[FactSpec]:
    return [
        FactSpec(f"licence.terms.{name}", kind, f"the licence's '{name}' term")
        for name, kind in LICENCE_TERMS
    ]


# The workload's own facts and its manifest's come first: a record is those and a
# tail shared by every workload with the same model, provider, region and mode
# (see resolve.py).
FACT_SPECS: tuple[FactSpec, ...] = (
    FactSpec("workload.id", "str", "the workload's id"),
    FactSpec("workload.description", "str", "what the workload does"),
    FactSpec("workload.owner", "str", "who answers for it (defaults to the manifest owner)"),
    FactSpec("workload.data", "list", "data classes it handles"),
    FactSpec("workload.purpose", "str", "inference, fine-tuning, distillation, ..."),
    FactSpec("workload.audience", "str", "internal or external"),
    FactSpec("workload.commercial", "bool", "part of a commercial product or service"),
    FactSpec("workload.residency", "list", "where its data may be processed"),
    FactSpec("workload.model", "str", "the model as the manifest names it"),
    FactSpec("workload.trains", "str", "the model it produces, if any"),
    FactSpec("workload.trains_family", "str", "the family of the model it produces"),
    FactSpec(
        "workload.data_subjects",
        "list",
        "where the people whose data it handles are (countries or groups), as declared",
    ),
    FactSpec(
        "workload.data_subjects_within",
        "list",
        "those places and every group they belong to (null when none are declared)",
    ),
    FactSpec(
        "workload.personal_data", "bool", "it handles a data class the taxonomy marks personal"
    ),
    FactSpec(
        "workload.special_category_data",
        "bool",
        "it handles a data class the taxonomy marks special (GDPR Art. 9)",
    ),
    FactSpec("deployment.mode", "str", "api, hosted-open or self-hosted"),
    FactSpec("deployment.provider", "str", "provider id"),
    FactSpec("deployment.region", "str", "the provider's region id"),
    FactSpec("deployment.network", "str", "public, private or air-gapped"),
    FactSpec("deployment.agreements", "list", "agreements in place with the provider"),
    FactSpec(
        "deployment.agreements_attested",
        "list",
        "claimed agreements only the repository vouches for (catalogue unsure, none recorded)",
    ),
    FactSpec(
        "deployment.agreements_recorded",
        "list",
        "claimed agreements the organisation recorded as signed and unexpired",
    ),
    FactSpec(
        "deployment.agreements_expired",
        "list",
        "claimed agreements whose only organisation record has expired",
    ),
    FactSpec("manifest.path", "str", "the manifest file"),
    FactSpec("manifest.system", "str", "what the repository is"),
    FactSpec("manifest.owner", "str", "who answers for it"),
    FactSpec("model.id", "str", "catalogue id"),
    FactSpec("model.name", "str", "display name"),
    FactSpec("model.vendor", "str", "who made it"),
    FactSpec("model.family", "str", "model family"),
    FactSpec("model.licence", "str", "the model's own licence id"),
    FactSpec("model.weights", "str", "open or closed"),
    FactSpec("model.input_modalities", "list", "what it takes in"),
    FactSpec("model.output_modalities", "list", "what it puts out"),
    FactSpec("model.released", "date", "release date"),
    FactSpec("model.base_models", "list", "every ancestor it derives from"),
    FactSpec("model.lineage", "str", "how it derives from its base (fine-tune, merge, ...)"),
    FactSpec("model.declared_by", "str", "catalogue, or manifest (its own `models:` entry)"),
    FactSpec("licence.id", "str", "the governing licence or terms"),
    FactSpec("licence.name", "str", "its name"),
    FactSpec(
        "licence.kind", "str", "permissive, community, non-commercial, research, proprietary-api"
    ),
    FactSpec("licence.spdx", "str", "SPDX id"),
    FactSpec("licence.url", "str", "where to read it"),
    FactSpec("licence.via", "str", "the model or provider it comes from"),
    FactSpec("licence.governs_as", "str", "model-licence or provider-terms"),
    *_term_specs(),
    FactSpec("provider.id", "str", "provider id"),
    FactSpec("provider.name", "str", "provider name"),
    FactSpec("provider.kind", "str", "api, hosted-open, cloud or on-prem"),
    FactSpec("provider.vendor", "str", "the vendor whose own models it serves"),
    FactSpec("provider.terms", "str", "licence id of its terms"),
    FactSpec("provider.trains_on_customer_data", "bool", "whether it trains on customer data"),
    FactSpec("provider.retention_days", "int", "how long it keeps prompts and outputs"),
    FactSpec("provider.agreements", "list", "agreements it is known to offer (baa, dpa, scc, zdr)"),
    FactSpec("provider.agreements_not_offered", "list", "agreements it is known not to offer"),
    FactSpec(
        "provider.carries_vendor_terms",
        "bool",
        "a source says the model vendor's own terms come with the model through this provider",
    ),
    FactSpec("provider.serves_own_model", "bool", "the provider is the model's own vendor"),
    FactSpec("region.id", "str", "region id"),
    FactSpec("region.country", "str", "ISO country code (null for a multi-country area)"),
    FactSpec("region.groups", "list", "every group the region lies in (EU, EEA, ...)"),
    FactSpec("region.within", "list", "the country and every group"),
    FactSpec("organisation.name", "str", "organisation name"),
    FactSpec("organisation.monthly_active_users", "int", "monthly active users"),
    FactSpec("organisation.annual_revenue_usd", "int", "annual revenue in US dollars"),
    FactSpec("organisation.domicile", "str", "country of its principal place of business"),
    FactSpec("organisation.domicile_groups", "list", "groups its domicile belongs to"),
    FactSpec(
        "organisation.established_in",
        "list",
        "countries and groups it is established in: its domicile and its sites' countries "
        "(null when the domicile is unknown and no site is listed)",
    ),
    FactSpec("organisation.licences_held", "list", "licences for which it holds a separate grant"),
)

FACTS: dict[str, FactSpec] = {spec.path: spec for spec in FACT_SPECS}
SLOT: dict[str, int] = {spec.path: i for i, spec in enumerate(FACT_SPECS)}
WIDTH = len(FACT_SPECS)
LICENCE_PREFIX = "licence."


def is_licence_fact(path: str) -> bool:
    return path.startswith(LICENCE_PREFIX)
