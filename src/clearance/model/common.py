"""Building blocks shared by the file-format models."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictStr

# Ids of data classes, providers, rules, agreements: lowercase, stable, scriptable.
LowerId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=200)]
# ISO 3166-1 alpha-2 country codes and upper-case group ids (EU, EEA, GDPR-ADEQUATE).
PlaceCode = Annotated[StrictStr, Field(pattern=r"^[A-Z][A-Z0-9-]*$", max_length=40)]
# Dates may be written bare (YAML timestamps) or quoted.
LaxDate = Annotated[date, Field(strict=False)]
Text = Annotated[StrictStr, Field(max_length=10_000)]


class Strict(BaseModel):
    """Unknown fields are errors and nothing is coerced: a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Source(Strict):
    """Where a fact comes from and when it was read."""

    url: Text
    as_of: LaxDate
    commit: StrictStr | None = None
    path: StrictStr | None = None
    section: StrictStr | None = None
    quote: Text | None = None
    level: StrictStr | None = None
