"""Which bundle judges a manifest: the repository's own `.clearance/`, found without
an argument (the nearest enclosing work tree, else the working directory), the shipped
bundle only where there is none, and `--policy` / CLEARANCE_POLICY over both. Every
report says which bundle judged each manifest."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, Run
from helpers import git

INTERNAL = EXAMPLES / "internal-tools" / "model-usage.yaml"  # passes the shipped bundle
NEEDS_GIT = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def own_bundle(root: Path, name: str = "acme") -> Path:
    """A `.clearance/` bundle extending the shipped one with a rule every workload breaks."""
    folder = root / ".clearance"
    folder.mkdir(parents=True)
    (folder / "bundle.yaml").write_text(
        f"name: {name}\nversion: 2.0.0\nextends: clearance:default\n", encoding="utf-8"
    )
    (folder / "house.yaml").write_text(
        "rules:\n"
        f"  - id: {name}.house-rule\n"
        "    title: every workload needs sign-off\n"
        "    severity: error\n"
        "    when:\n"
        "      workload.audience: {in: [internal, external]}\n"
        "    message: '{workload.id} has no sign-off'\n",
        encoding="utf-8",
    )
    return folder


def repo_with_manifest(root: Path, kind: str = "dir") -> Path:
    """A work tree at `root` (`.git` a directory, or a file as in a linked worktree)."""
    root.mkdir(parents=True, exist_ok=True)
    if kind == "dir":
        (root / ".git").mkdir()
    else:
        (root / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n", encoding="utf-8")
    (root / "svc").mkdir()
    shutil.copy(INTERNAL, root / "svc" / "model-usage.yaml")
    return root / "svc" / "model-usage.yaml"


def judged(run: Callable[..., Run], *args: str | Path) -> tuple[int, dict[str, object]]:
    result = run("check", *args, "--format", "json")
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def rules_fired(doc: dict[str, object]) -> set[str]:
    return {f["rule"] for f in doc["findings"]}  # type: ignore[attr-defined, index]


def test_the_repository_bundle_judges_without_an_argument(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = repo_with_manifest(tmp_path / "repo")
    own_bundle(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo" / "svc")  # anywhere inside the work tree
    code, doc = judged(run, "model-usage.yaml")
    assert code == 1 and rules_fired(doc) == {"acme.house-rule"}
    [entry] = doc["manifests"]  # type: ignore[misc]
    assert entry["bundle"]["name"] == "acme" and entry["bundle"]["version"] == "2.0.0"
    assert entry["bundle"]["path"].endswith(".clearance")
    assert doc["policy"]["name"] == "acme"  # type: ignore[index]
    # the shipped bundle alone passes the same manifest
    assert judged(run, manifest, "--policy", EXAMPLES.parent / "policies")[0] == 0


def test_without_a_bundle_the_shipped_one_judges_and_says_so(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = repo_with_manifest(tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    code, doc = judged(run, manifest)
    assert code == 0
    assert doc["manifests"][0]["bundle"]["path"] == "clearance:default"  # type: ignore[index]
    text = run("check", manifest, "--color", "never").out
    assert "(policy default 1.0.0 from clearance:default)" in text


def test_the_inner_work_tree_wins_over_the_outer(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = tmp_path / "outer"
    outer_manifest = repo_with_manifest(outer)
    own_bundle(outer, "outer")
    inner_manifest = repo_with_manifest(outer / "vendor" / "inner")
    monkeypatch.chdir(tmp_path)
    # an inner repository without a bundle of its own is not judged by its host's
    assert judged(run, inner_manifest)[0] == 0
    own_bundle(outer / "vendor" / "inner", "inner")
    _, doc = judged(run, inner_manifest)
    assert rules_fired(doc) == {"inner.house-rule"}
    # both in one run: each judged by its own, one report naming both bundles
    code, doc = judged(run, outer)
    assert code == 1
    by_manifest = {m["path"]: m["bundle"]["name"] for m in doc["manifests"]}  # type: ignore[attr-defined]
    assert by_manifest == {
        os.path.relpath(outer_manifest, tmp_path): "outer",
        os.path.relpath(inner_manifest, tmp_path): "inner",
    }
    fired = {(f["manifest"], f["rule"]) for f in doc["findings"]}  # type: ignore[attr-defined]
    assert fired == {
        (os.path.relpath(outer_manifest, tmp_path), "outer.house-rule"),
        (os.path.relpath(inner_manifest, tmp_path), "inner.house-rule"),
    }
    assert doc["policy"]["name"] == "outer, inner"  # type: ignore[index]
    text = run("check", outer, "--color", "never").out
    assert "2 policy bundles, listed above" in text
    assert "policy: inner 2.0.0 from " in text and "policy: outer 2.0.0 from " in text


def test_a_linked_worktree_is_a_work_tree(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    own_bundle(outer, "outer")
    manifest = repo_with_manifest(outer / "wt", kind="file")  # `.git` is a file there
    monkeypatch.chdir(tmp_path)
    assert judged(run, manifest)[0] == 0  # not the enclosing folder's bundle
    own_bundle(outer / "wt", "linked")
    assert rules_fired(judged(run, manifest)[1]) == {"linked.house-rule"}


@NEEDS_GIT
def test_a_real_git_worktree_finds_its_own_bundle(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = tmp_path / "main"
    main.mkdir()
    shutil.copy(INTERNAL, main / "model-usage.yaml")
    own_bundle(main)
    git(main, "init", "-q", "-b", "main")
    git(main, "add", "-A")
    git(main, "commit", "-q", "-m", "base")
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"), "-b", "feature")
    monkeypatch.chdir(tmp_path / "linked")
    assert (tmp_path / "linked" / ".git").is_file()
    assert rules_fired(judged(run, "model-usage.yaml")[1]) == {"acme.house-rule"}


def test_a_manifest_outside_any_repository_uses_the_working_directory(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "loose").mkdir()
    manifest = tmp_path / "loose" / "model-usage.yaml"
    shutil.copy(INTERNAL, manifest)
    own_bundle(tmp_path / "here")
    monkeypatch.chdir(tmp_path / "here")
    assert rules_fired(judged(run, manifest)[1]) == {"acme.house-rule"}
    monkeypatch.chdir(tmp_path)  # no bundle there: the shipped one
    assert judged(run, manifest)[0] == 0


def test_policy_and_its_variable_override_discovery(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = repo_with_manifest(tmp_path / "repo")
    own_bundle(tmp_path / "repo")
    shipped = EXAMPLES.parent / "policies"
    monkeypatch.chdir(tmp_path)
    assert judged(run, manifest, "--policy", shipped)[0] == 0
    monkeypatch.setenv("CLEARANCE_POLICY", str(shipped))
    code, doc = judged(run, manifest)
    assert code == 0 and doc["manifests"][0]["bundle"]["name"] == "default"  # type: ignore[index]


def test_a_clearance_folder_without_bundle_yaml_is_bad_input(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = repo_with_manifest(tmp_path / "repo")
    (tmp_path / "repo" / ".clearance").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("check", manifest)
    assert result.code == 2
    assert ".clearance:1:1: holds no bundle.yaml; run `clearance init`" in result.err
    shutil.rmtree(tmp_path / "repo" / ".clearance")
    (tmp_path / "repo" / ".clearance").write_text("", encoding="utf-8")
    result = run("check", manifest)
    assert result.code == 2 and "is not a directory" in result.err


def test_a_broken_repository_bundle_is_reported_with_the_other_manifests_problems(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = repo_with_manifest(tmp_path / "a")
    own_bundle(tmp_path / "a")
    repo_with_manifest(tmp_path / "b")
    folder = own_bundle(tmp_path / "b")
    (folder / "house.yaml").write_text("rules: [{id: x}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "a", "b")
    assert result.code == 2
    assert os.path.join("b", ".clearance", "house.yaml") in result.err
    assert judged(run, good)[0] == 1  # the good one alone is judged


def test_creating_editing_and_deleting_the_bundle_change_the_verdict(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot cache is keyed on the bundle found, and found afresh on every run."""
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    manifest = repo_with_manifest(tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run reads the snapshot
        assert judged(run, manifest)[0] == 0
    folder = own_bundle(tmp_path / "repo")
    for _ in range(2):
        assert rules_fired(judged(run, manifest)[1]) == {"acme.house-rule"}
    rules = folder / "house.yaml"
    rules.write_text(rules.read_text().replace("severity: error", "severity: warning"))
    for _ in range(2):
        code, doc = judged(run, manifest)
        assert code == 0 and {f["severity"] for f in doc["findings"]} == {"warning"}  # type: ignore[attr-defined]
    shutil.rmtree(folder)
    for _ in range(2):
        code, doc = judged(run, manifest)
        assert code == 0 and not doc["findings"]
        assert doc["manifests"][0]["bundle"]["path"] == "clearance:default"  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "github"])
def test_every_format_names_the_bundle_of_each_manifest(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    repo_with_manifest(tmp_path / "one")
    own_bundle(tmp_path / "one", "first")
    repo_with_manifest(tmp_path / "two")
    own_bundle(tmp_path / "two", "second")
    monkeypatch.chdir(tmp_path)
    result = run("check", "one", "two", "--format", fmt)
    assert result.code == 1, result.err
    out = result.out
    if fmt == "sarif":
        bundles = json.loads(out)["runs"][0]["properties"]["bundles"]
        assert [(b["name"], b["manifests"]) for b in bundles] == [
            ("first", [os.path.join("one", "svc", "model-usage.yaml")]),
            ("second", [os.path.join("two", "svc", "model-usage.yaml")]),
        ]
        assert all(b["path"].endswith(".clearance") for b in bundles)
    elif fmt == "junit":
        assert out.count('name="policy.name" value="first"') == 1
        assert out.count('name="policy.name" value="second"') == 1
        assert 'name="policy.path" value="' + os.path.join("one", ".clearance") in out
    else:
        for name, where in (("first", "one"), ("second", "two")):
            assert name in out and os.path.join(where, ".clearance") in out


@NEEDS_GIT
def test_policy_ref_judges_with_the_repository_bundle_at_the_ref(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(INTERNAL, repo / "model-usage.yaml")
    own_bundle(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    monkeypatch.chdir(repo)
    # the pull request deletes its bundle: the base's still judges, and the change shows
    shutil.rmtree(repo / ".clearance")
    assert judged(run)[0] == 0
    code, doc = judged(run, "--policy-ref", "HEAD")
    assert code == 1 and rules_fired(doc) == {"acme.house-rule"}
    assert doc["policy_changes"]["removed"] == ["acme.house-rule"]  # type: ignore[index]


@NEEDS_GIT
def test_policy_ref_without_a_bundle_at_the_ref_judges_with_the_shipped_one(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(INTERNAL, repo / "model-usage.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    own_bundle(repo)  # added by the pull request
    monkeypatch.chdir(repo)
    code, doc = judged(run, "--policy-ref", "HEAD")
    assert code == 0 and doc["manifests"][0]["bundle"]["path"] == "clearance:default"  # type: ignore[index]
    assert doc["policy_changes"]["added"] == ["acme.house-rule"]  # type: ignore[index]
    assert run("check", "--policy-ref", "HEAD", "--fail-on-policy-change").code == 1


def test_policy_ref_outside_git_asks_for_policy(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(INTERNAL, tmp_path / "model-usage.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--policy-ref", "HEAD")
    assert result.code == 2 and "give --policy DIR" in result.err


def _discovered_verdict(
    run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, root: Path, cache: Path | None
) -> tuple[int, list[tuple[str, str, str, str]]]:
    if cache is None:
        monkeypatch.setenv("CLEARANCE_NO_CACHE", "1")
    else:
        monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
        monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(cache))
    result = run("check", root, "--format", "json")
    if result.code == 2:
        return 2, [("error", line, "", "") for line in sorted(result.err.splitlines())]
    doc = json.loads(result.out)
    judges = {m["path"]: m["bundle"]["digest"] for m in doc["manifests"]}
    return result.code, sorted(
        (f["manifest"], f["rule"], f["severity"], judges[f["manifest"]]) for f in doc["findings"]
    )


def _lower(folder: Path) -> None:
    rules = folder / ".clearance" / "house.yaml"
    if rules.exists():  # as `cp -p` would: new bytes, the old modification time
        before = rules.stat()
        rules.write_text(rules.read_text().replace("severity: error", "severity: warning"))
        os.utime(rules, ns=(before.st_atime_ns, before.st_mtime_ns))


def _create(folder: Path, name: str) -> None:
    if not (folder / ".clearance").exists():
        own_bundle(folder, name)


DISCOVERY_EDITS: dict[str, Callable[[Path], object]] = {
    "outer: create its bundle": lambda r: _create(r, "outer"),
    "outer: delete its bundle": lambda r: shutil.rmtree(r / ".clearance", ignore_errors=True),
    "outer: lower its rule": _lower,
    "inner: create its bundle": lambda r: _create(r / "inner", "inner"),
    "inner: delete its bundle": lambda r: shutil.rmtree(r / "inner" / ".clearance", True),
    "inner: lower its rule": lambda r: _lower(r / "inner"),
    "inner: stop being a work tree": lambda r: shutil.rmtree(r / "inner" / ".git", True),
    "inner: become a work tree": lambda r: (r / "inner" / ".git").mkdir(exist_ok=True),
}


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.sampled_from(sorted(DISCOVERY_EDITS)), min_size=1, max_size=5))
def test_the_cached_verdict_follows_every_change_to_which_bundle_is_found(
    run: Callable[..., Run],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[str],
) -> None:
    """Creating, editing or deleting a `.clearance/`, or a folder becoming or ceasing to be
    a work tree, between runs: the check with its caches says what one without says."""
    base = tmp_path_factory.mktemp("found")
    root = base / "outer"
    repo_with_manifest(root)
    repo_with_manifest(root / "inner")
    cache = base / "cache"
    monkeypatch.chdir(base)
    assert _discovered_verdict(run, monkeypatch, root, cache) == _discovered_verdict(
        run, monkeypatch, root, None
    )
    for edit in edits:
        DISCOVERY_EDITS[edit](root)
        cached = _discovered_verdict(run, monkeypatch, root, cache)
        assert cached == _discovered_verdict(run, monkeypatch, root, None), edit
        assert cached == _discovered_verdict(run, monkeypatch, root, cache), edit  # the snapshot
