"""The CI gate: several formats per run, only new findings fail, a policy the PR cannot weaken."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, Run
from helpers import git

RISKY = EXAMPLES / "risky-team"


def test_several_formats_in_one_run(run: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run("check", RISKY, "--format", "text", "--format", f"json={out}", "--color", "never")
    assert result.code == 1
    assert "hipaa.phi-needs-baa" in result.out
    assert json.loads(out.read_text())["summary"]["errors"] >= 5


def test_two_formats_to_stdout_is_a_usage_error(run: Callable[..., Run]) -> None:
    result = run("check", RISKY, "--format", "text", "--format", "json")
    assert result.code == 2 and "only one format can go to standard output" in result.err


def test_unknown_format(run: Callable[..., Run]) -> None:
    result = run("check", RISKY, "--format", "jsn")
    assert result.code == 2 and "did you mean json" in result.err


def test_nothing_is_written_when_rendering_fails(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clearance.report.text as text_report

    def broken(*args: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(text_report, "render", broken)
    out = tmp_path / "r.json"
    result = run("check", RISKY, "--format", f"json={out}", "--format", "text")
    assert result.code == 3 and not out.exists()


def test_baseline_marks_old_findings_pre_existing(run: Callable[..., Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(RISKY, repo)
    baseline = tmp_path / "baseline.json"
    run("check", repo, "--format", f"json={baseline}")
    # lines move (a comment block on top), nothing else changes: nothing is new
    manifest = repo / "model-usage.yaml"
    manifest.write_text("# moved\n" * 7 + manifest.read_text())
    same = run("check", repo, "--baseline", baseline, "--format", "json")
    assert same.code == 0
    findings = json.loads(same.out)["findings"]
    assert findings and all(f["baseline"] == "pre-existing" for f in findings)
    # a new workload that breaks a rule fails, the old ones still do not
    extra = (RISKY / "model-usage.yaml").read_text().split("workloads:\n", 1)[1]
    extra = extra.split("  - id: eu-coaching")[0].replace("id: symptom-checker", "id: new-checker")
    manifest.write_text(manifest.read_text() + extra)
    new = run("check", repo, "--baseline", baseline, "--format", "json")
    assert new.code == 1
    fresh = [f for f in json.loads(new.out)["findings"] if f["baseline"] is None]
    assert {f["workload"] for f in fresh} == {"new-checker"}


def test_bad_baseline_is_an_input_error(run: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text('{"report_version": 1, "findings": [}')
    result = run("check", RISKY, "--baseline", bad)
    assert result.code == 2 and "b.json:1:" in result.err and "not JSON" in result.err
    bad.write_text('{"findings": []}')
    assert "not a clearance JSON report" in run("check", RISKY, "--baseline", bad).err


@pytest.fixture
def two_commits(tmp_path: Path) -> Path:
    """A repository whose first commit has one violation and whose second adds another."""
    repo = tmp_path / "repo"
    repo.mkdir()
    text = (RISKY / "model-usage.yaml").read_text()
    first = text.split("  - id: eu-coaching")[0]
    (repo / "model-usage.yaml").write_text(first)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    (repo / "model-usage.yaml").write_text(text)
    git(repo, "commit", "-q", "-am", "second")
    return repo


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_since_fails_only_on_findings_new_since_the_ref(
    run: Callable[..., Run], two_commits: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(two_commits)
    result = run("check", "--since", "HEAD~1", "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    old = {f["workload"] for f in findings if f["baseline"] == "pre-existing"}
    new = {f["workload"] for f in findings if f["baseline"] is None}
    assert old == {"symptom-checker"}
    assert "symptom-checker" not in new and "eu-coaching" in new
    # against the head itself nothing is new
    assert run("check", "--since", "HEAD").code == 0
    assert run("check", "--since", "no-such-ref").code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_since_on_a_manifest_the_ref_did_not_have(
    run: Callable[..., Run], two_commits: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(two_commits)
    (two_commits / "svc").mkdir()
    shutil.copy(RISKY / "model-usage.yaml", two_commits / "svc" / "model-usage.yaml")
    result = run("check", "--since", "HEAD", "--format", "json")
    doc = json.loads(result.out)
    assert result.code == 1
    assert any("did not exist at HEAD" in note for note in doc["notes"])


@pytest.fixture
def policy_repo(tmp_path: Path) -> Path:
    """A repository with its own bundle; the head commit relaxes the HIPAA rule."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "policies", repo / "policies")
    shutil.copytree(RISKY, repo / "app")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    hipaa = repo / "policies" / "hipaa.yaml"
    hipaa.write_text(hipaa.read_text().replace("severity: error", "severity: info", 1))
    (repo / "policies" / "extra.yaml").write_text(
        "rules:\n  - id: extra.note\n    title: t\n    severity: info\n"
        "    when:\n      workload.data: {contains: phi}\n    message: m\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "relax")
    return repo


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_policy_ref_judges_with_the_base_bundle(
    run: Callable[..., Run], policy_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(policy_repo)
    relaxed = run("check", "app", "--policy", "policies", "--format", "json")
    [f] = [f for f in json.loads(relaxed.out)["findings"] if f["rule"] == "hipaa.phi-needs-baa"]
    assert f["severity"] == "info"
    judged = run(
        "check", "app", "--policy", "policies", "--policy-ref", "HEAD~1", "--format", "json"
    )
    doc = json.loads(judged.out)
    [f] = [f for f in doc["findings"] if f["rule"] == "hipaa.phi-needs-baa"]
    assert f["severity"] == "error" and judged.code == 1
    assert doc["policy_changes"]["changed"] == ["hipaa.phi-needs-baa"]
    assert doc["policy_changes"]["added"] == ["extra.note"]
    text = run("check", "app", "--policy", "policies", "--policy-ref", "HEAD~1", "--color", "never")
    assert "policy changed" in text.out and "changed: hipaa.phi-needs-baa" in text.out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_fail_on_policy_change(
    run: Callable[..., Run], policy_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(policy_repo)
    (policy_repo / "app" / "model-usage.yaml").write_text(
        (REPO / "examples" / "internal-tools" / "model-usage.yaml").read_text()
    )
    assert run("check", "app", "--policy", "policies", "--policy-ref", "HEAD~1").code == 0
    assert (
        run(
            "check",
            "app",
            "--policy",
            "policies",
            "--policy-ref",
            "HEAD~1",
            "--fail-on-policy-change",
        ).code
        == 1
    )
    assert (
        run(
            "check",
            "app",
            "--policy",
            "policies",
            "--policy-ref",
            "HEAD",
            "--fail-on-policy-change",
        ).code
        == 0
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_policy_change_reaches_the_pull_request_summary(
    run: Callable[..., Run], policy_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(policy_repo)
    result = run(
        "check", "app", "--policy", "policies", "--policy-ref", "HEAD~1", "--format", "markdown"
    )
    assert "### ⚠ Policy changed" in result.out
    assert "- changed: `hipaa.phi-needs-baa`" in result.out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_policies_link_in_the_pull_request_does_not_choose_the_judge(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: the pull request replaced policies/ with a link to a lenient folder
    # that the base also holds; the path was resolved in the working tree, so the
    # lenient folder judged (exit 0, no "policy changed")
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "policies", repo / "policies", ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(REPO / "policies", repo / "lenient", ignore=shutil.ignore_patterns("tests"))
    hipaa = repo / "lenient" / "hipaa.yaml"
    hipaa.write_text(hipaa.read_text().replace("severity: error", "severity: info"))
    shutil.copytree(RISKY, repo / "app")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(repo / "policies")
    (repo / "policies").symlink_to("lenient")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "choose my judge")
    monkeypatch.chdir(repo)
    judged = run("check", "app", "--policy", "policies", "--policy-ref", "HEAD~1",
                 "--format", "json")
    doc = json.loads(judged.out)
    [f] = [f for f in doc["findings"] if f["rule"] == "hipaa.phi-needs-baa"]
    assert f["severity"] == "error" and judged.code == 1
    assert doc["policy_changes"] is not None


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_link_leaving_the_repository_at_the_ref_is_refused(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(REPO / "policies", outside, ignore=shutil.ignore_patterns("tests"))
    repo = tmp_path / "repo"
    shutil.copytree(RISKY, repo / "app")
    (repo / "policies").symlink_to(outside)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    monkeypatch.chdir(repo)
    result = run("check", "app", "--policy", "policies", "--policy-ref", "HEAD")
    assert result.code == 2
    assert "goes through the link policies" in result.err and "leaves the repository" in result.err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_bundle_extending_a_git_ref_works_under_policy_ref(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: "is not inside a git repository" (the base bundle was read from a
    # temporary export, and its `extends: {git: ...}` looked for history there)
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "policies", repo / "org", ignore=shutil.ignore_patterns("tests"))
    (repo / "team").mkdir()
    (repo / "team" / "bundle.yaml").write_text(
        "name: team\nversion: 1.0.0\nextends: {git: main, path: org}\n")
    shutil.copytree(RISKY, repo / "app")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    monkeypatch.chdir(repo)
    result = run("check", "app", "--policy", "team", "--policy-ref", "HEAD", "--format", "json")
    assert result.code == 1, result.err
    assert any(f["rule"] == "hipaa.phi-needs-baa" for f in json.loads(result.out)["findings"])


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_file_name_with_a_newline_does_not_shift_the_files_after_it(tmp_path: Path) -> None:
    # regression: `git cat-file --batch` was asked for `commit:path` lines, so a name
    # holding a newline desynchronised it and every later file got another's bytes
    from clearance.loading import git as gitrepo

    repo = tmp_path / "repo"
    repo.mkdir()
    names = ["a.yaml", "b\nc.yaml", "d.yaml", "e.yaml"]
    for i, name in enumerate(names):
        (repo / name).write_text(f"n: {i}\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    target = tmp_path / "export"
    target.mkdir()
    export = gitrepo.export_dir(repo, gitrepo.resolve_ref(repo, "HEAD"), "", target, (".yaml",))
    assert export.wrote
    for i, name in enumerate(names):
        assert (target / name).read_text() == f"n: {i}\n"
