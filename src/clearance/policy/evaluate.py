"""Evaluate every rule on every fact record and explain each finding.

Organisation rules that read no `licence.*` fact run once per workload; those
that do run once per governing licence; a licence's own rules run only on the
record of that licence. Explanations are built only for rules that fire, so
the common path is nothing but compiled tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from clearance.bundle import Bundle
from clearance.facts import SLOT
from clearance.findings import Applied, Explanation, Finding
from clearance.policy.clauses import LeafResult
from clearance.policy.rules import Obligation, Rule
from clearance.resolve import ResolvedWorkload

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


def rule_plan(bundle: Bundle) -> tuple[list[Rule], list[Rule]]:
    """Split organisation rules into those run once and those run per licence."""
    once = [r for r in bundle.rules if not r.reads_licence]
    per_licence = [r for r in bundle.rules if r.reads_licence]
    return once, per_licence


def evaluate(
    workloads: Iterable[ResolvedWorkload], bundle: Bundle, applied: list[Applied] | None = None
) -> list[Finding]:
    """Every finding, sorted; with `applied`, also record each rule that applied."""
    once, per_licence = (_tests(rules) for rules in rule_plan(bundle))
    licence_rules = {lid: _tests(rules) for lid, rules in bundle.licence_rules.items()}
    findings: list[Finding] = []
    for rw in workloads:
        records = rw.records
        _apply(once, records[0], rw, findings, applied)
        for record in records:
            _apply(per_licence, record, rw, findings, applied)
            own = licence_rules.get(record[_LICENCE])
            if own:
                _apply(own, record, rw, findings, applied)
    findings.sort(key=lambda f: f.sort_key)
    if applied is not None:
        applied.sort(key=lambda a: (a.manifest, a.line, a.rule, a.licence or ""))
    return findings


Tests = list[tuple[Rule, Callable[[Any], bool] | None, Callable[[Any], bool] | None]]


def _tests(rules: list[Rule]) -> Tests:
    """Each rule with its compiled tests, looked up once rather than per record."""
    return [
        (r, r.when.test if r.when else None, r.require.test if r.require else None) for r in rules
    ]


def _apply(
    rules: Tests,
    record: tuple[Any, ...],
    rw: ResolvedWorkload,
    findings: list[Finding],
    applied: list[Applied] | None,
) -> None:
    for rule, when, require in rules:
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


def _finding(rule: Rule, rw: ResolvedWorkload, record: tuple[Any, ...]) -> Finding:
    explanation: list[Explanation] = []
    if rule.when is not None:
        explanation.extend(
            _explain("when", r, record) for r in rule.when.results(record) if r.holds
        )
    if rule.require is not None:
        explanation.extend(
            _explain("require", r, record) for r in rule.require.results(record) if not r.holds
        )
    else:
        explanation.append(Explanation("require", "(none)", "the rule forbids this outright", None))
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


def _explain(clause: str, result: LeafResult, record: Sequence[Any]) -> Explanation:
    actual = record[SLOT[result.leaf.path]]
    if isinstance(actual, (tuple, frozenset)):
        actual = list(actual)
    return Explanation(
        clause, result.leaf.path, result.leaf.expected(record, result.negated), actual
    )


def trace(rw: ResolvedWorkload, bundle: Bundle) -> list[RuleTrace]:
    """Every rule that could apply to this workload, with how it went."""
    once, per_licence = rule_plan(bundle)
    out = [_trace(rule, rw.records[0]) for rule in once]
    for record in rw.records:
        out.extend(_trace(rule, record) for rule in per_licence)
        out.extend(_trace(rule, record) for rule in bundle.licence_rules.get(record[_LICENCE], ()))
    return out


def _trace(rule: Rule, record: tuple[Any, ...]) -> RuleTrace:
    when = tuple(rule.when.results(record)) if rule.when else ()
    applies = rule.when.test(record) if rule.when else True
    require = tuple(rule.require.results(record)) if rule.require else ()
    passed = not applies or (rule.require is not None and rule.require.test(record))
    return RuleTrace(rule, record, applies, passed, when, require)


def obligations_for(rw: ResolvedWorkload, bundle: Bundle) -> list[tuple[Obligation, str]]:
    """The duties each governing licence places on this workload, with the model they come via."""
    out = []
    for record in rw.records:
        for ob in bundle.obligations.get(record[_LICENCE], ()):
            if ob.when is None or ob.when.test(record):
                out.append((ob, record[_VIA]))
    return out
