"""Run an audit: discover repositories, check them all with one bundle, build the registers.

Nothing is evaluated here that the check does not already evaluate: findings,
waivers and their problems come from `engine.check`, obligations from
`policy.evaluate.obligations_for`. This module runs the steps in order and
gathers the evidence; `registers` shapes the rows a compliance officer reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from clearance import __version__
from clearance.audit.agreements import agreement_rows
from clearance.audit.discover import discover, git_states
from clearance.audit.progress import Progress
from clearance.audit.records import (
    AuditResult,
    Evidence,
    FileDigest,
    Repository,
)
from clearance.audit.registers import inventory, models, obligations, waiver_rows
from clearance.errors import UsageError
from clearance.loading.files import display_name
from clearance.loading.tree import read_input_bytes
from clearance.pipeline.check import Checked, CheckOptions, check
from clearance.pipeline.judge import load_bundle_snapshot


@dataclass
class AuditOptions:
    policy: Path | None = None
    today: date = field(default_factory=date.today)
    expiring_days: int = 30
    command: str = "clearance audit"
    generated_at: str = ""  # UTC; now when empty


def run_audit(
    paths: Sequence[Path], options: AuditOptions, progress: Progress | None = None
) -> AuditResult:
    progress = progress or Progress(enabled=False)
    notes: list[str] = []
    progress.stage("finding repositories")
    found = discover(paths, notes)
    manifest_paths = [m for repo in found for m in repo.manifests]
    if not manifest_paths:
        where = ", ".join(str(p) for p in paths)
        raise UsageError(f"no model-usage.yaml found under {where}")
    progress.stage("reading git state", len(found))
    # before reading the manifests, so the state recorded is that of the tree that was read
    states = git_states(found, lambda: progress.advance())
    progress.stage(f"checking {len(manifest_paths)} manifests")
    # as the check loads it: from its snapshot while its files are unchanged, without pydantic
    bundle = load_bundle_snapshot(options.policy)
    checked = check(manifest_paths, CheckOptions(today=options.today), bundle=bundle)
    # the check applied them; the register lists them too, matched or not
    waivers = checked.waivers
    progress.stage("building registers")
    # the names the engine gave the manifests, so rows join with its findings by name
    shown = {lm.path: lm.name for lm in checked.manifests}
    repositories = [
        Repository(
            path=display_name(repo.root),
            git=state.git,
            commit=state.commit,
            branch=state.branch,
            dirty=state.dirty,
            manifests=tuple(shown.get(p) or display_name(p) for p in repo.manifests),
            waiver_files=tuple(display_name(p) for p in repo.waiver_files),
        )
        for repo, state in zip(found, states, strict=True)
    ]
    repo_of = {f: r.path for r in repositories for f in (*r.manifests, *r.waiver_files)}
    waiver_files = [
        FileDigest(display_name(p), _digest(p), display_name(repo.root))
        for repo in found
        for p in repo.waiver_files
    ]
    generated_at = options.generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return AuditResult(
        check=checked.result,
        repositories=repositories,
        inventory=inventory(checked, bundle, repo_of),
        obligations=obligations(checked.workloads, bundle, repo_of),
        waivers=waiver_rows(
            waivers, checked.result.findings, repo_of, options.today, options.expiring_days
        ),
        evidence=evidence(checked, repositories, repo_of, waiver_files, options, generated_at),
        expiring_days=options.expiring_days,
        models=models(checked.workloads, bundle),
        agreements=agreement_rows(checked.workloads, repo_of),
        notes=notes,
    )


def _digest(path: Path) -> str:
    # read as every input is: bounded, and a pipe or device refused without opening it
    data = read_input_bytes(path, display_name(path))
    return "sha256:" + hashlib.sha256(data).hexdigest()


def evidence(
    checked: Checked,
    repositories: Sequence[Repository],
    repo_of: dict[str, str],
    waiver_files: list[FileDigest],
    options: AuditOptions,
    generated_at: str,
) -> Evidence:
    result = checked.result
    return Evidence(
        tool_version=__version__,
        policy_name=result.policy_name,
        policy_version=result.policy_version,
        policy_digest=result.policy_digest,
        generated_at=generated_at,
        today=options.today,
        command=options.command,
        manifests=tuple(
            FileDigest(m.path, m.digest, repo_of.get(m.path)) for m in result.manifests
        ),
        waiver_files=tuple(sorted(waiver_files, key=lambda f: f.path)),
        repositories=tuple((r.path, r.commit) for r in repositories),
    )
