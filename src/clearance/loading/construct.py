"""Rebuild pydantic models from data they already validated, without validating again.

The parse cache remembers which model each cached file passed. On a hit for
that model, the objects are assembled with `model_construct`, so pydantic
never builds a validator for the bundle, licence and catalogue formats on the
pre-commit path (building those ~35 validators is most of clearance's
start-up). Only strict data reaches here, so the one coercion to repeat is
the lax one: a quoted ISO date becomes a date. The way to convert each
field is worked out once per model and kept.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
Convert = Callable[[Any], Any]


def construct(model: type[M], data: Any) -> M:
    plan = _plan(model)
    return model.model_construct(**{name: conv(data[name]) for name, conv in plan if name in data})


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, Convert], ...]:
    return tuple((name, _converter(field.annotation)) for name, field in model.model_fields.items())


def _same(value: Any) -> Any:
    return value


def _converter(tp: Any) -> Convert:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _converter(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        models = [m for m in members if _is_model(m)]
        inner = _converter(members[0]) if len(members) == 1 else _same

        def union(value: Any) -> Any:
            if value is None:
                return None
            if models and isinstance(value, dict):  # a mapping is the model member
                return construct(models[0], value)
            return inner(value)

        return union
    if origin is list:
        item = _converter(typing.get_args(tp)[0])
        if item is _same:
            return _same
        return lambda value: [item(v) for v in value] if isinstance(value, list) else value
    if origin is dict:
        item = _converter(typing.get_args(tp)[1])
        if item is _same:
            return _same
        return lambda value: (
            {k: item(v) for k, v in value.items()} if isinstance(value, dict) else value
        )
    if _is_model(tp):
        return lambda value: construct(tp, value) if isinstance(value, dict) else value
    if tp is date:
        return lambda value: date.fromisoformat(value) if isinstance(value, str) else value
    return _same


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
