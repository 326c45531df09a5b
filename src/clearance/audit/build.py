"""Run an audit: discover repositories, judge each by its bundle, build the registers.

Nothing is evaluated here that the check does not already evaluate: findings,
waivers and their problems come from `engine.check` (run once per bundle by
`judging`), obligations from `policy.evaluate.obligations_for`. This module
runs the steps in order, joins what each bundle's check found into one result
(a repository the check could not read is listed with its problems) and
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
from clearance.audit.judging import Judged, judge
from clearance.audit.progress import Progress
from clearance.audit.records import (
    AgreementRow,
    AuditResult,
    BundleUse,
    Evidence,
    FileDigest,
    InventoryRow,
    ModelInfo,
    ObligationRow,
    Repository,
    WaiverRow,
)
from clearance.audit.registers import (
    inventory,
    inventory_key,
    models,
    obligation_key,
    obligations,
    waiver_key,
    waiver_rows,
)
from clearance.errors import UsageError
from clearance.evaluate.findings import CheckResult, RuleInfo
from clearance.loading.files import display_name
from clearance.loading.tree import read_input_bytes


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
    # each bundle as the check loads it: from its snapshot while its files are unchanged
    judgement = judge(found, options.policy, options.today)
    groups = judgement.groups
    progress.stage("building registers")
    # the names the engine gave the manifests, so rows join with its findings by name
    shown = {lm.path: lm.name for g in groups for lm in g.checked.manifests}
    repositories = [
        Repository(
            path=display_name(repo.root),
            git=state.git,
            commit=state.commit,
            branch=state.branch,
            dirty=state.dirty,
            manifests=tuple(shown.get(p) or display_name(p) for p in repo.manifests),
            waiver_files=tuple(display_name(p) for p in repo.waiver_files),
            bundle=judgement.labels.get(repo.root),
            status="error" if repo.root in judgement.problems else "audited",
            problems=judgement.problems.get(repo.root, ()),
        )
        for repo, state in zip(found, states, strict=True)
    ]
    repo_of = {f: r.path for r in repositories for f in (*r.manifests, *r.waiver_files)}
    judged = {r.root for g in groups for r in g.repositories}
    waiver_files = [  # those the check read: a broken repository's may not be readable
        FileDigest(display_name(p), _digest(p), display_name(repo.root))
        for repo in found
        if repo.root in judged
        for p in repo.waiver_files
    ]
    generated_at = options.generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    registers = _registers(groups, repo_of, options)
    result = combined(groups, [m for r in repositories for m in r.manifests])
    return AuditResult(
        check=result,
        repositories=repositories,
        inventory=registers.inventory,
        obligations=registers.obligations,
        waivers=registers.waivers,
        evidence=evidence(
            result, repositories, repo_of, waiver_files, options, generated_at, groups
        ),
        expiring_days=options.expiring_days,
        models=registers.models,
        agreements=registers.agreements,
        notes=notes,
    )


@dataclass
class _Registers:
    inventory: list[InventoryRow] = field(default_factory=list)
    obligations: list[ObligationRow] = field(default_factory=list)
    waivers: list[WaiverRow] = field(default_factory=list)
    models: dict[str, ModelInfo] = field(default_factory=dict)
    agreements: list[AgreementRow] = field(default_factory=list)


def _registers(groups: list[Judged], repo_of: dict[str, str], options: AuditOptions) -> _Registers:
    """Each bundle's registers from its own check and catalogue, joined in one order."""
    out = _Registers()
    for g in groups:
        checked = g.checked
        out.inventory += inventory(checked, g.bundle, repo_of, g.label)
        out.obligations += obligations(checked.workloads, g.bundle, repo_of)
        # the check applied them; the register lists them too, matched or not
        out.waivers += waiver_rows(
            checked.waivers, checked.result.findings, repo_of, options.today,
            options.expiring_days,
        )  # fmt: skip
        out.models.update(models(checked.workloads, g.bundle))
        out.agreements += agreement_rows(checked.workloads, repo_of)
    if len(groups) > 1:  # each group's rows are sorted: a merge of sorted runs
        out.inventory.sort(key=inventory_key)
        out.obligations.sort(key=obligation_key)
        out.waivers.sort(key=waiver_key)
        out.agreements.sort(key=lambda r: (r.repository, r.manifest, r.workload, r.kind))
        out.models = dict(sorted(out.models.items()))
    return out


def combined(groups: list[Judged], manifest_order: list[str]) -> CheckResult:
    """One check result for the whole audit: each bundle's findings in repository order.

    With one bundle it is that check's result; with several (or none) the policy it
    names is the set of them, its digest one over their paths and digests (the
    evidence lists each).
    """
    if len(groups) == 1:
        return groups[0].checked.result
    results = [g.checked.result for g in groups]
    index = {name: i for i, name in enumerate(manifest_order)}
    rules: dict[str, RuleInfo] = {}
    for r in results:
        for info in r.rules:
            rules.setdefault(info.id, info)
    notes = list(dict.fromkeys(n for r in results for n in r.notes))
    used = sorted(f"{g.label} {g.bundle.digest}" for g in groups)
    return CheckResult(
        findings=sorted(
            (f for r in results for f in r.findings), key=lambda f: index.get(f.manifest, -1)
        ),
        manifests=sorted(
            (m for r in results for m in r.manifests), key=lambda m: index.get(m.path, -1)
        ),
        policy_name=f"{len(groups)} bundles",
        policy_version="",
        policy_digest="sha256:" + hashlib.sha256("\n".join(used).encode()).hexdigest(),
        workload_count=sum(r.workload_count for r in results),
        rules=[rules[k] for k in sorted(rules)],
        notes=notes,
    )


def _digest(path: Path) -> str:
    # read as every input is: bounded, and a pipe or device refused without opening it
    data = read_input_bytes(path, display_name(path))
    return "sha256:" + hashlib.sha256(data).hexdigest()


def evidence(
    result: CheckResult,
    repositories: Sequence[Repository],
    repo_of: dict[str, str],
    waiver_files: list[FileDigest],
    options: AuditOptions,
    generated_at: str,
    groups: Sequence[Judged] = (),
) -> Evidence:
    bundles = sorted(
        (
            BundleUse(
                path=g.label,
                name=g.bundle.name,
                version=g.bundle.version,
                digest=g.bundle.digest,
                repositories=tuple(display_name(r.root) for r in g.repositories),
            )
            for g in groups
        ),
        key=lambda b: b.path,
    )
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
        bundles=tuple(bundles),
    )
