"""Rules that turn on an organisation fact nobody set: judged in three values.

The shipped bundle knows nothing about the organisation that runs it, and a
bundle may leave facts out. A rule reading such a fact (the Llama 3.2 clause on
an EU domicile, a licence's monthly-active-user threshold, the GDPR's reach by
establishment) must not pass because the fact is missing: where the unknown fact
decides the outcome, the rule reports it, naming the fact and how to set it.
Where the rest of the rule settles the outcome either way, the unknown fact does
not matter and the rule is judged as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from clearance.evaluate.findings import UNKNOWN_EXPECTED, Explanation, Finding, explain_leaf
from clearance.schema.facts import FACT_SPECS, SLOT

if TYPE_CHECKING:
    from clearance.bundle.load import Bundle
    from clearance.policy.rules import Rule
    from clearance.resolve.resolver import ResolvedWorkload

ORGANISATION_FACTS = tuple(s.path for s in FACT_SPECS if s.path.startswith("organisation."))

# How a user sets each organisation fact: the organisation.yaml field and the
# `clearance init` option that writes it.
HOW_TO_SET: dict[str, tuple[str, str]] = {
    "organisation.domicile": ("domicile", "--domicile CC"),
    "organisation.domicile_groups": ("domicile", "--domicile CC"),
    "organisation.established_in": ("domicile", "--domicile CC"),
    "organisation.monthly_active_users": ("monthly_active_users", "--monthly-active-users N"),
    "organisation.annual_revenue_usd": ("annual_revenue_usd", ""),
    "organisation.name": ("name", ""),
}

Verdict = Literal["unknown", "not-applicable", "passed", "failed"]


def unknown_organisation_facts(bundle: Bundle) -> frozenset[str]:
    """The organisation facts this bundle leaves unset."""
    from clearance.resolve.places import established_in

    org = bundle.organisation
    sites = {s.id: s.country for s in org.sites}
    groups = bundle.catalogue.groups_of
    values: dict[str, Any] = {
        "organisation.name": org.name,
        "organisation.monthly_active_users": org.monthly_active_users,
        "organisation.annual_revenue_usd": org.annual_revenue_usd,
        "organisation.domicile": org.domicile,
        "organisation.domicile_groups": org.domicile,
        "organisation.established_in": established_in(org.domicile, sites, groups),
    }
    return frozenset(path for path, value in values.items() if value is None)


def rule_unknowns(rule: Rule, unknown: frozenset[str]) -> frozenset[str]:
    """The unknown facts the rule's conditions read (its message may name them freely)."""
    if not unknown:
        return frozenset()
    found: set[str] = set()
    for cond in (rule.when, rule.require):
        if cond is not None:
            found |= cond.unknown_paths(unknown)
    return frozenset(found)


def judge_unknown(rule: Rule, record: tuple[Any, ...], unknown: frozenset[str]) -> Verdict:
    applies = True if rule.when is None else rule.when.maybe(record, unknown)
    if applies is False:
        return "not-applicable"
    # no `require`: the rule forbids outright what its `when` describes
    holds = False if rule.require is None else rule.require.maybe(record, unknown)
    if holds is True:
        return "passed"
    if applies is None or holds is None:
        return "unknown"
    return "failed"


def unknown_finding(
    rule: Rule,
    rw: ResolvedWorkload,
    record: tuple[Any, ...],
    needs: frozenset[str],
    severity: str,
) -> Finding:
    facts = sorted(needs)
    fields = sorted({HOW_TO_SET.get(p, (p.split(".", 1)[1], ""))[0] for p in facts})
    options = sorted({HOW_TO_SET[p][1] for p in facts if HOW_TO_SET.get(p, ("", ""))[1]})
    init = f"clearance init {' '.join(options)}" if options else "clearance init"
    explanation: list[Explanation] = []
    if rule.when is not None:
        explanation.extend(
            explain_leaf("when", r, record)
            for r in rule.when.results(record)
            if r.holds and r.leaf.path not in needs and r.leaf.operand_fact not in needs
        )
    explanation.extend(Explanation("when", path, UNKNOWN_EXPECTED, None) for path in facts)
    reads = rule.reads_licence or rule.licence is not None
    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=severity,
        manifest=rw.manifest.name,
        line=rw.line,
        column=rw.column,
        workload=rw.workload.id,
        message=f"{rw.workload.id}: clearance cannot tell whether {rule.id} ({rule.title}) "
        f"is met, because it depends on {_and(facts)}, which the organisation has not "
        "set; it is not assumed either way",
        remediation=f"Run `{init}` to write the policy bundle's organisation.yaml, or set "
        f"{_and(fields)} in the organisation.yaml of the bundle that judges this repository",
        references=tuple(ref.render(record) for ref in rule.references),
        explanation=tuple(explanation),
        licence=record[SLOT["licence.id"]] if reads else None,
        via=record[SLOT["licence.via"]] if reads else None,
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
