"""The rules a waiver itself can break (expired, unapproved, too long, stale, …), as the
reports list them beside the bundle's rules."""

from __future__ import annotations

from dataclasses import dataclass

from clearance.evaluate.findings import RuleInfo


@dataclass(frozen=True)
class WaiverRuleInfo:
    id: str
    title: str
    severity: str
    remediation: str


# The checks on waivers themselves, reported like rules so every format can cite them.
WAIVER_RULES = {
    r.id: r
    for r in (
        WaiverRuleInfo(
            "waiver.expired",
            "A waiver past its expiry date waives nothing",
            "error",
            "Fix the finding, or renew the waiver with a new approval",
        ),
        WaiverRuleInfo(
            "waiver.approver-not-allowed",
            "A waiver is approved by someone the bundle allows",
            "error",
            "Have an approver listed in the bundle's waivers.approvers approve it",
        ),
        WaiverRuleInfo(
            "waiver.term-too-long",
            "A waiver lasts no longer than the bundle allows",
            "error",
            "Shorten the expiry to within the bundle's waivers.max_days",
        ),
        WaiverRuleInfo(
            "waiver.rule-not-waivable",
            "A rule marked waivable: false cannot be waived",
            "error",
            "Fix the finding; this rule admits no exception",
        ),
        WaiverRuleInfo(
            "waiver.missing-ticket",
            "A waiver names the ticket that granted it",
            "error",
            "Add the ticket of the approval to the waiver",
        ),
        WaiverRuleInfo(
            "waiver.stale",
            "A waiver matches a finding",
            "warning",
            "Remove the waiver: nothing it covers is broken any more",
        ),
    )
}


def waiver_rule_infos() -> list[RuleInfo]:
    return [
        RuleInfo(
            id=r.id,
            title=r.title,
            description=None,
            severity=r.severity,
            remediation=r.remediation,
            references=("clearance waivers",),
            waivable=False,
            licence=None,
            file="clearance:waivers",
            line=1,
        )
        for r in WAIVER_RULES.values()
    ]
