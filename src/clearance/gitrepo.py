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
    spec = () if reldir in ("", ".") else ("--", reldir)
    result = _git(root, "ls-tree", "-r", "--name-only", "-z", commit, *spec)
    if result.returncode != 0:
        return []
    return [p for p in result.stdout.decode().split("\0") if p]


def export_dir(
    root: Path, commit: str, reldir: str, target: Path, suffixes: tuple[str, ...] = ()
) -> bool:
    """Write the tree under `reldir` at `commit` to the same place under `target`.

    Only files ending in `suffixes`, when given. False when nothing was there.
    All blobs are read through one `git cat-file --batch`, not a process each.
    """
    names = [n for n in files_under(root, commit, reldir) if not suffixes or n.endswith(suffixes)]
    if not names:
        return False
    request = "".join(f"{commit}:{name}\n" for name in names).encode()
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input=request,
            capture_output=True,
            check=False,
            timeout=300,
        )
    except FileNotFoundError:
        raise UsageError("git is not installed, but --since/--policy-ref need it") from None
    out, pos = proc.stdout, 0
    for name in names:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        data, pos = out[pos : pos + size], pos + size + 1
        dest = (target / name).resolve()
        if not dest.is_relative_to(target.resolve()):
            continue  # a hostile path in history never escapes the export
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return True
