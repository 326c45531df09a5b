"""Which bundle judges a manifest when no `--policy` names one.

A repository keeps its organisation's bundle in `.clearance/` at its root, so that
the pre-commit hook and the CI action judge it without an argument. The root is
the nearest enclosing git work tree (a directory holding `.git`, a directory in a
plain clone or a file in a linked worktree or submodule); outside any work tree it
is the current directory. The shipped bundle judges only where neither holds a
`.clearance/` folder.

No git process is started: this runs on every pre-commit check, and walking up a
few directories costs microseconds where `git rev-parse` costs milliseconds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

from clearance.errors import InputError, Problem

BUNDLE_DIR = ".clearance"


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` (a file or a directory) holding `.git`."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return None


def repository_bundle(start: Path, cwd: Path | None = None) -> Path | None:
    """The `.clearance/` bundle that judges the manifest at `start`, or None for the shipped one.

    A `.clearance` that exists but is not a bundle (no `bundle.yaml`, or not a
    directory) is an input error rather than a silent fall back to the shipped
    bundle: the repository meant to be judged by its own rules.
    """
    root = repository_root(start) or Path(os.path.abspath(cwd or Path.cwd()))
    return bundle_in(root)


def bundle_in(root: Path) -> Path | None:
    """The `.clearance/` bundle at the root `root`, or None; errors as `repository_bundle`.

    For callers that know the root already (the audit walked to every repository):
    walking up from each of a thousand folders costs more than judging them.
    """
    folder = root / BUNDLE_DIR
    if not os.path.lexists(folder):
        return None
    if not folder.is_dir():
        _refuse(folder, "is not a directory; a repository's bundle is a folder")
    if not (folder / "bundle.yaml").is_file():
        _refuse(
            folder,
            "holds no bundle.yaml; run `clearance init` to write one, "
            "or remove the folder to be judged by the shipped bundle",
        )
    return folder


def _refuse(folder: Path, message: str) -> NoReturn:
    from clearance.loading.files import display_name  # only on the way to an error

    raise InputError([Problem(display_name(folder), 1, 1, (), message)])
