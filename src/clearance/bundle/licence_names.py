"""Find a licence by any name people write for it: id, alias, SPDX id, Hugging Face keyword.

A manifest's own `models:` and `clearance models import` both take a licence as
written elsewhere; each name leads to a licence the catalogue holds, or to
nothing (the caller fails closed with did-you-mean). The Hugging Face keywords
are those of the Hub's licence list (docs/hub/repositories-licenses.md); only
those naming a licence the catalogue ships are mapped, and only when the
catalogue (a bundle may add licences) holds the licence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

# Hugging Face licence keyword -> licence id, where the id differs from the keyword and
# is not already an alias. Source: huggingface/hub-docs docs/hub/repositories-licenses.md
# @008d54d08fd9d5d05ed2840bebb0b61111326a15 ("Llama 2 Community License Agreement |
# `llama2`", "Open Rail++-M License | `openrail++`", "Gemma Terms of Use | `gemma`"), and
# hub-docs PR #1619 for the Llama 3 rows ("Llama 3 Community License Agreement | `llama3`",
# "`llama3.1`", "`llama3.2`", "Llama 3.3 Community License Agreement | `llama3.3`"), as of
# 2026-11-30.
HF_KEYWORDS: dict[str, str] = {
    "llama2": "llama-2",
    "llama3": "llama-3",
    "llama3.1": "llama-3.1",
    "llama3.2": "llama-3.2",
    "llama3.3": "llama-3.3",
    "openrail++": "creativeml-openrail-pp-m",
    "gemma": "gemma",
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "bigscience-openrail-m": "bigscience-openrail-m",
    "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0",
}
# Every keyword of that list: a real licence, not a misspelling of another, so never
# answered with a "did you mean" (`cc-by-4.0` is not `cc-by-nc-4.0`).
HF_LIST = frozenset(
    [
        "apache-2.0",
        "mit",
        "openrail",
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0",
        "bigcode-openrail-m",
        "afl-3.0",
        "artistic-2.0",
        "bsl-1.0",
        "bsd",
        "bsd-2-clause",
        "bsd-3-clause",
        "bsd-3-clause-clear",
        "c-uda",
        "cc",
        "cc0-1.0",
        "cc-by-2.0",
        "cc-by-2.5",
        "cc-by-3.0",
        "cc-by-4.0",
        "cc-by-sa-3.0",
        "cc-by-sa-4.0",
        "cc-by-nc-2.0",
        "cc-by-nc-3.0",
        "cc-by-nc-4.0",
        "cc-by-nd-4.0",
        "cc-by-nc-nd-3.0",
        "cc-by-nc-nd-4.0",
        "cc-by-nc-sa-2.0",
        "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0",
        "cdla-sharing-1.0",
        "cdla-permissive-1.0",
        "cdla-permissive-2.0",
        "wtfpl",
        "ecl-2.0",
        "epl-1.0",
        "epl-2.0",
        "etalab-2.0",
        "eupl-1.1",
        "agpl-3.0",
        "gfdl",
        "gpl",
        "gpl-2.0",
        "gpl-3.0",
        "lgpl",
        "lgpl-2.1",
        "lgpl-3.0",
        "isc",
        "lppl-1.3c",
        "ms-pl",
        "mpl-2.0",
        "odc-by",
        "odbl",
        "openrail++",
        "osl-3.0",
        "postgresql",
        "ofl-1.1",
        "ncsa",
        "unlicense",
        "zlib",
        "pddl",
        "lgpl-lr",
        "deepfloyd-if-license",
        "llama2",
        "llama3",
        "llama3.1",
        "llama3.2",
        "llama3.3",
        "gemma",
        "unknown",
        "other",
    ]
)
# Keywords of the Hub's list that name no one licence: `other` defers to
# `license_name`; `unknown` and the families are not a licence one could read.
NOT_A_LICENCE = frozenset({"other", "unknown", "openrail", "bsd", "cc", "gpl", "lgpl", "gfdl"})


def licence_id(cat: Catalogue, name: str) -> str | None:
    """The id of the licence `name` names in this catalogue, or None."""
    found = cat.licence(name)
    if found is not None:
        return found.value.id
    lowered = name.lower()
    for lid, loaded in cat.licences.items():
        if loaded.value.spdx is not None and loaded.value.spdx.lower() == lowered:
            return lid
    target = HF_KEYWORDS.get(lowered)
    return target if target is not None and target in cat.licences else None


def licence_words(cat: Catalogue) -> Iterable[str]:
    """Every name `licence_id` knows, for did-you-mean."""
    yield from cat.licences
    for loaded in cat.licences.values():
        yield from loaded.value.aliases
        if loaded.value.spdx:
            yield loaded.value.spdx
    yield from (k for k, lid in HF_KEYWORDS.items() if lid in cat.licences)
