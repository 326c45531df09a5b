"""The policy bundle's files: bundle.yaml, organisation.yaml, data-classes.yaml, rule files."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from clearance.schema.approvers import pattern_problem
from clearance.schema.common import LaxDate, LowerId, PlaceCode, Strict, Text
from clearance.schema.prices import AdviceSettings

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


def _approver_pattern(value: str) -> str:
    # refused here, with its position, rather than matching nobody (or everybody) later
    problem = pattern_problem(value)
    if problem is not None:
        raise PydanticCustomError("approver_pattern", problem)
    return value


class WaiverSettings(Strict):
    approvers: list[Annotated[StrictStr, AfterValidator(_approver_pattern)]] = []
    max_days: Annotated[StrictInt, Field(gt=0)] | None = None
    require_ticket: StrictBool = True


class ExtendsGit(Strict):
    """A parent bundle read from this repository's history: `{git: origin/main, path: policies}`."""

    git: Annotated[StrictStr, Field(min_length=1)]
    path: Annotated[StrictStr, Field(min_length=1)]


class RuleOverride(Strict):
    """A child bundle's change to an inherited rule: raise (or, if unlocked, lower) or disable."""

    rule: Annotated[StrictStr, Field(min_length=1)]
    severity: Severity | None = None
    disabled: StrictBool = False


class BundleFile(Strict):
    name: LowerId
    version: Annotated[StrictStr, Field(min_length=1)]
    description: Text | None = None
    requires_clearance: StrictStr | None = None
    # Extra directories, relative to the bundle, whose entries add to or override
    # the shipped licences and catalogue.
    licences: list[StrictStr] = []
    catalog: list[StrictStr] = []
    # Rule files, relative to the bundle; by default every other *.yaml in it.
    policies: list[StrictStr] | None = None
    waivers: WaiverSettings = WaiverSettings()
    # A parent bundle this one builds on: a path (inside this repository),
    # `clearance:default` for the shipped bundle, or {git: REF, path: DIR}.
    extends: Annotated[StrictStr, Field(min_length=1)] | ExtendsGit | None = None
    overrides: list[RuleOverride] = []
    # Agreements beyond the built-in baa, dpa, scc and zdr that manifests may name.
    agreements: dict[LowerId, Text] = {}


class Site(Strict):
    id: LowerId
    country: PlaceCode
    description: Text | None = None


class SignedAgreement(Strict):
    """An agreement the organisation has signed with a provider, recorded once for every repo."""

    provider: LowerId
    kind: LowerId  # baa, dpa, scc, zdr, or one the bundle defines
    reference: Annotated[StrictStr, Field(min_length=1, max_length=500)]  # contract id, file, URL
    signed: LaxDate
    expires: LaxDate | None = None


class OrganisationFile(Strict):
    """Facts about the organisation that licences and laws depend on.

    Every fact may be left out: a fact nobody set is unknown, never a default. A
    rule that depends on an unknown fact says so (a warning naming the fact and
    `clearance init`; an error with `--strict`) rather than pass in silence.
    """

    name: Text | None = None
    monthly_active_users: Annotated[StrictInt, Field(ge=0)] | None = None
    annual_revenue_usd: Annotated[StrictInt, Field(ge=0)] | None = None
    domicile: PlaceCode | None = None
    # Licence ids under which the organisation holds a separate grant from the
    # licensor (e.g. Meta's licence above 700M monthly active users).
    licences_held: list[LowerId] = []
    sites: list[Site] = []
    # defaults and prices for `clearance advise` (nothing else reads them)
    advice: AdviceSettings | None = None
    agreements: list[SignedAgreement] = []


class DataClass(Strict):
    id: LowerId
    description: Text
    references: list[Text] = []
    # personal data (GDPR Art. 4(1)): the GDPR's rules apply to it where the law reaches
    personal: StrictBool = False
    # a special category of personal data (GDPR Art. 9); implies personal
    special: StrictBool = False


class DataClassesFile(Strict):
    data_classes: list[DataClass]


class RuleSpec(Strict):
    """One rule as written; `when` and `require` are checked by the rule compiler."""

    id: Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=200)]
    title: Text
    description: Text | None = None
    severity: Severity
    when: dict[str, Any] | None = None
    require: dict[str, Any] | None = None
    message: Text
    remediation: Text | None = None
    references: list[Text] = []
    waivable: StrictBool = True
    # a child bundle may not redefine, disable or lower the severity of a locked rule
    locked: StrictBool = False
    # rules that report the same cause: where this rule and one of them fire on the same
    # workload, only this one is reported, with the other's references
    supersedes: list[Annotated[StrictStr, Field(min_length=1, max_length=200)]] = []


class RulesFile(Strict):
    rules: list[RuleSpec]
