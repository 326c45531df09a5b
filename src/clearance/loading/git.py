"""Read files as they were at a git ref, straight from the repository's object database.

Used by `--since` (the manifests at the base of a pull request) and
`--policy-ref` (the bundle as the base branch has it, so a pull request
cannot weaken the policy that judges it). Only plumbing commands are run;
nothing in the working tree or the index changes.
"""

from __future__ import annotations

import contextlib
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    oid: str
    path: str

    @property
    def is_link(self) -> bool:
        return self.mode == "120000"

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


def tree_entries(root: Path, commit: str, reldir: str = "") -> list[TreeEntry]:
    """Every file and link under `reldir` at `commit` (NUL-separated: any name is safe)."""
    spec = () if reldir in ("", ".") else ("--", reldir)
    result = _git(root, "ls-tree", "-r", "-z", commit, *spec)
    if result.returncode != 0:
        return []
    out = []
    for record in result.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, _, oid = meta.decode().split(" ")
        out.append(TreeEntry(mode, oid, name.decode("utf-8", "surrogateescape")))
    return out


@dataclass
class Export:
    """What `export_dir` wrote, and the links it refused because they leave the tree."""

    wrote: bool = False
    refused_links: dict[str, str] = field(default_factory=dict)  # path -> target

    def refused_on(self, relpath: str) -> str | None:
        """The refused link `relpath` passes through, if any."""
        parts = PurePosixPath(relpath).parts
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if prefix in self.refused_links:
                return prefix
        return None


def export_dir(
    root: Path, commit: str, reldir: str, target: Path, suffixes: tuple[str, ...] = ()
) -> Export:
    """Write the tree under `reldir` at `commit` to the same place under `target`.

    Only files ending in `suffixes`, when given. Links are recreated as links when
    they lead to a place inside the tree (so a path is resolved as the commit has
    it, never through the working tree), and refused when they lead out of it.
    All blobs are read through one `git cat-file --batch`, asked for by object id
    so that no file name, newline included, can desync the exchange.
    """
    entries = tree_entries(root, commit, reldir)
    files = [e for e in entries if e.is_file and (not suffixes or e.path.endswith(suffixes))]
    links = [e for e in entries if e.is_link]
    export = Export(wrote=bool(files))
    blobs = _blobs(root, [e.oid for e in [*files, *links]])
    base = target.resolve()
    for entry in files:  # every file before any link, so no write passes through a link
        dest = (base / entry.path).resolve()
        if not dest.is_relative_to(base):
            continue  # a hostile path in history never escapes the export
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(blobs.get(entry.oid, b""))
    for entry in links:
        link_target = blobs.get(entry.oid, b"").decode("utf-8", "surrogateescape")
        inside = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), link_target))
        if posixpath.isabs(link_target) or inside == ".." or inside.startswith("../"):
            export.refused_links[entry.path] = link_target
            continue
        dest = base / entry.path
        if not dest.parent.resolve().is_relative_to(base):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            dest.symlink_to(link_target)
    return export


def _blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    if not oids:
        return {}
    request = "".join(f"{oid}\n" for oid in dict.fromkeys(oids)).encode()
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
    out, pos, blobs = proc.stdout, 0, {}
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3:  # "<oid> missing"
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos : pos + size]
        pos += size + 1
    return blobs
