"""Every kind of YAML file clearance reads, in one table: its schema, and its plain rebuild.

`files.load_kind(kind, path)` is the one way a bundle, catalogue, licence,
waivers, policy-test or prices file is read: bounded read, parse cache, guarded
YAML, validation against the kind's schema. A kind that the pre-commit path reads
on every run (waivers beside a manifest) also names a `plain` rebuild: when the
parse cache says these very bytes passed the schema before, the file is rebuilt
as plain records without importing pydantic, which alone costs more than the
whole check may.

Manifests are the one kind with a reader of their own (`manifest.load`): their
fast reader keeps positions without building a tree of every node. Gateway
configs are read by their formats' readers (`gateways`), since they are not
clearance's formats.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from clearance.schema.records import Record

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass(frozen=True)
class FileKind:
    module: str  # the schema module under clearance.schema
    model: str  # the file's model in it
    # rebuilds a validated raw tree as plain records; None: rebuilt through pydantic
    plain: Callable[[Any], Any] | None = None

    def schema(self) -> type[BaseModel]:
        """The model, imported when first needed: pydantic stays off paths that skip it."""
        found: type[BaseModel] = getattr(
            importlib.import_module(f"clearance.schema.{self.module}"), self.model
        )
        return found


# The fields of schema.waivers.WaiverEntry, in order; the optional ones default to
# None (a test holds this to the model).
WAIVER_FIELDS = ("rule", "workload", "manifest", "reason", "approved_by", "ticket", "expires")


def _plain_waivers(raw: Any) -> Record:
    return Record("WaiversFile", {"waivers": [_plain_waiver(entry) for entry in raw["waivers"]]})


def _plain_waiver(entry: dict[str, Any]) -> Record:
    fields = {name: entry.get(name) for name in WAIVER_FIELDS}
    if isinstance(fields["expires"], str):  # the one lax field: a quoted YYYY-MM-DD date
        fields["expires"] = date.fromisoformat(fields["expires"])
    return Record("WaiverEntry", fields)


KINDS: dict[str, FileKind] = {
    "bundle": FileKind("bundle", "BundleFile"),
    "organisation": FileKind("bundle", "OrganisationFile"),
    "data-classes": FileKind("bundle", "DataClassesFile"),
    "rules": FileKind("bundle", "RulesFile"),
    "licence": FileKind("licence", "LicenceFile"),
    "models": FileKind("catalog", "ModelsFile"),
    "providers": FileKind("catalog", "ProvidersFile"),
    "jurisdictions": FileKind("catalog", "JurisdictionsFile"),
    "prices": FileKind("prices", "PricesFile"),
    "policy-tests": FileKind("policy_case", "PolicyTestFile"),
    "waivers": FileKind("waivers", "WaiversFile", plain=_plain_waivers),
}
