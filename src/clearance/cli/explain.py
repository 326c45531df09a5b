"""`clearance explain`: a rule's purpose and logic, or every rule walked for one workload."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import paths_argument, policy_option, policy_ref_option
from clearance.errors import UsageError


@click.command("explain")
@click.argument("rule", required=False)
@click.option("--workload", "workload_id", help="Walk every rule for this workload.")
@paths_argument
@policy_option
@policy_ref_option
def explain_cmd(
    rule: str | None,
    workload_id: str | None,
    paths: tuple[Path, ...],
    policy: Path | None,
    policy_ref: str | None,
) -> int:
    """Explain RULE, or with --workload ID how every rule goes for that workload."""
    from clearance.pipeline.judge import judge_full

    if workload_id is not None and rule is not None:
        # `explain --workload ID path` puts the first path where RULE would be
        paths = (Path(rule), *paths)
    elif rule is None and workload_id is None:
        raise UsageError("name a RULE, or --workload ID")
    # the bundle that judges the manifests named (their repository's), else the one here
    bundle = judge_full(policy, policy_ref, paths[0] if paths else None)
    if workload_id is None:
        assert rule is not None
        from clearance.pipeline.explain import explain_rule

        click.echo(explain_rule(bundle, rule), nl=False)
        return 0
    from clearance.pipeline.explain import explain_workload

    click.echo(explain_workload(paths, bundle, workload_id), nl=False)
    return 0
