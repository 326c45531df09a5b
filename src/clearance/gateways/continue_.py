"""Continue (IDE assistant) `config.yaml`/`config.json`: `models[]` with `provider` and `model`.

`model: AUTODETECT` lists whatever the local server offers, so the model is
known only at run time. Local runtimes (Ollama, LM Studio, llama.cpp, …) run
on the developer's machine or the organisation's own servers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import PathPart
from clearance.gateways.common import build, endpoint_unknowns, model_unknowns
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.gateways.source import (
    Doc,
    host_of,
    is_local_host,
    items,
    mapping_root,
    read_doc,
    text,
)
from clearance.loading.tree import YDict, YList

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

PROVIDERS: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "azure": "azure-openai",
    "bedrock": "aws-bedrock",
    "vertexai": "google-vertex",
    "gemini": "google-gemini",
    "mistral": "mistral",
    "groq": "groq",
    "together": "together",
    "fireworks": "fireworks",
}
LOCAL = frozenset(
    {"ollama", "lmstudio", "llama.cpp", "llamafile", "vllm", "text-gen-webui", "lemonade"}
)


def read(path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]:
    doc = read_doc(path)
    root = mapping_root(doc, "Continue")
    models = root.get("models")
    if "models" not in root:
        raise doc.problem((), "not a Continue config: no 'models'")
    if not isinstance(models, YList):
        raise doc.problem(("models",), "'models' should be a list")
    return [_model(doc, m, ("models", i), catalogue) for i, m in items(models)]


def _model(
    doc: Doc, entry: object, at: tuple[PathPart, ...], catalogue: Catalogue | None
) -> GatewayDeployment:
    if not isinstance(entry, YDict):
        raise doc.problem(at, "a model should be a mapping with 'provider' and 'model'")
    kind = text(doc, entry, "provider", at)
    model = text(doc, entry, "model", at)
    if kind is None:
        raise doc.problem((*at, "provider"), "the model's 'provider' is missing")
    api_base = text(doc, entry, "apiBase", at)
    unknown: list[Unknown] = endpoint_unknowns(api_base)
    served = model
    if model is None or model.upper() == "AUTODETECT":
        why = "AUTODETECT: whatever the server offers" if model else "no model named"
        unknown.append(Unknown("runtime", "model", why))
        served = None
    provider = PROVIDERS.get(kind)
    self_hosted = kind in LOCAL
    if self_hosted:
        host = host_of(api_base)
        provider = "on-prem" if is_local_host(host) else None
        if provider is None:
            unknown.append(Unknown("missing", "provider", f"a {kind} server at {host}"))
    elif provider is None:
        unknown.append(Unknown("not-catalogued", "provider", f"Continue provider {kind!r}"))
    region = None
    env = entry.get("env")
    if isinstance(env, YDict):
        region = text(doc, env, "region", (*at, "env"))
    unknown += model_unknowns(served, model or "")
    where = (*at, "model") if model is not None else at
    return build(
        doc,
        where,
        catalogue,
        model=model or kind,
        served=served,
        provider=provider,
        region=region,
        endpoint=api_base,
        self_hosted=self_hosted,
        unknown=unknown,
        alias=text(doc, entry, "name", at),
    )
