"""`clearance import FORMAT FILE...`: a manifest from gateway configs (see clearance.gateways)."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import policy_option, write_atomic
from clearance.gateways import READERS


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted(READERS)))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("model-usage.yaml"),
    show_default=True,
    help="The manifest to write, or to add to (its comments are kept).",
)
@policy_option
def import_cmd(fmt: str, files: tuple[Path, ...], output: Path, policy: Path | None) -> None:
    """Write the deployments of gateway configs into a manifest, one workload each.

    What a gateway cannot know (data classes, purpose, audience, commercial use,
    agreements) is written as FILL-ME, which `clearance check` refuses until filled in.
    """
    from clearance.gateways import reader
    from clearance.gateways.importer import import_into
    from clearance.pipeline.judge import judge_full

    # the catalogue of the bundle that will judge the manifest written
    catalogue = judge_full(policy, start=output.parent).catalogue
    deployments = []
    for path in files:
        deployments += reader(fmt).read(path, catalogue)
    text, added = import_into(output, deployments, catalogue)
    if added:
        write_atomic(output, text)
    click.echo(
        f"{output}: {added} workload(s) added from {len(deployments)} deployment(s)"
        + ("; fill in every FILL-ME before `clearance check` accepts it" if added else ""),
        err=True,
    )
