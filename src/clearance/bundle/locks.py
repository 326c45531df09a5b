"""A locked rule judges with the knowledge of the bundle that locked it.

`locked: true` stops a child bundle from redefining, lowering or disabling a
rule (layers.py). A rule is only as strong as the facts it reads, though: a
team bundle that ships its own `licences/mit.yaml` without rules, gives a
catalogue model another licence, a provider an agreement, a country another
group, or the organisation another domicile, weakens the rule without touching
it. So once a layer locks a rule, nothing that layer (or anything beneath it,
shipped data included) defines may be redefined by a layer above it; a child
may only add. Each refusal names both files.

The guarantee, tested as a property: on any manifest both can judge, the
findings of locked rules under the child include those under the parent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import Definitions
from clearance.errors import Problem, ProblemCollector
from clearance.loading.tree import locate

if TYPE_CHECKING:
    from clearance.loading.files import Loaded
    from clearance.schema.bundle import OrganisationFile

# organisation facts a child may differ in: its name (shown, never judged) and
# its own sites (new on-prem regions: a parent knows none of them, so cannot judge
# a manifest that uses one)
_FREE_ORGANISATION_FIELDS = {"name", "sites"}


def locking_layers(locked_rules: dict[int, str], definitions: Definitions) -> dict[int, str]:
    """Every layer that locks a rule, with where the first of its locked rules is."""
    out = dict(locked_rules)
    for layer, where in definitions.locked_licence_rules:
        out.setdefault(layer, where)
    return out


def check_redefinitions(
    definitions: Definitions, locks: dict[int, str], problems: ProblemCollector
) -> None:
    """Refuse a definition that replaces one from a layer at or below a locking layer."""
    if not locks:
        return
    for (kind, key), defined in definitions.seen.items():
        for n, (layer, origin) in enumerate(defined):
            lock = _lock_below(layer, locks)
            if lock is None:
                continue
            lock_layer, lock_where = lock
            earlier = [(lay, o) for lay, o in defined[:n] if lay <= lock_layer]
            if not earlier:
                continue
            first = earlier[-1][1]
            line, _ = locate(first.raw, first.path) if first.raw is not None else (1, 1)
            problems.add(
                origin.problem(
                    f"{kind} {key!r} is already defined at {first.file}:{line}, and a parent "
                    f"bundle locks rules ({lock_where}): what a locked rule judges by may "
                    "be added to, never redefined"
                )
            )


def check_organisation(
    organisations: list[tuple[int, Loaded[OrganisationFile]]],
    locks: dict[int, str],
    problems: ProblemCollector,
) -> None:
    """A child's organisation.yaml keeps every fact of the one a locking layer judged by."""
    for n, (layer, child) in enumerate(organisations):
        lock = _lock_below(layer, locks)
        if lock is None:
            continue
        judged = [loaded for lay, loaded in organisations[:n] if lay <= lock[0]]
        if not judged:
            continue
        parent = judged[-1]
        for name in type(parent.value).model_fields:
            if name in _FREE_ORGANISATION_FIELDS:
                continue
            ours, theirs = getattr(child.value, name), getattr(parent.value, name)
            # a fact the locking layer left unknown may be set below it: knowing more
            # weakens no rule (an unknown fact is reported, never assumed)
            if ours != theirs and theirs is not None:
                _refuse_fact(problems, child, parent, name, lock[1])
        kept = {site.id: site for site in parent.value.sites}
        for site in child.value.sites:
            if site.id in kept and site != kept[site.id]:
                _refuse_fact(problems, child, parent, "sites", lock[1])


def _refuse_fact(
    problems: ProblemCollector,
    child: Loaded[Any],
    parent: Loaded[Any],
    name: str,
    lock_where: str,
) -> None:
    line, col = locate(child.raw, (name,))
    parent_line, _ = locate(parent.raw, (name,))
    problems.add(
        Problem(
            child.name,
            line,
            col,
            (name,),
            f"organisation fact {name!r} differs from {parent.name}:{parent_line}, and a parent "
            f"bundle locks rules ({lock_where}): a locked rule judges by the parent's facts",
        )
    )


def _lock_below(layer: int, locks: dict[int, str]) -> tuple[int, str] | None:
    """The highest locking layer beneath `layer`, if any."""
    below = [lay for lay in locks if lay < layer]
    if not below:
        return None
    top = max(below)
    return top, locks[top]
