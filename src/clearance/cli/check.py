"""`clearance check`: the pre-commit hook and the CI gate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from clearance import __version__
from clearance.cli.options import (
    color_option,
    paths_argument,
    policy_option,
    use_color,
    write_atomic,
)
from clearance.report import REPORTERS, RenderOptions, reporter


@click.command("check")
@paths_argument
@policy_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    envvar="CLEARANCE_FORMAT",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option("--strict", is_flag=True, envvar="CLEARANCE_STRICT", help="Fail on warnings too.")
@color_option
def check_cmd(
    paths: tuple[Path, ...],
    policy: Path | None,
    fmt: str,
    output: Path | None,
    strict: bool,
    color: str,
) -> int:
    """Check manifests (files, or directories searched for model-usage.yaml)."""
    from clearance.engine import check

    checked = check(list(paths), policy)
    result = checked.result
    options = RenderOptions(
        color=output is None and fmt == "text" and use_color(color),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        tool_version=__version__,
    )
    text = reporter(fmt).render(result, options)
    if output is not None:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False, color=options.color)
    failing = any(f.counts_as_error for f in result.findings) or (
        strict
        and any(
            f.severity == "warning" and f.waiver is None and f.baseline is None
            for f in result.findings
        )
    )
    return 1 if failing else 0
