"""Nothing under a scanned path is skipped in silence, and nothing odd is opened.

`check` and `audit` search folders for manifests (and waivers beside them). A
folder that cannot be read, or a link leaving the repository, ends the run with
exit 2 naming it (it once left one manifest fewer and exit 0); a manifest reached
through a link inside the repository is read once; a FIFO or device is refused
without being opened (a FIFO named `waivers.yml` once hung `audit` forever).
Tests run as root, whom permissions do not stop, so an unreadable folder is made
by making its listing fail.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import WORKLOAD, Run

COMMANDS = {
    "check": ("check", "."),
    "audit": ("audit", ".", "--format", "json"),
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # the repository's bounds, as git marks them
    (root / "model-usage.yaml").write_text(WORKLOAD, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _second(root: Path, where: str = "team") -> Path:
    path = root / where / "model-usage.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WORKLOAD.replace("id: w1", "id: w2"), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_folder_is_exit_2_naming_it(
    run: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    _second(repo, "locked")
    listing = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.path.basename(os.fsdecode(path)) == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run(*COMMANDS[command])
    assert result.code == 2, result.err
    assert "locked: cannot read this folder: Permission denied" in result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_manifest_is_exit_2_naming_it(
    run: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    locked = _second(repo)
    real_open = os.open

    def guarded(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.abspath(os.fsdecode(path)) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    result = run(*COMMANDS[command])
    assert result.code == 2, result.err
    assert "team/model-usage.yaml:1:1: cannot read file: Permission denied" in result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_manifest_linked_inside_the_repository_is_read_once(
    run: Callable[..., Run], repo: Path, command: str
) -> None:
    (repo / "also").mkdir()
    (repo / "also" / "model-usage.yaml").symlink_to("../model-usage.yaml")
    (repo / "deep").mkdir()
    (repo / "deep" / "model-usage.yml").symlink_to(_second(repo, "node_modules/kept"))
    result = run(*COMMANDS[command], *(("--format", "json") if command == "check" else ()))
    assert result.code == 0, result.err
    report = json.loads(result.out)
    listed = report["manifests"] if command == "check" else report["evidence"]["manifests"]
    # each file once, named by itself where the walk meets it, else by the link to it
    # (node_modules is never searched, so only the link leads there)
    assert [m["path"] for m in listed] == ["deep/model-usage.yml", "model-usage.yaml"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", ["model-usage.yaml", "waivers.yaml"])
def test_a_link_leaving_the_repository_is_exit_2_naming_it(
    run: Callable[..., Run], repo: Path, tmp_path: Path, command: str, name: str
) -> None:
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_text(WORKLOAD if name.startswith("model") else "waivers: []\n", encoding="utf-8")
    (repo / "team").mkdir()
    if name.startswith("waivers"):
        _second(repo)
    (repo / "team" / name).symlink_to(outside)
    result = run(*COMMANDS[command])
    assert result.code == 2, result.err
    assert f"team/{name}: a link to {outside}, outside the repository {repo}" in result.err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", ["model-usage.yaml", "waivers.yml"])
def test_a_fifo_is_refused_unopened(repo: Path, command: str, name: str) -> None:
    """In a child process: were the FIFO opened, the run would wait for a writer forever."""
    (repo / "team").mkdir()
    if name.startswith("waivers"):
        _second(repo)
    os.mkfifo(repo / "team" / name)
    proc = subprocess.run(
        [sys.executable, "-m", "clearance", *COMMANDS[command]],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=60,
        check=False,
        env={**os.environ, "CLEARANCE_NO_CACHE": "1"},
    )
    assert proc.returncode == 2, proc.stderr
    assert f"error: team/{name}:1:1: not a regular file" in proc.stderr


def test_a_device_named_on_the_command_line_is_refused(run: Callable[..., Run], repo: Path) -> None:
    result = run("check", "/dev/zero")
    assert result.code == 2, result.err
    assert "error: /dev/zero:1:1: not a regular file" in result.err


def test_a_fifo_in_the_bundle_is_refused_unopened(repo: Path, tmp_path: Path) -> None:
    """A FIFO named waivers.yaml in a bundle once hung every check (the policy snapshot's
    fingerprint opened it); now the bundle's waivers are refused by name."""
    import shutil

    from conftest import REPO

    bundle = tmp_path / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    os.mkfifo(bundle / "waivers.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "clearance", "check", "model-usage.yaml", "--policy", str(bundle)],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "waivers.yaml:1:1: not a regular file" in proc.stderr
