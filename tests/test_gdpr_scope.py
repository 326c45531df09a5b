"""The GDPR rules follow the law's reach (Art. 3), not one data class.

The table: the organisation established in the EEA (Art. 3(1)), outside it, or
unknown × the workload's data subjects in the EEA (Art. 3(2)), outside it, or not
declared × personal, non-personal or `gdpr` data. A US region without agreements
breaks the processor and transfer rules wherever the GDPR reaches; the finding's
explanation names the ground that held, and an unknown establishment that decides
the outcome is a warning, not a pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

ESTABLISHMENT = {
    "in the EEA": "domicile: DE\nmonthly_active_users: 1000\n",
    "outside the EEA": "domicile: US\nmonthly_active_users: 1000\n",
    "unknown": "monthly_active_users: 1000\n",
}
SUBJECTS = {"in the EEA": "[EU]", "outside the EEA": "[US]", "not declared": None}
DATA = {"personal": "[pii]", "non-personal": "[internal, confidential]", "gdpr": "[gdpr]"}

GROUND = {
    "gdpr": "workload.data",
    "establishment": "organisation.established_in",
    "subjects": "workload.data_subjects_within",
}


def _expected(establishment: str, subjects: str, data: str) -> tuple[str | None, set[str]]:
    """(severity, the grounds its explanation names) the law gives, or (None, set())."""
    if data == "non-personal":
        return None, set()
    grounds = {
        GROUND[name]
        for name, holds in (
            ("gdpr", data == "gdpr"),
            ("establishment", establishment == "in the EEA"),
            ("subjects", subjects == "in the EEA"),
        )
        if holds
    }
    if grounds:
        return "error", grounds
    if establishment == "unknown":  # the unknown establishment decides it
        return "warning", {GROUND["establishment"]}
    return None, set()


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("subjects", sorted(SUBJECTS))
@pytest.mark.parametrize("establishment", sorted(ESTABLISHMENT))
def test_scope_table(
    establishment: str,
    subjects: str,
    data: str,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    bundle_copy: Path,
) -> None:
    (bundle_copy / "organisation.yaml").write_text(ESTABLISHMENT[establishment], "utf-8")
    declared = SUBJECTS[subjects]
    manifest = write(
        "model-usage.yaml",
        f"""
        version: 1
        workloads:
          - id: crm
            data: {DATA[data]}
            commercial: true
            model: Qwen/Qwen3-8B
            deployment: {{mode: self-hosted, provider: aws, region: us-east-1}}
        """
        + (f"    data_subjects: {declared}\n" if declared else ""),
    )
    result = run("check", manifest, "--policy", bundle_copy, "--format", "json")
    assert result.code in (0, 1), result.err
    findings = json.loads(result.out)["findings"]
    severity, grounds = _expected(establishment, subjects, data)
    for rule in ("gdpr.processor-needs-dpa", "gdpr.transfer-needs-safeguard"):
        found = [f for f in findings if f["rule"] == rule]
        assert [f["severity"] for f in found] == ([severity] if severity else []), rule
        if found:
            # the explanation names every ground that held, and no other
            facts = {e["fact"] for e in found[0]["explanation"] if e["clause"] == "when"}
            assert facts & set(GROUND.values()) == grounds, (rule, facts)


@pytest.mark.parametrize(
    ("establishment", "subjects", "fires"),
    [
        ("in the EEA", None, True),
        ("outside the EEA", "[EU]", True),
        ("outside the EEA", "[US]", False),
        ("outside the EEA", None, False),
    ],
)
def test_special_categories_follow_the_same_reach(
    establishment: str,
    subjects: str | None,
    fires: bool,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    bundle_copy: Path,
) -> None:
    """phi is health data, a special category (Art. 9): kept in the EEA where the GDPR reaches."""
    (bundle_copy / "organisation.yaml").write_text(ESTABLISHMENT[establishment], "utf-8")
    manifest = write(
        "model-usage.yaml",
        """
        version: 1
        workloads:
          - id: triage
            data: [phi]
            commercial: true
            model: Qwen/Qwen3-8B
            deployment: {mode: self-hosted, provider: aws, region: us-east-1, agreements: [baa, dpa, scc]}
        """
        + (f"    data_subjects: {subjects}\n" if subjects else ""),
    )
    result = run("check", manifest, "--policy", bundle_copy, "--format", "json")
    rules = {f["rule"] for f in json.loads(result.out)["findings"]}
    assert ("gdpr.special-category-in-eea" in rules) is fires


def test_a_site_in_the_eea_is_an_establishment(
    run: Callable[..., Run], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    (bundle_copy / "organisation.yaml").write_text(
        "domicile: US\nsites: [{id: dc-frankfurt, country: DE}]\n", "utf-8"
    )
    manifest = write(
        "model-usage.yaml",
        """
        version: 1
        workloads:
          - id: crm
            data: [pii]
            commercial: true
            model: Qwen/Qwen3-8B
            deployment: {mode: self-hosted, provider: aws, region: us-east-1}
        """,
    )
    result = run("check", manifest, "--policy", bundle_copy, "--format", "json")
    found = [f for f in json.loads(result.out)["findings"] if f["rule"].startswith("gdpr.")]
    assert {f["rule"] for f in found} == {
        "gdpr.processor-needs-dpa",
        "gdpr.transfer-needs-safeguard",
    }
    assert all(f["severity"] == "error" for f in found)
