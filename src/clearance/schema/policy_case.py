"""A bundle's test file (`tests/*.yaml`) for `clearance policy test`."""

from __future__ import annotations

from typing import Any

from pydantic import StrictStr

from clearance.schema.common import Strict, Text


class PolicyCase(Strict):
    name: Text
    organisation: dict[str, Any] | None = None
    providers: dict[str, dict[str, Any]] | None = None
    models: list[dict[str, Any]] | None = None
    workload: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    fires: list[StrictStr] = []
    not_fires: list[StrictStr] = []


class PolicyTestFile(Strict):
    # the organisation every case of the file judges for (a case's own `organisation`
    # overrides it field by field): the shipped bundle knows no organisation
    organisation: dict[str, Any] | None = None
    cases: list[PolicyCase]
