"""Rebuild pydantic models from data they already validated, without validating again.

The parse cache remembers which model each cached file passed. On a hit for
that model, the objects are assembled with `model_construct`, so pydantic
never builds a validator for the bundle, licence and catalogue formats on the
pre-commit path (building those ~35 validators is most of clearance's
start-up). Only strict data reaches here, so the one coercion to repeat is
the lax one: a quoted ISO date becomes a date.
"""

from __future__ import annotations

import types
import typing
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def construct(model: type[M], data: Any) -> M:
    values = {
        name: _convert(field.annotation, data[name])
        for name, field in model.model_fields.items()
        if name in data
    }
    return model.model_construct(**values)


def _convert(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _convert(typing.get_args(tp)[0], value)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        for member in members:  # the model member for a mapping, else the plain value
            if isinstance(value, dict) and _is_model(member):
                return construct(member, value)
        return _convert(members[0], value) if len(members) == 1 else value
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if origin is dict and isinstance(value, dict):
        _, item = typing.get_args(tp)
        return {k: _convert(item, v) for k, v in value.items()}
    if _is_model(tp) and isinstance(value, dict):
        return construct(tp, value)
    if tp is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
