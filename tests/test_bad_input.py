"""One test per kind of bad input: exit 2 and `file:line:column: what is wrong`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bounded import POSITIONED
from conftest import WORKLOAD, Run


def manifest(text: str, write: Callable[[str, str], Path]) -> Path:
    return write("model-usage.yaml", text)


CASES = {
    "yaml-syntax": (
        WORKLOAD.replace("data: [internal]", "data: [internal"),
        "5:15",
        "invalid YAML: did not find expected ',' or ']'",
    ),
    "wrong-type": (
        WORKLOAD.replace("commercial: false", "commercial: maybe"),
        "5:17",
        "workloads[0].commercial: input should be a valid boolean, found 'maybe'",
    ),
    "unknown-field": (
        WORKLOAD.replace("    commercial: false", "    comercial: false\n    commercial: false"),
        "5:5",
        "workloads[0].comercial: unknown field 'comercial'",
    ),
    "unknown-model": (
        WORKLOAD.replace("Llama-3.1-70B-Instruct", "Llama-3.1-70B-Instrukt"),
        "6:12",
        "workloads[0].model: unknown model 'meta-llama/Llama-3.1-70B-Instrukt': declare it in"
        " this manifest's `models:` (id, licence, weights) or import its Hugging Face model card"
        " into your bundle with `clearance models import` (did you mean"
        " meta-llama/Llama-3.1-70B-Instruct (licence llama-3.1), or",
    ),
    "unknown-provider": (
        WORKLOAD.replace("provider: aws", "provider: awz"),
        "9:17",
        "workloads[0].deployment.provider: unknown provider 'awz' (did you mean aws?)",
    ),
    "unknown-region": (
        WORKLOAD.replace("us-east-1", "us-east-9"),
        "10:15",
        "workloads[0].deployment.region: 'us-east-9' is not a region of aws (did you mean us-east-",
    ),
    "unknown-data-class": (
        WORKLOAD.replace("data: [internal]", "data: [internl]"),
        "4:12",
        "workloads[0].data[0]: unknown data class 'internl' (did you mean internal?)",
    ),
    "unknown-agreement": (
        WORKLOAD.replace("region: us-east-1", "region: us-east-1\n      agreements: [bba]"),
        "11:20",
        "workloads[0].deployment.agreements[0]: unknown agreement 'bba' (did you mean baa?)",
    ),
    "unknown-residency": (
        WORKLOAD.replace("commercial: false", "commercial: false\n    residency: [EUR]"),
        "6:17",
        "workloads[0].residency[0]: unknown country or group 'EUR'",
    ),
    "wrong-literal": (
        WORKLOAD.replace("mode: self-hosted", "mode: selfhosted"),
        "8:13",
        "workloads[0].deployment.mode: input should be 'api', 'hosted-open' or 'self-hosted', found 'selfhosted' (str) (did you mean self-hosted?)",
    ),
    "duplicate-id": (
        WORKLOAD + WORKLOAD.split("workloads:\n", 1)[1],
        "11:9",
        "workloads[1].id: duplicate workload id 'w1'",
    ),
    "duplicate-key": (
        WORKLOAD.replace("commercial: false", "commercial: false\n    commercial: true"),
        "6:5",
        "duplicate key 'commercial'",
    ),
    "missing-field": (
        WORKLOAD.replace("    commercial: false\n", ""),
        "3:5",
        "workloads[0].commercial: required field 'commercial' is missing",
    ),
    "list-document": ("- a\n- b\n", "1:1", "expected a mapping, found a list"),
    "empty-file": ("", "1:1", "expected a mapping, found empty"),
    # YAML 1.2: `yes` is a string, not true, so a YAML 1.1 habit fails loudly
    "yes-is-not-true": (WORKLOAD.replace("commercial: false", "commercial: yes"), "5:17",
                        "workloads[0].commercial: input should be a valid boolean, found 'yes' (str)"),
    "closed-weights-self-hosted": (WORKLOAD.replace("meta-llama/Llama-3.1-70B-Instruct", "openai/gpt-4o"), "8:13",
                                   "has closed weights: it can only be used through an API"),
    "mode-provider-mismatch": (WORKLOAD.replace("mode: self-hosted", "mode: api"), "8:13",
                               "mode 'api' needs a provider of kind api or hosted-open; aws is of kind 'cloud'"),
    "unknown-site": (WORKLOAD.replace("provider: aws", "provider: on-prem").replace("us-east-1", "dc-paris"), "10:15",
                     "'dc-paris' is not a site of the organisation"),
    "region-of-regionless-provider": (WORKLOAD.replace("mode: self-hosted", "mode: hosted-open").replace("provider: aws", "provider: groq").replace("us-east-1", "us"), "10:15",
                                      "the catalogue lists no regions for groq: write 'global'"),
    "unspecified-region": (WORKLOAD.replace("mode: self-hosted", "mode: hosted-open").replace("provider: aws", "provider: groq").replace("us-east-1", "unspecified"), "10:15",
                           "'unspecified' is no longer a region id: write 'global'"),
    "object-tag": (WORKLOAD.replace("data: [internal]", "data: !!python/object/apply:os.system [ls]"), "4:11",
                   "is not allowed"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_bad_manifest_exits_2_with_position(
    kind: str,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, position, fragment = CASES[kind]
    manifest(text, write)
    monkeypatch.chdir(tmp_path)
    result = run("check", "model-usage.yaml")
    assert result.code == 2, result.err + result.out
    assert result.out == ""
    assert "Traceback" not in result.err
    assert f"model-usage.yaml:{position}: " in result.err, result.err
    assert fragment in result.err, result.err


def test_all_problems_are_reported_together(
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = WORKLOAD.replace("provider: aws", "provider: awz").replace("[internal]", "[internl]")
    write("model-usage.yaml", text)
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.code == 2
    assert result.err.count("error: ") == 2


def test_no_manifest_found_is_a_usage_error(run: Callable[..., Run], tmp_path: Path) -> None:
    result = run("check", tmp_path)
    assert result.code == 2
    assert "no model-usage.yaml found" in result.err


def test_missing_path_is_a_usage_error(run: Callable[..., Run], tmp_path: Path) -> None:
    result = run("check", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "no such file or directory" in result.err


def test_bad_rule_in_bundle_exits_2(
    run: Callable[..., Run], bundle_copy: Path, write: Callable[[str, str], Path]
) -> None:
    (bundle_copy / "extra.yaml").write_text(
        "rules:\n  - id: x.y\n    title: t\n    severity: error\n"
        "    when:\n      workload.dat: {contains: phi}\n    message: m\n"
    )
    path = write("m/model-usage.yaml", WORKLOAD)
    result = run("check", path, "--policy", bundle_copy)
    assert result.code == 2
    assert (
        "extra.yaml:6:7: rules[0].when.workload.dat: unknown fact path 'workload.dat' (did you mean workload.data?)"
        in result.err
    )


def test_unknown_data_class_in_a_rule_is_caught(
    run: Callable[..., Run], bundle_copy: Path, write: Callable[[str, str], Path]
) -> None:
    (bundle_copy / "extra.yaml").write_text(
        "rules:\n  - id: x.y\n    title: t\n    severity: error\n"
        "    when:\n      workload.data: {contains: ph1}\n    message: m\n"
    )
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle_copy)
    assert result.code == 2
    assert "'ph1' is not a known value of workload.data (did you mean phi?)" in result.err


def test_duplicate_rule_id_in_bundle(
    run: Callable[..., Run], bundle_copy: Path, write: Callable[[str, str], Path]
) -> None:
    (bundle_copy / "extra.yaml").write_text(
        "rules:\n  - id: hipaa.phi-needs-baa\n    title: t\n    severity: error\n"
        "    when:\n      workload.data: {contains: phi}\n    message: m\n"
    )
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle_copy)
    assert result.code == 2
    assert "rule id 'hipaa.phi-needs-baa' is already defined" in result.err


def test_bundle_paths_may_not_escape(
    run: Callable[..., Run], bundle_copy: Path, write: Callable[[str, str], Path]
) -> None:
    text = (bundle_copy / "bundle.yaml").read_text() + "licences: [../../etc]\n"
    (bundle_copy / "bundle.yaml").write_text(text)
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle_copy)
    assert result.code == 2
    assert "lies outside the bundle directory" in result.err


def test_incompatible_bundle_version(
    run: Callable[..., Run], bundle_copy: Path, write: Callable[[str, str], Path]
) -> None:
    text = (bundle_copy / "bundle.yaml").read_text().replace('">=0.1"', '">=99"')
    (bundle_copy / "bundle.yaml").write_text(text)
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle_copy)
    assert result.code == 2
    assert "this bundle needs clearance >=99, but this is clearance" in result.err


def test_not_a_bundle(
    run: Callable[..., Run], tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", tmp_path)
    assert result.code == 2
    assert "not a policy bundle" in result.err


@pytest.mark.parametrize(
    "key", ["\t", "", "a b", "\u00a0"], ids=["tab", "empty", "space", "no-break-space"]
)
def test_keys_of_whitespace_are_quoted_in_the_message(
    key: str, run: Callable[..., Run], tmp_path: Path
) -> None:
    # found by the manifest property test: a tab key made `file:1:3: <tab>: unknown field`
    path = tmp_path / "model-usage.yaml"
    quoted = json.dumps(key)  # a JSON string is a YAML double-quoted scalar
    path.write_text(f"version: 1\nworkloads: []\n{quoted}: 1\n", encoding="utf-8")
    result = run("check", path)
    assert result.code == 2
    line = result.err.splitlines()[-1]
    assert POSITIONED.match(line), line
    assert f":3:1: [{json.dumps(key, ensure_ascii=False)}]: unknown field" in line, line
