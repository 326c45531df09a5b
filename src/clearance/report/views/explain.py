"""Plain-text descriptions for `clearance explain`: a rule's logic, a workload's trace."""

from __future__ import annotations

import json
from typing import Any

from clearance.bundle.load import Bundle
from clearance.evaluate.evaluate import RuleTrace
from clearance.evaluate.findings import RuleInfo
from clearance.policy.clauses import LeafResult
from clearance.policy.rules import Rule
from clearance.policy.templates import template_text
from clearance.resolve.resolver import ResolvedWorkload
from clearance.schema.facts import SLOT


def _head(rule: Rule | RuleInfo, defined_in: str) -> list[str]:
    """The lines every rule's description starts with, a bundle's or clearance's own."""
    return [
        f"{rule.id}: {rule.title}",
        f"  severity:   {rule.severity}{'' if rule.waivable else ' (not waivable)'}",
        f"  defined in: {defined_in}",
    ]


def describe_rule(rule: Rule) -> str:
    lines = _head(rule, f"{rule.file}:{rule.line}")
    if rule.licence:
        lines.append(f"  licence:    {rule.licence} (applies where these terms govern)")
    if rule.description:
        lines.append(f"  purpose:    {rule.description.strip()}")
    if rule.when:
        lines.append("  applies when:")
        lines.extend(rule.when.describe("    "))
    else:
        lines.append("  applies to every workload")
    if rule.require:
        lines.append("  and is broken unless:")
        lines.extend(rule.require.describe("    "))
    else:
        lines.append("  and is then broken outright (no 'require')")
    lines.append(f"  message:    {template_text(rule.message)}")
    if rule.remediation:
        lines.append(f"  fix:        {template_text(rule.remediation)}")
    for ref in rule.references:
        lines.append(f"  see:        {template_text(ref)}")
    return "\n".join(lines) + "\n"


def describe_rule_info(rule: RuleInfo) -> str:
    """One of clearance's own rules (no condition to show: the check is built in)."""
    lines = _head(rule, f"{rule.file} (built into clearance)")
    if rule.description:
        lines.append(f"  purpose:    {rule.description.strip()}")
    if rule.remediation:
        lines.append(f"  fix:        {rule.remediation}")
    lines.extend(f"  see:        {ref}" for ref in rule.references)
    return "\n".join(lines) + "\n"


def _leaf(result: LeafResult, record: tuple[Any, ...]) -> str:
    actual = record[SLOT[result.leaf.path]]
    expected = result.leaf.expected(record, result.negated)
    mark = "holds" if result.holds else "fails"
    if actual is None:  # a sentence, not "is null": nobody set the fact
        return f"{result.leaf.path} is not set (expected {expected}), so the clause {mark}"
    shown = json.dumps(
        list(actual) if isinstance(actual, (tuple, frozenset)) else actual,
        default=str,
        ensure_ascii=False,
    )
    return f"{result.leaf.path} is {shown}, expected {expected}: {mark}"


def describe_workload(rw: ResolvedWorkload, traces: list[RuleTrace]) -> str:
    w, d = rw.workload, rw.workload.deployment
    lines = [
        f"{rw.manifest.name}:{rw.line}:{rw.column}: workload {w.id}",
        f"  model:     {rw.model.id} ({rw.model.weights} weights, licence {rw.model.licence})",
        f"  where:     {d.mode} on {rw.provider.id}, region {d.region}, network {d.network}",
        f"  data:      {', '.join(w.data)}",
        "  governed by: "
        + (
            "; ".join(f"{g.licence} via {g.via} ({g.governs_as})" for g in rw.governing)
            or f"no terms known ({rw.provider.id} has none in the catalogue)"
        ),
        "",
    ]
    for t in traces:
        status = ("FAILED" if not t.passed else "passed") if t.applies else "not applicable"
        if t.undecided:  # the check reports it as a warning (an error with --strict)
            status = "CANNOT TELL"
        scope = (
            f" [{t.record[SLOT['licence.id']]}]" if (t.rule.reads_licence or t.rule.licence) else ""
        )
        lines.append(f"  {status:<15} {t.rule.id}{scope}: {t.rule.title}")
        for r in t.when:
            lines.append(f"      when    {_leaf(r, t.record)}")
        if t.undecided:
            facts = ", ".join(sorted(t.undecided))
            lines.append(f"      unknown {facts}: not set in the bundle's organisation.yaml")
        if t.applies:
            for r in t.require:
                lines.append(f"      require {_leaf(r, t.record)}")
    return "\n".join(lines) + "\n"


def describe_bundle(bundle: Bundle) -> str:
    """The effective bundle: its layers, then every rule with where it came from."""
    lines = [f"bundle {bundle.name} {bundle.version} ({bundle.digest})"]
    for i, root in enumerate(bundle.layers or [bundle.path]):
        lines.append(f"  layer {i + 1}: {root}")
    lines.append("")
    for rule in sorted(bundle.all_rules(), key=lambda r: r.id):
        flags = [rule.severity]
        if rule.locked:
            flags.append("locked")
        if not rule.waivable:
            flags.append("not waivable")
        origin = f"{rule.file}:{rule.line}"
        source = (
            f"licence {rule.licence}" if rule.licence else f"bundle {rule.layer or bundle.name}"
        )
        changed = f"; severity set by {rule.changed_by}" if rule.changed_by else ""
        lines.append(f"{rule.id:<48} {', '.join(flags):<24} {source} ({origin}){changed}")
    return "\n".join(lines) + "\n"
