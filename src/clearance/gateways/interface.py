"""What every gateway reader produces: deployments, each with where it was written.

A `GatewayDeployment` is one "model at provider in region" a gateway config
routes to, positioned at the gateway file's `file:line:column` so that
`clearance import` can cite it and the drift check can report there. Drift
matches on `key` (resolved model, provider, region or geography); what the
config leaves to the environment or to a wildcard is listed in `unknown`,
never guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

    # for the type checker only: creating the first Protocol class of a process costs
    # about 0.2 ms, and every check of a manifest with `gateways:` imports this module
    class GatewayReader(Protocol):
        """A format's module: `read` raises clearance's positioned InputError for bad files."""

        def read(
            self, path: Path, catalogue: Catalogue | None = None
        ) -> list[GatewayDeployment]: ...


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


class _Record:
    """Equality, hashing, `repr` and `_replace` over a subclass's `__slots__`.

    Plain classes, not NamedTuples or frozen dataclasses: drift imports this module
    on every check of a manifest with `gateways:`, and creating those two classes as
    NamedTuples cost about 1 ms (as frozen dataclasses, 3 ms), a tenth of what reading
    a whole gateway config may add to a check. Treat instances as immutable.
    """

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Record) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Unknown(_Record):
    """One thing about a deployment the config does not tell, and why."""

    __slots__ = ("detail", "field", "kind")

    def __init__(self, kind: UnknownKind, field: str, detail: str) -> None:
        self.kind = kind
        self.field = field  # model | provider | region | endpoint
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


class GatewayDeployment(_Record):
    """One model a gateway routes to, at one provider, in one region or geography."""

    __slots__ = (
        "alias",
        "column",
        "endpoint",
        "file",
        "geography",
        "line",
        "model",
        "model_id",
        "provider",
        "region",
        "self_hosted",
        "served",
        "unknown",
    )

    def __init__(
        self,
        *,
        model: str,
        served: str | None,
        model_id: str | None,
        provider: str | None,
        region: str | None,
        geography: str | None,
        endpoint: str | None,
        self_hosted: bool,
        unknown: tuple[Unknown, ...],
        alias: str | None,
        file: str,
        line: int,
        column: int,
    ) -> None:
        self.model = model  # the model string exactly as written (`bedrock/eu.anthropic.…`)
        self.served = served  # the provider's own model id, prefixes stripped; None: unknown
        self.model_id = model_id  # the catalogue model it resolves to, or None
        self.provider = provider  # clearance catalogue provider id, or None when unknown
        self.region = region  # that provider's region id (`eu-central-1`), or None
        # A processing geography the region alone does not give: a Bedrock
        # inference-profile prefix (`us`, `eu`, `apac`, `jp`, `au`, `us-gov`, `global`).
        self.geography = geography
        self.endpoint = endpoint  # the URL the gateway calls, when written
        self.self_hosted = self_hosted  # served by the organisation's own runtime (ollama, …)
        self.unknown = unknown
        self.alias = alias  # the gateway's own name for it (LiteLLM `model_name`): not a model
        self.file = file
        self.line = line
        self.column = column

    def _replace(self, **changes: Any) -> GatewayDeployment:
        values = {name: getattr(self, name) for name in self.__slots__}
        return GatewayDeployment(**{**values, **changes})

    @property
    def key(self) -> tuple[str | None, str | None, str | None, str | None]:
        """What drift matches a workload on: resolved model, provider, region, geography."""
        return (self.model_id or self.served, self.provider, self.region, self.geography)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def unknown_of(self, field: str) -> tuple[Unknown, ...]:
        return tuple(u for u in self.unknown if u.field == field)
