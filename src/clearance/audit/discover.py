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
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import UsageError
from clearance.manifest import MANIFEST_NAMES, SKIP_DIRS
from clearance.waivers import WAIVER_FILE_NAMES

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
        enclosed = any(_has_git(str(p)) for p in path.resolve().parents)
        for repo in _repositories(path, notes):
            repo.in_git_tree = enclosed
            found.setdefault(repo.root.resolve(), repo)
    return [found[key] for key in sorted(found)]


def _repositories(path: Path, notes: list[str]) -> list[FoundRepository]:
    if _has_git(str(path)):
        return _walk(path, notes)
    loose = FoundRepository(path, False)
    entries = sorted(os.scandir(path), key=lambda e: e.name)
    _collect(loose, path, [e.name for e in entries if not e.is_dir(follow_symlinks=False)], notes)
    out = [loose] if loose.manifests else []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and entry.name not in SKIP_DIRS:
            out.extend(_walk(Path(entry.path), notes))
    return out


def _walk(top: Path, notes: list[str]) -> list[FoundRepository]:
    """`top` (kept when it is a git repository or holds manifests) and repositories nested in it."""
    root = FoundRepository(top, _has_git(str(top)))
    owner: dict[str, FoundRepository] = {str(top): root}
    nested: list[FoundRepository] = []
    # os.walk does not descend into symlinked directories, so links cannot loop or escape
    for dirpath, dirnames, filenames in os.walk(top):
        repo = owner.pop(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in dirnames:
            sub = os.path.join(dirpath, name)
            if _has_git(sub):
                owner[sub] = FoundRepository(Path(sub), True)
                nested.append(owner[sub])
            else:
                owner[sub] = repo
        _collect(repo, Path(dirpath), filenames, notes)
    keep_root = root.has_git_dir or root.manifests
    return [*([root] if keep_root else []), *nested]


def _collect(
    repo: FoundRepository, directory: Path, filenames: list[str], notes: list[str]
) -> None:
    manifests = [directory / n for n in sorted(filenames) if n in MANIFEST_NAMES]
    waivers = [directory / n for n in sorted(filenames) if n in WAIVER_FILE_NAMES]
    for path in (*manifests, *waivers):
        if path.is_symlink():  # a link could point anywhere; the audit reads the tree only
            notes.append(f"{path}: a symbolic link, not followed")
    manifests = [p for p in manifests if not p.is_symlink()]
    waivers = [p for p in waivers if not p.is_symlink()]
    repo.manifests.extend(manifests)
    if waivers and not manifests:
        notes.append(f"{waivers[0]}: no manifest beside it, so it waives nothing")
    elif manifests:
        repo.waiver_files.extend(waivers)


def git_state(path: Path) -> GitState:
    """Commit, branch and dirtiness of the tree at `path`; GitState(False) outside git."""
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

    if len(repos) <= 1:
        return [one(r) for r in repos]
    with ThreadPoolExecutor(max_workers=GIT_WORKERS) as pool:
        return list(pool.map(one, repos))
