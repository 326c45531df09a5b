"""MLflow AI Gateway (deployments server) configs: `endpoints[].model.{provider,name,config}`.

The provider field is not always where the model runs: `provider: openai`
with `config.openai_api_type: azure` (or `azuread`) is Azure OpenAI, so the
hosting is read from `config`. Bedrock's Region is `config.aws_config.aws_region`.
Older releases called the list `routes`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import PathPart
from clearance.gateways.common import build, endpoint_unknowns, model_unknowns
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.gateways.source import Doc, env_name, items, mapping_root, read_doc, text
from clearance.loading.tree import YDict, YList

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "aws-bedrock",
    "amazon-bedrock": "aws-bedrock",
    "mistral": "mistral",
    "togetherai": "together",
    "gemini": "google-gemini",
}
_SELF_HOSTED = frozenset({"mlflow-model-serving", "huggingface-text-generation-inference"})


def read(path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]:
    doc = read_doc(path)
    root = mapping_root(doc, "MLflow AI gateway")
    key = "endpoints" if "endpoints" in root else "routes" if "routes" in root else None
    if key is None:
        raise doc.problem((), "not an MLflow AI gateway config: no 'endpoints'")
    value = root[key]
    if not isinstance(value, YList):
        raise doc.problem((key,), f"'{key}' should be a list")
    return [_endpoint(doc, e, (key, i), catalogue) for i, e in items(value)]


def _endpoint(
    doc: Doc, ep: object, at: tuple[PathPart, ...], catalogue: Catalogue | None
) -> GatewayDeployment:
    if not isinstance(ep, YDict):
        raise doc.problem(at, "an endpoint should be a mapping with 'name' and 'model'")
    model = ep.get("model")
    mat = (*at, "model")
    if not isinstance(model, YDict):
        raise doc.problem(mat, "'model' should be a mapping with 'provider' and 'name'")
    kind = text(doc, model, "provider", mat)
    name = text(doc, model, "name", mat)
    if kind is None:
        raise doc.problem((*mat, "provider"), "the model's 'provider' is missing")
    config = model.get("config")
    config = config if isinstance(config, YDict) else YDict((1, 1))
    cat = (*mat, "config")
    unknown: list[Unknown] = []
    provider = PROVIDERS.get(kind)
    api_type = (text(doc, config, "openai_api_type", cat) or "").lower()
    if kind == "openai" and api_type in ("azure", "azuread"):
        provider = "azure-openai"
        unknown.append(
            Unknown("missing", "region", "the Azure resource's Region is not in the file")
        )
    self_hosted = kind in _SELF_HOSTED
    if self_hosted:
        unknown.append(
            Unknown("missing", "provider", f"where the {kind} server runs is not in the file")
        )
    elif provider is None:
        unknown.append(Unknown("not-catalogued", "provider", f"MLflow provider {kind!r}"))
    region = None
    aws = config.get("aws_config")
    if isinstance(aws, YDict):
        region = text(doc, aws, "aws_region", (*cat, "aws_config"))
        if region is not None and (var := env_name(region)):
            unknown.append(Unknown("env", "region", f"aws_region is read from {var}"))
            region = None
    endpoint = (
        text(doc, config, "openai_api_base", cat)
        or text(doc, config, "mistral_api_base", cat)
        or text(doc, config, "server_url", cat)
    )
    unknown += endpoint_unknowns(endpoint)
    if name is None:
        unknown.append(Unknown("missing", "model", "the model's 'name' is missing"))
    unknown += model_unknowns(name, name or "")
    where = (*mat, "name") if name is not None else mat
    return build(
        doc,
        where,
        catalogue,
        model=name or kind,
        served=name,
        provider=provider,
        region=region,
        endpoint=endpoint,
        self_hosted=self_hosted,
        unknown=unknown,
        alias=text(doc, ep, "name", at),
    )
