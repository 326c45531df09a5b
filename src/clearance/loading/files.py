"""Read one YAML file and validate it against its pydantic model, keeping the raw tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from clearance.errors import InputError, Problem, ProblemCollector
from clearance.loading import inputs
from clearance.loading.tree import read_input_bytes

if TYPE_CHECKING:  # pydantic is imported only when a file is really loaded
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
SHIPPED_DIRS = ("policies", "licences", "catalog", "schemas")
# what a waivers file may be called, beside a manifest or in a bundle
WAIVER_FILE_NAMES = ("waivers.yaml", "waivers.yml")


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated file: the model, the positioned raw tree, and how to name the file."""

    value: M
    raw: Any
    name: str
    path: Path


def display_name(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it.

    Files shipped with clearance are named `clearance:licences/mit.yaml`, the same on
    every machine, so reports that cite them stay byte-identical across installs.
    """
    from clearance.resources import data_root

    root = data_root()
    # resolving costs a system call per path component; only a path that may lie in
    # the shipped data (clearance reaches its own files by their resolved path) is
    absolute = os.path.abspath(path)
    if absolute.startswith(str(root)):
        try:
            shipped = path.resolve().relative_to(root)
            if shipped.parts[0] in SHIPPED_DIRS:
                return "clearance:" + shipped.as_posix()
        except ValueError:
            pass
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_file(path: Path, model: type[M], name: str | None = None) -> Loaded[M]:
    """Read, parse (through the parse cache) and validate one bundle or catalogue file."""
    from clearance.loading import cache
    from clearance.loading.construct import construct
    from clearance.loading.validate import validate
    from clearance.loading.yaml_source import parse_yaml_bytes

    shown = name or display_name(path)
    data = read_input_bytes(path, shown)
    inputs.note_read(path, data)
    key = cache.key_for(data)
    raw, validated = cache.get_entry(key)
    if raw is not None and model.__name__ in validated:
        # these very bytes passed this model before: rebuild without validating
        return Loaded(construct(model, raw), raw, shown, path)
    if raw is None:
        raw = parse_yaml_bytes(data, shown)
        cache.put(key, raw)
    value = validate(model, raw, shown)
    cache.put(key, raw, validated | {model.__name__})
    return Loaded(value, raw, shown, path)


def load_collecting(path: Path, model: Any, problems: ProblemCollector) -> Loaded[Any] | None:
    """`load_file`, its problems added to `problems` (so every bad file is reported at once)."""
    try:
        return load_file(path, model)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def load_required(path: Path, model: Any, problems: ProblemCollector) -> Loaded[Any] | None:
    """`load_collecting` of a file the bundle must have: its absence is a problem too."""
    if not inputs.is_file(path):
        problems.add(Problem(str(path), 1, 1, (), f"the bundle has no {path.name}"))
        return None
    return load_collecting(path, model, problems)
