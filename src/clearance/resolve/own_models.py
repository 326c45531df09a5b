"""The lookup of a manifest's own models, kept apart from the code that checks them.

Every check resolves every manifest through a `Declared` (empty for a manifest
without `models:`), so this stays a plain class in a small module: building the
checked entries (`declared`) needs dataclasses whose creation costs milliseconds
at import, which a pre-commit check of a manifest without `models:` never pays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clearance.schema.catalog import ModelEntry

UNKNOWN = "unknown"  # the audit's text for a vendor or family the manifest does not give


class Declared:
    """The models one manifest declares, by lowercase id."""

    __slots__ = ("key", "manifest", "models", "refused")

    def __init__(self, manifest: str, key: tuple[str, str]) -> None:
        self.manifest = manifest
        self.key = key  # (manifest name, digest)
        self.models: dict[str, ModelEntry] = {}
        self.refused: set[str] = set()  # lowercase ids reported as errors

    def model(self, name: str) -> ModelEntry | None:
        return self.models.get(name.lower())

    def via(self, model: ModelEntry) -> str:
        """How findings and the audit name the model a licence comes through."""
        if self.models.get(model.id.lower()) is model:
            return f"{model.id} (licence declared by {self.manifest})"
        return model.id
