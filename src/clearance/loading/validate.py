"""Validate parsed YAML with a pydantic model and position every error.

Pydantic says *what* is wrong and at which key path; the positioned YAML tree
says *where*. Unknown keys get a "did you mean" drawn from the model's fields,
and a wrong literal gets one drawn from the allowed values.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from clearance.errors import InputError, PathPart, Problem, did_you_mean
from clearance.loading.tree import YDict, locate

M = TypeVar("M", bound=BaseModel)
# What `clearance import` writes where only a person can answer (clearance.gateways.importer):
# refused by every field it stands in, and named as a placeholder rather than a bad value.
PLACEHOLDER = "FILL-ME"
PLACEHOLDER_MESSAGE = (
    f"{PLACEHOLDER} is a placeholder left by `clearance import` or `clearance init`: fill it in"
)


def validate(model: type[M], data: Any, file: str, *, base: Sequence[PathPart] = ()) -> M:
    """Return `model` built from `data`, or raise InputError naming every problem."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        raise InputError([Problem(file, 1, 1, tuple(base), f"expected a mapping, found {kind}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, model, data, file, base=base)) from None


def problems_from(
    exc: ValidationError,
    model: type[BaseModel],
    data: Any,
    file: str,
    *,
    base: Sequence[PathPart] = (),
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        raw_loc = err["loc"]
        suggestion = None
        if err["type"] == "invalid_key":  # the key itself is wrong (1:, ~:, true:)
            parent = _clean_loc(raw_loc[:-1], data)
            line, col = _key_position(data, parent, err.get("input"))
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    tuple(base) + parent,
                    f"keys should be strings, found {err.get('input')!r}",
                )
            )
            continue
        loc = _clean_loc(raw_loc, data)
        kind = err["type"]
        if kind == "extra_forbidden":
            line, col = locate(data, loc, key=True)
            fields = _fields_at(model, loc[:-1])
            suggestion = did_you_mean(str(loc[-1]), fields) if fields else None
            allowed = ", ".join(sorted(fields)) if fields else ""
            message = f"unknown field {loc[-1]!r}" + (f"; allowed: {allowed}" if allowed else "")
        elif kind == "missing":
            line, col = locate(data, loc[:-1])
            message = f"required field {loc[-1]!r} is missing"
        elif err.get("input") == PLACEHOLDER:
            line, col = locate(data, loc)
            message = PLACEHOLDER_MESSAGE
        else:
            line, col = locate(data, loc)
            message = _describe(err)
            if kind == "literal_error":
                allowed_values = _literal_values(err)
                value = err.get("input")
                if isinstance(value, str) and allowed_values:
                    suggestion = did_you_mean(value, allowed_values)
        problems.append(Problem(file, line, col, tuple(base) + loc, message, suggestion))
    return problems


def _key_position(data: Any, parent: tuple[PathPart, ...], key: Any) -> tuple[int, int]:
    """Where a (non-text) key sits: pydantic's location coerces it (True becomes 1)."""
    node = data
    for part in parent:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return locate(data, parent)
    if isinstance(node, YDict) and key in node.key_pos:
        return node.key_pos[key]
    return locate(data, parent)


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> tuple[PathPart, ...]:
    """The error's path in the document, without pydantic's union-member tags.

    pydantic inserts names such as `list[str]` or `function-after[...]` for the
    member of a union it tried; a user's own key may look alike (`"data[0]": x`),
    so a part is dropped only where the document has no such key.
    """
    out: list[PathPart] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif any(c in part for c in "[]()") and _is_union_tag(part):
            continue
        else:
            out.append(part)
            node = None
    return tuple(out)


def _is_union_tag(part: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9_-]*\[.*\]$", part)) or part.startswith("function-")


def _describe(err: Any) -> str:
    value = err.get("input")
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    msg = str(err["msg"])
    if isinstance(value, (YDict, list)) or value is None:
        found = "nothing" if value is None else f"a {_kind(value)}"
        return f"{msg[0].lower()}{msg[1:]}, found {found}"
    return f"{msg[0].lower()}{msg[1:]}, found {shown} ({_kind(value)})"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    return type(value).__name__


def _literal_values(err: Any) -> list[str]:
    expected = err.get("ctx", {}).get("expected", "")
    return [
        part.strip().strip("'")
        for part in str(expected).replace(" or ", ",").split(",")
        if part.strip()
    ]


def _fields_at(model: type[BaseModel], loc: Sequence[PathPart]) -> list[str]:
    """The field names of the pydantic model reached by following `loc`."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Optional, list[...], dict[..., X] and Annotated down to the inner model."""
    for _ in range(10):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = (
                models[0]
                if len(models) == 1
                else next(
                    (a for a in models if isinstance(a, type) and issubclass(a, BaseModel)),
                    models[0],
                )
            )
        elif origin in (list, tuple, set, frozenset):
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return tp
    return tp
