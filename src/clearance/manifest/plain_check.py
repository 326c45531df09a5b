"""Check a plainly read manifest against the format without pydantic, building its records.

This is the pre-commit path's validator: importing pydantic and building the
manifest's validators costs more than the whole check may take (DESIGN.md
allows 60 ms over the import floor). It answers only "valid, and here are the
records" or "not sure": anything it does not accept goes to pydantic, which
alone words errors. It is deliberately stricter than the models (plain `str`,
`int`, `bool`, `list` and `dict` only), so where it accepts, the models accept
the same data with the same values; a hypothesis test holds the two to that.
The models in `model/manifest.py` remain the definition of the format.

Values that repeat across workloads (data classes, model names, providers,
regions, modes, agreements) are interned: at 100,000 workloads that saves
about 40 MB, and later lookups hash each string once.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any

from clearance.manifest.records import (
    DeclaredModelRecord,
    DeploymentRecord,
    GatewayRecord,
    ManifestRecord,
    ProfileRecord,
    VolumeRecord,
    WorkloadRecord,
)

_LOWER_ID = re.compile(r"[a-z0-9][a-z0-9._-]*").fullmatch
_PURPOSES = frozenset(
    {
        "inference",
        "fine-tuning",
        "distillation",
        "evaluation",
        "embedding",
        "training-data-generation",
    }
)
_AUDIENCES = frozenset({"internal", "external"})
_MODES = frozenset({"api", "hosted-open", "self-hosted"})
_NETWORKS = frozenset({"public", "private", "air-gapped"})
_MANIFEST_KEYS = frozenset({"version", "system", "owner", "models", "workloads", "gateways"})
_GATEWAY_KEYS = frozenset({"format", "path"})
_DECLARED_KEYS = frozenset({"id", "licence", "weights", "base_model", "family", "modalities"})
_WEIGHTS = frozenset({"open", "closed"})
_MODALITIES = frozenset({"text", "image", "audio", "video", "code", "embedding"})
_WORKLOAD_KEYS = frozenset(WorkloadRecord.__dataclass_fields__)
_DEPLOYMENT_KEYS = frozenset(DeploymentRecord.__dataclass_fields__)
_VOLUME_KEYS = frozenset(VolumeRecord.__dataclass_fields__)
_PROFILE_KEYS = frozenset(ProfileRecord.__dataclass_fields__)
_TEXT_MAX = 10_000


class NotSure(Exception):
    """The data may be invalid: let pydantic decide and word it."""


def check_header(raw: Any) -> ManifestRecord:
    """The manifest's own fields (workloads left empty), or NotSure."""
    if type(raw) is not dict or not _MANIFEST_KEYS.issuperset(raw) or "workloads" not in raw:
        raise NotSure
    version = raw.get("version")
    if type(version) is not int or version != 1 or type(raw["workloads"]) is not list:
        raise NotSure
    gateways = [_gateway(g) for g in _list(raw.get("gateways", []))]
    declared = [_declared(item) for item in _list(raw.get("models", []))]
    system, owner = _text(raw.get("system")), _text(raw.get("owner"))
    return ManifestRecord(1, [], system, owner, gateways=gateways, models=declared)


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise NotSure
    return value


def _gateway(raw: Any) -> GatewayRecord:
    # both keys are required, and nothing else; which formats exist is the drift check's
    # to say (its registry), in both paths alike
    if type(raw) is not dict or raw.keys() != _GATEWAY_KEYS:
        raise NotSure
    return GatewayRecord(_bounded(raw["format"], 50), _bounded(raw["path"], 1000))


def _declared(raw: Any) -> DeclaredModelRecord:
    """One entry of the manifest's own `models:` list, or NotSure."""
    if type(raw) is not dict or not _DECLARED_KEYS.issuperset(raw):
        raise NotSure
    weights = raw.get("weights")
    if type(weights) is not str or weights not in _WEIGHTS:
        raise NotSure
    base = raw.get("base_model")
    if type(base) is str:
        base = [base]
    elif base is None:
        base = []
    elif type(base) is not list:
        raise NotSure
    family = raw.get("family")
    modalities = raw.get("modalities")
    if modalities is not None:
        if type(modalities) is not dict or set(modalities) != {"input", "output"}:
            raise NotSure
        modalities = (_modalities(modalities["input"]), _modalities(modalities["output"]))
    return DeclaredModelRecord(
        id=_bounded(raw.get("id"), 300),
        licence=_bounded(raw.get("licence"), 200),
        weights=weights,
        base_model=[_bounded(b, 300) for b in base],
        family=None if family is None else _id(family),
        modalities=modalities,
    )


def _modalities(value: Any) -> list[str]:
    if type(value) is not list or not value:
        raise NotSure
    for item in value:
        if type(item) is not str or item not in _MODALITIES:
            raise NotSure
    return list(value)


Deployments = dict[tuple[Any, ...], DeploymentRecord]


def check_workload(raw: Any, deployments: Deployments | None = None) -> WorkloadRecord:
    """One workload's record, or NotSure.

    `deployments` remembers deployments already found valid, by their exact
    keys and values: most workloads of a large manifest share a handful, and
    then share one record too.
    """
    if type(raw) is not dict or not _WORKLOAD_KEYS.issuperset(raw):
        raise NotSure
    get = raw.get
    data = _ids(get("data"))
    commercial = get("commercial")
    if not data or type(commercial) is not bool:
        raise NotSure
    purpose = get("purpose", "inference")
    audience = get("audience", "internal")
    if type(purpose) is not str or purpose not in _PURPOSES:
        raise NotSure
    if type(audience) is not str or audience not in _AUDIENCES:
        raise NotSure
    residency = _places(get("residency"))
    data_subjects = _places(get("data_subjects"))
    trains_family = get("trains_family")
    if trains_family is not None:
        _id(trains_family)
    return WorkloadRecord(
        id=_id(get("id")),
        data=data,
        commercial=commercial,
        model=intern(_bounded(get("model"), 300)),
        deployment=_deployment(get("deployment"), deployments),
        description=_text(get("description")),
        owner=_text(get("owner")),
        purpose=intern(purpose),
        audience=intern(audience),
        residency=residency,
        trains=None if get("trains") is None else _bounded(get("trains"), 300),
        trains_family=trains_family,
        volume=_volume(raw["volume"]) if get("volume") is not None else None,
        profile=_profile(raw["profile"]) if get("profile") is not None else None,
        data_subjects=data_subjects,
    )


def _deployment(raw: Any, known: Deployments | None) -> DeploymentRecord:
    if type(raw) is not dict or not _DEPLOYMENT_KEYS.issuperset(raw):
        raise NotSure
    key = None
    if known is not None:
        try:  # only valid deployments are remembered, and their values are all text
            key = tuple((k, tuple(v) if type(v) is list else v) for k, v in raw.items())
            found = known.get(key)
        except TypeError:  # an unhashable value: not a valid deployment anyway
            found = key = None
        if found is not None:
            return found
    record = _check_deployment(raw)
    if key is not None and known is not None:
        known[key] = record
    return record


def _check_deployment(raw: dict[str, Any]) -> DeploymentRecord:
    mode = raw.get("mode")
    network = raw.get("network", "public")
    if type(mode) is not str or mode not in _MODES:
        raise NotSure
    if type(network) is not str or network not in _NETWORKS:
        raise NotSure
    agreements = raw.get("agreements", [])
    if type(agreements) is not list:
        raise NotSure
    return DeploymentRecord(
        intern(mode),
        _shared_id(raw.get("provider")),
        intern(_bounded(raw.get("region"), 100)),
        intern(network),
        _ids(agreements),
    )


def _volume(raw: Any) -> VolumeRecord:
    if type(raw) is not dict or not _VOLUME_KEYS.issuperset(raw):
        raise NotSure
    for value in raw.values():
        if value is not None and (type(value) is not int or value < 0):
            raise NotSure
    return VolumeRecord(**raw)


def _profile(raw: Any) -> ProfileRecord:
    if type(raw) is not dict or not _PROFILE_KEYS.issuperset(raw):
        raise NotSure
    for value in raw.values():
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise NotSure
    return ProfileRecord(**raw)


def _places(value: Any) -> list[str] | None:
    """Countries or groups: any short text here; the resolver looks each one up (and
    suggests DE for Germany), so the format does not word a pattern error first."""
    if value is None:
        return None
    if type(value) is not list:
        raise NotSure
    return [intern(_bounded(code, 100)) for code in value]


def _id(value: Any) -> str:
    if type(value) is not str or len(value) > 200 or not _LOWER_ID(value):
        raise NotSure
    return value


# Ids that repeat across workloads (data classes, providers, agreements), each already
# found valid, to its interned copy: one dictionary lookup instead of a pattern match.
_KNOWN_IDS: dict[str, str] = {}
_KNOWN_IDS_MAX = 10_000


def _shared_id(value: Any) -> str:
    """An id the resolver looks up (data class, provider, agreement): any short text
    here, so that `PHI` gets "did you mean phi" from the lookup, not a pattern error."""
    if type(value) is not str:
        raise NotSure
    known = _KNOWN_IDS.get(value)
    if known is None:
        known = intern(_bounded(value, 200))
        if len(_KNOWN_IDS) < _KNOWN_IDS_MAX:
            _KNOWN_IDS[known] = known
    return known


def _ids(value: Any) -> list[str]:
    if type(value) is not list:
        raise NotSure
    return [_shared_id(item) for item in value]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or len(value) > _TEXT_MAX:
        raise NotSure
    return value


def _bounded(value: Any, longest: int) -> str:
    if type(value) is not str or not 1 <= len(value) <= longest:
        raise NotSure
    return value
