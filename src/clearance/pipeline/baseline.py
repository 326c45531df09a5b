"""Only new findings fail: match findings against an earlier report or a git ref.

A finding's fingerprint is its rule, manifest path, workload and governing
licence, never its line, so moving a workload does not make it new. Findings
already in the baseline stay in the report, marked pre-existing, and do not
fail the run.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from clearance.bundle.load import Bundle
from clearance.errors import InputError, Problem, UsageError
from clearance.evaluate.evaluate import evaluate
from clearance.evaluate.findings import Finding
from clearance.manifest.load import LoadedManifest, load_manifest
from clearance.resolve.resolver import ResolvedWorkload, Resolver

Fingerprint = tuple[str, str, str, str]
PRE_EXISTING = "pre-existing"


def fingerprint(f: Finding) -> Fingerprint:
    return (f.rule, f.manifest, f.workload, f.licence or "")


def load_baseline(path: Path) -> set[Fingerprint]:
    """Fingerprints of the findings in an earlier JSON report (`--format json`)."""
    from clearance.loading.tree import decode_text, read_input_bytes

    shown = str(path)
    # read like every other input: a regular file under the size limit (a device or a
    # pipe is refused unread), text that decodes, nesting that JSON's reader can follow
    text = decode_text(read_input_bytes(path, shown), shown)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(shown, exc.lineno, exc.colno, (), f"baseline is not JSON: {exc.msg}")]
        ) from None
    except RecursionError:
        message = "baseline is nested too deeply to be a clearance JSON report"
        raise InputError([Problem(shown, 1, 1, (), message)]) from None
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("report_version") != 1
        or not isinstance(findings, list)
    ):
        raise InputError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    (),
                    "baseline is not a clearance JSON report "
                    "(report_version 1 with a findings list)",
                )
            ]
        )
    out: set[Fingerprint] = set()
    for i, f in enumerate(findings):
        try:
            out.add(
                (
                    str(f["rule"]),
                    str(f["manifest"]),
                    str(f["workload"]),
                    str(f.get("licence") or ""),
                )
            )
        except (KeyError, TypeError):
            raise InputError(
                [Problem(shown, 1, 1, ("findings", i), "finding lacks rule, manifest or workload")]
            ) from None
    return out


def since_fingerprints(
    ref: str, manifests: Sequence[LoadedManifest], bundle: Bundle, today: date | None = None
) -> tuple[set[Fingerprint], list[str]]:
    """Fingerprints of the findings the same manifests had at `ref`, and notes on gaps."""
    from clearance.loading import git as gitrepo

    out: set[Fingerprint] = set()
    notes: list[str] = []
    resolver = Resolver(bundle, today)
    for lm in manifests:
        root = gitrepo.repo_root(lm.path)
        commit = gitrepo.resolve_ref(root, ref)
        real = lm.path.resolve()
        if not real.is_relative_to(root):
            raise UsageError(
                f"{lm.name}: a link to {real}, outside the repository {root}: "
                f"--since cannot read it as it was at {ref}"
            )
        rel = real.relative_to(root).as_posix()
        data = gitrepo.read_at(root, commit, rel)
        if data is None:
            notes.append(f"{lm.name} did not exist at {ref}: all its findings are new")
            continue
        try:
            old = load_manifest(lm.path, name=lm.name, data=data)
            resolved = resolver.resolve(old)
            out |= {fingerprint(f) for f in evaluate(resolved, bundle)}
            if old.manifest.gateways:  # and what its gateway configs drifted by then
                out |= _drift_at(old, resolved, bundle, root, commit, ref, notes)
        except InputError as exc:
            notes.append(
                f"{lm.name} at {ref} does not load ({exc.problems[0].message}): "
                "all its findings are new"
            )
    return out, notes


def _drift_at(
    old: LoadedManifest,
    resolved: list[ResolvedWorkload],
    bundle: Bundle,
    root: Path,
    commit: str,
    ref: str,
    notes: list[str],
) -> set[Fingerprint]:
    from clearance.gateways.since import drift_at

    try:
        return {fingerprint(f) for f in drift_at(old, resolved, bundle, root, commit)}
    except InputError as exc:
        notes.append(
            f"the gateway configs {old.name} lists do not read at {ref} "
            f"({exc.problems[0].message}): all their findings are new"
        )
        return set()


def mark_pre_existing(findings: Iterable[Finding], known: set[Fingerprint]) -> list[Finding]:
    return [
        dataclasses.replace(f, baseline=PRE_EXISTING) if fingerprint(f) in known else f
        for f in findings
    ]
