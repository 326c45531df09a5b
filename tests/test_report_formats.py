"""The CI formats: SARIF, JUnit, GitHub annotations, Markdown.

Golden files for every format on every example (CLEARANCE_UPDATE_GOLDEN=1
rewrites them), SARIF against the official 2.1.0 schema and GitHub's upload
rules, fingerprints that survive moved lines, JUnit read back as XML,
annotation escaping checked against a port of the runner's own parser, and
every registered format rendering both an empty and a failing result.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clearance.evaluate.findings import (
    Applied,
    CheckResult,
    Explanation,
    Finding,
    ManifestInfo,
    PolicyChanges,
    RuleInfo,
    Waiver,
)
from clearance.pipeline.check import check
from clearance.report import REPORTERS, RenderOptions, reporter
from clearance.report.github import command, escape_data, escape_property
from clearance.report.markdown import escape
from clearance.safe_text import neutralise
from conftest import EXAMPLES, REPO, Run

GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "model-usage.yaml").exists())
RISKY = "examples/risky-team"
MANIFEST = "examples/risky-team/model-usage.yaml"
TODAY = "2026-11-22"


# ---------------------------------------------------------------- helpers


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def _normalise_sarif(text: str) -> str:
    data = json.loads(text)
    data["runs"][0]["tool"]["driver"]["version"] = "<version>"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


NORMALISE: dict[str, Callable[[str], str]] = {
    "sarif": _normalise_sarif,
    "junit": lambda t: re.sub(r'(name="clearance.version" value=")[^"]*"', r'\1<version>"', t),
    "github": lambda t: t,
    "markdown": lambda t: re.sub(
        r"<sub>clearance [^<]*</sub>", "<sub>clearance <version></sub>", t
    ),
}
SUFFIX = {"sarif": "sarif", "junit": "junit.xml", "github": "github.txt", "markdown": "md"}


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _assert_valid_sarif(doc: dict[str, Any]) -> None:
    errors = sorted(_sarif_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _assert_github_shape(doc: dict[str, Any]) -> None:
    """The rules GitHub documents for uploads ("SARIF support for code scanning")."""
    assert doc["version"] == "2.1.0" and doc["$schema"]
    [run] = doc["runs"]  # one run for one tool
    driver = run["tool"]["driver"]
    assert driver["name"] == "clearance"
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    for rule in driver["rules"]:
        assert len(rule["name"]) <= 255
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024, (rule["id"], key)
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in {"note", "warning", "error"}
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["message"]["text"]
        assert 1 <= len(res["locations"]) <= 10
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] and "\\" not in loc["artifactLocation"]["uri"]
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert res["partialFingerprints"]


def _rule(rule_id: str, severity: str = "error", licence: str | None = None) -> RuleInfo:
    return RuleInfo(
        id=rule_id,
        title=f"title of {rule_id}",
        description=None,
        severity=severity,
        remediation=None,
        references=(),
        waivable=True,
        licence=licence,
        file="clearance:policies/x.yaml",
        line=1,
    )


def _finding(rule: str, workload: str, severity: str = "error", **kw: Any) -> Finding:
    fields: dict[str, Any] = {
        "rule": rule,
        "title": f"title of {rule}",
        "severity": severity,
        "manifest": "repo/model-usage.yaml",
        "line": 7,
        "column": 5,
        "workload": workload,
        "message": f"{workload} breaks {rule}",
        "remediation": "do the right thing",
        "references": ("GDPR Art. 28(3)", "See https://example.org/terms (section 2)."),
        "explanation": (
            Explanation("when", "workload.data", "contains 'phi'", ["phi"]),
            Explanation("require", "deployment.agreements", "contains 'baa'", []),
        ),
    }
    fields.update(kw)
    return Finding(**fields)


WAIVER = Waiver(
    rule="w.rule",
    workload="waived-one",
    reason="BAA signed, registry pending",
    approved_by="jane.doe@acme.example",
    ticket="COMP-123",
    expires=date(2027, 1, 31),
    file="repo/waivers.yaml",
    line=3,
)
HOSTILE = "a | b `c` <script>x</script> 100% done: yes, no\r\n- [link](http://evil) *bold* # h"
# how text formats show it: its line break neutralised into visible text (safe_text.py)
HOSTILE_SHOWN = HOSTILE.replace("\r\n", "\\r\\n")


def _rich_result() -> CheckResult:
    """Every state a finding can be in, hostile text, and a file that is not a manifest."""
    findings = [
        _finding("e.rule", "plain"),
        _finding("w.rule", "waived-one", waiver=WAIVER),
        _finding("i.rule", "informed", "info"),
        _finding("warn.rule", "old-one", "warning", baseline="pre-existing"),
        _finding("e.rule", "hostile", message=HOSTILE, line=12),
        _finding("lic.rule", "twice", licence="llama-3", via="meta/llama-a", line=20),
        _finding("lic.rule", "twice", licence="llama-3", via="meta/llama-b", line=20),
        _finding("waiver.stale", "gone", "warning", manifest="repo/waivers.yaml", line=2),
    ]
    applied = [
        Applied(f.manifest, f.line, f.workload, f.rule, f.licence, False)
        for f in findings
        if f.manifest.endswith("model-usage.yaml")
    ]
    applied.append(Applied("repo/model-usage.yaml", 7, "plain", "p.rule", None, True))
    return CheckResult(
        findings=findings,
        manifests=[ManifestInfo("repo/model-usage.yaml", "sha256:00", 6)],
        policy_name="test",
        policy_version="1.0.0",
        policy_digest="sha256:11",
        workload_count=6,
        rules=[
            _rule("e.rule"),
            _rule("w.rule"),
            _rule("i.rule", "info"),
            _rule("warn.rule", "warning"),
            _rule("lic.rule", licence="llama-3"),
            _rule("p.rule"),
        ],
        applied=applied,
        notes=["a note"],
    )


def _render(fmt: str, result: CheckResult) -> str:
    return reporter(fmt).render(result, RenderOptions(tool_version="9.9.9", generated_at="t"))


def _empty_result() -> CheckResult:
    return CheckResult([], [], "default", "1.0.0", "sha256:00", 0)


# ---------------------------------------------------------------- golden files


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_golden(example: str, fmt: str, run: Callable[..., Run]) -> None:
    result = run("check", f"examples/{example}", "--format", fmt)
    assert result.code in (0, 1), result.err
    _compare(f"{example}.{SUFFIX[fmt]}", NORMALISE[fmt](result.out))


# ---------------------------------------------------------------- SARIF


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_sarif_is_valid_and_uploadable(example: str, run: Callable[..., Run]) -> None:
    doc = json.loads(run("check", f"examples/{example}", "--format", "sarif").out)
    _assert_valid_sarif(doc)
    _assert_github_shape(doc)


def test_sarif_schema_is_the_official_one() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    # the schema declares draft-04, so that is the validator it gets
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator


@pytest.mark.usefixtures("in_repo")
def test_sarif_describes_every_rule_of_the_bundle(run: Callable[..., Run]) -> None:
    doc = json.loads(run("check", RISKY, "--format", "sarif").out)
    bundle_rules = {r.id for r in check([REPO / RISKY]).result.rules}
    assert {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]} >= bundle_rules
    [baa] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "hipaa.phi-needs-baa"]
    loc = baa["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": MANIFEST, "uriBaseId": "%SRCROOT%"}
    assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == (7, 5)
    assert baa["level"] == "error" and "suppressions" not in baa and "baselineState" not in baa


def test_sarif_of_every_finding_state_is_valid() -> None:
    doc = json.loads(_render("sarif", _rich_result()))
    _assert_valid_sarif(doc)
    _assert_github_shape(doc)
    results = {(r["ruleId"], r["properties"]["workload"]): r for r in doc["runs"][0]["results"]}
    [suppression] = results[("w.rule", "waived-one")]["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    for part in ("BAA signed", "jane.doe@acme.example", "COMP-123", "2027-01-31"):
        assert part in suppression["justification"]
    assert results[("warn.rule", "old-one")]["baselineState"] == "unchanged"
    assert results[("e.rule", "plain")]["baselineState"] == "new"
    assert results[("i.rule", "informed")]["level"] == "note"
    # a check outside the bundle still gets a descriptor to point at
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules[results[("waiver.stale", "gone")]["ruleIndex"]]["id"] == "waiver.stale"
    # two ancestors under the same licence are two results with one identity, as in --baseline
    twice = [r for r in doc["runs"][0]["results"] if r["properties"]["workload"] == "twice"]
    assert len(twice) == 2


def test_sarif_empty_result_is_valid() -> None:
    doc = json.loads(_render("sarif", _empty_result()))
    _assert_valid_sarif(doc)
    assert doc["runs"][0]["results"] == []


def test_sarif_absolute_manifest_is_a_file_uri(tmp_path: Path) -> None:
    manifest = (tmp_path / "a b" / "model-usage.yaml").as_posix()
    result = _empty_result()
    result.findings.append(_finding("e.rule", "w", manifest=manifest))
    doc = json.loads(_render("sarif", result))
    _assert_valid_sarif(doc)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("file:///")
    assert "%20" in location["artifactLocation"]["uri"]
    assert "uriBaseId" not in location["artifactLocation"]


@pytest.mark.usefixtures("in_repo")
def test_sarif_waiver_and_baseline_through_the_cli(tmp_path: Path, run: Callable[..., Run]) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", repo)
    baseline = tmp_path / "baseline.json"
    run("check", repo, "--format", "json", "--output", baseline, "--today", TODAY)
    (repo / "waivers.yaml").write_text(
        "waivers:\n  - rule: hipaa.phi-needs-baa\n    workload: symptom-checker\n"
        "    reason: BAA signed, registry pending\n    approved_by: jane.doe@acme.example\n"
        "    ticket: COMP-123\n    expires: 2027-01-31\n",
        encoding="utf-8",
    )
    out = run("check", repo, "--format", "sarif", "--baseline", baseline, "--today", TODAY)
    assert out.code in (0, 1), out.err
    doc = json.loads(out.out)
    _assert_valid_sarif(doc)
    [baa] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "hipaa.phi-needs-baa"]
    assert baa["suppressions"][0]["status"] == "accepted"
    assert all(r["baselineState"] == "unchanged" for r in doc["runs"][0]["results"])


@pytest.mark.usefixtures("in_repo")
def test_sarif_fingerprints_survive_lines_moving(tmp_path: Path, run: Callable[..., Run]) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", repo)

    def results() -> dict[tuple[str, str], tuple[str, int]]:
        doc = json.loads(run("check", repo, "--format", "sarif").out)
        return {
            (r["ruleId"], r["properties"]["workload"]): (
                r["partialFingerprints"]["clearance/v1"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in doc["runs"][0]["results"]
        }

    before = results()
    manifest = repo / "model-usage.yaml"
    text = manifest.read_text(encoding="utf-8")
    padding = "".join(
        "\n" if i % 2 else "  # a comment that moves the workloads down\n" for i in range(10)
    )
    assert text.count("  - id: eu-coaching\n") == 1
    manifest.write_text(text.replace("  - id: eu-coaching\n", padding + "  - id: eu-coaching\n"))
    after = results()

    assert before.keys() == after.keys() and len(before) >= 5
    for key in before:
        assert before[key][0] == after[key][0], key  # same identity
    moved = {k for k in before if after[k][1] == before[k][1] + 10}
    assert moved == {k for k in before if k[1] != "symptom-checker"}
    assert after[("hipaa.phi-needs-baa", "symptom-checker")][1] == 7


# ---------------------------------------------------------------- JUnit


def _parse_junit(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    for suite in [*root.findall("testsuite"), root]:
        cases = suite.iter("testcase")
        cases = list(cases)
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped", "-1")) == sum(c.find("skipped") is not None for c in cases)
        assert suite.get("errors") == "0"
    return root


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_junit_parses_back(example: str, run: Callable[..., Run]) -> None:
    root = _parse_junit(run("check", f"examples/{example}", "--format", "junit").out)
    # one suite per file findings are in: the manifest, and any gateway config it lists
    gateways = sorted(str(p.relative_to(REPO)) for p in (EXAMPLES / example).glob("infra/*"))
    assert sorted(s.get("name") for s in root.findall("testsuite")) == sorted(
        [f"examples/{example}/model-usage.yaml", *gateways]
    )


@pytest.mark.usefixtures("in_repo")
def test_junit_has_a_failure_per_failing_error(run: Callable[..., Run]) -> None:
    root = _parse_junit(run("check", RISKY, "--format", "junit").out)
    report = json.loads(run("check", RISKY, "--format", "json").out)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    warnings = [f for f in report["findings"] if f["severity"] == "warning"]
    # four warnings: rules that turn on organisation facts the shipped bundle leaves unset
    assert (len(errors), len(warnings)) == (6, 4)
    assert root.get("failures") == str(len(errors) + len(warnings))
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert len(cases) == len(list(root.iter("testcase"))), "test names must be unique"
    for f in errors:
        name = f["rule"] + (f" ({f['licence']})" if f["licence"] else "")
        case = cases[(f"{MANIFEST}::{f['workload']}", name)]
        failure = case.find("failure")
        assert failure is not None and failure.get("type") == "error"
        assert failure.get("message") == f["message"]
        assert f["message"] in (failure.text or "") and "fix: " in (failure.text or "")
    # rules that applied and passed are test cases too
    assert cases[(f"{MANIFEST}::symptom-checker", "agreements.not-offered")].find("failure") is None
    assert (
        "examples/risky-team/model-usage.yaml::premium-summaries",
        "licensing.non-commercial-use (cc-by-nc-4.0)",
    ) in cases


def test_junit_of_every_finding_state() -> None:
    root = _parse_junit(_render("junit", _rich_result()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["repo/model-usage.yaml", "repo/waivers.yaml"]
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    waived = cases[("repo/model-usage.yaml::waived-one", "w.rule")].find("skipped")
    assert waived is not None and (waived.get("message") or "").startswith("waived: BAA signed")
    old = cases[("repo/model-usage.yaml::old-one", "warn.rule")].find("skipped")
    assert old is not None and (old.get("message") or "").startswith("pre-existing")
    info = cases[("repo/model-usage.yaml::informed", "i.rule")]
    assert info.find("failure") is None and info.find("system-out") is not None
    assert cases[("repo/model-usage.yaml::plain", "p.rule")].find("failure") is None
    assert ("repo/model-usage.yaml::twice", "lic.rule (llama-3) #2") in cases
    hostile = cases[("repo/model-usage.yaml::hostile", "e.rule")].find("failure")
    assert hostile is not None and hostile.get("message") == HOSTILE_SHOWN
    stale = cases[("repo/waivers.yaml::gone", "waiver.stale")].find("failure")
    assert stale is not None and stale.get("type") == "warning"
    assert root.get("failures") == "5" and root.get("skipped") == "2"


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    result = _empty_result()
    result.findings.append(_finding("e.rule", "w", message="bell \x07 and nul \x00"))
    root = _parse_junit(_render("junit", result))
    failure = next(root.iter("failure"))
    assert failure.get("message") == "bell \\x07 and nul \\x00"  # visible, and valid XML


# ---------------------------------------------------------------- GitHub annotations


def _unescape_data(s: str) -> str:
    # the runner's ActionCommand.UnescapeData, in its order (%25 last)
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(s: str) -> str:
    for token, repl in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        s = s.replace(token, repl)
    return s


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A port of the runner's ActionCommand.TryParseV2."""
    assert line.startswith("::") and "\n" not in line and "\r" not in line
    end = line.index("::", 2)
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties = {}
    for prop in filter(None, props.strip().split(",")):
        key, sep, value = prop.partition("=")
        if sep and key and value:
            properties[key] = _unescape_property(value)
    return name, properties, _unescape_data(line[end + 2 :])


def test_escaping_matches_the_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    # already-escaped-looking input must survive a round trip, not be decoded twice
    assert escape_data("%0A") == "%250A"
    assert escape_property("%3A") == "%253A"


def test_hostile_title_and_message_round_trip() -> None:
    title = "rule: x, y=1 %0A 50%\nsecond line ::warning::"
    message = "line one: a, b\r\nline two 100% ::error file=x::boom\n%25 %0A"
    line = command("error", message, file="dir/a,b:c.yaml", line=3, col=5, title=title)
    name, props, data = _parse_command(line)
    assert name == "error"
    assert props == {"file": "dir/a,b:c.yaml", "line": "3", "col": "5", "title": title}
    assert data == message


def test_annotations_one_line_per_finding_and_a_final_summary() -> None:
    result = _rich_result()
    lines = _render("github", result).splitlines()
    assert len(lines) == len(result.findings) + 1
    parsed = [_parse_command(line) for line in lines]
    for (name, props, data), f in zip(parsed, result.findings, strict=False):
        assert props["file"] == f.manifest and props["line"] == str(f.line)
        assert props["col"] == str(f.column) and data.startswith(neutralise(f.message))
        if f.waiver is not None:
            assert name == "notice" and "waived" in props["title"]
        elif f.baseline is not None:
            assert name == "notice" and "pre-existing" in props["title"]
        else:
            assert name == {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    hostile = next(p for p in parsed if p[1]["title"].startswith("e.rule (hostile)"))
    assert hostile[2].startswith(HOSTILE_SHOWN) and "fix: do the right thing" in hostile[2]
    name, props, data = parsed[-1]
    assert (
        name == "notice"
        and props == {"title": "clearance"}
        and data.startswith("✗ 4 errors, 2 warnings, 1 info, 1 waived")
    )


@pytest.mark.usefixtures("in_repo")
def test_annotations_for_the_risky_example(run: Callable[..., Run]) -> None:
    lines = run("check", RISKY, "--format", "github").out.splitlines()
    commands = [_parse_command(line) for line in lines]
    errors = [c for c in commands if c[0] == "error"]
    assert len(errors) == 6
    assert all(c[1]["file"] == MANIFEST for c in errors)
    assert ("7", "5") in {(c[1]["line"], c[1]["col"]) for c in errors}


# ---------------------------------------------------------------- Markdown


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


@pytest.mark.usefixtures("in_repo")
def test_markdown_table_and_details(run: Callable[..., Run]) -> None:
    text = run("check", RISKY, "--format", "markdown").out
    report = json.loads(run("check", RISKY, "--format", "json").out)
    assert text.startswith("## ✗ ")
    assert "| Severity | Rule | Workload | Location | Message |" in text
    rows = [line for line in text.splitlines() if line.startswith(("| ❌", "| ⚠️"))]
    assert len(rows) == len(report["findings"])
    assert all(len(_cells(r)) == 5 for r in rows)
    assert text.count("<details>") == text.count("</details>") == len(report["findings"])
    assert f"{MANIFEST}:7" in text
    assert "<https://creativecommons.org/licenses/by-nc/4.0/legalcode>" in text


def test_markdown_escapes_hostile_text() -> None:
    text = _render("markdown", _rich_result())
    hostile_rows = [
        line for line in text.splitlines() if "hostile" in line and line.startswith("|")
    ]
    [row] = hostile_rows
    assert len(_cells(row)) == 5, row
    assert "<script>" not in text and "&lt;script&gt;" not in row
    assert "\\<script\\>" in row and "a \\| b" in row and "100% done" in row
    assert "\\[link\\](http://evil)" in row
    assert "<https://example.org/terms>" in text  # the URL inside a reference is a link
    assert "(waived)" in text and "(pre-existing)" in text
    assert text.count("<details>") == len(_rich_result().findings)
    assert "- a note" in text


def test_markdown_escape_and_paragraph_start() -> None:
    assert escape("a|b") == "a\\|b"
    assert escape("x\ny") == "x y"
    assert escape("Tom & Jerry <b>") == "Tom &amp; Jerry \\<b\\>"
    result = _empty_result()
    result.findings.append(_finding("e.rule", "w", message="- not a list"))
    result.findings.append(_finding("e.rule", "v", message="1. not a list either"))
    text = _render("markdown", result)
    assert "\n\\- not a list\n" in text and "\n1\\. not a list either\n" in text


def test_markdown_when_all_is_well() -> None:
    text = _render("markdown", _empty_result())
    assert text.startswith("## ✓ ") and "No findings." in text and "<details>" not in text


# ---------------------------------------------------------------- every format


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_renders_empty_and_risky(fmt: str) -> None:
    risky = check([REPO / RISKY]).result
    for result in (_empty_result(), risky, _rich_result()):
        text = _render(fmt, result)
        assert isinstance(text, str) and text.endswith("\n")


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_choice_works_on_the_command_line(fmt: str, run: Callable[..., Run]) -> None:
    result = run("check", RISKY, "--format", fmt)
    assert result.code == 1, result.err
    assert result.out


# ---------------------------------------------------------------- size limits


def _many_findings(n: int) -> CheckResult:
    result = _rich_result()
    findings = [_finding("e.rule", f"w{i:05d}", line=10 + i) for i in range(n)]
    return CheckResult(
        findings=findings,
        manifests=result.manifests,
        policy_name="test",
        policy_version="1.0.0",
        policy_digest="sha256:11",
        workload_count=n,
        rules=result.rules,
        notes=["a note"],
        policy_changes=PolicyChanges("origin/main", ("new.rule",), (), (), False),
    )


def test_a_markdown_report_stays_within_what_github_takes_for_a_comment() -> None:
    # GitHub answers a longer comment with 422 "Body is too long (maximum is 65536
    # characters)", and a CI job posting the report would then post nothing
    text = _render("markdown", _many_findings(2000))
    assert len(text) <= 65_536
    assert text.startswith("## ✗ clearance: the check fails")
    assert "**2000** workloads" in text  # the counts cover everything
    assert "### ⚠ Policy changed" in text and "- a note" in text  # always shown
    assert text.rstrip().endswith("<sub>clearance 9.9.9</sub>")
    shown_rows = text.count("\n| ❌ error |")
    shown_details = text.count("<details>")
    assert 0 < shown_details < shown_rows < 2000
    assert (
        f"**Not shown:** {2000 - shown_rows} of 2000 findings in the table and "
        f"{2000 - shown_details} of 2000 in the details"
    ) in text
    assert text.count("<details>") == text.count("</details>")  # no block cut in half


def test_a_markdown_report_that_fits_says_nothing_is_left_out() -> None:
    text = _render("markdown", _many_findings(20))
    assert "Not shown" not in text
    assert text.count("\n| ❌ error |") == text.count("<details>") == 20


def test_a_tiny_limit_keeps_the_verdict_and_drops_the_table() -> None:
    from clearance.report.markdown import render

    text = render(_many_findings(50), RenderOptions(tool_version="9.9.9"), limit=1000)
    assert "## ✗ clearance" in text and "**Not shown:** 50 of 50" in text
    assert "| Severity |" not in text and "### Details" not in text
    assert "### ⚠ Policy changed" in text


def test_a_sarif_run_keeps_within_githubs_result_limit() -> None:
    # GitHub rejects a run of more than 25,000 results; a capped run keeps what fails
    # the check first and says what it left out
    from clearance.report.sarif import MAX_RESULTS, build

    assert MAX_RESULTS == 25_000
    result = _rich_result()
    doc = build(result, RenderOptions(tool_version="9.9.9"), max_results=3)
    _assert_valid_sarif(doc)
    run = doc["runs"][0]
    kept = run["results"]
    assert len(kept) == 3
    assert all(r["level"] == "error" and "suppressions" not in r for r in kept)
    (notice,) = [
        n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "warning"
    ]
    assert notice["message"]["text"].startswith(f"{len(result.findings) - 3} of 8 findings")
    uncapped = build(result, RenderOptions(tool_version="9.9.9"))
    assert len(uncapped["runs"][0]["results"]) == 8
