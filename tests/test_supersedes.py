"""One finding per broken fact: a rule that `supersedes` another reports for both."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

RESEARCH = """\
version: 1
workloads:
  - id: contract-review
    data: [confidential]
    commercial: true
    model: mistralai/Mistral-Large-Instruct-2411
    deployment: {mode: self-hosted, provider: aws, region: eu-central-1}
"""


def test_the_licence_clause_reports_once_naming_both_references(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    result = run("check", write("model-usage.yaml", RESEARCH), "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    rules = [f["rule"] for f in findings if f["severity"] == "error"]
    assert rules == ["mistral-research.commercial-use"]
    references = findings[[f["rule"] for f in findings].index(rules[0])]["references"]
    assert "Mistral AI Research License §3.2" in references
    assert any(r.startswith("The licence text: ") for r in references)  # the general rule's
    assert any(
        r.startswith("licensing.non-commercial-use (reported once, here): ") for r in references
    )


def test_without_the_superseding_finding_the_other_stands(
    run: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    """A bundle that disables the licence's clause still gets the general rule's finding."""
    child = tmp_path / "child"
    child.mkdir()
    (child / "bundle.yaml").write_text(
        "name: acme\nversion: '1'\nextends: clearance:default\n"
        "overrides: [{rule: mistral-research.commercial-use, disabled: true}]\n",
        encoding="utf-8",
    )
    result = run(
        "check", write("model-usage.yaml", RESEARCH), "--policy", child, "--format", "json"
    )
    rules = [f["rule"] for f in json.loads(result.out)["findings"] if f["severity"] == "error"]
    assert rules == ["licensing.non-commercial-use"]


def test_a_bundle_rule_superseding_an_unknown_rule_is_refused(
    run: Callable[..., Run], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    (bundle_copy / "extra.yaml").write_text(
        """\
rules:
  - id: acme.no-research
    title: No research licences
    severity: error
    when: {licence.kind: {equals: research}}
    message: "{workload.id} uses a research licence"
    supersedes: [licensing.non-comercial-use]
""",
        encoding="utf-8",
    )
    result = run("check", write("model-usage.yaml", RESEARCH), "--policy", bundle_copy)
    assert result.code == 2
    assert "supersedes 'licensing.non-comercial-use': unknown rule" in result.err
    assert "did you mean licensing.non-commercial-use" in result.err
