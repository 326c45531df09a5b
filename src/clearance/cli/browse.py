"""`clearance licences | providers`: browse the catalogue the bundle sees (`models`: cli/models)."""

from __future__ import annotations

from pathlib import Path

import click

from clearance.cli.options import policy_option, policy_ref_option


@click.command("licences")
@click.argument("licence_id", required=False)
@policy_option
@policy_ref_option
@click.option("--kind", help="Only licences of this kind.")
def licences_cmd(
    licence_id: str | None, policy: Path | None, policy_ref: str | None, kind: str | None
) -> int:
    """List licences, or show one licence's terms, rules, obligations and sources."""
    from clearance.pipeline.browse import licence_detail_text, licences_text
    from clearance.pipeline.judge import judge_full

    cat = judge_full(policy, policy_ref).catalogue
    if licence_id is None:
        click.echo(licences_text(cat, kind), nl=False)
    else:
        click.echo(licence_detail_text(cat, licence_id), nl=False)
    return 0


@click.command("providers")
@click.argument("provider_id", required=False)
@policy_option
@policy_ref_option
@click.option("--kind", type=click.Choice(["api", "hosted-open", "cloud", "on-prem"]))
def providers_cmd(
    provider_id: str | None, policy: Path | None, policy_ref: str | None, kind: str | None
) -> int:
    """List providers, or show one: regions and their places, agreements (known or
    unknown) with sources, terms and retention."""
    from clearance.pipeline.browse import provider_detail_text, providers_text
    from clearance.pipeline.judge import judge_full

    bundle = judge_full(policy, policy_ref)
    if provider_id is None:
        click.echo(providers_text(bundle.catalogue, kind), nl=False)
    else:
        click.echo(provider_detail_text(bundle, provider_id), nl=False)
    return 0


browse_group = [licences_cmd, providers_cmd]
