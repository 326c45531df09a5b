"""The check pipeline: load -> resolve -> evaluate -> waivers -> baseline.

Nothing here prints or exits; the CLI decides what to show and which exit code.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.load import Bundle
from clearance.errors import InputError, ProblemCollector, UsageError
from clearance.evaluate.evaluate import evaluate
from clearance.evaluate.findings import (
    Applied,
    BundleInfo,
    CheckResult,
    Finding,
    ManifestInfo,
    PolicyChanges,
    RuleInfo,
)
from clearance.manifest.load import LoadedManifest, find_manifests, load_manifest
from clearance.pipeline.judge import Judge, bundle_info, judged_groups, merge_changes
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

    def only_bundle(self, command: str) -> Bundle:
        """The one bundle that judged every manifest, for a command that cannot mix them."""
        judges = self.result.bundles()
        if len(judges) > 1:
            raise UsageError(
                f"these manifests are judged by different bundles "
                f"({', '.join(b.path for b in judges)}): {command} one repository at a "
                "time, or give --policy"
            )
        return self.bundle


def load_and_resolve(
    paths: Sequence[Path],
    bundle: Bundle,
    today: date | None = None,
) -> tuple[list[LoadedManifest], list[ResolvedWorkload]]:
    return resolve_found(found_manifests(paths), bundle, today)


def found_manifests(paths: Sequence[Path]) -> list[Path]:
    """The manifests named or found under `paths` (the working directory by default)."""
    manifest_paths = find_manifests(paths or [Path(".")])
    if not manifest_paths:
        where = ", ".join(str(p) for p in paths) or "."
        raise UsageError(f"no model-usage.yaml found under {where}")
    return manifest_paths


def resolve_found(
    manifest_paths: Sequence[Path], bundle: Bundle, today: date | None = None
) -> tuple[list[LoadedManifest], list[ResolvedWorkload]]:
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


@dataclass
class _Judged:
    """One bundle's share of a run: the manifests it judged and what it found."""

    bundle: Bundle
    changes: PolicyChanges | None
    manifests: list[LoadedManifest]
    workloads: list[ResolvedWorkload]
    findings: list[Finding]
    applied: list[Applied]
    waivers: list[LoadedWaiver]
    notes: list[str]
    rules: list[RuleInfo]  # the bundle's, and drift's when a manifest lists gateways


def _check(paths: Sequence[Path], options: CheckOptions | None, bundle: Bundle | None) -> Checked:
    options = options or CheckOptions()
    manifest_paths = found_manifests(paths)
    if bundle is not None:  # the caller's (audit, advise): no discovery
        groups: list[tuple[Judge | None, list[Path]]] = [(None, manifest_paths)]
    else:
        groups = [*judged_groups(manifest_paths, options.policy, options.policy_ref)]
    problems = ProblemCollector()
    stopped_early = False
    parts: list[_Judged] = []
    # every bundle's problems and every manifest's are reported together, in one run
    for judge, group in groups:
        try:
            if judge is None:
                assert bundle is not None
                found, changes = bundle, None
            else:
                found, changes = judge.load(options.policy_ref)
            parts.append(_judge(group, found, changes, options))
        except InputError as exc:
            problems.extend(exc.problems)
            stopped_early |= exc.stopped_early
    problems.raise_if_any(stopped_early=stopped_early)
    return _combine(parts)


def _judge(
    manifest_paths: list[Path], bundle: Bundle, changes: PolicyChanges | None, options: CheckOptions
) -> _Judged:
    from clearance.waivers.apply import apply_waivers
    from clearance.waivers.load import load_waivers

    manifests, workloads = resolve_found(manifest_paths, bundle, options.today)
    applied: list[Applied] = []
    findings = evaluate(
        workloads,
        bundle,
        applied if options.record_applied else None,
        unknown_severity="error" if options.strict else "warning",
    )
    rules = rule_infos(bundle)
    subjects = None
    # only a manifest that lists gateway configs brings in the gateway readers
    if any(m.manifest.gateways for m in manifests):
        from clearance.evaluate.gateway_rules import drift_rule_infos
        from clearance.gateways.drift import check_drift

        drift = check_drift(manifests, workloads, bundle)
        findings = sorted([*findings, *drift.findings], key=lambda f: f.sort_key)
        subjects = drift.subjects
        rules = sorted([*rules, *drift_rule_infos()], key=lambda info: info.id)
    waivers = load_waivers(manifests, bundle, subjects)
    findings = apply_waivers(findings, waivers, bundle, options.today)
    notes: list[str] = []
    if options.baseline is not None or options.since is not None:
        from clearance.pipeline.baseline import load_baseline, mark_pre_existing, since_fingerprints

        known = load_baseline(options.baseline) if options.baseline is not None else set()
        if options.since is not None:
            at_ref, notes = since_fingerprints(options.since, manifests, bundle, options.today)
            known |= at_ref
        findings = mark_pre_existing(findings, known)
    return _Judged(bundle, changes, manifests, workloads, findings, applied, waivers, notes, rules)


def _combine(parts: list[_Judged]) -> Checked:
    """One result for the whole run, whichever bundles judged its manifests."""
    infos = [bundle_info(p.bundle) for p in parts]
    manifests = [
        (m, ManifestInfo(m.name, m.digest, len(m.manifest.workloads), info))
        for p, info in zip(parts, infos, strict=True)
        for m in p.manifests
    ]
    manifests.sort(key=lambda pair: str(pair[0].path))  # the order they were found in
    findings = [f for p in parts for f in p.findings]
    applied = [a for p in parts for a in p.applied]
    if len(parts) > 1:
        findings.sort(key=lambda f: f.sort_key)
        applied.sort(key=lambda a: (a.manifest, a.line, a.rule, a.licence or ""))
    rules: dict[str, RuleInfo] = {}
    for p in parts:
        for info in p.rules:
            rules.setdefault(info.id, info)
    distinct = list(dict.fromkeys(infos))
    if len(distinct) == 1:
        policy = distinct[0]
    else:  # several bundles: `policy` names them all; each manifest says which judged it
        combined = "\n".join(f"{b.path}\0{b.digest}" for b in distinct)
        policy = BundleInfo(
            ", ".join(b.name for b in distinct),
            ", ".join(b.version for b in distinct),
            "sha256:" + hashlib.sha256(combined.encode()).hexdigest(),
            ", ".join(b.path for b in distinct),
        )
    result = CheckResult(
        findings=findings,
        manifests=[info for _, info in manifests],
        policy_name=policy.name,
        policy_version=policy.version,
        policy_digest=policy.digest,
        workload_count=sum(len(p.workloads) for p in parts),
        rules=sorted(rules.values(), key=lambda info: info.id),
        applied=applied,
        policy_changes=merge_changes([p.changes for p in parts]),
        notes=[note for p in parts for note in p.notes],
        policy_path=policy.path,
    )
    first = parts[0]
    return Checked(
        first.bundle,
        [m for m, _ in manifests],
        [w for p in parts for w in p.workloads],
        result,
        [w for p in parts for w in p.waivers],
    )
