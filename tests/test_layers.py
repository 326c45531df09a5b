"""Layered bundles: what a team bundle may add, and what it may not do to locked rules."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.bundle.load import load_bundle
from conftest import REPO, WORKLOAD, Run
from helpers import shipped_copy


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """An organisation bundle (a copy of the shipped one) with HIPAA's BAA rule locked."""
    root = tmp_path / "repo" / "org-policies"
    shipped_copy(root)
    hipaa = root / "hipaa.yaml"
    hipaa.write_text(
        hipaa.read_text().replace(
            "  - id: hipaa.phi-needs-baa\n", "  - id: hipaa.phi-needs-baa\n    locked: true\n"
        )
    )
    return root


def team(org: Path, bundle_yaml: str, files: dict[str, str] | None = None) -> Path:
    root = org.parent / "team-policies"
    root.mkdir(exist_ok=True)
    (root / "bundle.yaml").write_text(bundle_yaml)
    for name, text in (files or {}).items():
        (root / name).write_text(text)
    return root


TEAM = textwrap.dedent("""\
    name: care-team
    version: 1.0.0
    extends: ../org-policies
""")
RULE = textwrap.dedent("""\
    rules:
      - id: care.no-public-network
        title: Care workloads stay off the public network
        severity: warning
        when:
          workload.data: {contains: phi}
        require:
          deployment.network: {not_equals: public}
        message: "{workload.id} is on a public network"
""")


def test_team_bundle_adds_rules_and_inherits_the_rest(org: Path) -> None:
    bundle = load_bundle(team(org, TEAM, {"care.yaml": RULE}))
    ids = {r.id for r in bundle.rules}
    assert "care.no-public-network" in ids and "hipaa.phi-needs-baa" in ids
    assert bundle.organisation.name == "Example Organisation"  # inherited
    assert bundle.name == "care-team" and len(bundle.layers) == 2


def test_team_bundle_may_change_unlocked_severities(org: Path) -> None:
    bundle = load_bundle(
        team(
            org,
            TEAM + "overrides:\n  - {rule: gdpr.processor-needs-dpa, severity: error}\n"
            "  - {rule: residency.region-outside-declared, severity: warning}\n",
        )
    )
    rule = bundle.rule("residency.region-outside-declared")
    assert rule is not None and rule.severity == "warning" and "bundle.yaml:6" in rule.changed_by


@pytest.mark.parametrize(
    ("how", "bundle_yaml", "files", "fragment"),
    [
        (
            "disable",
            TEAM + "overrides:\n  - {rule: hipaa.phi-needs-baa, disabled: true}\n",
            {},
            "may not disable rule 'hipaa.phi-needs-baa': it is locked by",
        ),
        (
            "lower",
            TEAM + "overrides:\n  - {rule: hipaa.phi-needs-baa, severity: info}\n",
            {},
            "may not lower to info rule 'hipaa.phi-needs-baa': it is locked by",
        ),
        (
            "redefine",
            TEAM,
            {"hipaa.yaml": RULE.replace("care.no-public-network", "hipaa.phi-needs-baa")},
            "rule 'hipaa.phi-needs-baa' is locked by",
        ),
    ],
)
def test_locked_rule_cannot_be_weakened(
    how: str,
    bundle_yaml: str,
    files: dict[str, str],
    fragment: str,
    org: Path,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
) -> None:
    child = team(org, bundle_yaml, files)
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", child)
    assert result.code == 2, result.out
    assert fragment in result.err
    # the message names both files: the team's and the organisation's
    assert "team-policies/" in result.err and "org-policies/hipaa.yaml" in result.err


def test_unlocked_rule_may_be_disabled(org: Path) -> None:
    bundle = load_bundle(
        team(org, TEAM + "overrides:\n  - {rule: gdpr.special-category-in-eea, disabled: true}\n")
    )
    assert bundle.rule("gdpr.special-category-in-eea") is None


def test_override_of_unknown_rule(
    org: Path, run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    child = team(org, TEAM + "overrides:\n  - {rule: hipaa.phi-need-baa, severity: error}\n")
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", child)
    assert result.code == 2 and "did you mean hipaa.phi-needs-baa" in result.err


def test_extends_cannot_escape_the_repository(
    org: Path, tmp_path: Path, run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(org.parent)], check=True)
    outside = tmp_path / "elsewhere"
    shutil.copytree(org, outside)
    child = team(org, TEAM.replace("../org-policies", "../../elsewhere"))
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", child)
    assert result.code == 2 and "lies outside" in result.err


def test_extends_loop(
    org: Path, run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    child = team(org, TEAM)
    (org / "bundle.yaml").write_text(
        (org / "bundle.yaml").read_text() + "extends: ../team-policies\n"
    )
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", child)
    assert result.code == 2 and "loop" in result.err


def test_extends_the_shipped_bundle(org: Path) -> None:
    child = team(org, TEAM.replace("../org-policies", "clearance:default"), {"care.yaml": RULE})
    bundle = load_bundle(child)
    assert bundle.rule("hipaa.phi-needs-baa") is not None
    assert bundle.rule("care.no-public-network") is not None


def test_team_waivers_must_satisfy_the_organisation(
    org: Path, tmp_path: Path, run: Callable[..., Run]
) -> None:
    text = (
        (org / "bundle.yaml")
        .read_text()
        .replace("approvers: []", 'approvers: ["*@compliance.acme.example"]')
        .replace("max_days: 180", "max_days: 30")
    )
    (org / "bundle.yaml").write_text(text)
    child = team(org, TEAM + "waivers:\n  approvers: ['*@acme.example']\n  max_days: 365\n")
    repo = tmp_path / "app"
    shutil.copytree(REPO / "examples" / "risky-team", repo)
    (repo / "waivers.yaml").write_text(
        "waivers:\n  - rule: hipaa.phi-needs-baa\n    workload: symptom-checker\n    reason: r\n"
        "    approved_by: dev@acme.example\n    ticket: T-1\n    expires: 2027-03-01\n"
    )
    result = run("check", repo, "--policy", child, "--today", "2026-11-22", "--format", "json")
    assert '"waiver.approver-not-allowed"' in result.out
    assert '"waiver.term-too-long"' in result.out


def test_policy_show(org: Path, run: Callable[..., Run]) -> None:
    child = team(
        org,
        TEAM + "overrides:\n  - {rule: gdpr.processor-needs-dpa, severity: warning}\n",
        {"care.yaml": RULE},
    )
    result = run("policy", "show", child)
    assert result.code == 0
    assert "layer 1:" in result.out and "layer 2:" in result.out
    line = next(x for x in result.out.splitlines() if x.startswith("hipaa.phi-needs-baa"))
    assert "locked" in line and "bundle default" in line and "org-policies/hipaa.yaml" in line
    line = next(x for x in result.out.splitlines() if x.startswith("care.no-public-network"))
    assert "bundle care-team" in line
    line = next(x for x in result.out.splitlines() if x.startswith("gdpr.processor-needs-dpa"))
    assert "warning" in line and "severity set by" in line


def test_policy_ref_with_a_layered_bundle(
    org: Path, run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import subprocess

    repo = org.parent
    child = team(org, TEAM)
    shutil.copytree(REPO / "examples" / "risky-team", repo / "app")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e.invalid",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
    (child / "bundle.yaml").write_text(
        TEAM + "overrides:\n  - {rule: gdpr.special-category-in-eea, disabled: true}\n"
    )
    monkeypatch.chdir(repo)
    result = run(
        "check", "app", "--policy", "team-policies", "--policy-ref", "HEAD", "--format", "json"
    )
    assert result.code == 1, result.err
    assert '"removed": [\n      "gdpr.special-category-in-eea"' in result.out


def test_locked_rule_may_be_raised(org: Path) -> None:
    gdpr = org / "gdpr.yaml"
    gdpr.write_text(
        gdpr.read_text().replace(
            "  - id: data.provider-trains-on-customer-data\n",
            "  - id: data.provider-trains-on-customer-data\n    locked: true\n",
        )
    )
    text = gdpr.read_text()
    gdpr.write_text(
        text[: text.index("  - id: data.provider")]
        + text[text.index("  - id: data.provider") :].replace(
            "severity: error", "severity: warning", 1
        )
    )
    bundle = load_bundle(
        team(
            org,
            TEAM
            + "overrides:\n  - {rule: data.provider-trains-on-customer-data, severity: error}\n",
        )
    )
    rule = bundle.rule("data.provider-trains-on-customer-data")
    assert rule is not None and rule.severity == "error" and rule.locked
