"""The rule operators: one registry entry each, holding all the compiler knows of it.

An entry says which facts the operator reads (`reads`), what literal operand it
takes (`operand`), which other facts it may be compared with (`compares`),
whether a literal is checked against the fact's known values (`domain`), and
how to build its test for a literal operand (`literal`) and between two facts
(`between`). Adding an operator is adding one entry here; the condition
compiler, the JSON Schema and the documentation read this table.

Every test is None-safe and fails closed: a fact nobody set satisfies no clause
but the negative ones (`not_equals`, `not_in`, `exists: false`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from clearance.policy.patterns import compile_search, deferred_search
from clearance.schema.facts import FactType

Record = Sequence[Any]
Test = Callable[[Record], bool]
# which facts an operator reads
Reads = Literal["single", "list", "ordered", "text", "any"]
# the literal operand it takes
Operand = Literal["value", "values", "bool", "pattern", "specifier"]


class InvalidOperand(Exception):
    """An operand the clause cannot use (the message says why)."""


@dataclass(frozen=True)
class Operator:
    name: str
    reads: Reads
    operand: Operand
    # may the operand be {fact: other.path}, and with a fact of which type
    compares: Callable[[FactType, FactType], bool] | None
    domain: bool  # a literal operand must be a known value of the fact
    literal: Callable[[int, Any, bool], Test]  # (slot, operand, checked before) -> test
    between: Callable[[Any, Any], bool] | None = None  # both facts present
    holds_when_missing: bool = False  # one fact missing: the negative operators hold


def _same(ftype: FactType, other: FactType) -> bool:
    return ftype == other


def _in_list(ftype: FactType, other: FactType) -> bool:
    return other == "list" and ftype == "str"


def _text_in(ftype: FactType, other: FactType) -> bool:
    return other == "str"


def _lists(ftype: FactType, other: FactType) -> bool:
    return other == "list"


def _equals(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] == b and r[i] is not None


def _not_equals(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] != b


def _in(i: int, b: Any, _: bool) -> Test:
    s = frozenset(b)
    return lambda r: r[i] in s


def _not_in(i: int, b: Any, _: bool) -> Test:
    s = frozenset(b)
    return lambda r: r[i] not in s


def _contains(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] is not None and b in r[i]


def _contains_any(i: int, b: Any, _: bool) -> Test:
    s = frozenset(b)
    return lambda r: r[i] is not None and not s.isdisjoint(r[i])


def _contains_all(i: int, b: Any, _: bool) -> Test:
    s = frozenset(b)
    return lambda r: r[i] is not None and s.issubset(r[i])


def _subset_of(i: int, b: Any, _: bool) -> Test:
    s = frozenset(b)
    return lambda r: r[i] is not None and s.issuperset(r[i])


def _exists(i: int, b: Any, _: bool) -> Test:
    return (lambda r: r[i] is not None) if b else (lambda r: r[i] is None)


def _gt(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] is not None and r[i] > b


def _gte(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] is not None and r[i] >= b


def _lt(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] is not None and r[i] < b


def _lte(i: int, b: Any, _: bool) -> Test:
    return lambda r: r[i] is not None and r[i] <= b


def _matches(i: int, pattern: Any, checked: bool) -> Test:
    # RE2, not re: a rule's pattern must not be able to hang a check (patterns.py);
    # a pattern checked when its bundle loaded is compiled when first used
    search = deferred_search(pattern) if checked else compile_search(pattern)
    return lambda r: isinstance(r[i], str) and search(r[i])


def _version(i: int, specifier: Any, _: bool) -> Test:
    # imported here: few rules compare versions, and packaging costs 10 ms to import
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        raise InvalidOperand(f"invalid PEP 440 version specifier {specifier!r}") from None

    def version_in(r: Record) -> bool:
        if not isinstance(r[i], str):
            return False
        try:
            return Version(r[i]) in spec
        except InvalidVersion:
            return False

    return version_in


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("equals", "single", "value", _same, True, _equals, lambda a, b: a == b),
        Operator(
            "not_equals", "single", "value", _same, True, _not_equals, lambda a, b: a != b, True
        ),
        Operator("in", "single", "values", _in_list, True, _in, lambda a, b: a in b),
        Operator(
            "not_in", "single", "values", _in_list, True, _not_in, lambda a, b: a not in b, True
        ),
        Operator("contains", "list", "value", _text_in, True, _contains, lambda a, b: b in a),
        Operator(
            "contains_any",
            "list",
            "values",
            _lists,
            True,
            _contains_any,
            lambda a, b: not set(a).isdisjoint(b),
        ),
        Operator(
            "contains_all",
            "list",
            "values",
            _lists,
            True,
            _contains_all,
            lambda a, b: set(b).issubset(a),
        ),
        Operator(
            "subset_of",
            "list",
            "values",
            _lists,
            True,
            _subset_of,
            lambda a, b: set(a).issubset(b),
        ),
        Operator("exists", "any", "bool", None, False, _exists),
        Operator("gt", "ordered", "value", _same, False, _gt, lambda a, b: a > b),
        Operator("gte", "ordered", "value", _same, False, _gte, lambda a, b: a >= b),
        Operator("lt", "ordered", "value", _same, False, _lt, lambda a, b: a < b),
        Operator("lte", "ordered", "value", _same, False, _lte, lambda a, b: a <= b),
        Operator("matches", "text", "pattern", None, False, _matches),
        Operator("version", "text", "specifier", None, False, _version),
    )
}

_ARTICLE = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date",
    "list": "a list",
}


def fact_problem(op: Operator, fact: str, ftype: FactType) -> str | None:
    """Why `op` cannot read `fact` at all, or None."""
    name = op.name
    if op.reads == "list" and ftype != "list":
        return f"{name!r} needs a list fact; {fact} is a {ftype}"
    if op.reads == "single" and ftype == "list":
        return (
            f"{name!r} compares single values; {fact} is a list "
            "(use contains, contains_any, contains_all or subset_of)"
        )
    if op.reads == "ordered" and ftype not in ("int", "date"):
        return f"{name!r} compares numbers or dates; {fact} is a {ftype}"
    if op.reads == "text" and ftype != "str":
        return f"{name!r} needs a text fact; {fact} is a {ftype}"
    return None


def operand_problem(op: Operator, fact: str, ftype: FactType, operand: Any) -> str | None:
    """Why a literal `operand` cannot mean what its author meant, or None."""
    name = op.name
    if op.operand == "bool":
        return (
            None
            if isinstance(operand, bool)
            else f"{name!r} takes true or false, found {operand!r}"
        )
    if op.operand in ("pattern", "specifier"):
        return None if isinstance(operand, str) else f"{name!r} takes a string, found {operand!r}"
    if op.operand == "values":
        if not isinstance(operand, list):
            return f"{name!r} takes a list, found {operand!r}"
        values = operand
    elif isinstance(operand, (list, dict)):
        return f"{name!r} takes a single value, found {operand!r}"
    else:
        values = [operand]
    # list facts hold text; every other fact holds values of its own type
    want = "str" if ftype == "list" else ftype
    for value in values:
        if _type_of(value) != want:
            return f"{name!r} on {fact} takes {_ARTICLE[want]}, found {value!r}"
    return None


def comparison_problem(
    op: Operator, fact: str, ftype: FactType, other: str, otype: FactType
) -> str | None:
    """Why `fact` cannot be compared with the fact `other` by `op`, or None."""
    if op.compares is None:
        return f"{op.name!r} takes a literal operand, not {{fact: ...}}"
    if op.compares(ftype, otype):
        return None
    return f"{op.name!r} cannot compare {fact} ({ftype}) with {other} ({otype})"


def _type_of(value: Any) -> str:
    """The fact type a literal operand has (a datetime is not a date here)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if type(value) is date:
        return "date"
    return type(value).__name__


def literal_test(op: Operator, i: int, operand: Any, checked: bool) -> Test:
    """The test `record[i] <op> operand`; raises PatternError or InvalidOperand."""
    return op.literal(i, operand, checked)


def between_test(op: Operator, i: int, j: int) -> Test:
    """The test `record[i] <op> record[j]`; a missing operand fails the clause."""
    base = op.between
    if base is None:  # pragma: no cover - guarded by comparison_problem
        raise AssertionError(f"{op.name} compares no facts")
    when_missing = op.holds_when_missing

    def test(r: Record) -> bool:
        a, b = r[i], r[j]
        if a is None or b is None:
            return when_missing and not (a is None and b is None)
        try:
            return bool(base(a, b))
        except TypeError:  # e.g. a number compared with a date: the clause does not hold
            return False

    return test
