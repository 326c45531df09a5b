"""The wheel carries the bundle, licences, catalogue and schemas; the pre-commit hook works.

Both tests build clearance from this checkout and install it into a fresh
environment (the pre-commit one through the real `pre-commit` tool), so they
take tens of seconds; they need the package index for the build backend and
the runtime dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.slow


def _sh(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, text=True, capture_output=True, timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def test_wheel_installs_and_checks_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _sh(sys.executable, "-m", "build", "--wheel", "--outdir", dist, REPO)
    [wheel] = list(dist.glob("clearance-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    _sh(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel)
    work = tmp_path / "elsewhere"
    shutil.copytree(EXAMPLES / "risky-team", work)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLEARANCE_POLICY")}
    result = _sh(bin_dir / "clearance", "check", ".", cwd=work, env=clean_env, check=False)
    assert result.returncode == 1, result.stderr
    assert "hipaa.phi-needs-baa" in result.stdout
    listing = _sh(
        bin_dir / "python",
        "-c",
        "import clearance.resources as r; print(r.data_root())",
        cwd=work,
        env=clean_env,
    )
    assert "site-packages" in listing.stdout
    schema = _sh(bin_dir / "clearance", "schema", "manifest", cwd=work, env=clean_env)
    assert '"$id"' in schema.stdout


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    _sh("git", *args, cwd=repo, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_through_pre_commit(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    env.pop("CLEARANCE_POLICY", None)
    pre_commit = [sys.executable, "-m", "pre_commit"]

    clean = tmp_path / "clean"
    shutil.copytree(EXAMPLES / "healthcare-startup", clean)
    _git(clean, "init", "-q")
    _git(clean, "add", "-A")
    ok = _sh(
        *pre_commit, "try-repo", REPO, "clearance", "--all-files", cwd=clean, env=env, check=False
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout

    risky = tmp_path / "risky"
    shutil.copytree(EXAMPLES / "risky-team", risky)
    _git(risky, "init", "-q")
    _git(risky, "add", "-A")
    bad = _sh(
        *pre_commit, "try-repo", REPO, "clearance", "--all-files", cwd=risky, env=env, check=False
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "hipaa.phi-needs-baa" in bad.stdout
    assert "why: fails because deployment.agreements is []" in bad.stdout


def test_hook_file_pattern_matches_what_it_should() -> None:
    import re

    import yaml

    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    pattern = re.compile(hook["files"])
    for name in [
        "model-usage.yaml",
        "svc/model-usage.yml",
        "waivers.yaml",
        "a/waivers.yaml",
        "policies/gdpr.yaml",
        ".clearance/bundle.yaml",
    ]:
        assert pattern.search(name), name
    for name in ["my-model-usage.yaml", "README.md", "src/policies.py", "config.yaml"]:
        assert not pattern.search(name), name
