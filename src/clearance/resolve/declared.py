"""A manifest's own models (`models:`), checked and made into catalogue-shaped entries.

A declared model's licence is the manifest's word, not the catalogue's: every
fact record built from one carries `model.declared_by: manifest`, and the
licence it brings in is shown `via` "<id> (licence declared by <manifest>)" in
findings and in the audit. Fail closed: an unknown licence name, an unknown
base model, an id given twice, or an id or alias the catalogue already holds is
an error at its `file:line:column`; a manifest must not relicense a catalogue
model by declaring it again.

Declared models are manifest input: they never enter the bundle, its snapshot
or the catalogue; the resolver keys what it builds from one by the manifest
(`Declared.key`), so two manifests declaring one id never share a context.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from clearance.bundle.licence_names import HF_LIST, NOT_A_LICENCE, licence_id, licence_words
from clearance.errors import PathPart, Problem, ProblemCollector, did_you_mean
from clearance.resolve.own_models import UNKNOWN, Declared

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.manifest.load import LoadedManifest
    from clearance.manifest.records import DeclaredModelRecord
    from clearance.schema.catalog import ModelEntry


@dataclass(frozen=True)
class DeclaredModalities:
    input: list[str]
    output: list[str]


@dataclass(frozen=True)
class DeclaredSource:
    url: str
    as_of: date
    level: str
    commit: str | None = None
    path: str | None = None
    section: str | None = None
    quote: str | None = None


@dataclass(eq=False)
class DeclaredEntry:
    """A declared model with the fields of a catalogue entry (`schema.catalog.ModelEntry`)
    that later stages read; what the manifest does not say is unknown."""

    id: str
    name: str
    vendor: str
    family: str
    licence: str
    weights: str
    modalities: DeclaredModalities
    base_model: list[str]
    source: DeclaredSource
    released: date | None = None
    parameters: str | None = None
    lineage: str | None = None
    aliases: list[str] = field(default_factory=list)


def declared_models(cat: Catalogue, lm: LoadedManifest, problems: ProblemCollector) -> Declared:
    """The manifest's own models; each problem found is added to `problems`."""
    out = Declared(lm.name, (lm.name, lm.digest))
    records = lm.manifest.models
    if not records:
        return out

    def bad(i: int, sub: tuple[PathPart, ...], message: str, hint: str | None = None) -> None:
        path: tuple[PathPart, ...] = ("models", i, *sub)
        line, col = lm.position(*path)
        problems.add(Problem(lm.name, line, col, path, message, hint))

    # plain records shaped like catalogue entries: a manifest's own models must not cost
    # the check pydantic's import (0.4 s) on the pre-commit path
    source = DeclaredSource(url=lm.name, as_of=date.today(), level="DECLARED")
    seen: dict[str, int] = {}
    ok: list[tuple[int, DeclaredModelRecord, str]] = []
    for i, d in enumerate(records):
        key = d.id.lower()
        if key in seen:
            bad(i, ("id",), f"model {d.id!r} is declared twice (first at models[{seen[key]}])")
            out.refused.add(key)
            continue
        seen[key] = i
        shadowed = cat.model(d.id)
        if shadowed is not None:
            bad(
                i,
                ("id",),
                f"{d.id!r} is already in the catalogue as {shadowed.id} under licence "
                f"{shadowed.licence}: name it in a workload as it is, or fix its entry in "
                "your bundle's catalogue; a manifest cannot declare it again",
            )
            out.refused.add(key)
            continue
        lid = _licence(cat, d.licence, functools.partial(bad, i, ("licence",)))
        if lid is not None:
            ok.append((i, d, lid))
        else:
            out.refused.add(key)
    for _, d, lid in ok:
        inputs, outputs = d.modalities if d.modalities is not None else ([], [])
        entry = DeclaredEntry(
            id=d.id,
            name=d.id,
            vendor=UNKNOWN,
            family=d.family or UNKNOWN,
            licence=lid,
            weights=d.weights,
            modalities=DeclaredModalities(list(inputs), list(outputs)),
            base_model=list(d.base_model),
            source=source,
        )
        out.models[d.id.lower()] = cast("ModelEntry", entry)
    known = {*out.models, *(k for k in cat.model_names)}
    for i, d, _ in ok:
        for j, base in enumerate(d.base_model):
            if base.lower() not in known:
                candidates = [*(m.id for m in out.models.values()), *_ids(cat)]
                bad(
                    i,
                    ("base_model", j) if isinstance(_raw_base(lm, i), list) else ("base_model",),
                    f"unknown base model {base!r}",
                    did_you_mean(base, candidates),
                )
    for model in out.models.values():  # not given: its nearest known ancestor's family
        if model.family == UNKNOWN:
            found = (a.family for a in cat.ancestors(model, out.model) if a.family != UNKNOWN)
            cast(DeclaredEntry, model).family = next(found, UNKNOWN)
    return out


def _raw_base(lm: LoadedManifest, i: int) -> Any:
    """The `base_model` as written (a string or a list), to place an error inside it."""
    raw = lm.positioned().raw
    try:
        return raw["models"][i].get("base_model")
    except (TypeError, KeyError, IndexError, AttributeError):  # no tree (a synthetic manifest)
        return None


def _ids(cat: Catalogue) -> list[str]:
    return [m.id for m in cat.models.values()]


def _licence(cat: Catalogue, name: str, bad: Any) -> str | None:
    lid = licence_id(cat, name)
    if lid is not None:
        return lid
    lowered = name.lower()
    if lowered in NOT_A_LICENCE:
        bad(
            f"{name!r} names no licence: give the model's licence by its id, an SPDX id "
            "or a Hugging Face licence keyword",
            None,
        )
    elif lowered in HF_LIST:  # a real licence, not a misspelling: no near one offered
        bad(
            f"licence {name!r} (a Hugging Face licence keyword) is not in the catalogue: "
            "add its licence file to your bundle's licences/",
            None,
        )
    else:
        bad(
            f"unknown licence {name!r}: add it to your bundle's licences/ if it is not "
            "a misspelling",
            did_you_mean(name, list(licence_words(cat))),
        )
    return None
