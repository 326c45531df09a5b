"""`clearance policy test`: the shipped bundle's own cases, and the command's behaviour."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.bundle.load import Bundle, load_bundle
from clearance.pipeline.policy_cases import run_tests
from conftest import Run


@functools.cache
def shipped_run() -> tuple[Bundle, object]:
    bundle = load_bundle()
    return bundle, run_tests(bundle)


def _results() -> list[object]:
    return shipped_run()[1].results  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("result", _results(), ids=lambda r: f"{Path(r.file).stem}: {r.name}")
def test_shipped_case(result: object) -> None:
    assert not result.missing, (
        f"expected to fire but did not: {result.missing}; fired {result.fired}"
    )  # type: ignore[attr-defined]
    assert not result.unexpected, f"fired but should not: {result.unexpected}"  # type: ignore[attr-defined]


def test_every_shipped_rule_fires_and_stays_silent_somewhere() -> None:
    assert shipped_run()[1].untested == {}  # type: ignore[attr-defined]


def test_command_on_shipped_bundle(run: Callable[..., Run]) -> None:
    result = run("policy", "test")
    assert result.code == 0
    assert result.out.strip().endswith("0 failed")


def _case(bundle: Path, text: str) -> None:
    (bundle / "tests").mkdir(exist_ok=True)
    (bundle / "tests" / "extra.yaml").write_text(text)


WORKLOAD = """\
    workload:
      id: w
      data: [phi]
      commercial: true
      model: meta-llama/Llama-3.1-8B-Instruct
      deployment: {mode: self-hosted, provider: aws, region: us-east-1}
"""


def test_failing_case_fails_the_run(run: Callable[..., Run], bundle_copy: Path) -> None:
    _case(
        bundle_copy,
        "cases:\n  - name: wrong expectation\n"
        + WORKLOAD
        + "    not_fires: [hipaa.phi-needs-baa]\n",
    )
    result = run("policy", "test", bundle_copy)
    assert result.code == 1
    assert "FAIL" in result.out and "wrong expectation" in result.out
    assert "fired unexpectedly: hipaa.phi-needs-baa" in result.out


def test_untested_rule_fails_the_run(run: Callable[..., Run], bundle_copy: Path) -> None:
    (bundle_copy / "extra-rules.yaml").write_text(
        "rules:\n  - id: acme.no-phi\n    title: t\n    severity: error\n"
        "    when:\n      workload.data: {contains: phi}\n    message: m\n"
    )
    result = run("policy", "test", bundle_copy)
    assert result.code == 1
    assert (
        "UNTESTED acme.no-phi: no a case where it fires and no a case where it does not"
        in result.out
    )
    _case(
        bundle_copy,
        "cases:\n  - name: fires\n" + WORKLOAD + "    fires: [acme.no-phi]\n"
        "  - name: silent\n"
        + WORKLOAD.replace("[phi]", "[internal]")
        + "    not_fires: [acme.no-phi]\n",
    )
    result = run("policy", "test", bundle_copy)
    assert "UNTESTED acme.no-phi" not in result.out


def test_unknown_rule_in_a_case_is_an_input_error(
    run: Callable[..., Run], bundle_copy: Path
) -> None:
    _case(bundle_copy, "cases:\n  - name: typo\n" + WORKLOAD + "    fires: [hipaa.phi-need-baa]\n")
    result = run("policy", "test", bundle_copy)
    assert result.code == 2
    assert (
        "tests/extra.yaml:9:13: cases[0].fires[0]: unknown rule 'hipaa.phi-need-baa' (did you mean hipaa.phi-needs-baa?)"
        in result.err
    )


def test_bad_workload_in_a_case_is_positioned(run: Callable[..., Run], bundle_copy: Path) -> None:
    _case(
        bundle_copy,
        "cases:\n  - name: typo\n"
        + WORKLOAD.replace("provider: aws", "provider: awz")
        + "    fires: []\n",
    )
    result = run("policy", "test", bundle_copy)
    assert result.code == 2
    assert (
        "tests/extra.yaml:8:49: workloads[0].deployment.provider: unknown provider 'awz'"
        in result.err
    )


def test_tests_do_not_change_the_bundle_digest(bundle_copy: Path) -> None:
    before = load_bundle(bundle_copy).digest
    _case(bundle_copy, "cases: []\n")
    assert load_bundle(bundle_copy).digest == before
