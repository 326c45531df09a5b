"""`clearance schema NAME`: print one of the JSON Schemas."""

from __future__ import annotations

import click

SCHEMA_NAMES = (
    "manifest",
    "policy",
    "licence",
    "waivers",
    "report",
    "bundle",
    "organisation",
    "data-classes",
    "models",
    "providers",
    "jurisdictions",
    "policy-test",
    "audit",
    "prices",
    "advice",
)


@click.command("schema")
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema_cmd(name: str) -> int:
    """Print the JSON Schema of a file format (for editors and other tools)."""
    from clearance.resources import schemas_dir

    click.echo((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"), nl=False)
    return 0
