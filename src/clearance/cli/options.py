"""Options shared by several commands, and how output reaches its destination."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

policy_option = click.option(
    "--policy",
    "policy",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="CLEARANCE_POLICY",
    help="Policy bundle directory (default: the shipped bundle).",
)
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=False))
color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    envvar="CLEARANCE_COLOR",
    show_default=True,
    help="Colour in text output.",
)


def use_color(choice: str, stream: Any = None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); a report gets the usual umask's mode
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
