"""The states of a claimed agreement, end to end through `clearance check` and `audit`.

Claimed and unknown to the catalogue: a warning (attested by the repository).
Recorded by the organisation: information, its reference in the audit.
Known not offered: an error. Recorded but expired: an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

PHI_ON_AZURE = """\
version: 1
workloads:
  - id: discharge-letters
    data: [phi]
    commercial: false
    model: openai/gpt-4o-mini
    deployment: {mode: api, provider: azure-openai, region: eastus, agreements: [baa]}
"""

PHI_ON_SITE_WITH_BAA = """\
version: 1
workloads:
  - id: triage
    data: [phi]
    commercial: false
    model: meta-llama/Llama-3.1-8B-Instruct
    deployment: {mode: self-hosted, provider: on-prem, region: dc-virginia, agreements: [baa]}
"""


def _record(bundle: Path, *agreements: dict[str, Any]) -> None:
    org = bundle / "organisation.yaml"
    doc = yaml.safe_load(org.read_text())
    doc["agreements"] = list(agreements)
    org.write_text(yaml.safe_dump(doc, sort_keys=False))


def _findings(run: Callable[..., Any], manifest: Path, bundle: Path) -> tuple[int, dict[str, str]]:
    result = run("check", manifest, "--policy", bundle, "--format", "json")
    report = json.loads(result.out)
    # the agreement and HIPAA findings; Azure's vendor-terms notice is another matter
    return result.code, {
        f["rule"]: f["severity"]
        for f in report["findings"]
        if f["rule"].startswith(("agreements.", "hipaa."))
    }


def test_phi_on_azure_openai_under_an_attested_baa_is_one_warning(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    code, found = _findings(run, write("model-usage.yaml", PHI_ON_AZURE), bundle_copy)
    assert found == {"agreements.unverified": "warning"}
    assert code == 0


def test_the_warning_names_the_provider_and_asks_to_keep_the_agreement(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    result = run("check", write("model-usage.yaml", PHI_ON_AZURE), "--policy", bundle_copy)
    assert "attested by this repository" in result.out
    assert "Azure OpenAI" in result.out and "keep the signed agreement on file" in result.out


def test_a_recorded_baa_turns_the_warning_into_information(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    _record(bundle_copy, {"provider": "azure-openai", "kind": "baa",
                          "reference": "MSFT-DPA-2026-017", "signed": "2026-01-15"})
    code, found = _findings(run, write("model-usage.yaml", PHI_ON_AZURE), bundle_copy)
    assert found == {"agreements.recorded": "info"}
    assert code == 0


def test_an_expired_record_is_an_error(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    _record(bundle_copy, {"provider": "azure-openai", "kind": "baa", "reference": "OLD-BAA",
                          "signed": "2020-01-01", "expires": "2021-01-01"})
    code, found = _findings(run, write("model-usage.yaml", PHI_ON_AZURE), bundle_copy)
    assert found == {"agreements.expired": "error"}
    assert code == 1


def test_an_agreement_known_not_offered_is_an_error(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path
) -> None:
    # nobody signs a BAA with itself: the organisation's own sites are known not to offer one
    code, found = _findings(run, write("model-usage.yaml", PHI_ON_SITE_WITH_BAA), bundle_copy)
    assert found == {"agreements.not-offered": "error"}
    assert code == 1


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"provider": "azure-openia", "kind": "baa", "reference": "X", "signed": "2026-01-01"},
         "unknown provider 'azure-openia'"),
        ({"provider": "azure-openai", "kind": "bba", "reference": "X", "signed": "2026-01-01"},
         "unknown agreement 'bba'"),
        ({"provider": "azure-openai", "kind": "baa", "reference": "X", "signed": "2026-01-01",
          "expires": "2025-01-01"}, "cannot expire before it was signed"),
        ({"provider": "azure-openai", "kind": "baa", "signed": "2026-01-01"}, "reference"),
        ({"provider": "azure-openai", "kind": "baa", "reference": "X", "signed": 20260101},
         "YYYY-MM-DD"),
    ],
)
def test_a_bad_agreement_record_is_exit_2_at_its_position(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path,
    record: dict[str, Any], message: str,
) -> None:
    _record(bundle_copy, record)
    result = run("check", write("model-usage.yaml", PHI_ON_AZURE), "--policy", bundle_copy)
    assert result.code == 2
    assert "organisation.yaml:" in result.err and message in result.err
    assert "Traceback" not in result.err


def test_the_audit_registers_each_agreement_and_its_evidence(
    run: Callable[..., Any], write: Callable[[str, str], Path], bundle_copy: Path,
    tmp_path: Path,
) -> None:
    _record(bundle_copy, {"provider": "azure-openai", "kind": "baa",
                          "reference": "MSFT-DPA-2026-017", "signed": "2026-01-15"})
    write("repo/model-usage.yaml", PHI_ON_AZURE.replace("agreements: [baa]",
                                                        "agreements: [baa, dpa, zdr]"))
    out = tmp_path / "audit.json"
    result = run("audit", tmp_path / "repo", "--policy", bundle_copy, "--format", "json",
                 "--output", out)
    assert result.code == 0, result.err
    rows = json.loads(out.read_text())["agreements"]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["baa"]["status"] == "recorded"
    assert by_kind["baa"]["reference"] == "MSFT-DPA-2026-017"
    assert by_kind["dpa"]["status"] == "verified"
    assert by_kind["zdr"]["status"] == "attested"
    assert {r["workload"] for r in rows} == {"discharge-letters"}
