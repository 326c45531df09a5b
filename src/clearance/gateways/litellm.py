"""LiteLLM proxy configs (`config.yaml`): `model_list` entries, `include:`d files, merge keys.

Each `model_list` entry is one deployment: `litellm_params.model` is
`provider/model` (the provider prefix picks LiteLLM's client), and the other
`litellm_params` say where it runs (`aws_region_name`, `vertex_location`,
`api_base`, …). `model_name` is the alias clients ask the proxy for, any
free text, never a model. Unknown provider prefixes are refused (LiteLLM
itself refuses them at start-up).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError, PathPart, did_you_mean
from clearance.gateways import litellm_fast
from clearance.gateways import litellm_params as lp
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.gateways.litellm_providers import KNOWN, bare_provider
from clearance.gateways.models import resolve_model
from clearance.gateways.source import (
    MAX_INCLUDES,
    Doc,
    env_name,
    include_path,
    items,
    mapping_root,
    read_doc,
    text,
)

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

Path_ = tuple[PathPart, ...]


def read(path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]:
    """Every deployment of a LiteLLM config and of the files it includes, in file order."""
    fast = litellm_fast.plain_doc(path, str(path))
    if fast is not None:
        try:
            return _read(fast, catalogue)
        except InputError:  # the positioned path says where
            pass
    return _read(read_doc(path), catalogue)


def _read(doc: Doc, catalogue: Catalogue | None) -> list[GatewayDeployment]:
    root = mapping_root(doc, "LiteLLM")
    if "model_list" not in root and "include" not in root:
        keys = ", ".join(repr(k) for k in list(root)[:5])
        raise doc.problem((), f"not a LiteLLM config: no 'model_list' or 'include' (found {keys})")
    out: list[GatewayDeployment] = []
    for part in [doc, *_includes(doc, root)]:
        out += _model_list(part, catalogue)
    return out


def _includes(doc: Doc, root: dict[Any, Any]) -> list[Doc]:
    raw = root.get("include")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise doc.problem(("include",), "'include' is a list of files relative to this config")
    if len(raw) > MAX_INCLUDES:
        raise doc.problem(("include",), f"{len(raw)} includes; at most {MAX_INCLUDES} are read")
    out: list[Doc] = []
    for i, entry in items(raw):
        target = include_path(doc, entry, ("include", i))
        shown = str(PurePosixPath(Path(doc.name).parent.as_posix()) / str(entry))
        sub = read_doc(target, shown)
        sub_root = mapping_root(sub, "LiteLLM")
        if "include" in sub_root:  # LiteLLM reads includes of the main config only
            raise sub.problem(("include",), "an included file cannot include others", key=True)
        out.append(sub)
    return out


def _model_list(doc: Doc, catalogue: Catalogue | None) -> list[GatewayDeployment]:
    root = doc.tree
    assert isinstance(root, dict)
    entries = root.get("model_list")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise doc.problem(("model_list",), "'model_list' is a list of deployments")
    return [_entry(doc, e, ("model_list", i), catalogue) for i, e in items(entries)]


def _entry(doc: Doc, entry: object, at: Path_, catalogue: Catalogue | None) -> GatewayDeployment:
    if not isinstance(entry, dict):
        raise doc.problem(at, "a model_list entry is a mapping with model_name and litellm_params")
    params = entry.get("litellm_params")
    if not isinstance(params, dict):
        raise doc.problem(
            (*at, "litellm_params"), "litellm_params (a mapping with 'model') is missing"
        )
    pp = (*at, "litellm_params")
    model = text(doc, params, "model", pp)
    if model is None or not model.strip():
        raise doc.problem((*pp, "model"), "litellm_params.model is missing")
    prefix, served, unknown = _split(doc, params, pp, model.strip())
    place = lp.placement(doc, params, pp, prefix, served)
    served = place.served
    line, col = doc.pos(*pp, "model")
    return GatewayDeployment(
        model=model,
        served=served,
        model_id=resolve_model(catalogue, served),
        provider=place.provider,
        region=place.region,
        geography=place.geography,
        endpoint=place.endpoint,
        self_hosted=place.self_hosted,
        unknown=(*unknown, *place.unknown),
        alias=text(doc, entry, "model_name", at),
        file=doc.name,
        line=line,
        column=col,
    )


def _split(
    doc: Doc, params: dict[Any, Any], pp: Path_, model: str
) -> tuple[str | None, str | None, list[Unknown]]:
    """(LiteLLM provider prefix, the provider's model id, what cannot be known)."""
    unknown: list[Unknown] = []
    custom = text(doc, params, "custom_llm_provider", pp)
    if custom is not None and custom not in KNOWN:
        raise _unknown_prefix(doc, (*pp, "custom_llm_provider"), custom)
    if (var := env_name(model)) is not None:
        unknown.append(Unknown("env", "model", f"read from the environment variable {var}"))
        return custom, None, unknown
    if custom is not None:
        served = model[len(custom) + 1 :] if model.startswith(f"{custom}/") else model
        prefix: str | None = custom
    elif "/" in model:
        prefix, served = model.split("/", 1)
        if prefix not in KNOWN:
            raise _unknown_prefix(doc, (*pp, "model"), prefix, model)
    else:
        prefix, served = bare_provider(model), model
        if prefix is None and "*" not in model:
            unknown.append(
                Unknown(
                    "missing", "provider", f"{model!r} has no provider prefix; LiteLLM infers one"
                )
            )
    if "*" in served:
        unknown.append(Unknown("wildcard", "model", f"{model!r} matches any model of its provider"))
        return prefix, None, unknown
    if not served.strip():
        unknown.append(Unknown("missing", "model", f"{model!r} names no model after the prefix"))
        return prefix, None, unknown
    return prefix, served, unknown


def _unknown_prefix(doc: Doc, at: Path_, prefix: str, model: str | None = None) -> InputError:
    what = f" in {model!r}" if model else ""
    return doc.problem(
        at,
        f"unknown LiteLLM provider {prefix!r}{what}: LiteLLM would refuse it",
        did_you_mean(prefix, sorted(KNOWN)),
    )
