"""A Hugging Face model card (README.md front matter) as a catalogue entry.

`clearance models import` reads what a card declares and nothing it does not:
the licence (`license`, or `license_name` when it is `other`) must name a
licence the catalogue holds, by id, alias, SPDX id or Hugging Face keyword
(`bundle/licence_names.py`); each `base_model` must be a model the catalogue
(or this import) holds, and becomes lineage (`base_model_relation` says how).
Anything else is an error at the card's `file:line:column`: a card whose
licence cannot be read is not imported under a guess.

The id is `--id` or, for a card in a Hugging Face cache
(`models--ORG--NAME/snapshots/REV/README.md`), ORG/NAME; the entry's source
is the card's path and revision, read today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.bundle.licence_names import HF_LIST, NOT_A_LICENCE, licence_id, licence_words
from clearance.errors import InputError, PathPart, Problem, UsageError, did_you_mean
from clearance.loading.files import display_name
from clearance.loading.tree import YDict, YList, decode_text, locate, read_input_bytes

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

_CACHE_PATH = re.compile(r"models--([^/\\]+?)--([^/\\]+)[/\\]snapshots[/\\]([^/\\]+)[/\\]")
_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
# Hugging Face's base_model_relation values -> the catalogue's lineage words
RELATIONS = {
    "finetune": "fine-tune",
    "quantized": "quantisation",
    "merge": "merge",
    "adapter": "adapter",
}
# pipeline_tag -> (input, output) modalities; a tag not here leaves them to the reader
PIPELINES: dict[str, tuple[list[str], list[str]]] = {
    "text-generation": (["text"], ["text"]),
    "text2text-generation": (["text"], ["text"]),
    "image-text-to-text": (["text", "image"], ["text"]),
    "image-to-text": (["image"], ["text"]),
    "text-to-image": (["text"], ["image"]),
    "automatic-speech-recognition": (["audio"], ["text"]),
    "text-to-speech": (["text"], ["audio"]),
    "feature-extraction": (["text"], ["embedding"]),
    "sentence-similarity": (["text"], ["embedding"]),
}
NOTES = "_notes"  # comments for the written entry, by key; not part of the entry
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Card:
    path: Path
    name: str  # as shown in messages
    model_id: str
    revision: str | None
    front: YDict


def card_id(path: Path, given: str | None) -> tuple[str, str | None]:
    """(ORG/NAME, revision or None) from `--id` or the card's cache path."""
    found = _CACHE_PATH.search(str(path.absolute()))
    revision = found.group(3) if found else None
    model_id = given or (f"{found.group(1)}/{found.group(2)}" if found else None)
    if model_id is None:
        raise UsageError(
            f"{path}: cannot tell the model's id from this path: give --id ORG/NAME "
            "(or import from a Hugging Face cache, models--ORG--NAME/snapshots/REV/README.md)"
        )
    if len(model_id) > 300 or not _ID.match(model_id):
        raise UsageError(f"--id {model_id!r}: a model id is ORG/NAME, as on Hugging Face")
    return model_id, revision


def read_card(path: Path, given_id: str | None) -> Card:
    """The card's front matter, read with positions (line numbers are the file's)."""
    model_id, revision = card_id(path, given_id)
    name = display_name(path)
    text = decode_text(read_input_bytes(path, name), name)
    fences = [m.start() for m, _ in zip(_FENCE.finditer(text), range(2), strict=False)]
    if not fences or fences[0] != 0 or len(fences) < 2:
        raise InputError([Problem(name, 1, 1, (), "no YAML front matter (--- ... ---) here")])
    from clearance.loading.yaml_source import load_yaml_text

    # the opening fence's line is kept, empty, so that positions are the file's own
    front = load_yaml_text("\n" + text[text.index("\n") + 1 : fences[1]], name)
    if not isinstance(front, YDict):
        raise InputError([Problem(name, 2, 1, (), "the front matter is not a mapping")])
    return Card(path, name, model_id, revision, front)


def entry_for(card: Card, cat: Catalogue, importing: set[str], today: date) -> dict[str, Any]:
    """The catalogue entry the card declares, as plain data; InputError naming each problem."""
    problems: list[Problem] = []

    def bad(path: tuple[PathPart, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(card.front, path) if path else (2, 1)
        problems.append(Problem(card.name, line, col, path, message, hint))

    front = card.front
    lid, quote = _licence(front, cat, bad)
    bases = _bases(front, cat, importing, bad)
    relation = front.get("base_model_relation")
    lineage = None
    if relation is not None:
        lineage = RELATIONS.get(relation) if isinstance(relation, str) else None
        if lineage is None:
            bad(
                ("base_model_relation",),
                f"unknown base_model_relation {relation!r}",
                did_you_mean(str(relation), RELATIONS),
            )
    if problems:
        raise InputError(problems)
    org, short = card.model_id.split("/", 1)
    parents = [cat.model(b) for b in bases]
    pipeline = front.get("pipeline_tag")
    modalities = PIPELINES.get(pipeline) if isinstance(pipeline, str) else None
    notes = {}
    if modalities is None:
        modalities = next(
            (
                ([*map(str, p.modalities.input)], [*map(str, p.modalities.output)])
                for p in parents
                if p
            ),
            None,
        )
        if modalities is None:  # the catalogue needs them: an assumption, said in the file
            modalities = (["text"], ["text"])
            notes["modalities"] = "assumed: the card names no pipeline_tag; check them"
    family = next((p.family for p in parents if p is not None), None) or _family(short)
    source: dict[str, Any] = {
        "url": f"https://huggingface.co/{card.model_id}",
        "as_of": today,
    }
    if card.revision:
        source["commit"] = card.revision
    source.update({"path": str(card.path), "level": "CARD", "section": "front matter"})
    source["quote"] = quote
    entry: dict[str, Any] = {
        "id": card.model_id,
        "name": short,
        "vendor": _lower_id(org),
        "family": family,
        "licence": lid,
        "weights": "open",
        "modalities": {"input": modalities[0], "output": modalities[1]},
    }
    if bases:
        entry["base_model"] = bases
    if lineage is not None:
        entry["lineage"] = lineage
    entry["source"] = source
    if notes:
        entry[NOTES] = notes
    return entry


def _licence(front: YDict, cat: Catalogue, bad: Any) -> tuple[str, str]:
    """(licence id, the card's words for it) or ("", "") after reporting why not."""
    written = front.get("license")
    if written is None:
        bad((), "the card names no licence (no `license:` in its front matter)")
        return "", ""
    if not isinstance(written, str):
        bad(("license",), "`license` is not one licence keyword")
        return "", ""
    key: tuple[PathPart, ...] = ("license",)
    quote = f"license: {written}"
    if written.lower() == "other":
        written = front.get("license_name")
        key = ("license_name",)
        if not isinstance(written, str):
            bad(("license",), "`license: other` without a `license_name` naming the licence")
            return "", ""
        quote += f"; license_name: {written}"
    lid = licence_id(cat, written)
    if lid is not None:
        return lid, quote
    if written.lower() in NOT_A_LICENCE:
        bad(key, f"{written!r} names no licence the catalogue could hold")
    elif written.lower() in HF_LIST:  # a real licence, not a misspelling: no near one offered
        bad(
            key,
            f"licence {written!r} (a Hugging Face licence keyword) is not in the catalogue: "
            "add its licence file to the bundle's licences/ first (with its terms and sources)",
        )
    else:
        bad(
            key,
            f"licence {written!r} is not in the catalogue: add its licence file to the "
            "bundle's licences/ first (with its terms and sources)",
            did_you_mean(written, list(licence_words(cat)), cutoff=0.8),
        )
    return "", ""


def _bases(front: YDict, cat: Catalogue, importing: set[str], bad: Any) -> list[str]:
    raw = front.get("base_model")
    if raw is None:
        return []
    items: list[tuple[tuple[PathPart, ...], Any]]
    if isinstance(raw, YList):
        items = [(("base_model", i), b) for i, b in enumerate(raw)]
    else:
        items = [(("base_model",), raw)]
    out = []
    for where, base in items:
        if not isinstance(base, str) or not base:
            bad(where, "a base model is a model id")
            continue
        entry = cat.model(base)
        if entry is not None:
            out.append(entry.id)
        elif base.lower() in importing:
            out.append(base)
        else:
            bad(
                where,
                f"base model {base!r} is not in the catalogue: import its card too "
                "(in the same command, or first)",
            )
    return list(dict.fromkeys(out))


def _lower_id(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._") or "unknown"


def _family(short: str) -> str:
    found = re.match(r"[a-z]+", short.lower())
    return found.group(0) if found else _lower_id(short)
