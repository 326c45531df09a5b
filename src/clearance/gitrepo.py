"""Read files as they were at a git ref, straight from the repository's object database.

Used by `--since` (the manifests at the base of a pull request) and
`--policy-ref` (the bundle as the base branch has it, so a pull request
cannot weaken the policy that judges it). Only plumbing commands are run;
nothing in the working tree or the index changes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from clearance.errors import UsageError


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise UsageError("git is not installed, but --since/--policy-ref need it") from None


def repo_root(path: Path) -> Path:
    start = path if path.is_dir() else path.parent
    result = _git(start.resolve(), "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise UsageError(f"{path} is not inside a git repository")
    return Path(result.stdout.decode().strip())


def resolve_ref(root: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise UsageError(f"invalid git ref {ref!r}")
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if result.returncode != 0:
        raise UsageError(f"unknown git ref {ref!r} in {root}")
    return result.stdout.decode().strip()


def read_at(root: Path, commit: str, relpath: str) -> bytes | None:
    """The file's bytes at `commit`, or None when it did not exist there."""
    result = _git(root, "cat-file", "blob", f"{commit}:{relpath}")
    return result.stdout if result.returncode == 0 else None


def files_under(root: Path, commit: str, reldir: str) -> list[str]:
    result = _git(root, "ls-tree", "-r", "--name-only", "-z", commit, "--", reldir)
    if result.returncode != 0:
        return []
    return [p for p in result.stdout.decode().split("\0") if p]


def export_dir(root: Path, commit: str, reldir: str, target: Path) -> bool:
    """Write the tree under `reldir` at `commit` to the same place under `target`.

    False when `reldir` did not exist at `commit`.
    """
    names = files_under(root, commit, reldir)
    for name in names:
        data = read_at(root, commit, name)
        if data is None:
            continue
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return bool(names)
