"""`clearance models [ID]` and `clearance models import CARD...`: browse catalogue models,
or add models to a bundle's catalogue from Hugging Face model cards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from clearance.cli.options import policy_option, policy_ref_option, write_all_atomic
from clearance.errors import UsageError


@click.command(
    "models",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def models_cmd(args: tuple[str, ...]) -> int:
    """List catalogue models, show one (`models ID`), or import Hugging Face model cards
    into a bundle's catalogue (`models import README.md... [--id ORG/NAME] [--bundle DIR]`).
    """
    # one command name, two commands: `import` is no model id
    command = import_cmd if args[:1] == ("import",) else browse_cmd
    rest = list(args[1:] if command is import_cmd else args)
    name = "clearance models import" if command is import_cmd else "clearance models"
    return int(command.main(rest, prog_name=name, standalone_mode=False) or 0)


@click.command("models", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model_id", required=False)
@policy_option
@policy_ref_option
@click.option("--family", help="Only this model family.")
@click.option("--licence", help="Only models under this licence (id, alias, SPDX id or keyword).")
@click.option("--weights", type=click.Choice(["open", "closed"]))
def browse_cmd(
    model_id: str | None,
    policy: Path | None,
    policy_ref: str | None,
    family: str | None,
    licence: str | None,
    weights: str | None,
) -> int:
    """List catalogue models, or show one model's aliases and licence chain with sources.

    `clearance models import CARD...` adds models from Hugging Face model cards.
    """
    from clearance.pipeline.browse import model_detail_text, models_text
    from clearance.pipeline.judge import judge_full

    cat = judge_full(policy, policy_ref).catalogue
    if model_id is not None:
        if family or licence or weights:
            raise UsageError("a model id and filters do not go together")
        click.echo(model_detail_text(cat, model_id), nl=False)
    else:
        click.echo(models_text(cat, family, licence, weights), nl=False)
    return 0


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("cards", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--id", "model_id", help="The model's id (ORG/NAME); else from its cache path.")
@click.option(
    "--bundle",
    type=click.Path(path_type=Path, file_okay=False),
    help="The bundle to add to (default: the repository's .clearance/).",
)
@click.option("--today", help="The date the cards are read (YYYY-MM-DD; default: today).")
def import_cmd(
    cards: tuple[Path, ...], model_id: str | None, bundle: Path | None, today: str | None
) -> int:
    """Add models to a bundle's catalogue from Hugging Face model cards (README.md).

    The licence must be one the catalogue holds (by id, alias, SPDX id or Hugging Face
    keyword; `license: other` by its `license_name`); each base_model a catalogued model.
    """
    from clearance.pipeline.card_import import import_model_cards

    try:
        read_on = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise UsageError(f"--today {today!r}: expected YYYY-MM-DD") from None
    result = import_model_cards(list(cards), model_id, bundle, read_on)
    for path, _ in result.writes:  # a new catalogue directory
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all_atomic(result.writes)
    for line in result.summary():
        click.echo(line, err=True)
    return 0
