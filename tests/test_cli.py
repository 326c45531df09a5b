"""The command line: exit codes, colour, output files, explain, browse."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, WORKLOAD, Run

RISKY = EXAMPLES / "risky-team"
CLEAN = EXAMPLES / "healthcare-startup"


def test_exit_0_when_clean(run: Callable[..., Run]) -> None:
    result = run("check", CLEAN)
    assert result.code == 0
    assert "✓ 0 errors" in result.out


def test_exit_1_on_errors(run: Callable[..., Run]) -> None:
    result = run("check", RISKY)
    assert result.code == 1
    assert "✗" in result.out


def test_exit_3_on_internal_bug(run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    import clearance.pipeline.check

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(clearance.pipeline.check, "evaluate", boom)
    result = run("check", CLEAN)
    assert result.code == 3
    assert "internal error: ZeroDivisionError: boom" in result.err
    assert "Traceback" not in result.err
    result = run("--debug", "check", CLEAN)
    assert result.code == 3 and "Traceback" in result.err


def test_usage_error_exits_2(run: Callable[..., Run]) -> None:
    assert run("check", "--format", "yaml").code == 2
    assert run("no-such-command").code == 2


def test_strict_fails_on_warnings(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    path = write(
        "m/model-usage.yaml",
        WORKLOAD.replace(
            "data: [internal]",
            "data: [internal]\n    purpose: fine-tuning\n    trains: acme/med-8b\n    trains_family: llama",
        ),
    )
    plain = run("check", path, "--format", "json")
    warnings = json.loads(plain.out)["summary"]["warnings"]
    assert warnings >= 1 and plain.code == 0
    assert run("check", path, "--strict").code == 1


def test_no_color_when_piped_or_no_color(
    run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "\033[" not in run("check", RISKY).out
    assert "\033[" in run("check", RISKY, "--color", "always").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run("check", RISKY, "--color", "auto").out


def test_output_file(run: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "deep" / "report.json"
    result = run("check", RISKY, "--format", "json", "--output", out)
    assert result.code == 1 and result.out == ""
    assert json.loads(out.read_text())["summary"]["errors"] >= 5
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]


def test_policy_from_environment(
    run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLEARANCE_POLICY", str(tmp_path))
    result = run("check", CLEAN)
    assert result.code == 2 and "not a policy bundle" in result.err


def test_explain_rule(run: Callable[..., Run]) -> None:
    result = run("explain", "hipaa.phi-needs-baa")
    assert result.code == 0
    assert "PHI reaches a third party only under a BAA" in result.out
    assert "deployment.agreements contains 'baa'" in result.out
    assert "45 CFR 164.502(e)" in result.out


def test_explain_licence_rule(run: Callable[..., Run]) -> None:
    result = run("explain", "llama-3.1.mau-threshold")
    assert result.code == 0
    assert "licence:    llama-3.1" in result.out


def test_explain_unknown_rule(run: Callable[..., Run]) -> None:
    result = run("explain", "hipaa.phi-need-baa")
    assert result.code == 2
    assert "did you mean hipaa.phi-needs-baa" in result.err


def test_explain_workload(run: Callable[..., Run]) -> None:
    result = run("explain", "--workload", "symptom-checker", RISKY)
    assert result.code == 0
    assert "FAILED          hipaa.phi-needs-baa" in result.out
    assert "passed" in result.out and "not applicable" in result.out
    assert "governed by: openai-api via openai (provider-terms)" in result.out


def test_explain_unknown_workload(run: Callable[..., Run]) -> None:
    result = run("explain", "--workload", "symptom-checkr", RISKY)
    assert result.code == 2 and "did you mean symptom-checker" in result.err


def test_browse_commands(run: Callable[..., Run]) -> None:
    models = run("models", "--family", "llama")
    assert models.code == 0 and "meta-llama/Llama-3.1-70B-Instruct" in models.out
    assert "openai/gpt-4o" not in models.out
    licences = run("licences")
    assert licences.code == 0 and "llama-3.1" in licences.out
    one = run("licences", "llama-3.1")
    assert one.code == 0 and "mau_threshold: 700000000" in one.out
    assert run("licences", "lama-3.1").code == 2
    providers = run("providers", "--kind", "cloud")
    assert providers.code == 0 and "aws" in providers.out and "openai" not in providers.out


def test_version(run: Callable[..., Run]) -> None:
    from clearance import __version__

    result = run("--version")
    assert result.code == 0 and __version__ in result.out
