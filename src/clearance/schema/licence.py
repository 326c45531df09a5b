"""A licence or API-terms file (`licences/<id>.yaml`): terms as facts, rules, obligations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from clearance.schema.bundle import RuleSpec
from clearance.schema.common import LaxDate, LowerId, Source, Strict, Text

LicenceKind = Literal["permissive", "community", "non-commercial", "research", "proprietary-api"]
OutputTraining = Literal[
    "allowed",  # outputs may train any model
    "no-competing-models",  # not models that compete with the licensor's (API terms)
    "no-other-llms",  # not any other large language model (Llama 2 and 3, Tongyi Qianwen)
    "licence-follows",  # a model trained on outputs is a derivative under this licence
    "research-only",  # outputs carry the same research-only restriction
]


class _Term(Strict):
    source: LowerId  # key into the licence's `sources`
    section: StrictStr | None = None
    quote: Text | None = None
    note: Text | None = None


class BoolTerm(_Term):
    value: StrictBool


class IntTerm(_Term):
    value: Annotated[StrictInt, Field(ge=0)]


class StrTerm(_Term):
    value: Text


class ListTerm(_Term):
    value: list[StrictStr]


class OutputTrainingTerm(_Term):
    value: OutputTraining


class LicenceTerms(Strict):
    """Structured facts read from the licence text; each names its source."""

    commercial_use: BoolTerm | None = None
    mau_threshold: IntTerm | None = None
    revenue_threshold_usd: IntTerm | None = None
    output_training: OutputTrainingTerm | None = None
    excluded_domiciles: ListTerm | None = None
    excluded_modalities: ListTerm | None = None
    attribution: StrTerm | None = None
    notice: StrTerm | None = None
    naming_prefix: StrTerm | None = None
    licence_copy_required: BoolTerm | None = None
    hosting_is_distribution: BoolTerm | None = None
    use_policy: StrTerm | None = None


class Obligation(Strict):
    """A duty that follows from the licence even where nothing is broken."""

    id: LowerId
    title: Text
    when: dict[str, Any] | None = None
    text: Text
    source: LowerId


class LicenceFile(Strict):
    id: LowerId
    name: Text
    kind: LicenceKind
    spdx: StrictStr | None = None
    aliases: list[StrictStr] = []
    url: Text
    as_of: LaxDate
    summary: Text | None = None
    sources: dict[LowerId, Source]
    terms: LicenceTerms = LicenceTerms()
    rules: list[RuleSpec] = []
    obligations: list[Obligation] = []
