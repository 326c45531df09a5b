"""A locked rule cannot be weakened through what it reads: licences, catalogue entries,
jurisdictions and organisation facts a child bundle redefines (locks.py)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, Run
from helpers import shipped_copy

LOCKED_RULES = textwrap.dedent("""\
    rules:
      - id: org.no-mit-in-products
        title: MIT-licensed models stay out of external products
        severity: error
        locked: true
        when:
          licence.id: {equals: mit}
          workload.audience: {equals: external}
        message: "{workload.id} ships an MIT model externally"
      - id: org.phi-only-where-baa-offered
        title: PHI goes only to providers that offer a BAA
        severity: error
        locked: true
        when:
          workload.data: {contains: phi}
          provider.kind: {not_equals: on-prem}
        require:
          provider.agreements: {contains: baa}
        message: "{workload.id} sends PHI to a provider without a BAA"
      - id: org.large-orgs-stay-internal
        title: Above 1,000 users, workloads stay internal
        severity: error
        locked: true
        when:
          organisation.monthly_active_users: {gt: 1000}
        require:
          workload.audience: {equals: internal}
        message: "{workload.id} is external"
""")
# the organisation's own copy of the MIT terms, with a locked rule of its own
LOCKED_LICENCE_RULE = textwrap.dedent("""\
    rules:
      - id: org-mit.notice
        title: MIT models in commercial products carry the notice review
        severity: error
        locked: true
        when:
          workload.commercial: {equals: true}
        message: "{workload.id} needs the MIT notice review"
""")


def _org(root: Path) -> Path:
    org = root / "org"
    shipped_copy(org)
    (org / "locked.yaml").write_text(LOCKED_RULES)
    (org / "licences").mkdir()
    (org / "licences" / "mit.yaml").write_text(
        (REPO / "licences" / "mit.yaml").read_text() + LOCKED_LICENCE_RULE)
    with (org / "bundle.yaml").open("a") as f:
        f.write("licences: [licences]\n")
    org_file = org / "organisation.yaml"
    org_file.write_text(org_file.read_text().replace(
        "monthly_active_users: ", "monthly_active_users: 5000 # was ", 1))
    return org


def _models_file(model_id: str, licence: str) -> str:
    return textwrap.dedent(f"""\
        models:
          - id: {model_id}
            name: Redefined
            vendor: microsoft
            family: phi
            licence: {licence}
            weights: open
            modalities: {{input: [text], output: [text]}}
            source: {{url: https://example.org/card, as_of: 2026-11-29, level: COPY}}
    """)


# each a way a team might try to weaken the org's locked rules, or a harmless addition
CHANGES: dict[str, Callable[[Path], None]] = {}


def change(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CHANGES[name] = fn
        return fn
    return register


def _add_dir(team: Path, key: str, name: str) -> Path:
    (team / name).mkdir(exist_ok=True)
    with (team / "bundle.yaml").open("a") as f:
        f.write(f"{key}: [{name}]\n")
    return team / name


@change("licence without rules")
def _(team: Path) -> None:
    _add_dir(team, "licences", "licences")
    (team / "licences" / "mit.yaml").write_text((REPO / "licences" / "mit.yaml").read_text())


@change("model under another licence")
def _(team: Path) -> None:
    _add_dir(team, "catalog", "catalog")
    (team / "catalog" / "models.yaml").write_text(_models_file("microsoft/phi-4", "apache-2.0"))


@change("provider offering a BAA")
def _(team: Path) -> None:
    import yaml

    _add_dir(team, "catalog", "catalog-providers")
    doc = yaml.safe_load((REPO / "catalog" / "providers.yaml").read_text())
    [together] = [p for p in doc["providers"] if p["id"] == "together"]
    together["agreements"] = sorted({*together.get("agreements", []), "baa"})
    (team / "catalog-providers" / "providers.yaml").write_text(
        yaml.safe_dump({"providers": [together]}))


@change("fewer users")
def _(team: Path) -> None:
    org_file = team.parent / "org" / "organisation.yaml"
    (team / "organisation.yaml").write_text(org_file.read_text().replace(
        "monthly_active_users: 5000", "monthly_active_users: 10"))


@change("a site of its own")
def _(team: Path) -> None:
    org_file = team.parent / "org" / "organisation.yaml"
    text = org_file.read_text()
    head, _, tail = text.partition("\nsites:")
    first_line, _, rest = tail.partition("\n")
    (team / "organisation.yaml").write_text(
        f"{head}\nsites:{first_line}\n  - id: team-dc\n    country: DE\n{rest}")


@change("an added model")
def _(team: Path) -> None:
    _add_dir(team, "catalog", "catalog-new")
    (team / "catalog-new" / "models.yaml").write_text(_models_file("acme/phi-4-tuned", "mit"))


@change("disable a locked rule")
def _(team: Path) -> None:
    with (team / "bundle.yaml").open("a") as f:
        f.write("overrides: [{rule: org.no-mit-in-products, disabled: true}]\n")


@change("an added rule")
def _(team: Path) -> None:
    (team / "team.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: team.note
            title: t
            severity: info
            when: {workload.commercial: {equals: true}}
            message: m
    """))


WORKLOADS = {
    "phi4-external": "{data: [internal], audience: external, commercial: true, model: microsoft/phi-4, "
                     "deployment: {mode: self-hosted, provider: on-prem, region: dc-virginia}}",
    "phi4-together-phi": "{data: [phi], audience: internal, commercial: false, model: microsoft/phi-4, "
                         "deployment: {mode: hosted-open, provider: together, region: global, agreements: [baa]}}",
    "gpt-internal": "{data: [internal], audience: internal, commercial: true, model: gpt-4o, "
                    "deployment: {mode: api, provider: openai, region: us}}",
}


def _manifest(root: Path, names: list[str]) -> Path:
    app = root / "app"
    app.mkdir(exist_ok=True)
    lines = ["version: 1", "workloads:"]
    for name in names:
        lines.append(f"  - {{id: {name}, purpose: inference, " + WORKLOADS[name][1:])
    (app / "model-usage.yaml").write_text("\n".join(lines) + "\n")
    return app


def _locked_findings(run: Callable[..., Run], app: Path, policy: Path) -> set[tuple[str, str]] | None:
    result = run("check", app, "--policy", policy, "--format", "json")
    if result.code == 2:
        return None
    assert result.code in (0, 1), result.err
    locked = {"org.no-mit-in-products", "org.phi-only-where-baa-offered",
              "org.large-orgs-stay-internal", "org-mit.notice"}
    return {(f["rule"], f["workload"]) for f in json.loads(result.out)["findings"]
            if f["rule"] in locked}


def _team(root: Path, changes: list[str]) -> Path:
    team = root / "team"
    team.mkdir()
    (team / "bundle.yaml").write_text("name: team\nversion: 1.0.0\nextends: ../org\n")
    for name in changes:
        CHANGES[name](team)
    return team


def _org_with_site(root: Path) -> Path:
    org = _org(root)
    assert "\nsites:" in (org / "organisation.yaml").read_text()  # dc-virginia among them
    return org


@pytest.mark.parametrize("how", ["licence without rules", "model under another licence",
                                 "provider offering a BAA", "fewer users"])
def test_each_route_to_weaken_a_locked_rule_is_refused_naming_both_files(
    run: Callable[..., Run], tmp_path: Path, how: str
) -> None:
    # regression: the org exited 1, the team (changing only what the rule reads) exited 0
    _org_with_site(tmp_path)
    team = _team(tmp_path, [how])
    app = _manifest(tmp_path, list(WORKLOADS))
    result = run("check", app, "--policy", team)
    assert result.code == 2, result.out
    assert "locks rules" in result.err and "team/" in result.err  # where the change is
    assert "org/locked.yaml" in result.err or "org/licences/mit.yaml" in result.err


def test_additions_are_still_allowed(run: Callable[..., Run], tmp_path: Path) -> None:
    _org_with_site(tmp_path)
    team = _team(tmp_path, ["an added model", "an added rule", "a site of its own"])
    app = _manifest(tmp_path, list(WORKLOADS))
    assert run("check", app, "--policy", team).code == 1


def test_without_locked_rules_a_child_may_still_redefine(run: Callable[..., Run], tmp_path: Path) -> None:
    org = _org_with_site(tmp_path)
    (org / "locked.yaml").write_text(LOCKED_RULES.replace("locked: true", "locked: false"))
    (org / "licences" / "mit.yaml").write_text((REPO / "licences" / "mit.yaml").read_text())
    team = _team(tmp_path, ["model under another licence", "fewer users"])
    app = _manifest(tmp_path, list(WORKLOADS))
    assert run("check", app, "--policy", team).code in (0, 1)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.sampled_from(sorted(CHANGES)), unique=True, max_size=3),
       workloads=st.lists(st.sampled_from(sorted(WORKLOADS)), unique=True, min_size=1))
def test_locked_findings_under_the_child_include_the_parent_s(
    run: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
    changes: list[str], workloads: list[str]
) -> None:
    root = tmp_path_factory.mktemp("locked")
    org = _org_with_site(root)
    team = _team(root, changes)
    app = _manifest(root, workloads)
    parent = _locked_findings(run, app, org)
    child = _locked_findings(run, app, team)
    assert parent is not None  # the org judges every workload here
    if child is not None:
        assert parent <= child, (changes, parent - child)
