"""The catalogue files: models, providers and jurisdictions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from clearance.schema.common import LaxDate, LowerId, PlaceCode, Source, Strict, Text

Weights = Literal["open", "closed"]
Modality = Literal["text", "image", "audio", "video", "code", "embedding"]
Lineage = Literal[
    "fine-tune", "quantisation", "merge", "distillation", "adapter", "continued-pretraining"
]
ProviderKind = Literal["api", "hosted-open", "cloud", "on-prem"]


class Modalities(Strict):
    input: Annotated[list[Modality], Field(min_length=1)]
    output: Annotated[list[Modality], Field(min_length=1)]


class ModelEntry(Strict):
    id: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    name: Text
    vendor: LowerId
    family: LowerId
    licence: LowerId
    weights: Weights
    modalities: Modalities
    released: LaxDate | None = None
    parameters: StrictStr | None = None
    base_model: list[StrictStr] = []
    lineage: Lineage | None = None
    aliases: list[StrictStr] = []
    source: Source


class ModelsFile(Strict):
    models: list[ModelEntry]


class Region(Strict):
    id: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    name: Text | None = None
    # A region is in one country, or (for an API offering only jurisdictions) a group;
    # `global` has neither: it may process anywhere (outside every jurisdiction).
    country: PlaceCode | None = None
    area: PlaceCode | None = None


class InferenceProfile(Strict):
    """A model-id prefix that routes a request across a geography (Bedrock's `eu.`)."""

    prefix: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]*\.$", max_length=40)]
    name: Text
    # where the profile may route: a country, a group, or neither (anywhere)
    country: PlaceCode | None = None
    area: PlaceCode | None = None


class ProviderSource(Source):
    covers: list[StrictStr]


class ProviderEntry(Strict):
    id: LowerId
    name: Text
    kind: ProviderKind
    vendor: LowerId | None = None  # whose models it serves as their own vendor
    terms: LowerId | None = None  # licence id of its terms of service
    trains_on_customer_data: StrictBool | None = None
    retention_days: Annotated[StrictInt, Field(ge=0)] | None = None
    # Agreements are three-valued: offered (sourced), not offered (sourced), or, when in
    # neither list, unknown; a workload's claim of an unknown one is an attestation.
    agreements: list[LowerId] = []
    agreements_not_offered: list[LowerId] = []
    regions: list[Region] = []
    inference_profiles: list[InferenceProfile] = []
    # Vendors whose own terms for their closed models come with them through this
    # reseller, where a source says so (Bedrock: the seller's end user licence).
    carries_vendor_terms: list[LowerId] = []
    notes: Text | None = None
    sources: list[ProviderSource] = []


class ProvidersFile(Strict):
    providers: list[ProviderEntry]


class Country(Strict):
    id: PlaceCode
    name: Text
    # ISO 3166-1 alpha-3, read only to suggest `id` for a manifest that wrote it (DEU)
    alpha3: Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")] | None = None


class Group(Strict):
    id: PlaceCode
    name: Text
    members: list[PlaceCode] = []
    includes: list[PlaceCode] = []
    source: Source


class Adequacy(Strict):
    country: PlaceCode
    decided: LaxDate
    scope: Text
    partial: StrictBool = False
    source: Source


class JurisdictionsFile(Strict):
    countries: list[Country]
    groups: list[Group]
    adequacy: list[Adequacy] = []
