"""Build the JSON Schemas in `schemas/` from the pydantic models (the single source).

`python -m clearance.pipeline.json_schemas` rewrites them; a test fails when the files drift
from the models. Rule conditions are typed by hand here because pydantic sees
them only as mappings, and editors should complete operators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from clearance.policy.operators import OPERATORS
from clearance.schema.advice import AdviceReport
from clearance.schema.audit import AuditReport
from clearance.schema.bundle import BundleFile, DataClassesFile, OrganisationFile, RulesFile
from clearance.schema.catalog import JurisdictionsFile, ModelsFile, ProvidersFile
from clearance.schema.facts import FACTS
from clearance.schema.field_docs import fill_descriptions
from clearance.schema.licence import LicenceFile
from clearance.schema.manifest import Manifest
from clearance.schema.policy_case import PolicyTestFile
from clearance.schema.prices import PricesFile
from clearance.schema.report import Report
from clearance.schema.waivers import WaiversFile

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "manifest": Manifest,
    "policy": RulesFile,
    "licence": LicenceFile,
    "waivers": WaiversFile,
    "report": Report,
    "bundle": BundleFile,
    "organisation": OrganisationFile,
    "data-classes": DataClassesFile,
    "models": ModelsFile,
    "providers": ProvidersFile,
    "jurisdictions": JurisdictionsFile,
    "policy-test": PolicyTestFile,
    "audit": AuditReport,
    "prices": PricesFile,
    "advice": AdviceReport,
}
BASE_URL = "https://clearance.invalid/schemas/"  # ids only; nothing is fetched


def condition_schema() -> dict[str, Any]:
    operand = {
        "anyOf": [
            {"type": ["string", "number", "boolean", "array"]},
            {
                "type": "object",
                "properties": {"fact": {"enum": sorted(FACTS)}},
                "required": ["fact"],
                "additionalProperties": False,
            },
        ]
    }
    clause = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {op: {**operand, "description": OPERATOR_DOCS[op]} for op in OPERATORS},
    }
    return {
        "type": "object",
        "minProperties": 1,
        "properties": {
            "all": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/Condition"},
                "description": "Every condition of the list holds.",
            },
            "any": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/Condition"},
                "description": "At least one condition of the list holds.",
            },
            "not": {"$ref": "#/$defs/Condition", "description": "The condition does not hold."},
            **{
                path: {
                    "$ref": "#/$defs/Clause",
                    "description": f"{FACTS[path].type}: {FACTS[path].doc}",
                }
                for path in sorted(FACTS)
            },
        },
        "additionalProperties": False,
        "$defs_clause": clause,
    }


# What each operator tests, for editors' hover text.
OPERATOR_DOCS = {
    "equals": "The fact equals the value.",
    "not_equals": "The fact differs from the value (or is not set).",
    "in": "The fact is one of the values.",
    "not_in": "The fact is none of the values (or is not set).",
    "contains": "The list fact contains the value.",
    "contains_any": "The list fact contains at least one of the values.",
    "contains_all": "The list fact contains every one of the values.",
    "subset_of": "Every item of the list fact is one of the values.",
    "exists": "true: the fact is set; false: it is not.",
    "gt": "The fact is greater than the value.",
    "gte": "The fact is greater than or equal to the value.",
    "lt": "The fact is less than the value.",
    "lte": "The fact is less than or equal to the value.",
    "matches": "The text fact matches the regular expression (RE2, linear time).",
    "version": "The text fact is a version within the PEP 440 specifier.",
}


def _type_conditions(schema: dict[str, Any]) -> None:
    """Replace the free-form `when`/`require` mappings with the condition grammar."""
    defs = schema.setdefault("$defs", {})
    cond = condition_schema()
    defs["Clause"] = cond.pop("$defs_clause")
    defs["Condition"] = cond
    for definition in defs.values():
        props = definition.get("properties", {})
        for key in ("when", "require"):
            if key in props:
                props[key] = {
                    "anyOf": [{"$ref": "#/$defs/Condition"}, {"type": "null"}],
                    "default": None,
                    **(
                        {"description": props[key]["description"]}
                        if "description" in props[key]
                        else {}
                    ),
                }


def build_schema(name: str) -> dict[str, Any]:
    model = SCHEMA_MODELS[name]
    schema = model.model_json_schema(mode="validation")
    fill_descriptions(schema)
    if name in ("policy", "licence"):
        _type_conditions(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}{name}.schema.json",
        **schema,
    }


def render(name: str) -> str:
    return json.dumps(build_schema(name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_all(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in SCHEMA_MODELS:
        (directory / f"{name}.schema.json").write_text(render(name), encoding="utf-8")


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas"))
