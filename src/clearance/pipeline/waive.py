"""`clearance waive`: append a waiver beside its manifest, refusing what the bundle rejects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from clearance.loading.files import display_name
from clearance.pipeline.check import load_and_resolve
from clearance.pipeline.judge import judge_full
from clearance.waivers.edit import (
    WaiverRequest,
    append_waiver,
    refuse_if_invalid,
    target_manifest,
    waiver_file_for,
)


def prepare_waiver(
    fields: Mapping[str, object],
    paths: Sequence[Path],
    manifest_path: Path | None,
    policy: Path | None,
    today: date,
    policy_ref: str | None = None,
) -> tuple[Path, str, str]:
    """The waivers file to write, its new text, and how to name it; nothing is written.

    `fields` are the waiver's: rule, workload, reason, approved_by, ticket, expires.
    """
    request = WaiverRequest(**fields)  # type: ignore[arg-type]
    search = list(paths) or ([manifest_path] if manifest_path else [Path(".")])
    # the bundle that will judge the waiver: the manifest's repository's (or --policy's)
    bundle = judge_full(policy, policy_ref, manifest_path or search[0])
    manifests, workloads = load_and_resolve(search, bundle)
    subjects = None
    if any(m.manifest.gateways for m in manifests):  # a drift finding's deployment may be named
        from clearance.gateways.drift import check_drift

        subjects = check_drift(manifests, workloads, bundle).subjects
    target = target_manifest(manifests, request.workload, manifest_path, subjects)
    path = waiver_file_for(target)
    refuse_if_invalid(request, bundle, today, display_name(path))
    return path, append_waiver(path, request), display_name(path)
