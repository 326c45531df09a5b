"""`clearance models | licences | providers`: browse the catalogue the bundle sees."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import policy_option, policy_ref_option
from clearance.errors import UsageError, suggestion_suffix


@click.command("models")
@policy_option
@policy_ref_option
@click.option("--family", help="Only this model family.")
@click.option("--licence", help="Only models under this licence id.")
@click.option("--weights", type=click.Choice(["open", "closed"]))
def models_cmd(
    policy: Path | None,
    policy_ref: str | None,
    family: str | None,
    licence: str | None,
    weights: str | None,
) -> int:
    """List catalogue models."""
    from clearance.pipeline.judge import judge_full
    from clearance.report.views.catalogue import models_view

    catalogue = judge_full(policy, policy_ref).catalogue
    click.echo(models_view(catalogue, family, licence, weights), nl=False)
    return 0


@click.command("licences")
@click.argument("licence_id", required=False)
@policy_option
@policy_ref_option
@click.option("--kind", help="Only licences of this kind.")
def licences_cmd(
    licence_id: str | None, policy: Path | None, policy_ref: str | None, kind: str | None
) -> int:
    """List licences, or show one licence's terms, rules, obligations and sources."""
    from clearance.pipeline.judge import judge_full
    from clearance.report.views.catalogue import licence_detail, licences_view

    cat = judge_full(policy, policy_ref).catalogue
    if licence_id is None:
        click.echo(licences_view(cat, kind), nl=False)
        return 0
    loaded = cat.licence(licence_id)
    if loaded is None:
        raise UsageError(
            f"unknown licence {licence_id!r}" + suggestion_suffix(licence_id, cat.licences)
        )
    click.echo(licence_detail(cat, loaded.value.id), nl=False)
    return 0


@click.command("providers")
@policy_option
@policy_ref_option
@click.option("--kind", type=click.Choice(["api", "hosted-open", "cloud", "on-prem"]))
def providers_cmd(policy: Path | None, policy_ref: str | None, kind: str | None) -> int:
    """List providers with their terms, agreements and regions."""
    from clearance.pipeline.judge import judge_full
    from clearance.report.views.catalogue import providers_view

    click.echo(providers_view(judge_full(policy, policy_ref).catalogue, kind), nl=False)
    return 0


browse_group = [models_cmd, licences_cmd, providers_cmd]
