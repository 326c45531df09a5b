"""`clearance init`: write the repository's `.clearance/` bundle, asking on a terminal.

On a terminal it asks for every fact not given as a flag (an empty answer leaves the
fact unknown). Without a terminal it never waits for an answer: `--yes` writes what the
flags give; without `--yes` it stops (exit 2) naming the flags, since a script that
meant to answer would otherwise hang or write a bundle nobody reviewed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from clearance.errors import UsageError

T = TypeVar("T")

FLAGS = "--domicile CC, --monthly-active-users N, --site ID=CC (repeatable), --name NAME"


@click.command("init")
@click.option("--name", help="The organisation's name, as findings show it.")
@click.option("--domicile", metavar="CC", help="Country of its principal place of business.")
@click.option(
    "--monthly-active-users",
    "mau",
    metavar="N",
    help="Monthly active users of all its products, as licences count them.",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="ID=CC",
    help="One of its own data centres and the country it is in (repeatable).",
)
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="Do not ask: write what the flags give (and a starter manifest).",
)
def init_cmd(
    name: str | None, domicile: str | None, mau: str | None, sites: tuple[str, ...], yes: bool
) -> int:
    """Write .clearance/ (bundle.yaml, organisation.yaml) at the repository's root.

    On a terminal it asks for each fact no flag gives (Enter leaves it unknown);
    without one it needs --yes. It never overwrites a file. Where the repository
    has no model-usage.yaml it offers a starter whose FILL-ME values check refuses
    until they are filled in.
    """
    from clearance.pipeline.init import (
        Answers,
        count,
        country,
        init_root,
        needs_starter,
        next_steps,
        plan,
        shipped_places,
        site,
    )

    interactive = not yes and sys.stdin.isatty()
    if not yes and not interactive:
        raise UsageError(
            "clearance init asks its questions on a terminal, and there is none; "
            f"give the facts you know as flags ({FLAGS}) and --yes to write without asking"
        )
    root = init_root(Path.cwd())
    places = shipped_places()
    answers = Answers(name=name.strip() if name and name.strip() else None)
    if domicile is not None:
        answers.domicile = country(domicile, places)
    if mau is not None:
        answers.monthly_active_users = count(mau)
    for value in sites:
        answers.sites.append(site(value, places, answers.sites))
    starter = needs_starter(root)
    plan(root, answers, places, starter)  # refuse an existing file before asking anything
    if interactive:
        click.echo(f"Writing {_shown(root / '.clearance')}/; press Enter to leave a fact unknown.")
        if name is None:
            answers.name = _ask("Organisation name", lambda v: v)
        if domicile is None:
            answers.domicile = _ask(
                "Country of its principal place of business (code or name)",
                lambda v: country(v, places, "country"),
            )
        if mau is None:
            answers.monthly_active_users = _ask(
                "Monthly active users, all products", lambda v: count(v, "users")
            )
        if not sites:
            while True:
                found = _ask(
                    "An own data centre as ID=CC (Enter when done)",
                    lambda v: site(v, places, answers.sites),
                )
                if found is None:
                    break
                answers.sites.append(found)
        if starter:
            starter = click.confirm("No model-usage.yaml here: write a starter?", default=True)
    written = plan(root, answers, places, starter)
    from clearance.cli.options import create_new

    for path, text in written.files:
        create_new(path, text)
        click.echo(f"wrote {_shown(path)}")
    click.echo("\nNext:")
    for i, step in enumerate(next_steps(written, answers), 1):
        click.echo(f"  {i}. {step}")
    return 0


def _shown(path: Path) -> str:
    """A written file as the user would name it: relative to where they are, when inside."""
    import os

    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def _ask(question: str, read: Callable[[str], T]) -> T | None:
    """One answer, read by `read`; an empty one is None (unknown); a bad one asks again."""

    def convert(value: str) -> T | None:
        if not value.strip():
            return None
        try:
            return read(value)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None

    answer: T | None = click.prompt(question, default="", show_default=False, value_proc=convert)
    return answer
