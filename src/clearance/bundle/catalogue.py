"""The catalogue (models, providers, jurisdictions) and the licences, loaded once and indexed.

Shipped entries come first; a bundle's own catalogue and licence directories
add entries or override them by id. Cross-references (a model's licence and
ancestors, a provider's terms, a region's country, alias clashes) are checked
here so that resolution can trust them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError, PathPart, Problem, ProblemCollector, did_you_mean
from clearance.loading import inputs
from clearance.loading.files import Loaded, load_file
from clearance.loading.tree import locate

if TYPE_CHECKING:  # the models are imported where files are loaded: a snapshot needs none
    from clearance.schema.catalog import JurisdictionsFile, ModelEntry, ProviderEntry
    from clearance.schema.licence import LicenceFile

PARTIAL_ADEQUACY = "GDPR-ADEQUATE-PARTIAL"
NO_SAFEGUARD_NEEDED = "EEA-OR-ADEQUATE"
# The one region id every provider has: "may process anywhere", outside every jurisdiction.
GLOBAL_REGION = "global"


@dataclass(frozen=True)
class Origin:
    """Where an entry was defined, for positioned errors."""

    file: str
    raw: Any
    path: tuple[PathPart, ...]

    def problem(
        self, message: str, suggestion: str | None = None, sub: tuple[PathPart, ...] = ()
    ) -> Problem:
        line, col = locate(self.raw, (*self.path, *sub))
        return Problem(self.file, line, col, (*self.path, *sub), message, suggestion)


@dataclass
class Catalogue:
    models: dict[str, ModelEntry] = field(default_factory=dict)  # by lowercase id
    model_names: dict[str, str] = field(default_factory=dict)  # lowercase id/alias -> id
    providers: dict[str, ProviderEntry] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # code -> name
    group_names: dict[str, str] = field(default_factory=dict)
    groups_of: dict[str, frozenset[str]] = field(default_factory=dict)  # country/group -> groups
    licences: dict[str, Loaded[LicenceFile]] = field(default_factory=dict)
    licence_names: dict[str, str] = field(default_factory=dict)  # lowercase id/alias -> id
    jurisdictions: JurisdictionsFile | None = None
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def model(self, name: str) -> ModelEntry | None:
        canonical = self.model_names.get(name.lower())
        return self.models[canonical.lower()] if canonical else None

    def licence(self, name: str) -> Loaded[LicenceFile] | None:
        canonical = self.licence_names.get(name.lower())
        return self.licences[canonical] if canonical else None

    def places(self) -> set[str]:
        return set(self.countries) | set(self.group_names)

    def ancestors(self, model: ModelEntry) -> list[ModelEntry]:
        """Every ancestor through `base_model`, nearest first, each once."""
        out: list[ModelEntry] = []
        seen = {model.id.lower()}
        queue = list(model.base_model)
        while queue:
            parent = self.model(queue.pop(0))
            if parent is None or parent.id.lower() in seen:
                continue
            seen.add(parent.id.lower())
            out.append(parent)
            queue.extend(parent.base_model)
        return out


@dataclass
class Definitions:
    """Which layer defined each entry, every time one was defined (shipped data is
    layer -1): what a locked rule's protection needs to see redefinitions."""

    layer: int = -1
    seen: dict[tuple[str, str], list[tuple[int, Origin]]] = field(default_factory=dict)
    # a locked rule inside a licence file, by the layer that ships the file
    locked_licence_rules: list[tuple[int, str]] = field(default_factory=list)

    def define(self, kind: str, key: str, origin: Origin) -> None:
        self.seen.setdefault((kind, key), []).append((self.layer, origin))


def load_catalogue(
    catalog_dirs: Iterable[Path | tuple[Path, int]],
    licence_dirs: Iterable[Path | tuple[Path, int]],
    definitions: Definitions | None = None,
) -> Catalogue:
    """The catalogue from directories read in order (later ones override by id); a
    directory may come with the layer it belongs to, recorded in `definitions`."""
    cat = Catalogue()
    problems = ProblemCollector()
    defs = definitions or Definitions()
    for directory in catalog_dirs:
        _load_catalog_dir(cat, *_with_layer(directory, defs), problems)
    for directory in licence_dirs:
        _load_licence_dir(cat, *_with_layer(directory, defs), problems)
    problems.raise_if_any()
    _index(cat, problems)
    problems.raise_if_any()
    return cat


def _with_layer(entry: Path | tuple[Path, int], defs: Definitions) -> tuple[Path, Definitions]:
    directory, defs.layer = entry if isinstance(entry, tuple) else (entry, -1)
    return directory, defs


def _try_load(path: Path, model: Any, problems: ProblemCollector) -> Loaded[Any] | None:
    try:
        return load_file(path, model)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _inside(directory: Path, name: str, problems: ProblemCollector) -> Path | None:
    """`directory/name` when it is a file that does not link outside `directory`."""
    path = directory / name
    if not inputs.is_file(path):
        return None
    if not inputs.real(path).is_relative_to(inputs.real(directory)):
        problems.add(Problem(str(path), 1, 1, (), "links outside its directory; not read"))
        return None
    return path


def _load_catalog_dir(
    cat: Catalogue, directory: Path, defs: Definitions, problems: ProblemCollector
) -> None:
    from clearance.schema.catalog import JurisdictionsFile, ModelsFile, ProvidersFile

    models = _inside(directory, "models.yaml", problems)
    if models and (loaded := _try_load(models, ModelsFile, problems)):
        cat.files.append(models)
        for i, entry in enumerate(loaded.value.models):
            cat.models[entry.id.lower()] = entry
            origin = Origin(loaded.name, loaded.raw, ("models", i))
            cat.origins[("model", entry.id.lower())] = origin
            defs.define("model", entry.id.lower(), origin)
    providers = _inside(directory, "providers.yaml", problems)
    if providers and (loaded := _try_load(providers, ProvidersFile, problems)):
        cat.files.append(providers)
        for i, p in enumerate(loaded.value.providers):
            cat.providers[p.id] = p
            origin = Origin(loaded.name, loaded.raw, ("providers", i))
            cat.origins[("provider", p.id)] = origin
            defs.define("provider", p.id, origin)
    juris = _inside(directory, "jurisdictions.yaml", problems)
    if juris and (loaded := _try_load(juris, JurisdictionsFile, problems)):
        cat.files.append(juris)
        _merge_jurisdictions(cat, loaded, defs)


def _merge_jurisdictions(
    cat: Catalogue, loaded: Loaded[JurisdictionsFile], defs: Definitions
) -> None:
    from clearance.schema.catalog import JurisdictionsFile

    j = loaded.value
    if cat.jurisdictions is None:
        cat.jurisdictions = j
    else:  # an organisation's file adds countries, groups and decisions by id
        countries = {c.id: c for c in [*cat.jurisdictions.countries, *j.countries]}
        groups = {g.id: g for g in [*cat.jurisdictions.groups, *j.groups]}
        adequacy = {a.country: a for a in [*cat.jurisdictions.adequacy, *j.adequacy]}
        cat.jurisdictions = JurisdictionsFile(
            countries=list(countries.values()),
            groups=list(groups.values()),
            adequacy=list(adequacy.values()),
        )
    for i, g in enumerate(j.groups):
        cat.origins[("group", g.id)] = Origin(loaded.name, loaded.raw, ("groups", i))
        defs.define("group", g.id, cat.origins[("group", g.id)])
    for i, c in enumerate(j.countries):
        defs.define("country", c.id, Origin(loaded.name, loaded.raw, ("countries", i)))
    for i, a in enumerate(j.adequacy):
        defs.define(
            "adequacy decision", a.country, Origin(loaded.name, loaded.raw, ("adequacy", i))
        )


def _load_licence_dir(
    cat: Catalogue, directory: Path, defs: Definitions, problems: ProblemCollector
) -> None:
    from clearance.schema.licence import LicenceFile

    if not inputs.is_dir(directory):
        problems.add(Problem(str(directory), 1, 1, (), "licence directory does not exist"))
        return
    for path in (directory / n for n in inputs.names_in(directory) if n.endswith(".yaml")):
        if not inputs.real(path).is_relative_to(inputs.real(directory)):
            problems.add(Problem(str(path), 1, 1, (), "links outside its directory; not read"))
            continue
        loaded = _try_load(path, LicenceFile, problems)
        if loaded is None:
            continue
        cat.files.append(path)
        if loaded.value.id != path.stem:
            line, col = locate(loaded.raw, ("id",))
            problems.add(
                Problem(
                    loaded.name,
                    line,
                    col,
                    ("id",),
                    f"licence id {loaded.value.id!r} must match the file name {path.stem!r}",
                )
            )
        cat.licences[loaded.value.id] = loaded
        cat.origins[("licence", loaded.value.id)] = Origin(loaded.name, loaded.raw, ())
        defs.define("licence", loaded.value.id, cat.origins[("licence", loaded.value.id)])
        for k, spec in enumerate(loaded.value.rules):
            if spec.locked:
                line, _ = locate(loaded.raw, ("rules", k))
                defs.locked_licence_rules.append((defs.layer, f"{loaded.name}:{line}"))


def _index(cat: Catalogue, problems: ProblemCollector) -> None:
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
