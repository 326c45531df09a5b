"""`clearance explain --workload ID`: every rule walked for one workload, passed or not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clearance.bundle.load import Bundle
from clearance.errors import UsageError, suggestion_suffix
from clearance.evaluate.evaluate import trace
from clearance.pipeline.check import load_and_resolve
from clearance.report.views.explain import describe_workload


def explain_workload(paths: Sequence[Path], bundle: Bundle, workload_id: str) -> str:
    """The walk of every rule for each workload named `workload_id` under `paths`."""
    _, workloads = load_and_resolve(list(paths), bundle)
    matches = [rw for rw in workloads if rw.workload.id == workload_id]
    if not matches:
        raise UsageError(
            f"no workload {workload_id!r} in the manifests checked"
            + suggestion_suffix(workload_id, [rw.workload.id for rw in workloads])
        )
    return "\n".join(describe_workload(rw, trace(rw, bundle)) for rw in matches)
