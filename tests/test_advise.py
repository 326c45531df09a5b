"""`clearance advise` end to end: the seeds' three scenarios as golden advice, the formats,
the command line, and the JSON against its schema.

Set CLEARANCE_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from clearance.advise.report import RENDERERS
from conftest import REPO, Run

GOLDEN = Path(__file__).parent / "golden"
CASES = "tests/advise_cases"
# the organisation the scenarios judge for: the shipped bundle states none
ORGANISATION = f"{CASES}/organisation"
SCENARIOS = ("healthcare", "internal-tools", "support")


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def _advice(run: Callable[..., Run], *args: str) -> dict[str, object]:
    policy = () if "--policy" in args else ("--policy", ORGANISATION)
    result = run("advise", *args, *policy, "--format", "json")
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_seed_scenario_golden_advice(scenario: str, run: Callable[..., Run]) -> None:
    result = run("advise", f"{CASES}/{scenario}", "--policy", ORGANISATION, "--format", "json")
    assert result.code == 0, result.err
    schema = json.loads((REPO / "schemas" / "advice.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(result.out), schema)
    _compare(f"advise-{scenario}.json", result.out)


@pytest.mark.usefixtures("in_repo")
def test_healthcare_phi_needs_a_baa_or_own_sites(run: Callable[..., Run]) -> None:
    (w,) = _advice(run, f"{CASES}/healthcare")["workloads"]  # type: ignore[misc]
    assert w["current"]["compliant"] is False
    assert w["current"]["blocking"] == ["hipaa.phi-needs-baa"]
    assert w["score"]["band"] == "open-primary"
    first = w["options"][0]
    assert first["mode"] == "self-hosted" and first["compliant"]
    for o in w["options"]:
        if o["compliant"] and o["provider"] != "on-prem":
            assert "baa" in o["agreements"], o  # PHI with a third party: only under a BAA
    together = [o for o in w["options"] if o["provider"] == "together"]
    assert together and not any(o["compliant"] for o in together)  # offers no BAA
    assert w["break_even_tokens_per_day"] is not None


@pytest.mark.usefixtures("in_repo")
def test_internal_tools_closed_band_puts_closed_apis_first(run: Callable[..., Run]) -> None:
    (w,) = _advice(run, f"{CASES}/internal-tools")["workloads"]  # type: ignore[misc]
    assert w["current"]["compliant"] is True
    assert w["current"]["monthly_cost_usd"] == 637.5  # 30 x (2.5M x 2.50 + 1.5M x 10) / 1M
    assert w["score"]["band"] == "closed-apis"
    compliant = [o for o in w["options"] if o["compliant"]]
    modes = [o["mode"] for o in compliant]
    assert modes == sorted(modes, key=["api", "hosted-open", "self-hosted"].index)


@pytest.mark.usefixtures("in_repo")
def test_support_gdpr_keeps_options_in_the_eea(run: Callable[..., Run]) -> None:
    (w,) = _advice(run, f"{CASES}/support")["workloads"]  # type: ignore[misc]
    assert "residency.region-outside-declared" in w["current"]["blocking"]
    compliant = [o for o in w["options"] if o["compliant"]]
    assert compliant
    assert all(o["mode"] == "self-hosted" for o in compliant)
    costs = [o["monthly_cost_usd"] for o in w["options"]]
    assert w["options"].index(compliant[-1]) < len(w["options"]) - 1 or len(compliant) == len(costs)
    # compliant options always come before blocked ones
    flags = [o["compliant"] for o in w["options"]]
    assert flags == sorted(flags, reverse=True)


def test_no_volume_no_cost_said_plainly(
    write: Callable[[str, str], Path], run: Callable[..., Run]
) -> None:
    path = write(
        "model-usage.yaml",
        """
        version: 1
        workloads:
          - id: notes
            data: [internal]
            commercial: false
            model: openai/gpt-4o
            deployment: {mode: api, provider: openai, region: us}
        """,
    )
    result = run("advise", path)
    assert result.code == 0, result.err
    assert "no volume given: no cost" in result.out
    data = _advice(run, str(path))
    (w,) = data["workloads"]  # type: ignore[misc]
    assert w["break_even_tokens_per_day"] is None
    assert all(o["monthly_cost_usd"] is None for o in w["options"])


def test_unknown_workload_is_a_usage_error_with_a_suggestion(run: Callable[..., Run]) -> None:
    result = run("advise", f"{REPO}/{CASES}/healthcare", "--workload", "patient-chta")
    assert result.code == 2
    assert "patient-chat" in result.err


def test_every_format_renders(run: Callable[..., Run], tmp_path: Path) -> None:
    for fmt in sorted(RENDERERS):
        out = tmp_path / f"advice.{fmt}"
        result = run("advise", f"{REPO}/{CASES}/healthcare", "--format", fmt, "--output", out)
        assert result.code == 0, result.err
        assert "patient-chat" in out.read_text(encoding="utf-8")


def test_bad_profile_value_is_a_positioned_error(
    write: Callable[[str, str], Path], run: Callable[..., Run]
) -> None:
    path = write(
        "model-usage.yaml",
        """
        version: 1
        workloads:
          - id: notes
            data: [internal]
            commercial: false
            model: openai/gpt-4o
            deployment: {mode: api, provider: openai, region: us}
            profile: {capability: 7}
        """,
    )
    result = run("advise", path)
    assert result.code == 2
    assert "model-usage.yaml:8:" in result.err and "capability" in result.err


def test_check_names_advise_under_a_failing_workload(run: Callable[..., Run]) -> None:
    result = run("check", f"{REPO}/{CASES}/healthcare", "--color", "never")
    assert result.code == 1
    assert "compliant alternatives: clearance advise --workload patient-chat" in result.out


def _bundle_with_advice(tmp_path: Path, advice: str) -> Path:
    import shutil

    bundle = tmp_path / "bundle"
    shutil.copytree(REPO / "policies", bundle)
    org = bundle / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8") + advice, encoding="utf-8")
    return bundle


def test_bundle_prices_and_profile_defaults_apply(tmp_path: Path, run: Callable[..., Run]) -> None:
    bundle = _bundle_with_advice(
        tmp_path,
        "advice:\n"
        "  profile: {ops: 5, latency: 4}\n"
        "  prices:\n"
        "    - {provider: openai, model: gpt-4o, input_usd_per_million_tokens: 1,\n"
        "       output_usd_per_million_tokens: 4, source: negotiated 2026 contract}\n",
    )
    data = _advice(run, f"{REPO}/{CASES}/internal-tools", "--policy", str(bundle))
    (w,) = data["workloads"]  # type: ignore[misc]
    # 30 x (2.5M x 1 + 1.5M x 4) / 1M = 255
    assert w["current"]["monthly_cost_usd"] == 255.0
    assert w["score"]["sources"]["ops"] == "workload profile"  # the workload's own value wins


def test_a_bundle_price_for_an_unknown_model_fails_closed(
    tmp_path: Path, run: Callable[..., Run]
) -> None:
    bundle = _bundle_with_advice(
        tmp_path,
        "advice:\n  prices:\n"
        "    - {provider: openai, model: openai/gpt-4oo, input_usd_per_million_tokens: 1,\n"
        "       output_usd_per_million_tokens: 4, source: typo}\n",
    )
    result = run("advise", f"{REPO}/{CASES}/internal-tools", "--policy", bundle)
    assert result.code == 2
    assert "unknown model 'openai/gpt-4oo'" in result.err and "openai/gpt-4o" in result.err
