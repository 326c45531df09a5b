"""Index the loaded catalogue and check its cross-references, so that resolution can
trust them: a model's licence and ancestors, a provider's terms and regions, a
region's country, alias clashes, the jurisdictions' groups, loops in lineage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clearance.errors import Problem, ProblemCollector, did_you_mean

if TYPE_CHECKING:  # the models are imported where files are loaded: a snapshot needs none
    pass

from clearance.bundle.catalogue import (
    GLOBAL_REGION,
    NO_SAFEGUARD_NEEDED,
    PARTIAL_ADEQUACY,
    Catalogue,
)


def index(cat: Catalogue, problems: ProblemCollector) -> None:
    _index_places(cat, problems)
    _index_names(cat, problems)
    for key, model in cat.models.items():
        origin = cat.origins[("model", key)]
        if model.licence not in cat.licences:
            problems.add(
                origin.problem(
                    f"unknown licence {model.licence!r}",
                    did_you_mean(model.licence, cat.licences),
                    ("licence",),
                )
            )
        for i, base in enumerate(model.base_model):
            if base.lower() not in cat.model_names:
                problems.add(
                    origin.problem(
                        f"unknown base model {base!r}",
                        did_you_mean(base, _model_ids(cat)),
                        ("base_model", i),
                    )
                )
    for pid, provider in cat.providers.items():
        origin = cat.origins[("provider", pid)]
        if provider.terms is not None and provider.terms not in cat.licences:
            problems.add(
                origin.problem(
                    f"unknown licence {provider.terms!r} for terms",
                    did_you_mean(provider.terms, cat.licences),
                    ("terms",),
                )
            )
        if provider.kind == "api" and provider.terms is None:
            # a vendor API serving its own model is governed by its terms alone, so
            # without them a workload there would be governed by nothing
            problems.add(
                origin.problem(
                    f"API provider {pid!r} names no terms: a workload using its own "
                    "vendor's models there would be governed by nothing",
                    sub=("kind",),
                )
            )
        places = cat.places()
        for i, region in enumerate(provider.regions):
            where = region.country or region.area
            if region.id == GLOBAL_REGION:
                # "may process anywhere": a place would claim a bound the id denies
                if where is not None:
                    problems.add(
                        origin.problem(
                            "the region 'global' may process anywhere: it has no country or area",
                            sub=("regions", i),
                        )
                    )
            elif (region.country is None) == (region.area is None):
                problems.add(
                    origin.problem("a region has either a country or an area", sub=("regions", i))
                )
            elif where not in places:
                problems.add(
                    origin.problem(
                        f"unknown country or area {where!r}",
                        did_you_mean(str(where), places),
                        ("regions", i),
                    )
                )
        for i, profile in enumerate(provider.inference_profiles):
            where = profile.country or profile.area
            if profile.country is not None and profile.area is not None:
                problems.add(
                    origin.problem(
                        "an inference profile has a country, an area, or neither (anywhere)",
                        sub=("inference_profiles", i),
                    )
                )
            elif where is not None and where not in places:
                problems.add(
                    origin.problem(
                        f"unknown country or area {where!r}",
                        did_you_mean(str(where), places),
                        ("inference_profiles", i),
                    )
                )
        both = set(provider.agreements) & set(provider.agreements_not_offered)
        if both:
            problems.add(
                origin.problem(
                    f"agreements both offered and not offered: {', '.join(sorted(both))}",
                    sub=("agreements_not_offered",),
                )
            )
    _check_ancestry_cycles(cat, problems)


def _model_ids(cat: Catalogue) -> list[str]:
    return [m.id for m in cat.models.values()]


def _index_names(cat: Catalogue, problems: ProblemCollector) -> None:
    for key, model in cat.models.items():
        cat.model_names[key] = model.id
    for key, model in cat.models.items():
        for i, alias in enumerate(model.aliases):
            owner = cat.model_names.get(alias.lower())
            if owner is not None and owner != model.id:
                problems.add(
                    cat.origins[("model", key)].problem(
                        f"alias {alias!r} already names {owner}", sub=("aliases", i)
                    )
                )
            cat.model_names[alias.lower()] = model.id
    for lid in cat.licences:
        cat.licence_names[lid.lower()] = lid
    for lid, loaded in cat.licences.items():
        for i, alias in enumerate(loaded.value.aliases):
            owner = cat.licence_names.get(alias.lower())
            if owner is not None and owner != lid:
                problems.add(
                    cat.origins[("licence", lid)].problem(
                        f"alias {alias!r} already names licence {owner}", sub=("aliases", i)
                    )
                )
            cat.licence_names[alias.lower()] = lid


def _index_places(cat: Catalogue, problems: ProblemCollector) -> None:
    j = cat.jurisdictions
    if j is None:
        problems.add(Problem("catalog/jurisdictions.yaml", 1, 1, (), "no jurisdictions file found"))
        return
    cat.countries = {c.id: c.name for c in j.countries}
    cat.group_names = {g.id: g.name for g in j.groups}
    members: dict[str, set[str]] = {g.id: set(g.members) for g in j.groups}
    if j.adequacy:
        # Full adequacy makes a country GDPR-ADEQUATE; adequacy that covers only some
        # recipients (e.g. the US under the Data Privacy Framework) does not, since
        # whether a given provider is covered is not a fact the catalogue holds.
        members["GDPR-ADEQUATE"] = {a.country for a in j.adequacy if not a.partial}
        members[PARTIAL_ADEQUACY] = {a.country for a in j.adequacy if a.partial}
        cat.group_names.setdefault("GDPR-ADEQUATE", "Countries with a full GDPR adequacy decision")
        cat.group_names[PARTIAL_ADEQUACY] = (
            "Countries whose GDPR adequacy covers only some recipients"
        )
    includes = {g.id: set(g.includes) for g in j.groups}
    for g in j.groups:
        origin = cat.origins[("group", g.id)]
        if g.id == "GDPR-ADEQUATE" and j.adequacy:
            continue  # derived from the adequacy decisions above
        for i, code in enumerate(g.members):
            if code not in cat.countries:
                problems.add(
                    origin.problem(
                        f"unknown country {code!r}",
                        did_you_mean(code, cat.countries),
                        ("members", i),
                    )
                )
        for i, code in enumerate(g.includes):
            if code not in members:
                problems.add(
                    origin.problem(
                        f"unknown group {code!r}", did_you_mean(code, members), ("includes", i)
                    )
                )

    if "EEA" in members and "GDPR-ADEQUATE" in members:
        # where personal data may go without a transfer safeguard (GDPR Art. 44-45)
        members[NO_SAFEGUARD_NEEDED] = (
            _countries("EEA", members, includes) | members["GDPR-ADEQUATE"]
        )
        cat.group_names[NO_SAFEGUARD_NEEDED] = "The EEA and countries with full GDPR adequacy"

    def containing(place: str, seen: frozenset[str] = frozenset()) -> set[str]:
        direct = {gid for gid, m in members.items() if place in m}
        direct |= {gid for gid, inc in includes.items() if place in inc}
        out = set(direct)
        for gid in direct - seen:
            out |= containing(gid, seen | direct)
        return out

    expanded = {gid: _countries(gid, members, includes) for gid in members}
    for code in cat.countries:
        cat.groups_of[code] = frozenset(containing(code))
    for gid, countries in expanded.items():
        # a group lies within every other group holding all its countries (e.g. the
        # EEA-and-Switzerland area within the EEA-or-adequate zone)
        within = {
            other
            for other, held in expanded.items()
            if other != gid and countries and countries <= held
        }
        cat.groups_of[gid] = frozenset(containing(gid) | within)


def _countries(
    gid: str,
    members: dict[str, set[str]],
    includes: dict[str, set[str]],
    seen: frozenset[str] = frozenset(),
) -> set[str]:
    """Every country in a group, through the groups it includes."""
    out = set(members.get(gid, ()))
    for inner in includes.get(gid, set()) - seen:
        out |= _countries(inner, members, includes, seen | {gid})
    return out


def _check_ancestry_cycles(cat: Catalogue, problems: ProblemCollector) -> None:
    """Report each model whose `base_model` chain leads back to itself.

    A depth-first walk with its own stack, not Python's: a chain thousands of models
    deep is a catalogue like any other (it reached Python's recursion limit at 1,000).
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def bases(key: str) -> Iterator[str]:
        for base in cat.models[key].base_model:
            canonical = cat.model_names.get(base.lower())
            if canonical:
                yield canonical.lower()

    for root in cat.models:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, bases(root))]
        while stack:
            key, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                state[key] = 2
                stack.pop()
            elif state.get(child) == 1:  # back on the current path: a loop, reported once
                state[key] = 2
                stack.pop()
                problems.add(
                    cat.origins[("model", key)].problem(
                        f"base_model chain of {cat.models[key].id} loops back on itself",
                        sub=("base_model",),
                    )
                )
            elif child not in state:
                state[child] = 1
                stack.append((child, bases(child)))
