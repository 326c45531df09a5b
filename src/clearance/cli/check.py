"""`clearance check`: the pre-commit hook and the CI gate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from clearance import __version__
from clearance.cli.options import (
    color_option,
    emit,
    parse_targets,
    paths_argument,
    policy_option,
    policy_ref_option,
    today_from,
    today_option,
    use_color,
    write_all_atomic,
)
from clearance.evaluate.findings import CheckResult
from clearance.report import REPORTERS, REPORTS_APPLIED, RenderOptions, reporter


def is_failing(result: CheckResult, strict: bool, fail_on_policy_change: bool) -> bool:
    live = [f for f in result.findings if f.waiver is None and f.baseline is None]
    if any(f.severity == "error" for f in live):
        return True
    if strict and any(f.severity == "warning" for f in live):
        return True
    return fail_on_policy_change and result.policy_changes is not None


@click.command("check")
@paths_argument
@policy_option
@click.option(
    "--format",
    "formats",
    multiple=True,
    envvar="CLEARANCE_FORMAT",
    metavar="NAME[=FILE]",
    help=f"Report format, repeatable: {', '.join(sorted(REPORTERS))}; "
    "NAME=FILE writes that format to FILE.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="CLEARANCE_BASELINE",
    help="An earlier JSON report: only findings not in it fail.",
)
@click.option(
    "--since",
    metavar="GIT_REF",
    envvar="CLEARANCE_SINCE",
    help="Only findings the manifests did not have at this git ref fail.",
)
@policy_ref_option
@click.option(
    "--fail-on-policy-change",
    is_flag=True,
    envvar="CLEARANCE_FAIL_ON_POLICY_CHANGE",
    help="With --policy-ref: fail when the working tree's bundle differs.",
)
@today_option("waivers are")
@click.option(
    "--strict",
    is_flag=True,
    envvar="CLEARANCE_STRICT",
    help="Fail on warnings too; a rule turning on an unset organisation fact is an error.",
)
@color_option
def check_cmd(
    paths: tuple[Path, ...],
    policy: Path | None,
    formats: tuple[str, ...],
    output: Path | None,
    baseline: Path | None,
    since: str | None,
    policy_ref: str | None,
    fail_on_policy_change: bool,
    today: str | None,
    strict: bool,
    color: str,
) -> int:
    """Check manifests (files, or directories searched for model-usage.yaml)."""
    from clearance.pipeline.check import CheckOptions, check

    targets = parse_targets(formats, output, REPORTERS, default="text")
    options = CheckOptions(
        policy=policy,
        policy_ref=policy_ref,
        baseline=baseline,
        since=since,
        today=today_from(today),
        record_applied=any(name in REPORTS_APPLIED for name, _ in targets),
        strict=strict,
    )
    result = check(list(paths), options).result
    generated_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rendered = []
    for name, path in targets:  # render everything before writing anything
        render = RenderOptions(
            color=path is None and name == "text" and use_color(color),
            generated_at=generated_at,
            tool_version=__version__,
        )
        rendered.append((path, reporter(name).render(result, render), render.color))
    # every file or none (a full disk on the second leaves the first as it was)
    write_all_atomic([(path, text) for path, text, _ in rendered if path is not None])
    for path, text, colored in rendered:
        if path is None:
            emit(text, color=colored)
    return 1 if is_failing(result, strict, fail_on_policy_change) else 0
