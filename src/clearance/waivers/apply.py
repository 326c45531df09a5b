"""Apply waivers to findings: a valid waiver marks the findings it covers as waived
(never hides them); an invalid one waives nothing and is a finding of its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date

from clearance.bundle.load import Bundle
from clearance.evaluate.findings import Explanation, Finding, Waiver
from clearance.schema.approvers import is_allowed, split_address
from clearance.waivers.load import LoadedWaiver
from clearance.waivers.rules import WAIVER_RULES


def _approver_allowed(approver: str, allowed: Iterable[str]) -> bool:
    patterns = list(allowed)
    if not patterns:  # a bundle that names no approvers restricts nobody
        return True
    # whole addresses only: a glob let `*@good.example` accept `x@evil.example@good.example`
    return is_allowed(approver, patterns)


def _not_an_address(approver: str) -> str:
    return "" if split_address(approver) is not None else " (not a valid address)"


def violations(waiver: LoadedWaiver, bundle: Bundle, today: date) -> list[tuple[str, str]]:
    """(waiver rule id, message) for each way this waiver is itself wrong."""
    entry = waiver.entry
    what = f"the waiver of {entry.rule} for {entry.workload}"
    # every layer of a layered bundle must accept the waiver: a team cannot loosen
    # its organisation's waiver policy
    layers = bundle.waiver_layers or [bundle.waiver_settings]
    terms = [s.max_days for s in layers if s.max_days is not None]
    max_days = min(terms) if terms else None
    out = []
    if entry.expires < today:
        out.append(("waiver.expired", f"{what} expired on {entry.expires.isoformat()}"))
    elif max_days is not None and (entry.expires - today).days > max_days:
        out.append(
            (
                "waiver.term-too-long",
                f"{what} runs to {entry.expires.isoformat()}, more than {max_days} days from today",
            )
        )
    refusing = [s for s in layers if not _approver_allowed(entry.approved_by, s.approvers)]
    if refusing:
        out.append(
            (
                "waiver.approver-not-allowed",
                f"{entry.approved_by}{_not_an_address(entry.approved_by)} may not approve "
                f"waivers (allowed: {', '.join(refusing[0].approvers)})",
            )
        )
    rule = bundle.rule(entry.rule)
    if rule is not None and not rule.waivable:
        out.append(("waiver.rule-not-waivable", f"{entry.rule} is marked waivable: false"))
    if any(s.require_ticket for s in layers) and not entry.ticket:
        out.append(("waiver.missing-ticket", f"{what} names no ticket, which the bundle requires"))
    return out


def _covers(waiver: LoadedWaiver, finding: Finding) -> bool:
    return (
        waiver.entry.rule == finding.rule
        and waiver.entry.workload == finding.workload
        and (waiver.manifests is None or finding.manifest in waiver.manifests)
    )


def apply_waivers(
    findings: list[Finding], waivers: Sequence[LoadedWaiver], bundle: Bundle, today: date
) -> list[Finding]:
    """Mark waived findings and add a finding for every wrong or stale waiver."""
    out = list(findings)
    for waiver in waivers:
        wrong = violations(waiver, bundle, today)
        matched = [i for i, f in enumerate(out) if _covers(waiver, f) and f.waiver is None]
        for rule_id, message in wrong:
            out.append(_waiver_finding(waiver, rule_id, message))
        if not matched:
            out.append(
                _waiver_finding(
                    waiver,
                    "waiver.stale",
                    f"the waiver of {waiver.entry.rule} for "
                    f"{waiver.entry.workload} matches no finding",
                )
            )
        if wrong:
            continue  # an invalid waiver waives nothing: fail closed
        record = Waiver(
            rule=waiver.entry.rule,
            workload=waiver.entry.workload,
            reason=waiver.entry.reason,
            approved_by=waiver.entry.approved_by,
            ticket=waiver.entry.ticket,
            expires=waiver.entry.expires,
            file=waiver.file,
            line=waiver.line,
        )
        for i in matched:
            out[i] = dataclasses.replace(out[i], waiver=record)
    out.sort(key=lambda f: f.sort_key)
    return out


def _waiver_finding(waiver: LoadedWaiver, rule_id: str, message: str) -> Finding:
    info = WAIVER_RULES[rule_id]
    return Finding(
        rule=rule_id,
        title=info.title,
        severity=info.severity,
        manifest=waiver.file,
        line=waiver.line,
        column=waiver.column,
        workload=waiver.entry.workload,
        message=message,
        remediation=info.remediation,
        references=("clearance waivers",),
        explanation=(Explanation("require", "waiver", info.title, waiver.entry.rule),),
    )
