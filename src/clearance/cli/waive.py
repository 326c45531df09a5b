"""`clearance waive`: record an approved exception in waivers.yaml beside the manifest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from clearance.cli.options import (
    paths_argument,
    policy_option,
    policy_ref_option,
    today_from,
    today_option,
    write_atomic,
)


@click.command("waive")
@click.argument("rule")
@click.option("--workload", required=True, help="The workload the waiver covers.")
@click.option("--reason", required=True, help="Why the exception is granted.")
@click.option("--approved-by", required=True, help="Who approved it (an address).")
@click.option("--ticket", help="The ticket recording the approval.")
@click.option("--expires", required=True, metavar="YYYY-MM-DD", help="When it ends.")
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The manifest, when the workload id is in several.",
)
@today_option("the waiver is")
@policy_option
@policy_ref_option
@paths_argument
def waive_cmd(
    rule: str,
    workload: str,
    reason: str,
    approved_by: str,
    ticket: str | None,
    expires: str,
    manifest_path: Path | None,
    today: str | None,
    policy: Path | None,
    policy_ref: str | None,
    paths: tuple[Path, ...],
) -> int:
    """Append a waiver of RULE for a workload, refusing what the bundle would reject."""
    from clearance.errors import UsageError
    from clearance.pipeline.waive import prepare_waiver

    try:
        expiry = date.fromisoformat(expires)
    except ValueError:
        raise UsageError(f"invalid date {expires!r} for --expires (expected YYYY-MM-DD)") from None
    fields = {
        "rule": rule,
        "workload": workload,
        "reason": reason,
        "approved_by": approved_by,
        "ticket": ticket,
        "expires": expiry,
    }
    path, text, shown = prepare_waiver(
        fields, paths, manifest_path, policy, today_from(today), policy_ref
    )
    write_atomic(path, text)
    click.echo(f"waived {rule} for {workload} until {expiry.isoformat()} in {shown}")
    return 0
