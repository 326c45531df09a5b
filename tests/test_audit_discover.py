"""Discovery of repositories, manifests and waivers for `clearance audit`, git state, progress."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from audit_repos import GIT
from clearance.audit.discover import discover, git_state, parse_status
from clearance.audit.progress import Progress
from clearance.errors import UsageError
from conftest import EXAMPLES

MANIFEST = EXAMPLES / "internal-tools" / "model-usage.yaml"


def put(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(MANIFEST, path)
    return path


def names(root: Path, found: list) -> list[tuple[str, list[str]]]:  # type: ignore[type-arg]
    return [
        (repo.root.relative_to(root).as_posix() or ".",
         [m.relative_to(root).as_posix() for m in repo.manifests])
        for repo in found
    ]  # fmt: skip


def test_a_repository_with_nested_repositories(tmp_path: Path) -> None:
    put(tmp_path / "model-usage.yaml")
    put(tmp_path / "svc" / "model-usage.yml")
    put(tmp_path / "node_modules" / "dep" / "model-usage.yaml")  # skipped, as the check does
    put(tmp_path / "vendor" / "sub" / "model-usage.yaml")
    subprocess.run([*GIT, "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*GIT, "init", "-q", str(tmp_path / "vendor" / "sub")], check=True)
    found = discover([tmp_path], [])
    assert names(tmp_path, found) == [
        (".", ["model-usage.yaml", "svc/model-usage.yml"]),
        ("vendor/sub", ["vendor/sub/model-usage.yaml"]),
    ]


def test_a_folder_of_plain_folders_and_loose_manifests(tmp_path: Path) -> None:
    put(tmp_path / "a" / "model-usage.yaml")
    put(tmp_path / "b" / "deep" / "model-usage.yaml")
    (tmp_path / "c").mkdir()  # no manifest, no git: not a repository
    put(tmp_path / "model-usage.yaml")
    found = discover([tmp_path, tmp_path / "a"], [])  # a path given twice counts once
    assert names(tmp_path, found) == [
        (".", ["model-usage.yaml"]),
        ("a", ["a/model-usage.yaml"]),
        ("b", ["b/deep/model-usage.yaml"]),
    ]


def test_linked_directories_are_not_entered(tmp_path: Path) -> None:
    outside = put(tmp_path / "outside" / "model-usage.yaml")
    repo = tmp_path / "repos" / "r"
    put(repo / "model-usage.yaml")
    (repo / "linked-dir").symlink_to(outside.parent, target_is_directory=True)
    (tmp_path / "repos" / "alias").symlink_to(repo, target_is_directory=True)
    found = discover([tmp_path / "repos"], [])
    assert names(tmp_path, found) == [("repos/r", ["repos/r/model-usage.yaml"])]


def test_a_manifest_link_leaving_the_repository_is_refused_by_name(tmp_path: Path) -> None:
    outside = put(tmp_path / "outside" / "model-usage.yaml")
    repo = tmp_path / "repos" / "r"
    put(repo / "model-usage.yaml")
    (repo / "sub").mkdir()
    (repo / "sub" / "model-usage.yaml").symlink_to(outside)
    with pytest.raises(UsageError, match=r"sub/model-usage\.yaml: a link to .*outside the repo"):
        discover([tmp_path / "repos"], [])


def test_a_manifest_link_inside_the_repository_is_read_once(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    put(repo / "model-usage.yaml")
    (repo / ".git").mkdir()  # a repository (without one, each subfolder is a repository)
    (repo / "sub").mkdir()
    (repo / "sub" / "model-usage.yaml").symlink_to(repo / "model-usage.yaml")
    [found] = discover([repo], [])
    assert found.manifests == [repo / "model-usage.yaml"]


def test_an_unreadable_folder_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, whom permissions do not stop: listing the folder is made to fail."""
    put(tmp_path / "r" / "model-usage.yaml")
    put(tmp_path / "r" / "locked" / "model-usage.yaml")
    listing = os.scandir

    def scandir(path: str) -> Any:
        if os.path.basename(path) == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(UsageError, match=r"locked: cannot read this folder: Permission denied"):
        discover([tmp_path / "r"], [])


def test_waivers_beside_no_manifest_are_noted(tmp_path: Path) -> None:
    put(tmp_path / "r" / "model-usage.yaml")
    (tmp_path / "r" / "waivers.yaml").write_text("waivers: []\n")
    (tmp_path / "r" / "docs").mkdir()
    (tmp_path / "r" / "docs" / "waivers.yaml").write_text("waivers: []\n")
    notes: list[str] = []
    [repo] = discover([tmp_path / "r"], notes)
    assert repo.waiver_files == [tmp_path / "r" / "waivers.yaml"]
    assert notes == [f"{tmp_path / 'r' / 'docs' / 'waivers.yaml'}: no manifest beside it, "
                     "so it waives nothing"]  # fmt: skip


def test_git_state(tmp_path: Path) -> None:
    assert not git_state(tmp_path).git
    subprocess.run([*GIT, "init", "-q", str(tmp_path)], check=True)
    fresh = git_state(tmp_path)
    assert fresh.git and fresh.commit is None and fresh.branch == "main" and fresh.dirty is False
    put(tmp_path / "model-usage.yaml")
    assert git_state(tmp_path).dirty is True  # untracked files are uncommitted changes too


def test_parse_status_detached() -> None:
    state = parse_status("# branch.oid abc123\0# branch.head (detached)\0")
    assert (state.commit, state.branch, state.dirty) == ("abc123", None, False)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_only() -> None:
    tty = Tty()
    bar = Progress(tty)
    bar.stage("reading git state", 4)
    for _ in range(4):
        bar.advance()
    bar.close()
    text = tty.getvalue()
    assert "\rclearance audit: reading git state [" in text and "4/4" in text
    assert text.endswith("\r")  # the line is cleared for what follows
    pipe = io.StringIO()
    quiet = Progress(pipe)
    quiet.stage("x", 2)
    quiet.advance(2)
    quiet.close()
    assert pipe.getvalue() == ""


def test_a_linked_repository_is_not_entered_nor_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    put(outside / "model-usage.yaml")
    subprocess.run([*GIT, "init", "-q", str(outside)], check=True)
    repo = tmp_path / "repos" / "r"
    put(repo / "model-usage.yaml")
    (repo / "vendored").symlink_to(outside, target_is_directory=True)
    found = discover([tmp_path / "repos"], [])
    # before, a link to a git repository was listed as a nested repository (and git ran in it)
    assert names(tmp_path, found) == [("repos/r", ["repos/r/model-usage.yaml"])]


def test_walk_order_and_nesting_match_the_tree(tmp_path: Path) -> None:
    for rel in ("b/model-usage.yaml", "a/z/model-usage.yml", "a/model-usage.yaml",
                "a/m/n/model-usage.yaml", "a/m/model-usage.yaml", "a/sub/model-usage.yaml",
                "a/sub/deeper/model-usage.yaml"):  # fmt: skip
        put(tmp_path / rel)
    (tmp_path / "a" / "sub" / ".git").write_text("gitdir: elsewhere\n")  # a submodule's .git file
    found = discover([tmp_path], [])
    assert names(tmp_path, found) == [
        ("a", ["a/model-usage.yaml", "a/m/model-usage.yaml", "a/m/n/model-usage.yaml",
               "a/z/model-usage.yml"]),
        ("a/sub", ["a/sub/model-usage.yaml", "a/sub/deeper/model-usage.yaml"]),
        ("b", ["b/model-usage.yaml"]),
    ]  # fmt: skip
    assert [r.has_git_dir for r in found] == [False, True, False]
