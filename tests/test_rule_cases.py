"""Every shipped rule (bundle and licences) fires where it should and only there.

Cases live in tests/rule_cases/*.yaml, one file per licence or policy file:

    cases:
      - name: above the 700M threshold
        organisation: {monthly_active_users: 700000001}     # optional overrides
        providers: {groq: {trains_on_customer_data: true}}  # optional catalogue overrides
        models: [{id: acme/x, ...}]                         # optional extra catalogue models
        workload: {id: w, data: [internal], ...}            # one manifest workload
        fires: [llama-3.1.mau-threshold]
        not_fires: []

A meta-test requires every rule to have at least one case where it fires and
one where it does not, so a rule cannot ship untested.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from clearance.bundle import Bundle, load_bundle
from clearance.manifest import load_manifest
from clearance.model.catalog import ModelEntry
from clearance.policy.evaluate import evaluate
from clearance.resolve import Resolver

CASES_DIR = Path(__file__).parent / "rule_cases"


@functools.cache
def shipped_bundle() -> Bundle:
    return load_bundle()


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            out.append((f"{path.stem}: {case['name']}", case))
    return out


CASES = _cases()


def with_overrides(case: dict[str, Any]) -> Bundle:
    """The shipped bundle as an organisation would adapt it for this case."""
    bundle = shipped_bundle()
    if case.get("organisation"):
        organisation = bundle.organisation.model_copy(update=case["organisation"])
        bundle = dataclasses.replace(bundle, organisation=organisation)
    if case.get("providers") or case.get("models"):
        cat = copy.copy(bundle.catalogue)
        cat.providers = dict(cat.providers)
        for pid, changes in (case.get("providers") or {}).items():
            cat.providers[pid] = cat.providers[pid].model_copy(update=changes)
        cat.models, cat.model_names = dict(cat.models), dict(cat.model_names)
        for raw in case.get("models") or []:
            model = ModelEntry.model_validate(raw, strict=False)
            cat.models[model.id.lower()] = model
            cat.model_names[model.id.lower()] = model.id
        bundle = dataclasses.replace(bundle, catalogue=cat)
    return bundle


def fired_rules(case: dict[str, Any], tmp_path: Path) -> set[str]:
    bundle = with_overrides(case)
    manifest = tmp_path / "model-usage.yaml"
    manifest.write_text(yaml.safe_dump({"version": 1, "workloads": [case["workload"]]}))
    lm = load_manifest(manifest)
    return {f.rule for f in evaluate(Resolver(bundle).resolve(lm), bundle)}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_rule_case(name: str, case: dict[str, Any], tmp_path: Path) -> None:
    fired = fired_rules(case, tmp_path)
    missing = set(case.get("fires", [])) - fired
    unexpected = set(case.get("not_fires", [])) & fired
    assert not missing, f"expected to fire but did not: {sorted(missing)} (fired: {sorted(fired)})"
    assert not unexpected, f"fired but should not: {sorted(unexpected)}"


def test_every_rule_is_tested_fired_and_not_fired() -> None:
    fires = {r for _, c in CASES for r in c.get("fires", [])}
    not_fires = {r for _, c in CASES for r in c.get("not_fires", [])}
    rules = {r.id for r in shipped_bundle().all_rules()}
    assert not (fires | not_fires) - rules, "cases name rules that do not exist"
    assert not rules - fires, f"rules with no firing case: {sorted(rules - fires)}"
    assert not rules - not_fires, f"rules with no passing case: {sorted(rules - not_fires)}"
