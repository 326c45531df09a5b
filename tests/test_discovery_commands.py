"""Every command that judges or shows a bundle finds it as `check` does (pipeline/judge.py):
the repository's `.clearance/`, else the shipped one; and each takes `--policy-ref`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import Run
from test_discovery import INTERNAL, NEEDS_GIT, git, own_bundle

WAIVE = [
    "--workload",
    "code-review-bot",
    "--reason",
    "sign-off in COMP-9",
    "--approved-by",
    "jane.doe@acme.example",
    "--ticket",
    "COMP-9",
    "--expires",
    "2027-02-01",
    "--today",
    "2026-11-22",
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A work tree with a manifest and its own bundle (which adds a model), entered."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copy(INTERNAL, root / "model-usage.yaml")
    folder = own_bundle(root)
    (folder / "catalog").mkdir()
    model = {
        "id": "acme/house-model",
        "name": "Acme house model",
        "vendor": "acme",
        "family": "acme",
        "licence": "mit",
        "weights": "open",
        "modalities": {"input": ["text"], "output": ["text"]},
        "source": {"url": "https://git.acme.example/ml/house", "as_of": "2026-11-01"},
    }
    (folder / "catalog" / "models.yaml").write_text(yaml.safe_dump({"models": [model]}))
    with (folder / "bundle.yaml").open("a") as handle:
        handle.write("catalog: [catalog]\n")
    monkeypatch.chdir(root)
    return root


def test_explain_a_rule_of_the_repository_bundle(run: Callable[..., Run], repo: Path) -> None:
    result = run("explain", "acme.house-rule")
    assert result.code == 0 and "every workload needs sign-off" in result.out


def test_explain_a_workload_walks_the_repository_rules(
    run: Callable[..., Run], repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the manifest's repository decides, not the working directory
    result = run("explain", "--workload", "code-review-bot", repo / "model-usage.yaml")
    assert result.code == 0 and "acme.house-rule" in result.out


def test_waive_a_rule_only_the_repository_bundle_has(run: Callable[..., Run], repo: Path) -> None:
    result = run("waive", "acme.house-rule", *WAIVE)
    assert result.code == 0, result.err
    assert "acme.house-rule" in (repo / "waivers.yaml").read_text()
    # and the check, judged by the same bundle, applies it
    assert "error (waived) acme.house-rule: code-review-bot" in run("check", "--color", "never").out


def test_policy_show_and_test_default_to_the_repository_bundle(
    run: Callable[..., Run], repo: Path
) -> None:
    shown = run("policy", "show")
    assert shown.code == 0 and "acme" in shown.out and "acme.house-rule" in shown.out
    tested = run("policy", "test")
    assert "UNTESTED acme.house-rule" in tested.out


def test_browsing_shows_the_repository_catalogue(run: Callable[..., Run], repo: Path) -> None:
    assert "acme/house-model" in run("models").out
    # outside the repository, the shipped catalogue: no such model
    shutil.rmtree(repo / ".clearance")
    assert "acme/house-model" not in run("models").out


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["explain", "hipaa.phi-needs-baa"],
        ["waive", "hipaa.phi-needs-baa", *WAIVE],
        ["policy", "show"],
        ["policy", "test"],
        ["models"],
        ["licences"],
        ["providers"],
        ["advise"],
        ["import", "litellm", "gateway.yaml"],
    ],
)
def test_every_command_refuses_a_clearance_folder_that_is_not_a_bundle(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".clearance").mkdir()
    shutil.copy(INTERNAL, tmp_path / "model-usage.yaml")
    (tmp_path / "gateway.yaml").write_text("model_list: []\n")
    monkeypatch.chdir(tmp_path)
    result = run(*command)
    assert result.code == 2 and "holds no bundle.yaml" in result.err, result.err


@NEEDS_GIT
@pytest.mark.parametrize(
    "command",
    [
        ["explain", "acme.house-rule"],
        ["policy", "show"],
        ["policy", "test"],
        ["models"],
        ["licences", "mit"],
        ["providers"],
        ["advise"],
        ["waive", "acme.house-rule", *WAIVE],
    ],
)
def test_every_command_takes_policy_ref(
    run: Callable[..., Run], repo: Path, command: list[str]
) -> None:
    """The pull request deleted its bundle; at the ref it is still there."""
    shutil.rmtree(repo / ".git")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / ".clearance")
    at_ref = run(*command, "--policy-ref", "HEAD")
    assert at_ref.code in (0, 1), at_ref.err
    if command[0] in ("explain", "policy", "models", "waive"):
        here = run(*command)
        assert here.out != at_ref.out or here.code != at_ref.code
    if command[0] == "models":
        assert "acme/house-model" in at_ref.out
    if command == ["policy", "show"]:
        assert "acme.house-rule" in at_ref.out


def test_advise_refuses_manifests_judged_by_different_bundles(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two"):
        (tmp_path / name / ".git").mkdir(parents=True)
        shutil.copy(INTERNAL, tmp_path / name / "model-usage.yaml")
        own_bundle(tmp_path / name, name)
    monkeypatch.chdir(tmp_path)
    result = run("advise", "one", "two")
    assert result.code == 2 and "judged by different bundles" in result.err
    assert run("advise", "one").code == 0
