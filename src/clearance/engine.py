"""The check pipeline: load -> resolve -> evaluate, returning a `CheckResult`.

Nothing here prints or exits; the CLI decides what to show and which exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clearance.bundle import Bundle, load_bundle
from clearance.errors import InputError, ProblemCollector, UsageError
from clearance.findings import Applied, CheckResult, ManifestInfo, RuleInfo
from clearance.manifest import LoadedManifest, find_manifests, load_manifest
from clearance.policy.evaluate import evaluate
from clearance.resolve import ResolvedWorkload, Resolver


@dataclass
class Checked:
    bundle: Bundle
    manifests: list[LoadedManifest]
    workloads: list[ResolvedWorkload]
    result: CheckResult


def load_and_resolve(
    paths: Sequence[Path],
    bundle: Bundle,
) -> tuple[list[LoadedManifest], list[ResolvedWorkload]]:
    manifest_paths = find_manifests(paths or [Path(".")])
    if not manifest_paths:
        where = ", ".join(str(p) for p in paths) or "."
        raise UsageError(f"no model-usage.yaml found under {where}")
    problems = ProblemCollector()
    manifests: list[LoadedManifest] = []
    for path in manifest_paths:
        try:
            manifests.append(load_manifest(path))
        except InputError as exc:
            problems.extend(exc.problems)
    resolver = Resolver(bundle)
    workloads: list[ResolvedWorkload] = []
    for lm in manifests:
        try:
            workloads.extend(resolver.resolve(lm))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return manifests, workloads


def rule_infos(bundle: Bundle) -> list[RuleInfo]:
    from clearance.policy.templates import template_text

    return sorted(
        (
            RuleInfo(
                id=r.id,
                title=r.title,
                description=r.description,
                severity=r.severity,
                remediation=template_text(r.remediation) if r.remediation else None,
                references=tuple(template_text(t) for t in r.references),
                waivable=r.waivable,
                licence=r.licence,
                file=r.file,
                line=r.line,
            )
            for r in bundle.all_rules()
        ),
        key=lambda info: info.id,
    )


def check(
    paths: Sequence[Path], policy: Path | None = None, bundle: Bundle | None = None
) -> Checked:
    bundle = bundle or load_bundle(policy)
    manifests, workloads = load_and_resolve(paths, bundle)
    applied: list[Applied] = []
    findings = evaluate(workloads, bundle, applied)
    result = CheckResult(
        findings=findings,
        manifests=[ManifestInfo(m.name, m.digest, len(m.manifest.workloads)) for m in manifests],
        policy_name=bundle.name,
        policy_version=bundle.version,
        policy_digest=bundle.digest,
        workload_count=len(workloads),
        rules=rule_infos(bundle),
        applied=applied,
    )
    return Checked(bundle, manifests, workloads, result)
