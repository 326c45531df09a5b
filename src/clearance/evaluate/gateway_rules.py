"""The drift check's rules: a manifest against the gateway configs it lists (`gateways:`).

They are clearance's own rules, like `terms.none-known` and the waiver checks:
no bundle file defines them, but every report describes them, `clearance
explain` explains them, and waivers, baselines and `--since` treat their
findings like any other. The comparison itself is `clearance.gateways.drift`;
this table lives here so that waivers and reports can name the rules without
importing any gateway code.
"""

from __future__ import annotations

from clearance.evaluate.findings import RuleInfo

UNDECLARED = "gateways.undeclared-deployment"
CONTRADICTION = "gateways.geography-contradiction"
UNKNOWN = "gateways.unknown-deployment"

_REFERENCES = ("clearance: gateway configs and drift (README, 'Gateway configs')",)


def _rule(rule_id: str, title: str, severity: str, description: str, fix: str) -> RuleInfo:
    return RuleInfo(
        id=rule_id,
        title=title,
        description=description,
        severity=severity,
        remediation=fix,
        references=_REFERENCES,
        waivable=True,
        licence=None,
        file="clearance:gateways",
        line=1,
    )


DRIFT_RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        _rule(
            UNDECLARED,
            "Every deployment a listed gateway routes to is declared by a workload",
            "error",
            "The gateway config routes to a model at a provider and region that no workload "
            "of the manifest declares (matched on the resolved model, the provider, and the "
            "region; a workload in region `global` declares every region of its provider). "
            "What runs is then judged by no rule.",
            "Declare a workload for it (`clearance import` writes one), or remove the "
            "deployment from the gateway config",
        ),
        _rule(
            CONTRADICTION,
            "A gateway processes data no wider than its workload declares",
            "error",
            "The deployment matches a workload, but its processing geography (a Bedrock "
            "cross-Region inference profile such as `global.` or `eu.`) reaches beyond the "
            "workload's declared region or profile, or outside its residency.",
            "Use the in-Region model id (or the profile the workload declares) in the gateway "
            "config, or declare the profile in the workload's model (`eu.anthropic.…`)",
        ),
        _rule(
            UNKNOWN,
            "A gateway deployment can be known from its config",
            "warning",
            "Part of what the deployment calls (its model, provider, region or endpoint) is "
            "read from the environment, a wildcard, a template or chosen at run time, so the "
            "check cannot compare it with the manifest. Unknown is not compliant.",
            "Write the model, provider and region into the gateway config, or waive this "
            "finding with the reason the deployment is known to be declared",
        ),
    )
}


def drift_rule_infos() -> list[RuleInfo]:
    return list(DRIFT_RULES.values())
