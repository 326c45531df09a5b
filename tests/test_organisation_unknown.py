"""Organisation facts nobody set are unknown: a rule that turns on one says so.

The shipped bundle knows no organisation. A German fintech running Llama 3.2
Vision used to pass the EU multimodal clause because the shipped organisation.yaml
said `domicile: US`; now the clause warns, naming the fact and `clearance init`,
fails with `--strict`, and judges as the law says once the bundle states the fact.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.bundle.load import load_bundle
from conftest import Run

VISION = """\
version: 1
workloads:
  - id: receipts
    data: [confidential]
    commercial: true
    model: meta-llama/Llama-3.2-11B-Vision-Instruct
    deployment: {mode: self-hosted, provider: aws, region: eu-central-1}
"""


def _findings(result: Run, rule: str) -> list[dict[str, object]]:
    report = json.loads(result.out)
    return [f for f in report["findings"] if f["rule"] == rule]


def _organisation(bundle: Path, text: str) -> Path:
    (bundle / "organisation.yaml").write_text(text, encoding="utf-8")
    return bundle


def test_the_shipped_bundle_states_no_organisation_fact() -> None:
    org = load_bundle().organisation
    assert (org.name, org.domicile, org.monthly_active_users, org.annual_revenue_usd) == (
        None,
        None,
        None,
        None,
    )
    assert org.sites == []


def test_unknown_domicile_warns_naming_the_fact_and_init(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    manifest = write("model-usage.yaml", VISION)
    result = run("check", manifest, "--format", "json")
    assert result.code == 0, result.err
    [finding] = _findings(result, "llama-3.2.eu-multimodal")
    assert finding["severity"] == "warning"
    assert "organisation.domicile_groups" in str(finding["message"])
    assert "clearance init --domicile CC" in str(finding["remediation"])
    unknown = [e for e in finding["explanation"] if e["fact"] == "organisation.domicile_groups"]  # type: ignore[union-attr]
    assert unknown and unknown[0]["actual"] is None


def test_unknown_domicile_is_an_error_with_strict(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    manifest = write("model-usage.yaml", VISION)
    result = run("check", manifest, "--format", "json", "--strict")
    assert result.code == 1
    [finding] = _findings(result, "llama-3.2.eu-multimodal")
    assert finding["severity"] == "error"


def test_text_report_words_the_unknown_fact_as_a_sentence(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    result = run("check", write("model-usage.yaml", VISION), "--color", "never")
    assert "why: organisation.domicile_groups is not set, so this cannot be decided" in result.out
    assert "(none)" not in result.out and " is null" not in result.out


@pytest.mark.parametrize(
    ("domicile", "expected"),
    [("DE", ["error"]), ("FR", ["error"]), ("US", []), ('"NO"', [])],
)
def test_a_stated_domicile_is_judged(
    domicile: str,
    expected: list[str],
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    bundle_copy: Path,
) -> None:
    _organisation(bundle_copy, f"domicile: {domicile}\nmonthly_active_users: 1000\n")
    result = run(
        "check", write("model-usage.yaml", VISION), "--policy", bundle_copy, "--format", "json"
    )
    found = _findings(result, "llama-3.2.eu-multimodal")
    assert [f["severity"] for f in found] == expected


@pytest.mark.parametrize(
    ("users", "expected"),
    [(None, ["warning"]), (2_000_000, []), (700_000_000, []), (700_000_001, ["error"])],
)
def test_the_user_threshold_needs_the_user_count(
    users: int | None,
    expected: list[str],
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    bundle_copy: Path,
) -> None:
    line = "" if users is None else f"monthly_active_users: {users}\n"
    _organisation(bundle_copy, "domicile: US\n" + line)
    result = run(
        "check", write("model-usage.yaml", VISION), "--policy", bundle_copy, "--format", "json"
    )
    found = _findings(result, "llama-3.2.mau-threshold")
    assert [f["severity"] for f in found] == expected
    if users is None:
        assert "monthly_active_users" in str(found[0]["remediation"])
        assert "--monthly-active-users N" in str(found[0]["remediation"])


def test_a_rule_settled_without_the_unknown_fact_is_judged_as_usual(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    """A text-only model never meets the multimodal clause: the domicile does not matter."""
    text_only = VISION.replace("Llama-3.2-11B-Vision-Instruct", "Llama-3.2-3B-Instruct")
    result = run("check", write("model-usage.yaml", text_only), "--format", "json")
    assert _findings(result, "llama-3.2.eu-multimodal") == []


def test_a_child_bundle_may_state_a_fact_its_parent_left_unknown(
    run: Callable[..., Run], write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    child = tmp_path / "child"
    child.mkdir()
    (child / "bundle.yaml").write_text(
        "name: acme\nversion: '1'\nextends: clearance:default\n", encoding="utf-8"
    )
    _organisation(child, "name: Acme GmbH\ndomicile: DE\nmonthly_active_users: 5000\n")
    result = run("check", write("model-usage.yaml", VISION), "--policy", child, "--format", "json")
    assert result.code == 1, result.err
    [finding] = _findings(result, "llama-3.2.eu-multimodal")
    assert finding["severity"] == "error"
    assert "Acme GmbH is domiciled in DE" in str(finding["message"])


def test_explain_workload_says_the_rule_cannot_be_told(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    manifest = write("model-usage.yaml", VISION)
    result = run("explain", "--workload", "receipts", manifest)
    assert result.code == 0, result.err
    line = next(x for x in result.out.splitlines() if "llama-3.2.eu-multimodal" in x)
    assert line.strip().startswith("CANNOT TELL")
    assert "unknown organisation.domicile_groups: not set" in result.out
    assert " is null" not in result.out
