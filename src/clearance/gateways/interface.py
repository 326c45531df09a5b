"""What every gateway reader produces: deployments, each with where it was written.

A `GatewayDeployment` is one "model at provider in region" a gateway config
routes to, positioned at the gateway file's `file:line:column` so that
`clearance import` can cite it and the drift check can report there. Drift
matches on `key` (resolved model, provider, region or geography); what the
config leaves to the environment or to a wildcard is listed in `unknown`,
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

# Why part of a deployment cannot be known from the file alone:
# - env: the value comes from the environment (`os.environ/X`, `${X}`, `$X`);
# - wildcard: a `*` model, so any model of that provider may be called;
# - runtime: the model is chosen at run time (Continue's AUTODETECT);
# - template: a value left as a template (`{your_resource_name}`, `CHANGE_ME`);
# - missing: the config does not say (no region, no provider prefix);
# - not-catalogued: the provider is real but clearance's catalogue has no entry for it;
# - conflict: two fields of the config disagree (region vs. endpoint host).
UnknownKind = Literal[
    "env", "wildcard", "runtime", "template", "missing", "not-catalogued", "conflict"
]


@dataclass(frozen=True)
class Unknown:
    """One thing about a deployment the config does not tell, and why."""

    kind: UnknownKind
    field: str  # model | provider | region | endpoint
    detail: str

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


@dataclass(frozen=True)
class GatewayDeployment:
    """One model a gateway routes to, at one provider, in one region or geography."""

    model: str  # the model string exactly as written (`bedrock/eu.anthropic.claude-…`)
    served: str | None  # the provider's own model id, prefixes stripped; None when unknown
    model_id: str | None  # the catalogue model it resolves to, or None
    provider: str | None  # clearance catalogue provider id, or None when unknown
    region: str | None  # that provider's region id (`eu-central-1`, `us-south1`), or None
    # A processing geography the region alone does not give: a Bedrock
    # inference-profile prefix (`us`, `eu`, `apac`, `jp`, `au`, `us-gov`, `global`).
    geography: str | None
    endpoint: str | None  # the URL the gateway calls, when written
    self_hosted: bool  # served by the organisation's own runtime (ollama, vLLM, …)
    unknown: tuple[Unknown, ...]
    alias: str | None  # the gateway's own name for it (LiteLLM `model_name`): not a model
    file: str
    line: int
    column: int

    @property
    def key(self) -> tuple[str | None, str | None, str | None, str | None]:
        """What drift matches a workload on: resolved model, provider, region, geography."""
        return (self.model_id or self.served, self.provider, self.region, self.geography)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def unknown_of(self, field: str) -> tuple[Unknown, ...]:
        return tuple(u for u in self.unknown if u.field == field)


class GatewayReader(Protocol):
    """A format's module: `read` raises clearance's positioned InputError for bad files."""

    def read(self, path: Path, catalogue: Catalogue | None = None) -> list[GatewayDeployment]: ...
