"""Read one YAML file and validate it against its pydantic model, keeping the raw tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from clearance.loading.validate import validate
from clearance.loading.yaml_source import read_yaml_file

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated file: the model, the positioned raw tree, and how to name the file."""

    value: M
    raw: Any
    name: str
    path: Path


def display_name(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_file(path: Path, model: type[M], name: str | None = None) -> Loaded[M]:
    shown = name or display_name(path)
    raw = read_yaml_file(path, shown)
    return Loaded(validate(model, raw, shown), raw, shown, path)
