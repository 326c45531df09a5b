"""The audit JSON's shape (the check report plus the audit's parts): `schemas/audit.schema.json`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearance.schema.report import PolicyInfo, Report, ToolInfo


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuditInfo(_Closed):
    audit_version: Literal[1]
    expiring_days: int
    statuses: dict[Literal["compliant", "violating", "waived"], int]
    licence_kinds: dict[str, int]
    history: str | None
    repository_statuses: dict[Literal["audited", "error"], int] = Field(
        description="Repositories judged, and those listed with the problems that kept them "
        "from being judged (the audit then exits 2)."
    )


class RepositoryEntry(_Closed):
    path: str
    git: bool
    commit: str | None
    branch: str | None
    dirty: bool | None
    manifests: list[str]
    waiver_files: list[str]
    bundle: str | None = Field(
        description="The bundle that judged it (its folder, or clearance:default for the "
        "shipped one); null when no bundle could be found for it."
    )
    status: Literal["audited", "error"] = Field(
        description="error: its input could not be read or judged; see problems."
    )
    problems: list[str] = Field(
        description="What kept it from being judged, each as file:line:column: message."
    )


class LicenceUseEntry(_Closed):
    id: str
    name: str
    kind: str
    spdx: str | None
    url: str
    via: str
    governs_as: Literal["model-licence", "provider-terms"]


class InventoryEntry(_Closed):
    repository: str
    manifest: str
    line: int
    workload: str
    description: str | None
    owner: str | None
    data: list[str]
    purpose: str
    audience: str
    commercial: bool
    model: str
    model_name: str
    model_family: str
    vendor: str
    weights: Literal["open", "closed"]
    licences: list[LicenceUseEntry]
    mode: str
    provider: str
    provider_name: str
    region: str
    country: str | None
    agreements: list[str]
    status: Literal["compliant", "violating", "waived"]
    errors: int
    warnings: int
    waived: int
    bundle: str = Field(description="The bundle that judged this workload.")


class ModelInfoEntry(_Closed):
    id: str
    name: str
    vendor: str
    family: str
    licence: str
    weights: Literal["open", "closed"]
    input_modalities: list[str]
    output_modalities: list[str]
    released: str | None
    parameters: str | None
    lineage: str | None
    base_models: list[str]


class ObligationEntry(_Closed):
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


class AgreementEntry(_Closed):
    repository: str
    manifest: str
    workload: str
    provider: str
    provider_name: str
    kind: str
    status: Literal["verified", "recorded", "attested", "expired", "not-offered"]
    reference: str | None
    signed: str | None
    expires: str | None
    source_url: str | None


class WaiverEntry(_Closed):
    repository: str | None
    file: str
    line: int
    rule: str
    workload: str
    reason: str
    approved_by: str
    ticket: str | None
    expires: str
    days_left: int
    state: Literal["active", "expiring", "expired", "invalid", "stale"]
    expiring: bool
    problems: list[str]


class FileDigestEntry(_Closed):
    path: str
    digest: str
    repository: str | None


class RepositoryCommit(_Closed):
    path: str
    commit: str | None


class BundleEntry(_Closed):
    path: str = Field(
        description="The bundle's folder as given, or clearance:default for the shipped one."
    )
    name: str = Field(description="The bundle's name (bundle.yaml).")
    version: str = Field(description="The bundle's version (bundle.yaml).")
    digest: str = Field(description="sha256 over every file the bundle consists of.")
    repositories: list[str] = Field(description="The repositories this bundle judged.")


class EvidenceEntry(_Closed):
    tool: ToolInfo
    policy: PolicyInfo
    generated_at: str
    today: str
    command: str
    manifests: list[FileDigestEntry]
    waiver_files: list[FileDigestEntry]
    repositories: list[RepositoryCommit]
    bundles: list[BundleEntry] = Field(
        description="Every bundle that judged some repository, with its digest; the policy "
        "above is the one bundle, or the set of them when several judged."
    )


class FindingKeyEntry(_Closed):
    rule: str
    manifest: str
    workload: str
    licence: str
    severity: str


class WaiverKeyEntry(_Closed):
    rule: str
    workload: str
    file: str
    expires: str


class ChangesEntry(_Closed):
    previous_at: str
    previous_id: int
    new_findings: list[FindingKeyEntry]
    resolved_findings: list[FindingKeyEntry]
    new_models: list[str]
    new_licences: list[str]
    expired_waivers: list[WaiverKeyEntry]


class AuditReport(Report):
    audit: AuditInfo
    repositories: list[RepositoryEntry]
    inventory: list[InventoryEntry]
    models: list[ModelInfoEntry]
    obligations: list[ObligationEntry]
    agreements: list[AgreementEntry]
    waivers: list[WaiverEntry]
    evidence: EvidenceEntry
    changes: ChangesEntry | None
