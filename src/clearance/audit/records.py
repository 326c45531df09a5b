"""What an audit produces: plain data that every audit format reads and none computes.

The check's own `CheckResult` (findings, manifests, policy) is kept whole, so
the audit's JSON stays the report of DESIGN.md with more beside it; the rest
(repositories, inventory, obligations, waivers, evidence, changes) is what a
compliance officer asks for on top of a check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from clearance.evaluate.findings import CheckResult

Status = Literal["compliant", "violating", "waived"]
# a repository is audited, or listed with the problems that kept it from being judged
RepositoryStatus = Literal["audited", "error"]
# an active waiver's state; "expired" and "invalid" waive nothing (the engine's findings say why)
WaiverState = Literal["active", "expiring", "expired", "invalid", "stale"]


@dataclass(frozen=True)
class Repository:
    path: str  # as the user would write it
    git: bool  # False: a plain folder, or git was not available
    commit: str | None  # None outside git, or before the first commit
    branch: str | None  # None when detached or outside git
    dirty: bool | None  # uncommitted changes under the audited path; None outside git
    manifests: tuple[str, ...]  # display names, as findings name them
    waiver_files: tuple[str, ...]
    bundle: str | None = None  # the bundle that judged it (BundleUse.path); None: none could
    status: RepositoryStatus = "audited"
    problems: tuple[str, ...] = ()  # `file:line:column: message`, when status is "error"


@dataclass(frozen=True)
class LicenceUse:
    id: str
    name: str
    kind: str
    spdx: str | None
    url: str
    via: str  # the model, ancestor or provider that brings these terms in
    governs_as: str  # "model-licence" or "provider-terms"


@dataclass(frozen=True)
class ModelInfo:
    """Model card basics from the catalogue, for each model used and each of its ancestors."""

    id: str
    name: str
    vendor: str
    family: str
    licence: str
    weights: str
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    released: date | None
    parameters: str | None
    lineage: str | None
    base_models: tuple[str, ...]  # every ancestor, nearest first


# The two registers with a row per workload (and per duty) are plain slotted
# dataclasses, not frozen ones: a frozen dataclass's __init__ sets each field
# through object.__setattr__, five times the cost, and a large audit builds
# 35,000 of them. Nothing hashes or mutates a row.
@dataclass(slots=True)
class InventoryRow:
    repository: str
    manifest: str
    line: int
    workload: str
    description: str | None
    owner: str | None
    data: tuple[str, ...]
    purpose: str
    audience: str
    commercial: bool
    model: str
    model_name: str
    model_family: str
    vendor: str
    weights: str
    licences: tuple[LicenceUse, ...]
    mode: str
    provider: str
    provider_name: str
    region: str
    country: str | None
    agreements: tuple[str, ...]
    status: Status
    errors: int  # unwaived
    warnings: int  # unwaived
    waived: int
    bundle: str  # the bundle that judged it (BundleUse.path)


@dataclass(slots=True)
class ObligationRow:
    repository: str
    manifest: str
    workload: str
    licence: str
    licence_name: str
    via: str
    obligation: str
    title: str
    text: str
    source_url: str


# verified by the catalogue / recorded by the organisation / attested by the repository
# only; expired and not-offered are the two kinds of claim that fail (see agreements.py)
AgreementStatus = Literal["verified", "recorded", "attested", "expired", "not-offered"]


@dataclass(slots=True)
class AgreementRow:
    """One agreement one workload claims with its provider, and what backs the claim."""

    repository: str
    manifest: str
    workload: str
    provider: str
    provider_name: str
    kind: str
    status: AgreementStatus
    reference: str | None  # the organisation's record (contract id, file, URL)
    signed: date | None
    expires: date | None
    source_url: str | None  # the catalogue's source, for a verified one


@dataclass(frozen=True)
class WaiverRow:
    repository: str | None  # None for a waiver in the policy bundle
    file: str
    line: int
    rule: str
    workload: str
    reason: str
    approved_by: str
    ticket: str | None
    expires: date
    days_left: int
    state: WaiverState
    expiring: bool  # within --expiring-days of its expiry (and not yet expired)
    problems: tuple[str, ...]  # what the engine found wrong with it


@dataclass(frozen=True)
class FileDigest:
    path: str
    digest: str
    repository: str | None


@dataclass(frozen=True)
class BundleUse:
    """A bundle that judged some of the audited repositories, as the evidence records it."""

    path: str  # its `.clearance` (or --policy) folder as the user would write it, or
    # "clearance:default" for the shipped bundle
    name: str
    version: str
    digest: str
    repositories: tuple[str, ...]  # the repositories it judged


@dataclass(frozen=True)
class Evidence:
    tool_version: str
    policy_name: str
    policy_version: str
    policy_digest: str
    generated_at: str  # UTC, ISO 8601 with Z
    today: date  # the date waivers were judged against
    command: str
    manifests: tuple[FileDigest, ...]
    waiver_files: tuple[FileDigest, ...]
    repositories: tuple[tuple[str, str | None], ...]  # (path, commit)
    bundles: tuple[BundleUse, ...] = ()  # every bundle used, by path


@dataclass(frozen=True)
class FindingKey:
    rule: str
    manifest: str
    workload: str
    licence: str
    severity: str = ""


@dataclass(frozen=True)
class WaiverKey:
    rule: str
    workload: str
    file: str
    expires: date


@dataclass(frozen=True)
class Changes:
    """What changed since the previous audit recorded in the same history file."""

    previous_at: str
    previous_id: int
    new_findings: tuple[FindingKey, ...]
    resolved_findings: tuple[FindingKey, ...]
    new_models: tuple[str, ...]
    new_licences: tuple[str, ...]
    expired_waivers: tuple[WaiverKey, ...]  # valid at the previous audit, expired now


@dataclass
class AuditResult:
    check: CheckResult
    repositories: list[Repository]
    inventory: list[InventoryRow]
    obligations: list[ObligationRow]
    waivers: list[WaiverRow]
    evidence: Evidence
    expiring_days: int
    models: dict[str, ModelInfo] = field(default_factory=dict)  # used and ancestors, by id
    agreements: list[AgreementRow] = field(default_factory=list)  # the register of agreements
    changes: Changes | None = None
    history: str | None = None  # the history file, when one was used
    notes: list[str] = field(default_factory=list)

    def status_counts(self) -> dict[str, int]:
        counts = {"compliant": 0, "violating": 0, "waived": 0}
        for row in self.inventory:
            counts[row.status] += 1
        return counts

    def licence_kind_counts(self) -> dict[str, int]:
        """Workloads per licence kind; a workload under two kinds counts under both."""
        counts: dict[str, int] = {}
        for row in self.inventory:
            for kind in sorted({lic.kind for lic in row.licences}):
                counts[kind] = counts.get(kind, 0) + 1
        return dict(sorted(counts.items()))

    def repository_status_counts(self) -> dict[str, int]:
        counts = {"audited": 0, "error": 0}
        for r in self.repositories:
            counts[r.status] += 1
        return counts

    @property
    def failing(self) -> bool:
        return any(f.counts_as_error for f in self.check.findings)

    @property
    def input_errors(self) -> bool:
        """Some repository could not be judged: the audit exits 2 once its reports are written."""
        return any(r.status == "error" for r in self.repositories)
