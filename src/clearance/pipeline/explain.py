"""`clearance explain --workload ID`: every rule walked for one workload, passed or not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from clearance.bundle.load import Bundle
from clearance.errors import UsageError, suggestion_suffix
from clearance.evaluate.evaluate import trace
from clearance.pipeline.check import load_and_resolve
from clearance.report.views.explain import describe_workload


def explain_rule(bundle: Bundle, rule_id: str) -> str:
    """What rule `rule_id` checks: a bundle's rule, or one of clearance's own (drift)."""
    from clearance.evaluate.gateway_rules import DRIFT_RULES
    from clearance.report.views.explain import describe_rule, describe_rule_info

    found = bundle.rule(rule_id)
    if found is not None:
        return describe_rule(found)
    if rule_id in DRIFT_RULES:
        return describe_rule_info(DRIFT_RULES[rule_id])
    known = [*(r.id for r in bundle.all_rules()), *DRIFT_RULES]
    raise UsageError(f"unknown rule {rule_id!r}" + suggestion_suffix(rule_id, known))


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
