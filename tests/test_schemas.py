"""The JSON Schemas in schemas/ match the pydantic models, and real files satisfy them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from clearance.pipeline.json_schemas import SCHEMA_MODELS, render
from conftest import EXAMPLES, REPO


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_schema_file_matches_models(name: str) -> None:
    committed = (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == render(name), (
        f"schemas/{name}.schema.json drifted from the models: run `python -m clearance.pipeline.json_schemas`"
    )


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_schema_is_valid_json_schema(name: str) -> None:
    schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _as_json(path: Path) -> object:
    # YAML dates become strings, as an editor's language server sees them
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("model-usage.yaml")), ids=str)
def test_example_manifests_satisfy_schema(path: Path) -> None:
    _validator("manifest").validate(_as_json(path))


def test_manifest_schema_rejects_unknown_field() -> None:
    doc = {"version": 1, "workloads": [], "sytem": "x"}
    assert not _validator("manifest").is_valid(doc)


@pytest.mark.parametrize("path", sorted((REPO / "policies").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_bundle_files_satisfy_schemas(path: Path) -> None:
    name = {
        "bundle.yaml": "bundle",
        "organisation.yaml": "organisation",
        "data-classes.yaml": "data-classes",
    }.get(path.name, "policy")
    _validator(name).validate(_as_json(path))


@pytest.mark.parametrize("path", sorted((REPO / "licences").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_licences_satisfy_schema(path: Path) -> None:
    _validator("licence").validate(_as_json(path))


@pytest.mark.parametrize("name", ["models", "providers", "jurisdictions", "prices"])
def test_shipped_catalogue_satisfies_schema(name: str) -> None:
    _validator(name).validate(_as_json(REPO / "catalog" / f"{name}.yaml"))


def test_policy_schema_rejects_unknown_operator() -> None:
    doc = {
        "rules": [
            {
                "id": "a",
                "title": "t",
                "severity": "error",
                "message": "m",
                "when": {"workload.data": {"containz": "phi"}},
            }
        ]
    }
    assert not _validator("policy").is_valid(doc)


def test_json_report_satisfies_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.json"
    run("check", EXAMPLES, "--format", "json", "--output", out)
    _validator("report").validate(json.loads(out.read_text()))


def test_schema_command_prints_schema(run) -> None:  # type: ignore[no-untyped-def]
    result = run("schema", "manifest")
    assert result.code == 0
    assert json.loads(result.out)["$id"].endswith("manifest.schema.json")


def test_schema_command_offers_every_schema() -> None:
    from clearance.cli.schema import SCHEMA_NAMES

    assert set(SCHEMA_NAMES) == set(SCHEMA_MODELS)


@pytest.mark.parametrize(
    "path", sorted((REPO / "policies" / "tests").glob("*.yaml")), ids=lambda p: p.name
)
def test_shipped_policy_tests_satisfy_schema(path: Path) -> None:
    _validator("policy-test").validate(_as_json(path))
