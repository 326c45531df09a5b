"""The check pipeline: load -> resolve -> evaluate -> waivers -> baseline.

Nothing here prints or exits; the CLI decides what to show and which exit code.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.load import Bundle, load_bundle
from clearance.errors import InputError, ProblemCollector, UsageError
from clearance.evaluate.evaluate import evaluate
from clearance.evaluate.findings import Applied, CheckResult, ManifestInfo, PolicyChanges, RuleInfo
from clearance.manifest.load import LoadedManifest, find_manifests, load_manifest
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
    from clearance.waivers.load import waiver_rule_infos

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


def load_policy(policy: Path | None, policy_ref: str | None) -> tuple[Bundle, PolicyChanges | None]:
    """The bundle that judges this run: the working tree's, or the one at `policy_ref`."""
    if policy_ref is None:
        return load_bundle_snapshot(policy), None
    if policy is None:
        raise UsageError(
            "--policy-ref needs --policy DIR: the bundle's directory in the repository"
        )
    from clearance.loading import git as gitrepo

    given = Path(os.path.normpath(os.path.abspath(policy)))
    # the repository around the path as written: a link at the path may lead anywhere
    root = gitrepo.repo_root(given.parent if given.is_symlink() else given)
    commit = gitrepo.resolve_ref(root, policy_ref)
    rel = _inside_repository(policy, root)
    exported = Path(tempfile.mkdtemp(prefix="clearance-policy-"))
    atexit.register(shutil.rmtree, exported, ignore_errors=True)
    # every YAML file of the repository at the ref, so that a bundle extending
    # another one in the same repository finds its parent as the ref has it too;
    # links as the ref has them, so the path is resolved in the ref's tree alone
    export = gitrepo.export_dir(root, commit, "", exported, suffixes=(".yaml", ".yml"))
    link = export.refused_on(rel)
    if link is not None:
        raise UsageError(
            f"at {policy_ref}, the bundle path {rel} goes through the link {link} -> "
            f"{export.refused_links[link]}, which leaves the repository; refused"
        )
    base_root = exported / rel if rel != "." else exported
    if not (base_root / "bundle.yaml").is_file() or not base_root.resolve().is_relative_to(
        exported.resolve()
    ):
        raise UsageError(f"the bundle {rel} does not exist at {policy_ref}")
    base = load_bundle(base_root, fence=exported, repo=root)
    try:
        head = load_bundle(policy)
    except InputError:
        return base, PolicyChanges(policy_ref, (), (), (), True, loads=False)
    return base, compare_bundles(base, head, policy_ref)


def _inside_repository(policy: Path, root: Path) -> str:
    """The bundle's path in the repository, as written: never through the working
    tree's links, which a pull request may have re-pointed to choose its own judge."""
    given = Path(os.path.normpath(os.path.abspath(policy)))
    for base in (root, root.resolve()):
        if given.is_relative_to(base):
            return given.relative_to(base).as_posix()
    # the repository reached through a linked directory: resolve only the part
    # above the repository, never a link inside it
    for parent in given.parents:
        if parent.resolve() == root.resolve():
            return given.relative_to(parent).as_posix()
    raise UsageError(f"--policy {policy} is not inside the repository {root}")


def load_bundle_snapshot(policy: Path | None) -> Bundle:
    """The bundle, from its snapshot when its files have not changed since (see snapshot.py)."""
    from clearance.bundle import snapshot

    bundle = snapshot.load(policy)
    if bundle is None:
        bundle = load_bundle(policy)
        snapshot.save(bundle, policy)
    return bundle


def compare_bundles(base: Bundle, head: Bundle, ref: str) -> PolicyChanges | None:
    if base.digest == head.digest:
        return None
    old = {r.id: r.digest for r in base.all_rules()}
    new = {r.id: r.digest for r in head.all_rules()}
    changed = tuple(sorted(i for i in old.keys() & new.keys() if old[i] != new[i]))
    added = tuple(sorted(new.keys() - old.keys()))
    removed = tuple(sorted(old.keys() - new.keys()))
    return PolicyChanges(
        ref, added, removed, changed, other_files_changed=not (added or removed or changed)
    )


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
    from clearance.waivers.load import apply_waivers, load_waivers

    options = options or CheckOptions()
    changes = None
    if bundle is None:
        bundle, changes = load_policy(options.policy, options.policy_ref)
    manifests, workloads = load_and_resolve(paths, bundle, options.today)
    applied: list[Applied] = []
    findings = evaluate(workloads, bundle, applied if options.record_applied else None)
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
