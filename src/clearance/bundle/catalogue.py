"""The catalogue (models, providers, jurisdictions) and the licences, loaded once and indexed.

Shipped entries come first; a bundle's own catalogue and licence directories
add entries or override them by id. Cross-references (a model's licence and
ancestors, a provider's terms, a region's country, alias clashes) are checked
here so that resolution can trust them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.errors import PathPart, Problem
from clearance.loading.files import Loaded
from clearance.loading.tree import locate

if TYPE_CHECKING:  # the models are imported where files are loaded: a snapshot needs none
    from clearance.schema.catalog import JurisdictionsFile, ModelEntry, ProviderEntry
    from clearance.schema.licence import LicenceFile

PARTIAL_ADEQUACY = "GDPR-ADEQUATE-PARTIAL"
NO_SAFEGUARD_NEEDED = "EEA-OR-ADEQUATE"
# The one region id every provider has: "may process anywhere", outside every jurisdiction.
GLOBAL_REGION = "global"


@dataclass(frozen=True)
class Origin:
    """Where an entry was defined, for positioned errors."""

    file: str
    raw: Any
    path: tuple[PathPart, ...]

    def problem(
        self, message: str, suggestion: str | None = None, sub: tuple[PathPart, ...] = ()
    ) -> Problem:
        line, col = locate(self.raw, (*self.path, *sub))
        return Problem(self.file, line, col, (*self.path, *sub), message, suggestion)


@dataclass
class Catalogue:
    models: dict[str, ModelEntry] = field(default_factory=dict)  # by lowercase id
    model_names: dict[str, str] = field(default_factory=dict)  # lowercase id/alias -> id
    providers: dict[str, ProviderEntry] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # code -> name
    group_names: dict[str, str] = field(default_factory=dict)
    groups_of: dict[str, frozenset[str]] = field(default_factory=dict)  # country/group -> groups
    licences: dict[str, Loaded[LicenceFile]] = field(default_factory=dict)
    licence_names: dict[str, str] = field(default_factory=dict)  # lowercase id/alias -> id
    jurisdictions: JurisdictionsFile | None = None
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def model(self, name: str) -> ModelEntry | None:
        canonical = self.model_names.get(name.lower())
        return self.models[canonical.lower()] if canonical else None

    def licence(self, name: str) -> Loaded[LicenceFile] | None:
        canonical = self.licence_names.get(name.lower())
        return self.licences[canonical] if canonical else None

    def places(self) -> set[str]:
        return set(self.countries) | set(self.group_names)

    def ancestors(
        self, model: ModelEntry, own: Callable[[str], ModelEntry | None] | None = None
    ) -> list[ModelEntry]:
        """Every ancestor through `base_model`, nearest first, each once.

        `own` looks a name up first among a manifest's own models (`models:`), which
        may derive from each other and from catalogue models.
        """
        out: list[ModelEntry] = []
        seen = {model.id.lower()}
        queue = list(model.base_model)
        while queue:
            name = queue.pop(0)
            parent = (own(name) if own is not None else None) or self.model(name)
            if parent is None or parent.id.lower() in seen:
                continue
            seen.add(parent.id.lower())
            out.append(parent)
            queue.extend(parent.base_model)
        return out


@dataclass
class Definitions:
    """Which layer defined each entry, every time one was defined (shipped data is
    layer -1): what a locked rule's protection needs to see redefinitions."""

    layer: int = -1
    seen: dict[tuple[str, str], list[tuple[int, Origin]]] = field(default_factory=dict)
    # a locked rule inside a licence file, by the layer that ships the file
    locked_licence_rules: list[tuple[int, str]] = field(default_factory=list)

    def define(self, kind: str, key: str, origin: Origin) -> None:
        self.seen.setdefault((kind, key), []).append((self.layer, origin))
