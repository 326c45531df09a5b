"""Read one of clearance's YAML files and validate it against its kind's schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from clearance.errors import InputError, Problem, ProblemCollector
from clearance.loading import inputs
from clearance.loading.tree import read_input_bytes

if TYPE_CHECKING:  # pydantic is imported only when a file is really loaded
    pass

M = TypeVar("M")  # a validated model, or its plain record (see kinds)
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


def load_kind(kind: str, path: Path, name: str | None = None) -> Loaded[Any]:
    """Read, parse (through the parse cache) and validate one file of a kind in `KINDS`.

    The one way clearance reads its own YAML formats (manifests aside, see `kinds`).
    """
    from clearance.loading import cache
    from clearance.loading.kinds import KINDS

    spec = KINDS[kind]
    shown = name or display_name(path)
    data = read_input_bytes(path, shown)
    inputs.note_read(path, data)
    key = cache.key_for(data)
    raw, validated = cache.get_entry(key)
    if raw is not None and spec.model in validated:
        # these very bytes passed this model before: rebuild without validating
        if spec.plain is not None:
            return Loaded(spec.plain(raw), raw, shown, path)
        from clearance.loading.construct import construct

        return Loaded(construct(spec.schema(), raw), raw, shown, path)
    from clearance.loading.validate import validate
    from clearance.loading.yaml_source import parse_yaml_bytes

    if raw is None:
        raw = parse_yaml_bytes(data, shown)
        cache.put(key, raw)
    value = validate(spec.schema(), raw, shown)
    cache.put(key, raw, validated | {spec.model})
    return Loaded(value, raw, shown, path)


def load_collecting(path: Path, kind: str, problems: ProblemCollector) -> Loaded[Any] | None:
    """`load_kind`, its problems added to `problems` (so every bad file is reported at once)."""
    try:
        return load_kind(kind, path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def load_required(path: Path, kind: str, problems: ProblemCollector) -> Loaded[Any] | None:
    """`load_collecting` of a file the bundle must have: its absence is a problem too."""
    if not inputs.is_file(path):
        problems.add(Problem(str(path), 1, 1, (), f"the bundle has no {path.name}"))
        return None
    return load_collecting(path, kind, problems)
