"""The `model-usage.yaml` manifest: what a repository declares about its model use."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from clearance.schema.catalog import Modalities, Weights
from clearance.schema.common import LowerId, Strict, Text

Purpose = Literal[
    "inference",
    "fine-tuning",
    "distillation",
    "evaluation",
    "embedding",
    "training-data-generation",
]
# Purposes that turn a model's outputs or weights into another model.
TRAINING_PURPOSES: frozenset[str] = frozenset(
    {"fine-tuning", "distillation", "training-data-generation"}
)
Audience = Literal["internal", "external"]
DeploymentMode = Literal["api", "hosted-open", "self-hosted"]
Network = Literal["public", "private", "air-gapped"]
# Ids and places the resolver looks up in the bundle and catalogue (data classes,
# providers, agreements, countries and groups): any short text here, so that a near
# miss (`PHI`, `AWS`, `Germany`) gets the lookup's "did you mean", not a pattern error.
LookupId = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Place = Annotated[StrictStr, Field(min_length=1, max_length=100)]
Count = Annotated[StrictInt, Field(ge=0)]


def _an_integer(value: object) -> object:
    # pydantic's strict Literal[1] accepts `true` and `1.0` (both == 1): the version is the integer
    if type(value) is not int:
        raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
    return value


FormatVersion = Annotated[Literal[1], BeforeValidator(_an_integer)]


class Deployment(Strict):
    mode: DeploymentMode
    provider: LookupId
    region: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    network: Network = "public"
    agreements: list[LookupId] = []


class Volume(Strict):
    requests_per_day: Count | None = None
    input_tokens_per_request: Count | None = None
    output_tokens_per_request: Count | None = None


Score = Annotated[StrictInt, Field(ge=1, le=5)]


class Profile(Strict):
    """The advisor's six dimensions, each 1 (favours closed APIs) to 5 (favours open weights)."""

    capability: Score | None = None
    privacy: Score | None = None
    scale: Score | None = None
    ops: Score | None = None
    customization: Score | None = None
    latency: Score | None = None


class Workload(Strict):
    id: LowerId
    description: Text | None = None
    owner: Text | None = None
    data: Annotated[list[LookupId], Field(min_length=1)]
    purpose: Purpose = "inference"
    audience: Audience = "internal"
    commercial: StrictBool
    residency: list[Place] | None = None
    model: Annotated[StrictStr, Field(min_length=1, max_length=300)]
    trains: Annotated[StrictStr, Field(min_length=1, max_length=300)] | None = None
    trains_family: LowerId | None = None
    deployment: Deployment
    volume: Volume | None = None
    profile: Profile | None = None
    data_subjects: list[Place] | None = None


class Gateway(Strict):
    """A gateway config this manifest answers for: the drift check compares the two."""

    format: Annotated[StrictStr, Field(min_length=1, max_length=50)]  # a gateway reader's name
    path: Annotated[StrictStr, Field(min_length=1, max_length=1000)]  # from the manifest's folder


ModelName = Annotated[StrictStr, Field(min_length=1, max_length=300)]


class DeclaredModel(Strict):
    """A model the catalogue does not list, declared by the manifest itself: its licence
    is the manifest's word, and findings and the audit say so."""

    id: ModelName
    # a licence id or alias, an SPDX id, or a Hugging Face licence keyword
    licence: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    weights: Weights
    base_model: ModelName | list[ModelName] | None = None
    family: LowerId | None = None
    modalities: Modalities | None = None


class Manifest(Strict):
    version: FormatVersion
    system: Text | None = None
    owner: Text | None = None
    models: list[DeclaredModel] = []
    workloads: list[Workload]
    gateways: list[Gateway] = []
