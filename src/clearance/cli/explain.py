"""`clearance explain`: a rule's purpose and logic, or every rule walked for one workload."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import paths_argument, policy_option
from clearance.errors import UsageError, suggestion_suffix


@click.command("explain")
@click.argument("rule", required=False)
@click.option("--workload", "workload_id", help="Walk every rule for this workload.")
@paths_argument
@policy_option
def explain_cmd(
    rule: str | None, workload_id: str | None, paths: tuple[Path, ...], policy: Path | None
) -> int:
    """Explain RULE, or with --workload ID how every rule goes for that workload."""
    from clearance.bundle.load import load_bundle
    from clearance.report.views.explain import describe_rule, describe_workload

    if workload_id is not None and rule is not None:
        # `explain --workload ID path` puts the first path where RULE would be
        paths = (Path(rule), *paths)
    elif rule is None and workload_id is None:
        raise UsageError("name a RULE, or --workload ID")
    bundle = load_bundle(policy)
    if workload_id is None:
        assert rule is not None
        found = bundle.rule(rule)
        if found is None:
            raise UsageError(
                f"unknown rule {rule!r}"
                + suggestion_suffix(rule, [r.id for r in bundle.all_rules()])
            )
        click.echo(describe_rule(found), nl=False)
        return 0
    from clearance.evaluate.evaluate import trace
    from clearance.pipeline.check import load_and_resolve

    _, workloads = load_and_resolve(list(paths), bundle)
    matches = [rw for rw in workloads if rw.workload.id == workload_id]
    if not matches:
        raise UsageError(
            f"no workload {workload_id!r} in the manifests checked"
            + suggestion_suffix(workload_id, [rw.workload.id for rw in workloads])
        )
    click.echo("\n".join(describe_workload(rw, trace(rw, bundle)) for rw in matches), nl=False)
    return 0
