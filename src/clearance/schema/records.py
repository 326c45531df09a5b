"""Plain stand-ins for validated pydantic models, for the paths that must not import pydantic.

A `Record` holds a model's fields under the same names and offers them as the
model does: by attribute, or as (name, value) pairs. Policy snapshots are read
back as records, and so are waivers files whose very bytes passed validation
before (the parse cache remembers that).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Record:
    """A validated model's fields, as the model offered them: by attribute, or as (name, value)."""

    __slots__ = ("__dict__", "_model")

    def __init__(self, model: str, fields: dict[str, Any]) -> None:
        self._model = model
        self.__dict__.update(fields)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.__dict__.items())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and self._model == other._model
            and self.__dict__ == other.__dict__
        )

    def __hash__(self) -> int:
        return hash((self._model, tuple(self.__dict__.items())))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{self._model}({fields})"


def _record(model: str, names: tuple[str, ...], values: tuple[Any, ...]) -> Record:
    return Record(model, dict(zip(names, values, strict=True)))
