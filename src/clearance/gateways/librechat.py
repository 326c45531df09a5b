"""LibreChat `librechat.yaml`: Azure OpenAI groups, custom endpoints and speech models.

`endpoints.azureOpenAI.groups[].models` names Azure deployments (the model is
the key, the region is the Azure resource's and not in the file);
`endpoints.custom[]` are OpenAI-compatible APIs named by `baseURL` with a
`models.default` list; built-in endpoints (`openAI`, `anthropic`, `bedrock`)
take their models from LibreChat's `.env`, so their model is unknown here;
`speech.stt`/`speech.tts` name speech models.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.errors import PathPart
from clearance.gateways.common import build, endpoint_unknowns, model_unknowns, provider_of_url
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.gateways.source import Doc, items, mapping_root, read_doc, text
from clearance.loading.tree import YDict, YList

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

Where = tuple[PathPart, ...]
# Built-in endpoints whose models come from the .env file, and their provider.
_BUILTIN = {
    "openAI": "openai",
    "assistants": "openai",
    "anthropic": "anthropic",
    "bedrock": "aws-bedrock",
}
_SPEECH = {"openai": "openai", "azureOpenAI": "azure-openai"}


def read(path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]:
    doc = read_doc(path)
    root = mapping_root(doc, "LibreChat")
    if "endpoints" not in root and "speech" not in root:
        raise doc.problem((), "not a LibreChat config: no 'endpoints' or 'speech'")
    out: list[GatewayDeployment] = []
    endpoints = _mapping(doc, root, "endpoints", ())
    for name, value in endpoints.items():
        if name == "azureOpenAI":
            out += _azure(doc, value, ("endpoints", name), catalogue)
        elif name == "custom":
            out += _custom(doc, value, ("endpoints", name), catalogue)
        elif name in _BUILTIN:
            why = Unknown(
                "env", "model", f"the {name} endpoint's models are listed in LibreChat's .env"
            )
            out.append(
                build(
                    doc,
                    ("endpoints", name),
                    catalogue,
                    model=name,
                    served=None,
                    provider=_BUILTIN[name],
                    unknown=[why],
                    key=True,
                )
            )
    speech = _mapping(doc, root, "speech", ())
    for kind in ("stt", "tts"):
        for name, value in _mapping(doc, speech, kind, ("speech",)).items():
            out += _speech(doc, value, ("speech", kind, name), str(name), catalogue)
    return out


def _mapping(doc: Doc, node: dict[Any, Any], key: str, at: Where) -> YDict:
    value = node.get(key)
    if value is None:
        return YDict((1, 1))
    if not isinstance(value, YDict):
        raise doc.problem((*at, key), f"{key!r} should be a mapping")
    return value


def _azure(doc: Doc, value: Any, at: Where, catalogue: Catalogue | None) -> list[GatewayDeployment]:
    if not isinstance(value, YDict):
        raise doc.problem(at, "'azureOpenAI' should be a mapping with 'groups'")
    groups = value.get("groups")
    if not isinstance(groups, YList):
        raise doc.problem((*at, "groups"), "'groups' should be a list of Azure OpenAI resources")
    out: list[GatewayDeployment] = []
    for i, group in items(groups):
        gat = (*at, "groups", i)
        if not isinstance(group, YDict):
            raise doc.problem(gat, "an Azure group should be a mapping")
        instance = text(doc, group, "instanceName", gat) or text(doc, group, "baseURL", gat)
        unknown = endpoint_unknowns(instance)
        unknown.append(
            Unknown("missing", "region", "the Azure resource's Region is not in the file")
        )
        models = group.get("models")
        if not isinstance(models, YDict):
            raise doc.problem((*gat, "models"), "'models' should map model names to deployments")
        for name in models:
            out.append(
                build(
                    doc,
                    (*gat, "models", name),
                    catalogue,
                    model=str(name),
                    served=str(name),
                    provider="azure-openai",
                    endpoint=instance,
                    unknown=unknown,
                    alias=text(doc, group, "group", gat),
                    key=True,
                )
            )
    return out


def _custom(
    doc: Doc, value: Any, at: Where, catalogue: Catalogue | None
) -> list[GatewayDeployment]:
    if not isinstance(value, YList):
        raise doc.problem(at, "'custom' should be a list of endpoints")
    out: list[GatewayDeployment] = []
    for i, ep in items(value):
        eat = (*at, i)
        if not isinstance(ep, YDict):
            raise doc.problem(eat, "a custom endpoint should be a mapping")
        name = text(doc, ep, "name", eat) or f"custom[{i}]"
        url = text(doc, ep, "baseURL", eat)
        provider, region, unknown = provider_of_url(url, f"custom endpoint {name!r}")
        unknown += endpoint_unknowns(url)
        models = ep.get("models")
        default = models.get("default") if isinstance(models, YDict) else None
        if not isinstance(default, YList) or not default:
            why = Unknown("runtime", "model", f"endpoint {name!r} lists no default models")
            out.append(
                build(
                    doc,
                    eat,
                    catalogue,
                    model=name,
                    served=None,
                    provider=provider,
                    region=region,
                    endpoint=url,
                    unknown=[*unknown, why],
                    alias=name,
                )
            )
            continue
        for j, model in items(default):
            mat = (*eat, "models", "default", j)
            if not isinstance(model, (str, int, float)) or isinstance(model, bool):
                raise doc.problem(mat, "a model name should be text")
            served = str(model)
            out.append(
                build(
                    doc,
                    mat,
                    catalogue,
                    model=served,
                    served=served,
                    provider=provider,
                    region=region,
                    endpoint=url,
                    alias=name,
                    unknown=[*unknown, *model_unknowns(served, served)],
                )
            )
    return out


def _speech(
    doc: Doc, value: Any, at: Where, name: str, catalogue: Catalogue | None
) -> list[GatewayDeployment]:
    if not isinstance(value, YDict):
        raise doc.problem(at, f"speech provider {name!r} should be a mapping")
    model = text(doc, value, "model", at)
    url = text(doc, value, "url", at) or text(doc, value, "instanceName", at)
    provider = _SPEECH.get(name)
    unknown = endpoint_unknowns(url)
    if provider is None:
        unknown.append(Unknown("not-catalogued", "provider", f"speech provider {name!r}"))
    if model is None:
        unknown.append(Unknown("missing", "model", f"speech provider {name!r} names no model"))
    where = (*at, "model") if model is not None else at
    return [
        build(
            doc,
            where,
            catalogue,
            model=model or name,
            served=model,
            provider=provider,
            endpoint=url,
            unknown=unknown,
        )
    ]
