"""Load the catalogue (models, providers, jurisdictions) and the licences, in order.

Shipped entries come first; a bundle's own catalogue and licence directories
add entries or override them by id (what a locked rule reads may not be
overridden: see locks.py, which reads the `Definitions` recorded here).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.catalogue import Catalogue, Definitions, Origin
from clearance.bundle.catalogue_index import index
from clearance.errors import Problem, ProblemCollector
from clearance.loading import inputs
from clearance.loading.files import Loaded, load_collecting
from clearance.loading.tree import locate

if TYPE_CHECKING:
    from clearance.schema.catalog import JurisdictionsFile


def load_catalogue(
    catalog_dirs: Iterable[tuple[Path, int]],
    licence_dirs: Iterable[tuple[Path, int]],
    definitions: Definitions | None = None,
) -> Catalogue:
    """The catalogue from directories read in order (later ones override by id), each
    with the layer it belongs to (shipped data: -1), as `definitions` records them."""
    cat = Catalogue()
    problems = ProblemCollector()
    defs = definitions or Definitions()
    for directory, defs.layer in catalog_dirs:
        _load_catalog_dir(cat, directory, defs, problems)
    for directory, defs.layer in licence_dirs:
        _load_licence_dir(cat, directory, defs, problems)
    problems.raise_if_any()
    index(cat, problems)
    problems.raise_if_any()
    return cat


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

    models = _inside(directory, "models.yaml", problems)
    if models and (loaded := load_collecting(models, "models", problems)):
        cat.files.append(models)
        for i, entry in enumerate(loaded.value.models):
            cat.models[entry.id.lower()] = entry
            origin = Origin(loaded.name, loaded.raw, ("models", i))
            cat.origins[("model", entry.id.lower())] = origin
            defs.define("model", entry.id.lower(), origin)
    providers = _inside(directory, "providers.yaml", problems)
    if providers and (loaded := load_collecting(providers, "providers", problems)):
        cat.files.append(providers)
        for i, p in enumerate(loaded.value.providers):
            cat.providers[p.id] = p
            origin = Origin(loaded.name, loaded.raw, ("providers", i))
            cat.origins[("provider", p.id)] = origin
            defs.define("provider", p.id, origin)
    juris = _inside(directory, "jurisdictions.yaml", problems)
    if juris and (loaded := load_collecting(juris, "jurisdictions", problems)):
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

    if not inputs.is_dir(directory):
        problems.add(Problem(str(directory), 1, 1, (), "licence directory does not exist"))
        return
    for path in (directory / n for n in inputs.names_in(directory) if n.endswith(".yaml")):
        if not inputs.real(path).is_relative_to(inputs.real(directory)):
            problems.add(Problem(str(path), 1, 1, (), "links outside its directory; not read"))
            continue
        loaded = load_collecting(path, "licence", problems)
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
