"""The JSON report's shape (DESIGN.md), used for its schema and to check reports against it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ToolInfo(_Closed):
    name: Literal["clearance"]
    version: str


class PolicyInfo(_Closed):
    name: str
    version: str
    digest: str
    # with several bundles, each manifest's `bundle` says which judged it and these
    # fields name them all
    path: str | None = Field(
        None,
        description="Where the bundle lies: a folder relative to the working directory, or "
        "clearance:default for the shipped bundle; with several bundles, all of them",
    )


class BundleEntry(_Closed):
    """The bundle that judged one manifest."""

    name: str = Field(description="The bundle's name (bundle.yaml `name`)")
    version: str = Field(description="The bundle's version (bundle.yaml `version`)")
    digest: str = Field(description="sha256 over every file the bundle was loaded from")
    path: str = Field(
        description="Where it lies: a folder relative to the working directory, or "
        "clearance:default for the shipped bundle"
    )


class ManifestEntry(_Closed):
    path: str
    digest: str
    workloads: int
    bundle: BundleEntry | None = Field(
        None,
        description="The bundle that judged this manifest: --policy, else its repository's "
        ".clearance/, else the shipped one",
    )


class Summary(_Closed):
    workloads: int
    errors: int
    warnings: int
    info: int
    waived: int


class ExplanationEntry(_Closed):
    clause: Literal["when", "require"]
    fact: str
    expected: str
    actual: Any


class WaiverInfo(_Closed):
    reason: str
    approved_by: str
    ticket: str | None
    expires: str
    file: str
    line: int


class FindingEntry(_Closed):
    rule: str
    title: str
    severity: Literal["error", "warning", "info"]
    manifest: str
    line: int
    column: int
    workload: str
    licence: str | None
    via: str | None
    message: str
    remediation: str | None
    references: list[str]
    explanation: list[ExplanationEntry]
    waiver: WaiverInfo | None
    baseline: Literal["pre-existing"] | None


class PolicyChangesEntry(_Closed):
    ref: str
    added: list[str]
    removed: list[str]
    changed: list[str]
    other_files_changed: bool
    loads: bool


class Report(_Closed):
    report_version: Literal[1]
    tool: ToolInfo
    policy: PolicyInfo
    generated_at: str
    manifests: list[ManifestEntry]
    summary: Summary
    findings: list[FindingEntry]
    policy_changes: PolicyChangesEntry | None = None
    notes: list[str] = []
