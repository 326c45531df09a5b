"""`clearance policy test|show`: a bundle's own tests, and the effective bundle."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import policy_ref_option


@click.group("policy")
def policy_group() -> None:
    """Work on a policy bundle."""


@policy_group.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List passing cases too.")
@policy_ref_option
def test_cmd(directory: Path | None, verbose: bool, policy_ref: str | None) -> int:
    """Run the bundle's test cases (DIR/tests/*.yaml; default: the repository's
    .clearance/, else the shipped bundle)."""
    from clearance.pipeline.judge import judge_full
    from clearance.pipeline.policy_cases import run_tests

    run = run_tests(judge_full(directory, policy_ref))
    for r in run.results:
        if not r.passed:
            click.echo(f"FAIL {r.file}:{r.line}: {r.name}")
            if r.missing:
                click.echo(f"     expected to fire: {', '.join(r.missing)}")
            if r.unexpected:
                click.echo(f"     fired unexpectedly: {', '.join(r.unexpected)}")
            click.echo(f"     fired: {', '.join(r.fired) or '(nothing)'}")
        elif verbose:
            click.echo(f"pass {r.file}:{r.line}: {r.name}")
    for rule, lacks in sorted(run.untested.items()):
        click.echo(f"UNTESTED {rule}: no {' and no '.join(lacks)}")
    passed = sum(r.passed for r in run.results)
    failed = len(run.results) - passed
    click.echo(
        f"{passed} passed, {failed} failed"
        + (f"; {len(run.untested)} rules untested" if run.untested else "")
    )
    return 0 if run.passed else 1


@policy_group.command("show")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@policy_ref_option
def show_cmd(directory: Path | None, policy_ref: str | None) -> int:
    """Print the effective bundle (default: the repository's .clearance/, else the
    shipped one): its layers and where every rule came from."""
    from clearance.pipeline.judge import judge_full
    from clearance.report.views.explain import describe_bundle

    click.echo(describe_bundle(judge_full(directory, policy_ref)), nl=False)
    return 0
