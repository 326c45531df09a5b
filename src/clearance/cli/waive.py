"""`clearance waive`: record an approved exception in waivers.yaml beside the manifest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from clearance.cli.options import paths_argument, policy_option, write_atomic


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
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="CLEARANCE_TODAY",
    help="The date the waiver is judged against (default: today).",
)
@policy_option
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
    paths: tuple[Path, ...],
) -> int:
    """Append a waiver of RULE for a workload, refusing what the bundle would reject."""
    from clearance.bundle.load import load_bundle
    from clearance.errors import UsageError
    from clearance.loading.files import display_name
    from clearance.pipeline.check import load_and_resolve
    from clearance.waivers.edit import (
        WaiverRequest,
        append_waiver,
        refuse_if_invalid,
        target_manifest,
        waiver_file_for,
    )
    from clearance.waivers.load import today_from

    try:
        expiry = date.fromisoformat(expires)
    except ValueError:
        raise UsageError(f"invalid date {expires!r} for --expires (expected YYYY-MM-DD)") from None
    bundle = load_bundle(policy)
    search = list(paths) or ([manifest_path] if manifest_path else [Path(".")])
    manifests, _ = load_and_resolve(search, bundle)
    target = target_manifest(manifests, workload, manifest_path)
    request = WaiverRequest(rule, workload, reason, approved_by, ticket, expiry)
    path = waiver_file_for(target)
    refuse_if_invalid(request, bundle, today_from(today), display_name(path))
    write_atomic(path, append_waiver(path, request))
    click.echo(f"waived {rule} for {workload} until {expiry.isoformat()} in {display_name(path)}")
    return 0
