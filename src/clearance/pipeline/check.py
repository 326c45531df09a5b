"""The check pipeline: load -> resolve -> evaluate -> waivers -> baseline.

Nothing here prints or exits; the CLI decides what to show and which exit code.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.load import Bundle
from clearance.errors import InputError, ProblemCollector, UsageError
from clearance.evaluate.evaluate import evaluate
from clearance.evaluate.findings import Applied, CheckResult, ManifestInfo, RuleInfo
from clearance.manifest.load import LoadedManifest, find_manifests, load_manifest
from clearance.pipeline.judge import load_policy
from clearance.resolve.resolver import ResolvedWorkload, Resolver

if TYPE_CHECKING:
    from clearance.waivers.load import LoadedWaiver


@dataclass
class CheckOptions:
    policy: Path | None = None
    policy_ref: str | None = None
    baseline: Path | None = None
    since: str | None = None
    today: date = field(default_factory=date.today)
    record_applied: bool = False  # every rule that applied, passed or not (for JUnit)
    # --strict: a rule that turns on an organisation fact nobody set is an error, not a
    # warning (evaluate/unknown.py)
    strict: bool = False


@dataclass
class Checked:
    bundle: Bundle
    manifests: list[LoadedManifest]
    workloads: list[ResolvedWorkload]
    result: CheckResult
    waivers: list[LoadedWaiver] = field(default_factory=list)  # every waiver read


def load_and_resolve(
    paths: Sequence[Path],
    bundle: Bundle,
    today: date | None = None,
) -> tuple[list[LoadedManifest], list[ResolvedWorkload]]:
    manifest_paths = find_manifests(paths or [Path(".")])
    if not manifest_paths:
        where = ", ".join(str(p) for p in paths) or "."
        raise UsageError(f"no model-usage.yaml found under {where}")
    problems = ProblemCollector()
    manifests: list[LoadedManifest] = []
    stopped_early = False  # a large manifest's reading stopped at its first problems
    for path in manifest_paths:
        try:
            manifests.append(load_manifest(path))
        except InputError as exc:
            problems.extend(exc.problems)
            stopped_early |= exc.stopped_early
    resolver = Resolver(bundle, today)  # the day recorded agreements are judged on
    workloads: list[ResolvedWorkload] = []
    for lm in manifests:
        try:
            workloads.extend(resolver.resolve(lm))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any(stopped_early=stopped_early)
    return manifests, workloads


def rule_infos(bundle: Bundle) -> list[RuleInfo]:
    from clearance.policy.templates import template_text
    from clearance.waivers.rules import waiver_rule_infos

    infos = [
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
    ]
    from clearance.evaluate.evaluate import NO_TERMS

    return sorted([*infos, *waiver_rule_infos(), NO_TERMS], key=lambda info: info.id)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the pipeline allocates.

    Loading, resolving and evaluating build many small acyclic objects; the
    collector's passes over them cost about a third of the run at 10,000
    workloads and free nothing, so they wait until the run is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(
    paths: Sequence[Path], options: CheckOptions | None = None, bundle: Bundle | None = None
) -> Checked:
    with paused_gc():
        return _check(paths, options, bundle)


def _check(paths: Sequence[Path], options: CheckOptions | None, bundle: Bundle | None) -> Checked:
    from clearance.waivers.apply import apply_waivers
    from clearance.waivers.load import load_waivers

    options = options or CheckOptions()
    changes = None
    if bundle is None:
        bundle, changes = load_policy(options.policy, options.policy_ref)
    manifests, workloads = load_and_resolve(paths, bundle, options.today)
    applied: list[Applied] = []
    findings = evaluate(
        workloads,
        bundle,
        applied if options.record_applied else None,
        unknown_severity="error" if options.strict else "warning",
    )
    waivers = load_waivers(manifests, bundle)
    findings = apply_waivers(findings, waivers, bundle, options.today)
    notes: list[str] = []
    if options.baseline is not None or options.since is not None:
        from clearance.pipeline.baseline import load_baseline, mark_pre_existing, since_fingerprints

        known = load_baseline(options.baseline) if options.baseline is not None else set()
        if options.since is not None:
            at_ref, notes = since_fingerprints(options.since, manifests, bundle)
            known |= at_ref
        findings = mark_pre_existing(findings, known)
    result = CheckResult(
        findings=findings,
        manifests=[ManifestInfo(m.name, m.digest, len(m.manifest.workloads)) for m in manifests],
        policy_name=bundle.name,
        policy_version=bundle.version,
        policy_digest=bundle.digest,
        workload_count=len(workloads),
        rules=rule_infos(bundle),
        applied=applied,
        policy_changes=changes,
        notes=notes,
    )
    return Checked(bundle, manifests, workloads, result, waivers)
