"""Find the repositories an audit covers, their manifests and waivers, and their git state.

A path given to `clearance audit` is a repository when it has a `.git` entry;
otherwise it is a folder of repositories, each subfolder one (a plain folder
without git is recorded too, with no commit), and manifests lying loose in
the folder itself count as the folder's own. Trees are walked without
following symlinks, skipping what the check skips (.git, .venv, node_modules,
…); a `.git` entry further down (a nested repository or a submodule) starts a
repository of its own, and every file belongs to the nearest one.

Git state comes from one `git status --porcelain=v2 --branch` per repository,
run a few at a time: that single call gives commit, branch and whether the
audited tree has uncommitted changes, so 1,000 repositories cost 1,000
processes, not 3,000. `--no-optional-locks` keeps the audit read-only: plain
`git status` may rewrite the index.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import UsageError
from clearance.loading.files import WAIVER_FILE_NAMES
from clearance.manifest.load import (
    MANIFEST_NAMES,
    SKIP_DIRS,
    linked_within,
    once_each,
    repository_root,
)

GIT_TIMEOUT_S = 60
# git status is mostly process start-up and stat calls: a few at a time keep two cores busy
GIT_WORKERS = 4


@dataclass
class FoundRepository:
    root: Path
    has_git_dir: bool
    in_git_tree: bool = False  # some folder above it is a git work tree
    manifests: list[Path] = field(default_factory=list)
    waiver_files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class GitState:
    git: bool
    commit: str | None = None
    branch: str | None = None
    dirty: bool | None = None


def _has_git(directory: str) -> bool:
    return os.path.lexists(os.path.join(directory, ".git"))


def discover(paths: Iterable[Path], notes: list[str]) -> list[FoundRepository]:
    """Every repository under `paths`, sorted by path, each once."""
    found: dict[Path, FoundRepository] = {}
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if not path.is_dir():
            raise UsageError(f"{path}: not a directory (give a repository or a folder of them)")
        resolved = path.resolve()
        enclosed = any(_has_git(str(p)) for p in resolved.parents)
        for repo, below in _repositories(path, notes):
            repo.in_git_tree = enclosed
            # no link is followed below `path`: resolving it once resolves everything under it
            found.setdefault(resolved.joinpath(*below), repo)
    for repo in found.values():  # a manifest and a link to it inside the repository: once
        repo.manifests = once_each(repo.manifests)
    return [found[key] for key in sorted(found)]


def _repositories(path: Path, notes: list[str]) -> list[tuple[FoundRepository, list[str]]]:
    """Each repository under `path`, with the names that lead to it from `path`."""
    entries = _scan(str(path))
    if _is_repository(path, entries):
        return _walk(path, entries, [], notes)
    loose = FoundRepository(path, False)
    _collect(loose, path, [e for e in entries if not e.is_dir(follow_symlinks=False)], notes)
    out: list[tuple[FoundRepository, list[str]]] = [(loose, [])] if loose.manifests else []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and entry.name not in SKIP_DIRS:
            out.extend(_walk(Path(entry.path), _scan(entry.path), [entry.name], notes))
    return out


def _scan(directory: str) -> list[os.DirEntry[str]]:
    """A folder's entries by name; one that cannot be read ends the audit naming it (its
    manifests would otherwise be missing from the evidence without a word)."""
    try:
        return sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"{directory}: cannot read this folder: {exc.strerror or exc}") from None


def _is_repository(directory: Path | str, entries: list[os.DirEntry[str]] | None) -> bool:
    """A `.git` entry (directory, or file for a worktree or submodule) among its own."""
    if entries is None:
        return _has_git(str(directory))
    return any(e.name == ".git" for e in entries)


def _walk(
    top: Path, entries: list[os.DirEntry[str]] | None, below: list[str], notes: list[str]
) -> list[tuple[FoundRepository, list[str]]]:
    """`top` (kept when it is a git repository or holds manifests) and repositories nested in it.

    Walks as `os.walk` does, top-down in name order, without entering linked
    directories, but reads each directory once: `entries` are top's, and a
    `.git` among a directory's own entries is what makes it a repository.
    """
    root = FoundRepository(top, _is_repository(top, entries))
    out: list[tuple[FoundRepository, list[str]]] = []
    # (directory, its entries, the names leading to it from the audited path, its owner)
    stack = [(top, entries, below, root)]
    while stack:
        directory, listed, names, owner = stack.pop()
        files, subdirs = [], []
        for entry in listed or ():
            try:
                is_dir = entry.is_dir()  # as os.walk: a link to a directory is a directory...
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(entry)
            elif not entry.is_symlink() and entry.name not in SKIP_DIRS:  # ...never entered
                subdirs.append(entry)
        _collect(owner, directory, files, notes)
        for entry in reversed(subdirs):  # popped in name order
            sub_entries = _scan(entry.path)
            sub_names = [*names, entry.name]
            repo = owner
            if _is_repository(entry.path, sub_entries):  # a nested repository or submodule
                repo = FoundRepository(Path(entry.path), True)
                out.append((repo, sub_names))
            stack.append((Path(entry.path), sub_entries, sub_names, repo))
    keep_root = root.has_git_dir or root.manifests
    return [*([(root, below)] if keep_root else []), *sorted(out, key=lambda r: r[1])]


def _collect(
    repo: FoundRepository, directory: Path, files: list[os.DirEntry[str]], notes: list[str]
) -> None:
    manifests = [e for e in files if e.name in MANIFEST_NAMES]
    waivers = [e for e in files if e.name in WAIVER_FILE_NAMES]
    boundary = None
    for entry in (*manifests, *waivers):
        if entry.is_symlink():  # read through when it stays in the repository, else refused
            boundary = boundary or repository_root(repo.root)
            target = linked_within(directory / entry.name, boundary)
            if isinstance(target, str):
                raise UsageError(target)
    manifest_paths = [directory / e.name for e in manifests]
    waiver_paths = [directory / e.name for e in waivers]
    repo.manifests.extend(manifest_paths)
    if waiver_paths and not manifest_paths:
        notes.append(f"{waiver_paths[0]}: no manifest beside it, so it waives nothing")
    elif manifest_paths:
        repo.waiver_files.extend(waiver_paths)


def git_state(path: Path) -> GitState:
    """Commit, branch and dirtiness of the tree at `path`; GitState(False) outside git."""
    import subprocess  # plain folders need no process

    try:
        proc = subprocess.run(
            [
                "git",
                "--no-optional-locks",
                "-C",
                str(path),
                "status",
                "--porcelain=v2",
                "--branch",
                "-z",
                "--untracked-files=normal",
                "--",
                ".",
            ],
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_S,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return GitState(False)
    if proc.returncode != 0:
        return GitState(False)
    return parse_status(proc.stdout.decode("utf-8", "replace"))


def parse_status(output: str) -> GitState:
    commit = branch = None
    dirty = False
    for entry in output.split("\0"):
        if entry.startswith("# branch.oid "):
            oid = entry.removeprefix("# branch.oid ")
            commit = None if oid == "(initial)" else oid
        elif entry.startswith("# branch.head "):
            head = entry.removeprefix("# branch.head ")
            branch = None if head == "(detached)" else head
        elif entry and not entry.startswith("# "):
            dirty = True
    return GitState(True, commit, branch, dirty)


def git_states(repos: list[FoundRepository], advance: Callable[[], None]) -> list[GitState]:
    """The git state of each repository, in order, calling `advance` as each one finishes."""

    def one(repo: FoundRepository) -> GitState:
        # no .git in it or above it: git would only say so, at the cost of a process
        state = git_state(repo.root) if repo.has_git_dir or repo.in_git_tree else GitState(False)
        advance()
        return state

    if sum(r.has_git_dir or r.in_git_tree for r in repos) <= 1:  # no process worth a pool
        return [one(r) for r in repos]
    from concurrent.futures import ThreadPoolExecutor  # only when there are processes to run

    with ThreadPoolExecutor(max_workers=GIT_WORKERS) as pool:
        return list(pool.map(one, repos))
