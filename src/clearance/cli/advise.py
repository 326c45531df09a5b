"""`clearance advise`: compliant options per workload, scored and costed."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from clearance.advise.report import RENDERERS
from clearance.cli.options import policy_option, policy_ref_option


@click.command("advise")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--workload", help="Only this workload id.")
@policy_option
@policy_ref_option
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option("--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
def advise_cmd(
    paths: tuple[Path, ...],
    workload: str | None,
    policy: Path | None,
    policy_ref: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    """Per workload: the current deployment and ranked compliant options with their cost."""
    from clearance.advise.advise import advise

    advice = advise(list(paths), policy, workload, policy_ref=policy_ref)
    module, name = RENDERERS[fmt].split(":")
    text: str = getattr(importlib.import_module(module), name)(advice)
    if output is None:
        click.echo(text, nl=False)
    else:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    return 0
