"""Evaluate every rule on every fact record and explain each finding.

Organisation rules that read no `licence.*` fact run once per workload; those
that do run once per governing licence; a licence's own rules run only on the
record of that licence. Explanations are built only for rules that fire, so
the common path is nothing but compiled tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from clearance.bundle.load import Bundle
from clearance.evaluate.findings import Applied, Explanation, Finding, RuleInfo, explain_leaf
from clearance.evaluate.supersede import supersede
from clearance.evaluate.unknown import (
    judge_unknown,
    rule_unknowns,
    unknown_finding,
    unknown_organisation_facts,
)
from clearance.policy.clauses import LeafResult
from clearance.policy.rules import Obligation, Rule
from clearance.resolve.resolver import ResolvedWorkload
from clearance.schema.facts import SLOT

_LICENCE = SLOT["licence.id"]
_VIA = SLOT["licence.via"]


@dataclass(frozen=True)
class RuleTrace:
    """How one rule went for one record: for `clearance explain --workload`."""

    rule: Rule
    record: tuple[Any, ...]
    applies: bool
    passed: bool
    when: tuple[LeafResult, ...]
    require: tuple[LeafResult, ...]
    # organisation facts nobody set that decide this rule here: it cannot be judged
    undecided: frozenset[str] = frozenset()


def rule_plan(bundle: Bundle) -> tuple[list[Rule], list[Rule]]:
    """Split organisation rules into those run once and those run per licence."""
    once = [r for r in bundle.rules if not r.reads_licence]
    per_licence = [r for r in bundle.rules if r.reads_licence]
    return once, per_licence


def evaluate(
    workloads: Iterable[ResolvedWorkload],
    bundle: Bundle,
    applied: list[Applied] | None = None,
    *,
    unknown_severity: str = "warning",
) -> list[Finding]:
    """Every finding, sorted; with `applied`, also record each rule that applied.

    A rule that turns on an organisation fact nobody set is judged in three values
    (unknown.py): where the unknown fact decides it, a finding of `unknown_severity`
    names the fact instead of a silent pass (`--strict` makes it an error).
    """
    unknown = unknown_organisation_facts(bundle)
    once, per_licence = (_tests(rules, unknown) for rules in rule_plan(bundle))
    licence_rules = {lid: _tests(rules, unknown) for lid, rules in bundle.licence_rules.items()}
    findings: list[Finding] = []
    ctx = (findings, applied, unknown, unknown_severity)
    for rw in workloads:
        records = rw.records
        _apply(once, records[0], rw, ctx)
        if not rw.governing:  # fail closed: no licence rule can pass for terms nobody knows
            findings.append(no_terms_finding(rw))
            continue
        for record in records:
            _apply(per_licence, record, rw, ctx)
            own = licence_rules.get(record[_LICENCE])
            if own:
                _apply(own, record, rw, ctx)
    findings[:] = supersede(findings, bundle)
    findings.sort(key=lambda f: f.sort_key)
    if applied is not None:
        applied.sort(key=lambda a: (a.manifest, a.line, a.rule, a.licence or ""))
    return findings


Test = Callable[[Any], bool]
Tests = list[tuple[Rule, Test | None, Test | None, frozenset[str]]]
Context = tuple[list[Finding], list[Applied] | None, frozenset[str], str]


def _tests(rules: list[Rule], unknown: frozenset[str]) -> Tests:
    """Each rule with its compiled tests, looked up once rather than per record, and the
    unknown organisation facts it would need (almost always none)."""
    return [
        (
            r,
            r.when.test if r.when else None,
            r.require.test if r.require else None,
            rule_unknowns(r, unknown),
        )
        for r in rules
    ]


def _apply(rules: Tests, record: tuple[Any, ...], rw: ResolvedWorkload, ctx: Context) -> None:
    findings, applied, unknown, unknown_severity = ctx
    for rule, when, require, needs in rules:
        if needs:
            verdict = judge_unknown(rule, record, unknown)
            if verdict == "unknown":
                findings.append(unknown_finding(rule, rw, record, needs, unknown_severity))
                continue
            if verdict == "not-applicable":
                continue
            passed = verdict == "passed"
        else:
            if when is not None and not when(record):
                continue
            passed = require is not None and require(record)
        if not passed:
            findings.append(_finding(rule, rw, record))
        if applied is not None:
            reads = rule.reads_licence or rule.licence is not None
            applied.append(
                Applied(
                    rw.manifest.name,
                    rw.line,
                    rw.workload.id,
                    rule.id,
                    record[_LICENCE] if reads else None,
                    passed,
                )
            )


# The finding for a workload that no known licence or terms govern (a closed model served
# by a provider whose terms the catalogue lacks): reported like a rule so every format can
# cite it, and not waivable (a waiver names a rule of the bundle).
NO_TERMS = RuleInfo(
    id="terms.none-known",
    title="Known terms govern every workload",
    description="No licence or API terms in the catalogue govern this use of the model, so "
    "no licence rule can be judged: clearance fails closed rather than pass it.",
    severity="error",
    remediation="Add the provider's terms to the catalogue (its `terms`), or use a provider "
    "whose terms are known",
    references=("clearance: which terms govern a workload",),
    waivable=False,
    licence=None,
    file="clearance:catalog",
    line=1,
)


def no_terms_finding(rw: ResolvedWorkload) -> Finding:
    model, provider = rw.model, rw.provider
    return Finding(
        rule=NO_TERMS.id,
        title=NO_TERMS.title,
        severity=NO_TERMS.severity,
        manifest=rw.manifest.name,
        line=rw.line,
        column=rw.column,
        workload=rw.workload.id,
        message=f"no terms known to govern {model.id} ({model.weights} weights) through "
        f"{provider.id} (mode {rw.workload.deployment.mode}): the catalogue gives "
        f"{provider.id} no terms",
        remediation=NO_TERMS.remediation,
        references=NO_TERMS.references,
        explanation=(
            Explanation("require", "provider.terms", "terms known to govern the model", None),
        ),
    )


def _finding(rule: Rule, rw: ResolvedWorkload, record: tuple[Any, ...]) -> Finding:
    explanation: list[Explanation] = []
    if rule.when is not None:
        explanation.extend(
            explain_leaf("when", r, record) for r in rule.when.results(record) if r.holds
        )
    if rule.require is not None:
        explanation.extend(
            explain_leaf("require", r, record) for r in rule.require.results(record) if not r.holds
        )
    reads = rule.reads_licence or rule.licence is not None
    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=rule.severity,
        manifest=rw.manifest.name,
        line=rw.line,
        column=rw.column,
        workload=rw.workload.id,
        message=rule.message.render(record),
        remediation=rule.remediation.render(record) if rule.remediation else None,
        references=tuple(ref.render(record) for ref in rule.references),
        explanation=tuple(explanation),
        licence=record[_LICENCE] if reads else None,
        via=record[_VIA] if reads else None,
    )


def trace(rw: ResolvedWorkload, bundle: Bundle) -> list[RuleTrace]:
    """Every rule that could apply to this workload, with how it went."""
    once, per_licence = rule_plan(bundle)
    unknown = unknown_organisation_facts(bundle)
    out = [_trace(rule, rw.records[0], unknown) for rule in once]
    for record in rw.records if rw.governing else ():
        out.extend(_trace(rule, record, unknown) for rule in per_licence)
        own = bundle.licence_rules.get(record[_LICENCE], ())
        out.extend(_trace(rule, record, unknown) for rule in own)
    return out


def _trace(rule: Rule, record: tuple[Any, ...], unknown: frozenset[str]) -> RuleTrace:
    when = tuple(rule.when.results(record)) if rule.when else ()
    applies = rule.when.test(record) if rule.when else True
    require = tuple(rule.require.results(record)) if rule.require else ()
    passed = not applies or (rule.require is not None and rule.require.test(record))
    needs = rule_unknowns(rule, unknown)
    if needs and judge_unknown(rule, record, unknown) == "unknown":
        return RuleTrace(rule, record, True, False, when, require, needs)
    return RuleTrace(rule, record, applies, passed, when, require)


def obligations_for(rw: ResolvedWorkload, bundle: Bundle) -> list[tuple[Obligation, str]]:
    """The duties each governing licence places on this workload, with the model they come via."""
    out = []
    for record in rw.records:
        for ob in bundle.obligations.get(record[_LICENCE], ()):
            if ob.when is None or ob.when.test(record):
                out.append((ob, record[_VIA]))
    return out
