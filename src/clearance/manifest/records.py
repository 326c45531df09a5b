"""What a manifest declares, as plain slotted records: the shape every later stage reads.

The pydantic models in `model/manifest.py` define the format and word its
errors; once a manifest is known valid, resolving, evaluating and reporting
only read its fields. These records hold the same fields under the same names
with a fraction of the memory (about 100 bytes a workload instead of 500),
and building them needs no pydantic at all, which keeps pydantic off the
pre-commit path (see `loading/manifest_check.py`).

They are not frozen: a frozen dataclass sets each field through
`object.__setattr__`, which made building them five times slower (0.2 s at
100,000 workloads). Nothing after loading writes to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models are imported only where a manifest is validated by pydantic
    from clearance.schema import manifest as m


@dataclass(slots=True)
class DeploymentRecord:
    mode: str
    provider: str
    region: str
    network: str = "public"
    agreements: list[str] = field(default_factory=list)


@dataclass(slots=True)
class VolumeRecord:
    requests_per_day: int | None = None
    input_tokens_per_request: int | None = None
    output_tokens_per_request: int | None = None


@dataclass(slots=True)
class ProfileRecord:
    capability: int | None = None
    privacy: int | None = None
    scale: int | None = None
    ops: int | None = None
    customization: int | None = None
    latency: int | None = None


@dataclass(slots=True)
class WorkloadRecord:
    id: str
    data: list[str]
    commercial: bool
    model: str
    deployment: DeploymentRecord
    description: str | None = None
    owner: str | None = None
    purpose: str = "inference"
    audience: str = "internal"
    residency: list[str] | None = None
    trains: str | None = None
    trains_family: str | None = None
    volume: VolumeRecord | None = None
    profile: ProfileRecord | None = None
    data_subjects: list[str] | None = None


@dataclass(slots=True)
class GatewayRecord:
    format: str
    path: str


@dataclass(slots=True)
class DeclaredModelRecord:
    """A model the manifest declares itself (`models:`); `base_model` always a list."""

    id: str
    licence: str
    weights: str
    base_model: list[str] = field(default_factory=list)
    family: str | None = None
    modalities: tuple[list[str], list[str]] | None = None  # (input, output)


@dataclass(slots=True)
class ManifestRecord:
    version: int
    workloads: list[WorkloadRecord]
    system: str | None = None
    owner: str | None = None
    gateways: list[GatewayRecord] = field(default_factory=list)
    models: list[DeclaredModelRecord] = field(default_factory=list)


def from_model(manifest: m.Manifest) -> ManifestRecord:
    """The records of a manifest pydantic has validated."""
    return ManifestRecord(
        version=manifest.version,
        workloads=[workload_from_model(w) for w in manifest.workloads],
        system=manifest.system,
        owner=manifest.owner,
        gateways=[GatewayRecord(g.format, g.path) for g in manifest.gateways],
        models=[declared_from_model(d) for d in manifest.models],
    )


def declared_from_model(d: m.DeclaredModel) -> DeclaredModelRecord:
    base = [d.base_model] if isinstance(d.base_model, str) else list(d.base_model or ())
    modalities = None
    if d.modalities is not None:
        modalities = ([str(x) for x in d.modalities.input], [str(x) for x in d.modalities.output])
    return DeclaredModelRecord(d.id, d.licence, d.weights, base, d.family, modalities)


def workload_from_model(w: m.Workload) -> WorkloadRecord:
    d = w.deployment
    volume = None
    if w.volume is not None:
        volume = VolumeRecord(**_fields(w.volume))
    return WorkloadRecord(
        id=w.id,
        data=w.data,
        commercial=w.commercial,
        model=w.model,
        deployment=DeploymentRecord(d.mode, d.provider, d.region, d.network, d.agreements),
        description=w.description,
        owner=w.owner,
        purpose=w.purpose,
        audience=w.audience,
        residency=w.residency,
        trains=w.trains,
        trains_family=w.trains_family,
        volume=volume,
        profile=None if w.profile is None else ProfileRecord(**_fields(w.profile)),
        data_subjects=w.data_subjects,
    )


def _fields(model: Any) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields}
