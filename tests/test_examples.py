"""The bundled examples: golden text and JSON reports, exit codes, determinism.

Set CLEARANCE_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run

GOLDEN = Path(__file__).parent / "golden"
EXPECTED_EXIT = {"gateway-drift": 1, "healthcare-startup": 0, "internal-tools": 0, "risky-team": 1}


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def _normalise(report: str) -> str:
    """The report with the two fields that legitimately vary (time, tool version) fixed."""
    data = json.loads(report)
    data["generated_at"] = "<time>"
    data["tool"]["version"] = "<version>"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("example", sorted(EXPECTED_EXIT))
def test_text_report(example: str, run: Callable[..., Run]) -> None:
    result = run("check", f"examples/{example}", "--color", "never")
    assert result.code == EXPECTED_EXIT[example], result.err
    _compare(f"{example}.txt", result.out)


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("example", sorted(EXPECTED_EXIT))
def test_json_report(example: str, run: Callable[..., Run]) -> None:
    result = run("check", f"examples/{example}", "--format", "json")
    assert result.code == EXPECTED_EXIT[example], result.err
    report = json.loads(result.out)
    assert report["report_version"] == 1
    assert report["summary"]["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    _compare(f"{example}.json", _normalise(result.out))


@pytest.mark.usefixtures("in_repo")
def test_json_is_deterministic(run: Callable[..., Run]) -> None:
    first = run("check", "examples", "--format", "json").out
    second = run("check", "examples", "--format", "json").out
    assert _normalise(first) == _normalise(second)
    assert json.loads(first)["findings"] == sorted(
        json.loads(first)["findings"], key=lambda f: (f["manifest"], f["line"], f["rule"])
    )


@pytest.mark.usefixtures("in_repo")
def test_risky_example_breaks_the_rules_it_was_written_to_break(run: Callable[..., Run]) -> None:
    report = json.loads(run("check", "examples/risky-team", "--format", "json").out)
    fired = {(f["workload"], f["rule"]) for f in report["findings"]}
    assert {
        ("symptom-checker", "hipaa.phi-needs-baa"),
        ("eu-coaching", "gdpr.transfer-needs-safeguard"),
        ("eu-coaching", "gdpr.processor-needs-dpa"),
        ("eu-coaching", "residency.region-outside-declared"),
        ("premium-summaries", "licensing.non-commercial-use"),
        ("distill-coach", "openai-api.no-competing-models"),
    } <= fired


@pytest.mark.usefixtures("in_repo")
def test_explanation_names_clause_fact_expected_actual(run: Callable[..., Run]) -> None:
    report = json.loads(run("check", "examples/risky-team", "--format", "json").out)
    [baa] = [f for f in report["findings"] if f["rule"] == "hipaa.phi-needs-baa"]
    assert {
        "clause": "require",
        "fact": "deployment.agreements",
        "expected": "contains 'baa'",
        "actual": [],
    } in baa["explanation"]
    assert {
        "clause": "when",
        "fact": "workload.data",
        "expected": "contains 'phi'",
        "actual": ["phi", "pii"],
    } in baa["explanation"]
    assert baa["line"] == 7 and baa["manifest"] == "examples/risky-team/model-usage.yaml"


@pytest.mark.usefixtures("in_repo")
def test_readme_demo_output_is_true(run: Callable[..., Run]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install . && clearance check examples/risky-team" in readme
    block = readme.split("What the first command prints (abridged):\n\n```\n", 1)[1].split(
        "```", 1
    )[0]
    actual = run("check", "examples/risky-team", "--color", "never").out.splitlines()
    for line in block.splitlines():
        if line != "…":
            assert line in actual, f"README shows a line the tool no longer prints: {line!r}"
