"""Waivers: what they waive, every way a waiver is itself wrong, and staleness."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

TODAY = "2026-11-22"
GOOD = {
    "rule": "hipaa.phi-needs-baa",
    "workload": "symptom-checker",
    "reason": "BAA signed 2026-10-01, registry update pending",
    "approved_by": "jane.doe@acme.example",
    "ticket": "COMP-123",
    "expires": "2027-01-31",
}


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", target)
    return target


def waive(repo: Path, *entries: dict[str, str]) -> None:
    lines = ["# waivers granted by compliance", "waivers:"]
    for entry in entries:
        first = True
        for key, value in entry.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {json.dumps(value)}")
            first = False
    (repo / "waivers.yaml").write_text("\n".join(lines) + "\n")


def report(run: Callable[..., Run], *args: str | Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run("check", *args, "--format", "json", "--today", TODAY)
    assert result.err == "" or result.code == 2, result.err
    return result.code, json.loads(result.out) if result.out else {}


def by_rule(doc: dict, rule: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in doc["findings"] if f["rule"] == rule]


def test_waived_finding_is_reported_not_hidden(run: Callable[..., Run], risky: Path) -> None:
    waive(risky, GOOD)
    _, doc = report(run, risky)
    [f] = by_rule(doc, "hipaa.phi-needs-baa")
    assert f["waiver"]["approved_by"] == "jane.doe@acme.example"
    assert f["waiver"]["ticket"] == "COMP-123" and f["waiver"]["expires"] == "2027-01-31"
    assert doc["summary"]["waived"] == 1
    text = run("check", risky, "--today", TODAY, "--color", "never").out
    assert "error (waived) hipaa.phi-needs-baa" in text and "COMP-123" in text


def test_all_errors_waived_means_exit_0(run: Callable[..., Run], tmp_path: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "model-usage.yaml").write_text(
        (EXAMPLES / "risky-team" / "model-usage.yaml").read_text().split("  - id: eu-coaching")[0]
    )
    waive(repo, GOOD)
    code, doc = report(run, repo)
    assert code == 0 and doc["summary"]["errors"] == 0 and doc["summary"]["waived"] == 1


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"expires": "2026-11-21"}, "waiver.expired"),
        ({"expires": "2027-12-31"}, "waiver.term-too-long"),
        ({"ticket": ""}, "waiver.missing-ticket"),
    ],
)
def test_bad_waiver_is_an_error_and_waives_nothing(
    change: dict[str, str], rule: str, run: Callable[..., Run], risky: Path
) -> None:
    waive(risky, {**GOOD, **change})
    code, doc = report(run, risky)
    assert code == 1
    [problem] = by_rule(doc, rule)
    assert problem["severity"] == "error"
    assert problem["manifest"].endswith("waivers.yaml") and problem["line"] == 3
    [f] = by_rule(doc, "hipaa.phi-needs-baa")
    assert f["waiver"] is None


def test_expiry_today_is_still_valid(run: Callable[..., Run], risky: Path) -> None:
    waive(risky, {**GOOD, "expires": TODAY})
    _, doc = report(run, risky)
    assert not by_rule(doc, "waiver.expired")
    assert by_rule(doc, "hipaa.phi-needs-baa")[0]["waiver"] is not None


def test_approver_must_be_allowed(run: Callable[..., Run], risky: Path, bundle_copy: Path) -> None:
    text = (
        (bundle_copy / "bundle.yaml")
        .read_text()
        .replace("approvers: []", 'approvers: ["*@compliance.acme.example", "cso@acme.example"]')
    )
    (bundle_copy / "bundle.yaml").write_text(text)
    waive(risky, GOOD)
    _, doc = report(run, risky, "--policy", bundle_copy)
    assert by_rule(doc, "waiver.approver-not-allowed")
    waive(risky, {**GOOD, "approved_by": "Ann@Compliance.acme.example"})
    _, doc = report(run, risky, "--policy", bundle_copy)
    assert not by_rule(doc, "waiver.approver-not-allowed")
    assert by_rule(doc, "hipaa.phi-needs-baa")[0]["waiver"] is not None


def test_rule_marked_not_waivable(run: Callable[..., Run], risky: Path) -> None:
    manifest = risky / "model-usage.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "data: [internal]\n    purpose: inference\n    audience: external",
            "data: [classified]\n    purpose: inference\n    audience: external",
            1,
        )
    )
    waive(risky, {**GOOD, "rule": "classified.air-gapped-only", "workload": "premium-summaries"})
    code, doc = report(run, risky)
    assert code == 1
    assert by_rule(doc, "waiver.rule-not-waivable")
    assert by_rule(doc, "classified.air-gapped-only")[0]["waiver"] is None


def test_stale_waiver_is_a_warning(run: Callable[..., Run], risky: Path) -> None:
    waive(risky, GOOD, {**GOOD, "rule": "licensing.non-commercial-use", "workload": "symptom-checker"})
    _, doc = report(run, risky)
    [stale] = by_rule(doc, "waiver.stale")
    assert stale["severity"] == "warning" and stale["line"] == 9


def test_bundle_waiver_applies_to_every_manifest(
    run: Callable[..., Run], risky: Path, bundle_copy: Path
) -> None:
    waive(bundle_copy, GOOD)
    _, doc = report(run, risky, "--policy", bundle_copy)
    assert by_rule(doc, "hipaa.phi-needs-baa")[0]["waiver"] is not None


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            {"rule": "hipaa.phi-need-baa"},
            "waivers.yaml:3:11: waivers[0].rule: unknown rule 'hipaa.phi-need-baa' (did you mean hipaa.phi-needs-baa?)",
        ),
        (
            {"workload": "symptom-checkr"},
            "waivers.yaml:4:15: waivers[0].workload: no workload 'symptom-checkr'",
        ),
        (
            {"expires": "someday"},
            "waivers.yaml:8:14: waivers[0].expires: input should be a date written YYYY-MM-DD",
        ),
    ],
)
def test_unknown_ids_in_waivers_are_input_errors(
    change: dict[str, str], fragment: str, run: Callable[..., Run], risky: Path
) -> None:
    waive(risky, {**GOOD, **change})
    result = run("check", risky, "--today", TODAY)
    assert result.code == 2
    assert fragment in result.err, result.err


def test_unknown_field_in_waiver(run: Callable[..., Run], risky: Path) -> None:
    waive(risky, {**GOOD, "aproved": "x"})
    result = run("check", risky, "--today", TODAY)
    assert result.code == 2 and "unknown field 'aproved'" in result.err


def test_today_from_environment(
    run: Callable[..., Run], risky: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waive(risky, GOOD)
    monkeypatch.setenv("CLEARANCE_TODAY", "2027-02-01")
    result = run("check", risky, "--format", "json")
    assert json.loads(result.out)["findings"] and any(
        f["rule"] == "waiver.expired" for f in json.loads(result.out)["findings"]
    )
    monkeypatch.setenv("CLEARANCE_TODAY", "not-a-date")
    assert run("check", risky).code == 2


def test_the_waiver_fields_read_without_pydantic_are_the_models() -> None:
    from clearance.loading.kinds import WAIVER_FIELDS
    from clearance.schema.waivers import WaiverEntry

    assert tuple(WaiverEntry.model_fields) == WAIVER_FIELDS
    for name, field in WaiverEntry.model_fields.items():
        assert field.is_required() or field.default is None, name


def test_a_waivers_file_read_again_from_the_cache_is_the_same_without_pydantic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.loading.files import load_kind
    from clearance.schema.waivers import WaiversFile

    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        "  - {rule: r.one, workload: w1, reason: because, approved_by: a@b.example,\n"
        "     expires: 2026-12-31}\n"
        "  - rule: r.two\n"
        "    workload: w2\n"
        "    manifest: m/model-usage.yaml\n"
        "    reason: why\n"
        "    approved_by: c@d.example\n"
        "    ticket: T-1\n"
        "    expires: '2027-01-02'\n",
        encoding="utf-8",
    )
    first = load_kind("waivers", path)  # validated by pydantic, and remembered
    assert isinstance(first.value, WaiversFile)
    again = load_kind("waivers", path)
    assert not isinstance(again.value, WaiversFile)  # a record: no pydantic
    for model, record in zip(first.value.waivers, again.value.waivers, strict=True):
        assert dict(model) == dict(record)
    assert again.raw == first.raw


# -- approver patterns match whole, valid addresses (issue 11, item 12) ----------------

APPROVERS = 'approvers: ["*@compliance.acme.example", "cso@acme.example", "*@*.audit.acme.example"]'


@pytest.mark.parametrize(("approver", "allowed"), [
    ("ann@compliance.acme.example", True),
    ("Ann.Lee@Compliance.ACME.example", True),
    ("cso@acme.example", True),
    ("x@eu.audit.acme.example", True),
    ("x@a.b.audit.acme.example", True),
    # the glob let `*` run across the `@` and the dots
    ("mallory@evil.com@compliance.acme.example", False),
    ("mallory@compliance.acme.example.evil.com", False),
    ("mallory@evilcompliance.acme.example", False),
    ("mallory@evil.com (cso@acme.example)", False),
    ("x@audit.acme.example", False),  # *.DOMAIN is a subdomain, not DOMAIN itself
    ("x@evilaudit.acme.example", False),
    ("cso@acme.example.", False),
    ("@compliance.acme.example", False),
    ("a..b@compliance.acme.example", False),
    ("ann@compliance.acme.example\n", False),
    ("ann@-compliance.acme.example", False),
    ("ann@compliance.acme.examplé", False),
])
def test_approver_patterns_match_whole_valid_addresses(
    run: Callable[..., Run], risky: Path, bundle_copy: Path, approver: str, allowed: bool
) -> None:
    text = (bundle_copy / "bundle.yaml").read_text().replace("approvers: []", APPROVERS)
    (bundle_copy / "bundle.yaml").write_text(text)
    waive(risky, {**GOOD, "approved_by": approver})
    _, doc = report(run, risky, "--policy", bundle_copy)
    refused = by_rule(doc, "waiver.approver-not-allowed")
    assert bool(refused) is not allowed, refused
    waived = by_rule(doc, "hipaa.phi-needs-baa")[0]["waiver"]
    assert (waived is not None) is allowed


def test_an_approver_that_is_no_address_is_named_so(
    run: Callable[..., Run], risky: Path, bundle_copy: Path
) -> None:
    text = (bundle_copy / "bundle.yaml").read_text().replace("approvers: []", APPROVERS)
    (bundle_copy / "bundle.yaml").write_text(text)
    waive(risky, {**GOOD, "approved_by": "mallory@evil.com@compliance.acme.example"})
    _, doc = report(run, risky, "--policy", bundle_copy)
    [refused] = by_rule(doc, "waiver.approver-not-allowed")
    assert "(not a valid address) may not approve" in refused["message"]


@pytest.mark.parametrize("pattern", [
    "*", "*@*", "*@compliance.*", "[a-z]*@acme.example", "ann*@acme.example",
    "*acme.example", "*@*@acme.example", "acme.example", "*@acme..example",
])
def test_a_pattern_that_is_no_address_form_is_refused_at_load(
    run: Callable[..., Run], risky: Path, bundle_copy: Path, pattern: str
) -> None:
    text = (bundle_copy / "bundle.yaml").read_text().replace(
        "approvers: []", f"approvers: [{json.dumps(pattern)}]")
    (bundle_copy / "bundle.yaml").write_text(text)
    result = run("check", risky, "--policy", bundle_copy, "--today", TODAY)
    assert result.code == 2, result.err
    assert "bundle.yaml:10:15: " in result.err
    assert "not an approver pattern (an address, *@DOMAIN or *@*.DOMAIN), found" in result.err
