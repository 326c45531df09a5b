"""The composite GitHub Action: its shape, and its check script run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text())


def step(name: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in ACTION["runs"]["steps"] if s.get("name") == name)


def test_action_is_composite_and_uploads_sarif_even_on_failure() -> None:
    assert ACTION["runs"]["using"] == "composite"
    upload = step("Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "always()" in upload["if"]


def test_inputs_reach_scripts_only_through_the_environment() -> None:
    for s in ACTION["runs"]["steps"]:
        assert "${{" not in s.get("run", ""), (
            f"expression expanded inside a script: {s.get('name')}"
        )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_check_script_writes_sarif_summary_and_exit_code(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", work)
    output, summary = tmp_path / "output", tmp_path / "summary"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "CLEARANCE_PATHS": ".",
        "CLEARANCE_POLICY": "",
        "CLEARANCE_POLICY_REF": "",
        "CLEARANCE_SINCE": "",
        "FAIL_ON_POLICY_CHANGE": "false",
        "SARIF_PATH": "out.sarif",
    }
    result = subprocess.run(
        ["bash", "-c", step("Check")["run"]],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "::error file=model-usage.yaml" in result.stdout
    assert (work / "out.sarif").is_file()
    assert "exit-code=1" in output.read_text()
    assert "hipaa.phi-needs-baa" in summary.read_text()
