"""Building blocks shared by the file-format models."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr
from pydantic_core import PydanticCustomError

# Ids of data classes, providers, rules, agreements: lowercase, stable, scriptable.
LowerId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=200)]
# ISO 3166-1 alpha-2 country codes and upper-case group ids (EU, EEA, GDPR-ADEQUATE).
PlaceCode = Annotated[StrictStr, Field(pattern=r"^[A-Z][A-Z0-9-]*$", max_length=40)]


def _a_date(value: object) -> object:
    # pydantic's lax date also takes Unix timestamps (`expires: 20261231` was read as
    # 1970-08-23) and datetime strings; a date here is written one way only
    if type(value) is date or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Dates may be written bare (YAML timestamps) or quoted, always as YYYY-MM-DD.
LaxDate = Annotated[date, BeforeValidator(_a_date), Field(strict=False)]
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
