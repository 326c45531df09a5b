"""Fail closed: every kind of unknown is an error (exit 2) that says what and where.

One row per kind of id clearance looks up: in a manifest, in the organisation,
in the bundle's catalogue and licences, in rules and in waivers. Each row
changes one valid file in one place; the run must stop with exit 2, name the
file, line and column, say what is unknown and, where a close known value
exists, suggest it. Nothing unknown may pass as "no finding".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bounded import assert_clean_refusal, in_process
from conftest import REPO, WORKLOAD, Run
from helpers import EXAMPLE_ORGANISATION

# An organisation of the test's own, with every fact set (the shipped bundle sets none),
# and a site in the EEA besides
ORGANISATION = (
    "# Facts about the organisation that licences depend on (this test's own).\n"
    + EXAMPLE_ORGANISATION
    + "  - id: dc-frankfurt\n    country: DE\n    description: EU data centre\n"
)
BUNDLE = (REPO / "policies" / "bundle.yaml").read_text(encoding="utf-8")
MODELS = """\
models:
  - id: acme/coder
    name: Acme Coder
    vendor: acme
    family: acme
    licence: mit
    weights: open
    modalities: {input: [text], output: [text]}
    base_model: [meta-llama/Llama-3.1-8B-Instruct]
    source: {url: "https://acme.example/coder", as_of: 2026-01-01}
"""
PROVIDERS = """\
providers:
  - id: acme-cloud
    name: Acme Cloud
    kind: cloud
    terms: apache-2.0
    regions:
      - {id: acme-1, country: DE}
"""
JURISDICTIONS = """\
countries:
  - {id: "ZZ", name: "Zedland"}
groups:
  - id: ACME-ZONE
    name: Acme zone
    members: [DE, ZZ]
    source: {url: "https://acme.example/zone", as_of: 2026-01-01}
"""
RULES = """\
rules:
  - id: acme.rule
    title: A rule
    severity: error
    when:
      workload.data: {contains: phi}
      deployment.provider: {in: [aws, openai]}
    require:
      deployment.agreements: {contains: baa}
    message: "{workload.id} has no BAA"
"""
WAIVERS = """\
waivers:
  - rule: hipaa.phi-needs-baa
    workload: w1
    reason: BAA signed, registry update pending
    approved_by: jane.doe@acme.example
    ticket: COMP-1
    expires: 2027-01-31
"""
# Where each file lives in the scratch repository, and what it starts as.
BASES = {
    "m/model-usage.yaml": WORKLOAD,
    "bundle/organisation.yaml": ORGANISATION,
    "bundle/bundle.yaml": BUNDLE,
    "bundle/cat/models.yaml": MODELS,
    "bundle/cat/providers.yaml": PROVIDERS,
    "bundle/cat/jurisdictions.yaml": JURISDICTIONS,
    "bundle/acme-rules.yaml": RULES,
    "m/waivers.yaml": WAIVERS,
}


@dataclass(frozen=True)
class Unknown:
    kind: str
    file: str  # a key of BASES
    old: str
    new: str
    where: str  # line:column
    message: str
    suggestion: str | None = None
    suggestion_bug: str | None = None  # a known bug in the suggestion only


def _manifest(old: str, new: str) -> tuple[str, str, str]:
    return ("m/model-usage.yaml", old, new)


TABLE = [
    # -- the manifest -----------------------------------------------------------------
    Unknown(
        "model",
        *_manifest("Llama-3.1-70B-Instruct", "Llama-3.1-70B-Instrukt"),
        "6:12",
        "workloads[0].model: unknown model 'meta-llama/Llama-3.1-70B-Instrukt'",
        "meta-llama/Llama-3.1-70B-Instruct (licence llama-3.1)",
    ),
    Unknown(
        "model alias",
        *_manifest("meta-llama/Llama-3.1-70B-Instruct", "'llama3:70c'"),
        "6:12",
        "workloads[0].model: unknown model 'llama3:70c'",
        "llama3:70b (meta-llama/Meta-Llama-3-70B-Instruct, licence llama-3)",
    ),
    Unknown(
        "provider",
        *_manifest("provider: aws", "provider: awss"),
        "9:17",
        "workloads[0].deployment.provider: unknown provider 'awss'",
        "aws",
    ),
    Unknown(
        "region",
        *_manifest("region: us-east-1", "region: us-east-11"),
        "10:15",
        "workloads[0].deployment.region: 'us-east-11' is not a region of aws",
        "us-east-1",
    ),
    Unknown(
        "on-prem site",
        *_manifest(
            "provider: aws\n      region: us-east-1",
            "provider: on-prem\n      region: dc-frankfort",
        ),
        "10:15",
        "workloads[0].deployment.region: 'dc-frankfort' is not a site of the organisation",
        "dc-frankfurt",
    ),
    Unknown(
        "data class",
        *_manifest("data: [internal]", "data: [internal, phl]"),
        "4:22",
        "workloads[0].data[1]: unknown data class 'phl'",
        "phi",
    ),
    Unknown(
        "purpose",
        *_manifest("commercial: false", "commercial: false\n    purpose: infrence"),
        "6:14",
        "workloads[0].purpose: input should be 'inference'",
        "inference",
    ),
    Unknown(
        "audience",
        *_manifest("commercial: false", "commercial: false\n    audience: externel"),
        "6:15",
        "workloads[0].audience: input should be 'internal' or 'external'",
        "external",
    ),
    Unknown(
        "network mode",
        *_manifest("region: us-east-1", "region: us-east-1\n      network: privat"),
        "11:16",
        "workloads[0].deployment.network: input should be 'public', 'private' or 'air-gapped'",
        "private",
    ),
    Unknown(
        "deployment mode",
        *_manifest("mode: self-hosted", "mode: self_hosted"),
        "8:13",
        "workloads[0].deployment.mode: input should be 'api', 'hosted-open' or 'self-hosted'",
        "self-hosted",
    ),
    Unknown(
        "agreement",
        *_manifest("region: us-east-1", "region: us-east-1\n      agreements: [dpaa]"),
        "11:20",
        "workloads[0].deployment.agreements[0]: unknown agreement 'dpaa'",
        "dpa",
    ),
    Unknown(
        "residency code",
        *_manifest("commercial: false", "commercial: false\n    residency: [EUU]"),
        "6:17",
        "workloads[0].residency[0]: unknown country or group 'EUU'",
        "EU",
    ),
    Unknown(
        "manifest field",
        *_manifest("commercial: false", "commercial: false\n    purpsoe: inference"),
        "6:5",
        "workloads[0].purpsoe: unknown field 'purpsoe'",
        "purpose",
    ),
    Unknown(
        "manifest version",
        *_manifest("version: 1", "version: 2"),
        "1:10",
        "version: input should be 1",
    ),
    # -- the organisation -------------------------------------------------------------
    Unknown("organisation domicile", "bundle/organisation.yaml", "domicile: US", "domicile: USA",
            "5:11", "domicile: unknown country 'USA'", "US"),
    Unknown("site country", "bundle/organisation.yaml", "country: DE", "country: DEU",
            "12:14", "sites[1].country: unknown country 'DEU'", "DE"),
    Unknown("licence held", "bundle/organisation.yaml", "licences_held: []",
            "licences_held: [gemmma]", "6:17", "licences_held[0]: unknown licence 'gemmma'", "gemma"),
    Unknown("provider of a signed agreement", "bundle/organisation.yaml", "licences_held: []",
            "licences_held: []\nagreements:\n  - {provider: azure-openia, kind: baa, reference: X, "
            "signed: 2026-01-01}", "8:16", "agreements[0].provider: unknown provider 'azure-openia'",
            "azure-openai"),
    Unknown("kind of a signed agreement", "bundle/organisation.yaml", "licences_held: []",
            "licences_held: []\nagreements:\n  - {provider: azure-openai, kind: bba, reference: X, "
            "signed: 2026-01-01}", "8:36", "agreements[0].kind: unknown agreement 'bba'", "baa"),
    # -- the bundle's catalogue ---------------------------------------------------------
    Unknown("licence of a catalogue model", "bundle/cat/models.yaml", "licence: mit",
            "licence: mitt", "6:14", "models[0].licence: unknown licence 'mitt'", "mit"),
    Unknown("base model", "bundle/cat/models.yaml", "Llama-3.1-8B-Instruct]", "Llama-3.1-8B-Instrukt]",
            "9:18", "models[0].base_model[0]: unknown base model 'meta-llama/Llama-3.1-8B-Instrukt'",
            "meta-llama/Llama-3.1-8B-Instruct"),
    Unknown("provider terms", "bundle/cat/providers.yaml", "terms: apache-2.0", "terms: apache-2",
            "5:12", "providers[0].terms: unknown licence 'apache-2' for terms", "apache-2.0"),
    Unknown("region country", "bundle/cat/providers.yaml", "country: DE}", "country: DEU}",
            "7:9", "providers[0].regions[0]: unknown country or area 'DEU'"),
    Unknown("inference profile area", "bundle/cat/providers.yaml", "    regions:\n",
            "    inference_profiles:\n      - {prefix: eu., name: EU, area: EUU}\n    regions:\n",
            "7:9", "providers[0].inference_profiles[0]: unknown country or area 'EUU'"),
    Unknown("group member", "bundle/cat/jurisdictions.yaml", "members: [DE, ZZ]",
            "members: [DE, ZZZ]", "6:19", "groups[0].members[1]: unknown country 'ZZZ'", "ZZ"),
    # -- rules ----------------------------------------------------------------------------
    Unknown(
        "fact path",
        "bundle/acme-rules.yaml",
        "workload.data:",
        "workload.date:",
        "6:7",
        "rules[0].when.workload.date: unknown fact path 'workload.date'",
        "workload.data",
    ),
    Unknown(
        "operator",
        "bundle/acme-rules.yaml",
        "{contains: phi}",
        "{contain: phi}",
        "6:23",
        "rules[0].when.workload.data.contain: unknown operator 'contain'",
        "contains",
    ),
    Unknown(
        "data class in a rule",
        "bundle/acme-rules.yaml",
        "{contains: phi}",
        "{contains: phl}",
        "6:33",
        "'phl' is not a known value of workload.data",
        "phi",
    ),
    Unknown(
        "provider in a rule",
        "bundle/acme-rules.yaml",
        "[aws, openai]",
        "[aws, opneai]",
        "7:33",
        "'opneai' is not a known value of deployment.provider",
        "openai",
    ),
    Unknown(
        "agreement in a rule",
        "bundle/acme-rules.yaml",
        "{contains: baa}",
        "{contains: bba}",
        "9:41",
        "'bba' is not a known value of deployment.agreements",
        "baa",
    ),
    Unknown(
        "placeholder",
        "bundle/acme-rules.yaml",
        "{workload.id} has",
        "{workload.idd} has",
        "10:14",
        "rules[0].message: unknown placeholder {workload.idd}",
        "workload.id",
    ),
    Unknown(
        "overridden rule",
        "bundle/bundle.yaml",
        "require_ticket: true",
        "require_ticket: true\noverrides:\n  - {rule: hipaa.phi-need-baa, severity: info}",
        "14:12",
        "overrides[0].rule: unknown rule 'hipaa.phi-need-baa'",
        "hipaa.phi-needs-baa",
    ),
    Unknown(
        "parent bundle",
        "bundle/bundle.yaml",
        "name: default",
        "name: default\nextends: ../no-such-bundle",
        "4:10",
        "extends: extends '../no-such-bundle': no bundle.yaml in",
    ),
    # -- waivers ----------------------------------------------------------------------------
    Unknown(
        "waived rule",
        "m/waivers.yaml",
        "rule: hipaa.phi-needs-baa",
        "rule: hipaa.phi-needs-bba",
        "2:11",
        "waivers[0].rule: unknown rule 'hipaa.phi-needs-bba'",
        "hipaa.phi-needs-baa",
    ),
    Unknown(
        "waived workload",
        "m/waivers.yaml",
        "workload: w1",
        "workload: w1x",
        "3:15",
        "waivers[0].workload: no workload 'w1x' in m/model-usage.yaml",
        "w1",
    ),
]


def scratch(root: Path, row: Unknown | None) -> list[str]:
    """A repository with m/model-usage.yaml and a bundle copy, `row` applied to one file."""
    bundle = root / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    files = {"m/model-usage.yaml": WORKLOAD, "bundle/organisation.yaml": ORGANISATION}
    if row is not None:
        base = BASES[row.file]
        assert base.count(row.old) == 1, f"{row.kind}: {row.old!r} must occur once in {row.file}"
        files[row.file] = base.replace(row.old, row.new)
        if row.file.startswith("bundle/cat/"):
            catalogue = {
                "bundle/cat/models.yaml",
                "bundle/cat/providers.yaml",
                "bundle/cat/jurisdictions.yaml",
            }
            files.setdefault("bundle/bundle.yaml", BUNDLE)
            files["bundle/bundle.yaml"] += "catalog: [cat]\n"
            for name in catalogue - {row.file}:
                files[name] = BASES[name]
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ["check", "m/model-usage.yaml", "--policy", "bundle"]


def test_the_unmodified_scratch_repository_passes(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row's change is the only thing wrong: the bases themselves are valid."""
    args = scratch(tmp_path, None)
    for name, text in BASES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    bundle_yaml = tmp_path / "bundle" / "bundle.yaml"
    bundle_yaml.write_text(bundle_yaml.read_text() + "catalog: [cat]\n")
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.code in (0, 1), result.err
    assert result.err == ""


@pytest.mark.parametrize("row", TABLE, ids=[row.kind for row in TABLE])
def test_every_unknown_fails_closed(
    row: Unknown, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = scratch(tmp_path, row)
    monkeypatch.chdir(tmp_path)
    outcome = in_process(run, *args)
    assert_clean_refusal(outcome)
    assert f"error: {row.file}:{row.where}: " in outcome.err, outcome.describe()
    assert row.message in outcome.err, outcome.describe()
    assert outcome.seconds < 5, outcome.describe()


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(
            row,
            id=row.kind,
            marks=[pytest.mark.xfail(strict=True, reason=f"BUG: {row.suggestion_bug}")]
            if row.suggestion_bug
            else [],
        )
        for row in TABLE
        if row.suggestion
    ],
)
def test_unknowns_suggest_the_nearest_known_value(
    row: Unknown, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = scratch(tmp_path, row)
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.code == 2
    # (a model's suggestion may list further candidates, each with its licence)
    assert f"(did you mean {row.suggestion}" in result.err, result.err


def test_every_unknown_in_one_manifest_is_reported_at_once(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed does not mean stop at the first: one run names every unknown."""
    text = WORKLOAD.replace("data: [internal]", "data: [internl]").replace(
        "commercial: false", "commercial: false\n    residency: [EUU]"
    ).replace("region: us-east-1", "region: us-east-1\n      agreements: [dpaa]") + WORKLOAD.split(
        "workloads:\n", 1
    )[1].replace("id: w1", "id: w2").replace("70B-Instruct", "70B-Instrukt").replace(
        "provider: aws", "provider: awss"
    )
    (tmp_path / "model-usage.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outcome = in_process(run, "check", "model-usage.yaml")
    assert_clean_refusal(outcome)
    for fragment in (
        "unknown data class 'internl'",
        "unknown country or group 'EUU'",
        "unknown agreement 'dpaa'",
        "unknown model 'meta-llama/Llama-3.1-70B-Instrukt'",
        "unknown provider 'awss'",
    ):
        assert fragment in outcome.err, outcome.describe()
    assert len(outcome.err.splitlines()) == 5, outcome.describe()


def test_a_known_model_under_any_case_or_alias_is_not_unknown(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of fail closed: ids that are known are not refused."""
    text = WORKLOAD.replace(
        "meta-llama/Llama-3.1-70B-Instruct", "META-LLAMA/llama-3.1-70b-instruct"
    )
    text += (
        WORKLOAD.split("workloads:\n", 1)[1]
        .replace("id: w1", "id: w2")
        .replace("meta-llama/Llama-3.1-70B-Instruct", "'llama3.1:70b'")
    )
    (tmp_path / "model-usage.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "model-usage.yaml")
    assert result.code in (0, 1), result.err


# -- a rule that compares a fact with a value of another type can never hold -------------------
# A rule whose clause can never be true is a rule that silently never fires: the rule
# compiler's contract is that a wrong operand type is a positioned error when the bundle
# loads, never a silent false at evaluation.

MISTYPED = {
    "text fact equals a number": "workload.description: {equals: 5}",
    "boolean fact equals a string": "workload.commercial: {equals: 'yes'}",
    "number fact in a list of strings": "organisation.monthly_active_users: {in: ['700M']}",
    "list of text contains a number": "model.base_models: {contains: 5}",
    "number fact against a date fact": "organisation.monthly_active_users: {gt: {fact: model.released}}",
    "text fact equals a list fact": "workload.model: {equals: {fact: workload.data}}",
}


@pytest.mark.parametrize("clause", list(MISTYPED))
def test_a_clause_that_can_never_hold_is_refused_at_load(
    clause: str, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = RULES.replace(
        "      workload.data: {contains: phi}\n      deployment.provider: {in: [aws, openai]}\n",
        f"      {MISTYPED[clause]}\n",
    )
    assert rule != RULES
    args = scratch(tmp_path, None)
    (tmp_path / "bundle" / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outcome = in_process(run, *args)
    assert_clean_refusal(outcome)
    assert "error: bundle/acme-rules.yaml:6:" in outcome.err, outcome.describe()
    assert MISTYPED[clause].split(":", 1)[0] in outcome.err, outcome.describe()
