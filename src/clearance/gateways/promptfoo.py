"""promptfoo eval configs: `providers` (or `targets`) ids like `bedrock:us.anthropic.claude-…`.

An id packs the provider and model into one string, `provider:[kind:]model`
(`openai:chat:gpt-4o`, `anthropic:messages:claude-…`); Bedrock reads
`config.region`. Only the first colon splits the provider off: Bedrock model
ids contain colons themselves (`…-v2:0`). Custom providers (`file://`,
`python:`, `exec:`) run code whose model cannot be known from the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "vertex": "google-vertex",
    "google": "google-gemini",
    "azure": "azure-openai",
    "azureopenai": "azure-openai",
    "mistral": "mistral",
    "groq": "groq",
    "togetherai": "together",
    "fireworks": "fireworks",
}
SELF_HOSTED = frozenset({"ollama", "localai", "llama", "llamafile", "vllm", "lmstudio"})
# promptfoo's API kinds between provider and model (`openai:chat:gpt-4o`)
_KINDS = frozenset(
    {
        "chat",
        "completion",
        "embedding",
        "embeddings",
        "responses",
        "assistant",
        "messages",
        "realtime",
        "converse",
        "agents",
        "image",
        "moderation",
    }
)
_CODE = ("file://", "python:", "exec:", "http:", "https:", "golang:", "ruby:", "package:", "mcp:")


def read(path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]:
    doc = read_doc(path)
    root = mapping_root(doc, "promptfoo")
    key = "providers" if "providers" in root else "targets" if "targets" in root else None
    if key is None:
        raise doc.problem((), "not a promptfoo config: no 'providers' or 'targets'")
    value = root[key]
    if isinstance(value, str):
        return [_one(doc, value, None, (key,), catalogue)]
    if not isinstance(value, YList):
        raise doc.problem((key,), f"'{key}' should be a list of provider ids or mappings")
    out: list[GatewayDeployment] = []
    for i, entry in items(value):
        at: tuple[PathPart, ...] = (key, i)
        if isinstance(entry, str):
            out.append(_one(doc, entry, None, at, catalogue))
        elif isinstance(entry, YDict) and "id" in entry:
            pid = text(doc, entry, "id", at) or ""
            out.append(
                _one(doc, pid, entry, (*at, "id"), catalogue, label=text(doc, entry, "label", at))
            )
        elif isinstance(entry, YDict) and len(entry) == 1:  # the older {id: {config}} form
            (pid,) = entry
            out.append(_one(doc, str(pid), entry[pid], at, catalogue, key=True))
        else:
            raise doc.problem(at, "a provider should be an id or a mapping with 'id'")
    return out


def _one(
    doc: Doc,
    pid: str,
    entry: Any,
    at: tuple[PathPart, ...],
    catalogue: Catalogue | None,
    *,
    label: str | None = None,
    key: bool = False,
) -> GatewayDeployment:
    config = entry.get("config") if isinstance(entry, YDict) else None
    config = config if isinstance(config, YDict) else YDict((1, 1))
    head, _, rest = pid.partition(":")
    unknown: list[Unknown] = []
    served: str | None = rest
    while served and served.split(":", 1)[0] in _KINDS and ":" in served:
        served = served.split(":", 1)[1]
    provider: str | None = PROVIDERS.get(head)
    self_hosted = head in SELF_HOSTED
    if pid.startswith(_CODE) or (not rest and head not in PROVIDERS):
        served, provider = None, None
        unknown.append(Unknown("runtime", "model", f"{pid!r} is custom code or an HTTP target"))
    elif self_hosted:
        provider = "on-prem"
    elif provider is None:
        unknown.append(Unknown("not-catalogued", "provider", f"promptfoo provider {head!r}"))
    cat_at = (*at[:-1], "config") if at and at[-1] == "id" else (*at, "config")
    region = text(doc, config, "region", cat_at)
    if region is not None and (var := env_name(region)):
        unknown.append(Unknown("env", "region", f"config.region is read from {var}"))
        region = None
    if region is None and provider in ("aws-bedrock", "google-vertex", "azure-openai"):
        unknown.append(
            Unknown("missing", "region", "no config.region: it comes from the environment")
        )
    endpoint = text(doc, config, "apiHost", cat_at) or text(doc, config, "apiBaseUrl", cat_at)
    unknown += endpoint_unknowns(endpoint) + model_unknowns(served, pid)
    return build(
        doc,
        at,
        catalogue,
        model=pid,
        served=served or None,
        provider=provider,
        region=region,
        endpoint=endpoint,
        self_hosted=self_hosted,
        unknown=unknown,
        alias=label,
        key=key,
    )
