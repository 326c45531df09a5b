"""`waivers.yaml`: deliberate, expiring exceptions to rules."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from clearance.schema.common import LaxDate, LowerId, Strict, Text


class WaiverEntry(Strict):
    rule: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    workload: LowerId
    manifest: StrictStr | None = None  # limit the waiver to one manifest path
    reason: Annotated[Text, Field(min_length=1)]
    approved_by: Annotated[StrictStr, Field(min_length=3, max_length=320)]
    ticket: StrictStr | None = None
    expires: LaxDate


class WaiversFile(Strict):
    waivers: list[WaiverEntry]
