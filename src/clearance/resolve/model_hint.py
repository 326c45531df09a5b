"""What an unknown model's error says: the nearest models, each with its licence, and how
to declare a model the catalogue lacks.

A near name is not a near licence: `qwen2.5:72b` once drew `Qwen2.5-32B`, a
model under another licence, as its only suggestion. Candidates are ranked by
series (the name before its size: `qwen2.5`), then size (`72b`), then family,
then spelling, and every one shows its licence, so a suggestion under another
licence is never taken for the same model.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.resolve.own_models import Declared
    from clearance.schema.catalog import ModelEntry

SHOWN = 3
_SIZE = re.compile(r"(?<![a-z0-9.])(?:\d+x)?\d+(?:\.\d+)?[bm](?![a-z])")
_SEPARATORS = re.compile(r"[-_ .:/]+")
_LETTERS = re.compile(r"[a-z]+")
HOW_TO_DECLARE = (
    "declare it in this manifest's `models:` (id, licence, weights) or import its "
    "Hugging Face model card into your bundle with `clearance models import`"
)


def _short(name: str) -> str:
    return name.rsplit("/", 1)[-1].lower()


def series_and_size(name: str) -> tuple[str, str | None]:
    """`Qwen/Qwen2.5-72B-Instruct` -> ("qwen25", "72b"); `qwen2.5:72b` -> ("qwen25", "72b")."""
    short = _short(name)
    found = _SIZE.search(short)
    head = short[: found.start()] if found else short.split(":", 1)[0]
    return _SEPARATORS.sub("", head), found.group(0) if found else None


def _model_size(m: ModelEntry) -> set[str]:
    sizes = {s for s in (series_and_size(n)[1] for n in (m.id, *m.aliases)) if s}
    if m.parameters:
        first = _SIZE.search(m.parameters.lower().replace(" ", ""))
        if first:
            sizes.add(first.group(0))
    return sizes


def ranked(candidates: list[ModelEntry], name: str) -> list[tuple[str, ModelEntry]]:
    """The models nearest `name`, best first (at most SHOWN), each with the name (id or
    alias) that came nearest, or none close enough."""
    series, size = series_and_size(name)
    letters = _LETTERS.match(series)
    word = letters.group(0) if letters else ""
    scored = []
    for m in candidates:
        names = (m.id, *m.aliases)
        same_series = any(series_and_size(n)[0] == series for n in names) and bool(series)
        spelling, shown = max((_similar(name, n), n) for n in names)
        same_family = bool(word) and (m.family.startswith(word) or word.startswith(m.family))
        if not (same_series or spelling >= 0.6):
            continue
        same_size = size is not None and size in _model_size(m)
        scored.append(((same_series, same_size, same_family, spelling), shown, m))
    scored.sort(key=lambda t: (tuple(-float(x) for x in t[0]), t[2].id.lower()))
    return [(shown, m) for _, shown, m in scored[:SHOWN]]


def _similar(name: str, known: str) -> float:
    """How alike two names are; a bare name is compared with the other's last part."""
    other = known.lower() if "/" in name else _short(known)
    return difflib.SequenceMatcher(None, name.lower(), other).ratio()


def shown(name: str, m: ModelEntry) -> str:
    """A candidate as suggested: the alias it was found by (and its id), and its licence."""
    if name == m.id:
        return f"{m.id} (licence {m.licence})"
    return f"{name} ({m.id}, licence {m.licence})"


def unknown_model(cat: Catalogue, name: str, declared: Declared) -> tuple[str, str | None]:
    """(message, suggestion) for a workload naming a model neither the manifest nor the
    catalogue holds."""
    if len(name) > 200:  # no id is that long; comparing a huge value would take seconds
        return f"unknown model {name!r}: {HOW_TO_DECLARE}", None
    pool = [*declared.models.values(), *cat.models.values()]
    near = ranked(pool, name)
    hint = ", or ".join(shown(n, m) for n, m in near) or None
    return f"unknown model {name!r}: {HOW_TO_DECLARE}", hint
