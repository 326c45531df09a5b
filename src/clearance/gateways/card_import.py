"""`clearance models import`: model-card entries written into a bundle's catalogue.

The bundle's first catalogue directory (`catalog:` in bundle.yaml) holds the
models file; when the bundle has none, `catalog/models.yaml` is created and
registered. Existing files are edited with ruamel.yaml, so their comments and
order stay. Importing a card again changes nothing unless the card did: an
entry equal to the card's but for its `as_of` is left as it is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.errors import InputError, Problem, UsageError
from clearance.gateways.model_card import NOTES, Card, entry_for, read_card
from clearance.loading.tree import YDict, read_input_bytes

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

_HEADER = (
    "Models imported by `clearance models import` from Hugging Face model cards;\n"
    "each entry's source is its card. Edit freely: a re-import keeps comments."
)
DEFAULT_DIR = "catalog"


@dataclass
class Imported:
    writes: list[tuple[Path, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)  # what each overriding entry replaces
    models_file: Path | None = None

    def summary(self) -> list[str]:
        counts = (
            f"{self.models_file}: {len(self.added)} model(s) added, {len(self.updated)} "
            f"updated, {len(self.unchanged)} unchanged"
        )
        return [counts] + [
            f"note: the bundle's entry overrides the catalogue's {o}" for o in self.overrides
        ]


def import_cards(
    paths: Sequence[Path], given_id: str | None, bundle: Path, cat: Catalogue, today: date
) -> Imported:
    """What to write into `bundle` for the cards at `paths`; InputError naming every problem."""
    if given_id is not None and len(paths) != 1:
        raise UsageError("--id names one model: import one card with it")
    cards = [read_card(p, given_id) for p in paths]
    importing = {c.model_id.lower() for c in cards}
    entries: list[tuple[Card, dict[str, Any]]] = []
    problems: list[Problem] = []
    for card in cards:
        try:
            entries.append((card, entry_for(card, cat, importing, today)))
        except InputError as exc:
            problems.extend(exc.problems)
        known = cat.model(card.model_id)
        if (
            known is not None
            and known.id != card.model_id
            and known.id.lower() != (card.model_id.lower())
        ):
            problems.append(
                Problem(
                    card.name,
                    1,
                    1,
                    (),
                    f"{card.model_id} is an alias of {known.id} in the catalogue: "
                    f"import it with --id {known.id} to replace that entry",
                )
            )
    if problems:
        raise InputError(problems)
    _validate(entries)
    return _merge(bundle, entries, cat)


def _validate(entries: list[tuple[Card, dict[str, Any]]]) -> None:
    """Each entry as the catalogue's own format checks it (a name or vendor too long...)."""
    from pydantic import ValidationError

    from clearance.schema.catalog import ModelEntry

    problems = []
    for card, entry in entries:
        plain = {k: v for k, v in entry.items() if k != NOTES}
        try:
            ModelEntry.model_validate(plain, strict=False)
        except ValidationError as exc:  # worded against the card: its values made the entry
            for err in exc.errors(include_url=False):
                where = ".".join(str(part) for part in err["loc"])
                message = f"the entry's {where} would be invalid: {err['msg']}"
                problems.append(Problem(card.name, 1, 1, (), message))
    if problems:
        raise InputError(problems)


def _merge(bundle: Path, entries: list[tuple[Card, dict[str, Any]]], cat: Catalogue) -> Imported:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out = Imported()
    bundle_file = bundle / "bundle.yaml"
    yaml, config = _load(bundle_file)
    dirs = config.get("catalog")
    if not dirs:
        config["catalog"] = CommentedSeq([DEFAULT_DIR])
        config["catalog"].fa.set_flow_style()
        out.writes.append((bundle_file, _dump(yaml, config)))
        directory = DEFAULT_DIR
    else:
        directory = str(dirs[0])
    models_file = bundle / directory / "models.yaml"
    if models_file.exists():
        _, data = _load(models_file)
        if data.get("models") is None:
            data["models"] = CommentedSeq()
    else:
        data = CommentedMap()
        data.yaml_set_start_comment(_HEADER)
        data["models"] = CommentedSeq()
    models = data["models"]
    if not isinstance(models, list):  # (a file the bundle does not register yet: unchecked)
        raise InputError([Problem(str(models_file), 1, 1, ("models",), "'models' is not a list")])
    index = {str(m.get("id", "")).lower(): i for i, m in enumerate(models) if isinstance(m, dict)}
    for _, entry in entries:
        mid = entry["id"]
        written = _commented(entry, CommentedMap, CommentedSeq)
        at = index.get(mid.lower())
        if at is None:
            shipped = cat.model(mid)
            if shipped is not None:
                out.overrides.append(f"{mid} (licence {shipped.licence} -> {entry['licence']})")
            models.append(written)
            index[mid.lower()] = len(models) - 1
            out.added.append(mid)
        elif _same(models[at], entry):
            out.unchanged.append(mid)
        else:
            models[at] = written
            out.updated.append(mid)
    out.models_file = models_file
    if out.added or out.updated:
        out.writes.append((models_file, _dump(yaml, data)))
    else:
        out.writes = []  # nothing to add: the bundle stays exactly as it was
    return out


def _load(path: Path) -> tuple[Any, Any]:
    from ruamel.yaml import YAML

    from clearance.loading.files import display_name
    from clearance.loading.tree import decode_text
    from clearance.loading.yaml_source import load_yaml_text

    name = display_name(path)
    text = decode_text(read_input_bytes(path, name), name)
    tree = load_yaml_text(text, name)  # clearance's guarded reader first: bombs, tags, duplicates
    if not isinstance(tree, YDict):
        raise InputError([Problem(name, 1, 1, (), "expected a mapping")])
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml, yaml.load(text)


def _dump(yaml: Any, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _commented(entry: dict[str, Any], mapping: Any, sequence: Any) -> Any:
    notes = entry.get(NOTES, {})
    out = mapping()
    for key, value in entry.items():
        if key == NOTES:
            continue
        if isinstance(value, dict):
            value = _commented(value, mapping, sequence)
        elif isinstance(value, list):
            value = sequence(value)
            value.fa.set_flow_style()
        out[key] = value
    for key, note in notes.items():
        out.yaml_add_eol_comment(note, key)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != NOTES}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, date) else value


def _same(have: Any, entry: dict[str, Any]) -> bool:
    """Equal but for when it was read: a re-import of an unchanged card changes nothing."""
    old, new = _plain(have), _plain(entry)
    if isinstance(old, dict) and isinstance(old.get("source"), dict):
        old["source"].pop("as_of", None)
    new["source"].pop("as_of", None)
    return bool(old == new)
