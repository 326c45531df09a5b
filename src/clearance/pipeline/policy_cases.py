"""`clearance policy test`: a bundle's own unit tests, in the spirit of `opa test`.

Test files live in the bundle's `tests/` directory. Each holds cases:

    cases:
      - name: above the 700M threshold
        organisation: {monthly_active_users: 700000001}     # optional overrides
        providers: {groq: {trains_on_customer_data: true}}  # optional provider overrides
        models: [{id: acme/x, ...}]                         # optional extra catalogue models
        workload: {id: w, data: [internal], ...}            # one workload, or
        manifest: {version: 1, workloads: [...]}            # a whole manifest
        fires: [llama-3.1.mau-threshold]                    # rules that must fire
        not_fires: [licensing.non-commercial-use]           # rules that must not

Every rule the bundle defines (and, for the shipped bundle, every shipped
licence rule) must fire in one case and stay silent in another; a rule
without both is reported as untested and fails the run.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.bundle.load import Bundle
from clearance.errors import InputError, Problem, ProblemCollector, did_you_mean
from clearance.evaluate.evaluate import NO_TERMS, evaluate
from clearance.loading.files import Loaded, load_kind
from clearance.loading.tree import YDict, YList, locate
from clearance.loading.validate import problems_from, validate
from clearance.manifest.load import LoadedManifest, check_unique_ids
from clearance.manifest.records import from_model
from clearance.resolve.resolver import Resolver
from clearance.resources import default_bundle
from clearance.schema.bundle import OrganisationFile
from clearance.schema.catalog import ModelEntry, ProviderEntry
from clearance.schema.manifest import Manifest
from clearance.schema.policy_case import PolicyCase, PolicyTestFile

CaseFile = Loaded[PolicyTestFile]


@dataclass(frozen=True)
class CaseResult:
    file: str
    line: int
    name: str
    missing: tuple[str, ...]  # expected to fire, did not
    unexpected: tuple[str, ...]  # fired, expected not to
    fired: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


@dataclass
class TestRun:
    results: list[CaseResult]
    untested: dict[str, list[str]]  # rule id -> what it lacks ("a firing case", ...)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results) and not self.untested


def test_files(bundle: Bundle) -> list[Path]:
    return sorted((bundle.path / "tests").glob("*.yaml"))


def run_tests(bundle: Bundle) -> TestRun:
    problems = ProblemCollector()
    loaded: list[tuple[CaseFile, int, PolicyCase]] = []
    for path in test_files(bundle):
        try:
            tf = load_kind("policy-tests", path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        loaded.extend((tf, i, case) for i, case in enumerate(tf.value.cases))
    # a case may also expect clearance's own fail-closed finding (a provider without terms)
    rule_ids = {r.id for r in bundle.all_rules()} | {NO_TERMS.id}
    for tf, i, case in loaded:
        _check_rule_ids(tf, i, case, rule_ids, problems)
    problems.raise_if_any()
    results = [_run_case(bundle, tf, i, case, problems) for tf, i, case in loaded]
    problems.raise_if_any()
    return TestRun([r for r in results if r is not None], _untested(bundle, loaded))


def _check_rule_ids(
    tf: CaseFile,
    i: int,
    case: PolicyCase,
    rule_ids: set[str],
    problems: ProblemCollector,
) -> None:
    for key in ("fires", "not_fires"):
        for j, rule in enumerate(getattr(case, key)):
            if rule not in rule_ids:
                line, col = locate(tf.raw, ("cases", i, key, j))
                problems.add(
                    Problem(
                        tf.name,
                        line,
                        col,
                        ("cases", i, key, j),
                        f"unknown rule {rule!r}",
                        did_you_mean(rule, rule_ids),
                    )
                )


def _untested(
    bundle: Bundle, loaded: list[tuple[CaseFile, int, PolicyCase]]
) -> dict[str, list[str]]:
    fires = {r for _, _, c in loaded for r in c.fires}
    silent = {r for _, _, c in loaded for r in c.not_fires}
    out: dict[str, list[str]] = {}
    for rule in owned_rules(bundle):
        lacks = [
            what
            for what, seen in (
                ("a case where it fires", fires),
                ("a case where it does not", silent),
            )
            if rule not in seen
        ]
        if lacks:
            out[rule] = lacks
    return out


def owned_rules(bundle: Bundle) -> list[str]:
    """The rules this bundle answers for: its own files, and for the shipped bundle the licences."""
    shipped = bundle.path.resolve() == default_bundle().resolve()
    root = bundle.path.resolve()
    return sorted(r.id for r in bundle.all_rules() if shipped or Path(r.path).is_relative_to(root))


def _run_case(
    bundle: Bundle, tf: CaseFile, i: int, case: PolicyCase, problems: ProblemCollector
) -> CaseResult | None:
    base = ("cases", i)
    try:
        adapted = _adapt(bundle, case, tf, base)
        lm = _manifest(tf, base, case)
        findings = evaluate(Resolver(adapted).resolve(lm), adapted)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    fired = {f.rule for f in findings}
    line, _ = locate(tf.raw, base)
    return CaseResult(
        tf.name,
        line,
        case.name,
        tuple(sorted(set(case.fires) - fired)),
        tuple(sorted(set(case.not_fires) & fired)),
        tuple(sorted(fired)),
    )


def _adapt(bundle: Bundle, case: PolicyCase, tf: CaseFile, base: tuple[Any, ...]) -> Bundle:
    """The bundle as this case's organisation, providers and models would make it."""
    shared = tf.value.organisation
    if case.organisation or shared:
        merged = {**bundle.organisation.model_dump(), **(shared or {}), **(case.organisation or {})}
        where = (*base, "organisation") if case.organisation else ("organisation",)
        org = validate(OrganisationFile, merged, tf.name, base=where)
        bundle = dataclasses.replace(bundle, organisation=org)
    if not case.providers and not case.models:
        return bundle
    cat = copy.copy(bundle.catalogue)
    cat.providers, cat.models, cat.model_names = (
        dict(cat.providers),
        dict(cat.models),
        dict(cat.model_names),
    )
    for pid, changes in (case.providers or {}).items():
        if pid not in cat.providers:
            line, col = locate(tf.raw, (*base, "providers", pid), key=True)
            raise InputError(
                [
                    Problem(
                        tf.name,
                        line,
                        col,
                        (*base, "providers", pid),
                        f"unknown provider {pid!r}",
                        did_you_mean(pid, cat.providers),
                    )
                ]
            )
        merged = {**cat.providers[pid].model_dump(exclude_none=True), **changes}
        cat.providers[pid] = _validated(ProviderEntry, merged, tf, (*base, "providers", pid))
    for j, raw in enumerate(case.models or []):
        model = _validated(ModelEntry, raw, tf, (*base, "models", j))
        cat.models[model.id.lower()] = model
        cat.model_names[model.id.lower()] = model.id
    return dataclasses.replace(bundle, catalogue=cat)


def _validated(model: Any, data: Any, tf: CaseFile, path: tuple[Any, ...]) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(data, strict=False)
    except ValidationError as exc:
        raw = tf.raw
        for part in path:
            raw = raw[part] if isinstance(raw, (dict, list)) else raw
        raise InputError(problems_from(exc, model, raw, tf.name, base=path)) from None


def _manifest(tf: CaseFile, base: tuple[Any, ...], case: PolicyCase) -> LoadedManifest:
    raw_case = tf.raw["cases"][base[1]]
    if case.manifest is not None:
        raw = raw_case["manifest"]
        path: tuple[Any, ...] = (*base, "manifest")
    elif case.workload is not None:
        raw = YDict(raw_case.value_pos["workload"])
        raw["version"] = 1
        raw.key_pos["version"] = raw.value_pos["version"] = raw.pos
        items = YList(raw_case.value_pos["workload"])
        items.append(raw_case["workload"])
        items.item_pos.append(raw_case.value_pos["workload"])
        raw["workloads"] = items
        raw.key_pos["workloads"] = raw.value_pos["workloads"] = raw.pos
        path = (*base, "workload")
    else:
        line, col = locate(tf.raw, base)
        raise InputError(
            [Problem(tf.name, line, col, base, "a case needs a workload or a manifest")]
        )
    manifest = from_model(validate(Manifest, raw, tf.name, base=path))
    check_unique_ids(manifest, raw, tf.name)
    return LoadedManifest(tf.path, tf.name, "", manifest, raw)


def iter_cases(bundle: Bundle) -> Iterator[tuple[str, int, str]]:
    """(file, line, name) of every case: for listing and for pytest ids."""
    for path in test_files(bundle):
        tf = load_kind("policy-tests", path)
        for i, case in enumerate(tf.value.cases):
            yield tf.name, locate(tf.raw, ("cases", i))[0], case.name
