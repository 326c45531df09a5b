"""Compiled conditions: the clauses a rule tests, and how they combine.

A `Leaf` is one `path: {op: operand}` clause with its test; a `Condition` is a
leaf or an all/any/not of conditions. Tests are closures over a fact's slot,
built from the operator registry (operators.py). Both pickle as their clauses
and rebuild their tests (`_leaf`, `_condition`): a policy snapshot holds no code.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clearance.policy.operators import OPERATORS, Test, between_test, literal_test
from clearance.schema.facts import SLOT

Record = Sequence[Any]


@dataclass(frozen=True)
class Leaf:
    """One `path: {op: operand}` clause."""

    path: str
    op: str
    operand: Any  # the literal, or None when `operand_fact` is set
    operand_fact: str | None
    test: Test
    line: int
    column: int

    def expected(self, record: Record, negated: bool = False) -> str:
        if self.operand_fact is None:  # the same text for every finding: made once
            return self._literal_expected[negated]
        value = record[SLOT[self.operand_fact]]
        text = f"{self.op.replace('_', ' ')} {self.operand_fact} ({_show(value)})"
        return f"not {text}" if negated else text

    @functools.cached_property
    def _literal_expected(self) -> tuple[str, str]:
        text = f"{self.op.replace('_', ' ')} {_show(self.operand)}"
        return text, f"not {text}"

    def describe(self) -> str:
        operand = f"{{fact: {self.operand_fact}}}" if self.operand_fact else _show(self.operand)
        return f"{self.path} {self.op.replace('_', ' ')} {operand}"

    def __reduce__(self) -> tuple[Any, ...]:
        # closures do not pickle: a policy snapshot keeps the clause and rebuilds the test
        return (
            _leaf,
            (self.path, self.op, self.operand, self.operand_fact, self.line, self.column),
        )


def _leaf(
    path: str, op: str, operand: Any, operand_fact: str | None, line: int, column: int
) -> Leaf:
    test = build_test(path, op, operand, operand_fact, checked=True)
    return Leaf(path, op, operand, operand_fact, test, line, column)


@dataclass(slots=True)  # made per finding, never changed: not frozen (see findings.py)
class LeafResult:
    leaf: Leaf
    negated: bool
    holds: bool


@dataclass(frozen=True)
class Condition:
    """A compiled condition: `test` decides, `explain` says why."""

    kind: str  # "leaf", "all", "any", "not"
    test: Test
    children: tuple[Condition, ...] = ()
    leaf: Leaf | None = None

    def results(self, record: Record, negated: bool = False) -> list[LeafResult]:
        """Every leaf with whether it held (after any enclosing `not`)."""
        if self.leaf is not None:
            holds = self.leaf.test(record)
            return [LeafResult(self.leaf, negated, holds != negated)]
        out: list[LeafResult] = []
        for child in self.children:
            out.extend(child.results(record, negated != (self.kind == "not")))
        return out

    def maybe(self, record: Record, unknown: frozenset[str]) -> bool | None:
        """The condition in three values: None where it turns on a fact in `unknown`.

        Kleene's logic: `all` is false if any part is, `any` true if any part is,
        else unknown if a part is. `exists` asks whether a fact is set, so it is
        always known. Only rules that read an unknown organisation fact come here.
        """
        leaf = self.leaf
        if leaf is not None:
            if leaf.op != "exists" and (leaf.path in unknown or leaf.operand_fact in unknown):
                return None
            return leaf.test(record)
        if self.kind == "not":
            inner = self.children[0].maybe(record, unknown)
            return None if inner is None else not inner
        decided = self.kind == "any"  # the value that settles it: any true, all false
        found_unknown = False
        for child in self.children:
            value = child.maybe(record, unknown)
            if value is None:
                found_unknown = True
            elif value is decided:
                return decided
        return None if found_unknown else not decided

    def unknown_paths(self, unknown: frozenset[str]) -> set[str]:
        """The facts in `unknown` this condition would need (not those it only tests to
        exist)."""
        if self.leaf is not None:
            if self.leaf.op == "exists":
                return set()
            return {p for p in (self.leaf.path, self.leaf.operand_fact) if p in unknown}
        return set().union(*(c.unknown_paths(unknown) for c in self.children))

    def paths(self) -> set[str]:
        if self.leaf is not None:
            found = {self.leaf.path}
            if self.leaf.operand_fact:
                found.add(self.leaf.operand_fact)
            return found
        return set().union(*(c.paths() for c in self.children)) if self.children else set()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_condition, (self.kind, self.children, self.leaf))

    def describe(self, indent: str = "") -> list[str]:
        if self.leaf is not None:
            return [indent + self.leaf.describe()]
        lines = [f"{indent}{self.kind}:"]
        for child in self.children:
            lines.extend(child.describe(indent + "  "))
        return lines


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple, frozenset, set)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def build_test(
    fact: str, op: str, operand: Any, operand_fact: str | None, *, checked: bool = False
) -> Test:
    """The callable for one clause; raises PatternError or InvalidOperand for a bad operand.

    `checked`: the operand was checked when its bundle loaded (a snapshot is rebuilding
    the clause), so work that only validates it may wait until the test first runs.
    """
    entry = OPERATORS[op]
    if operand_fact is not None:
        return between_test(entry, SLOT[fact], SLOT[operand_fact])
    return literal_test(entry, SLOT[fact], operand, checked)


def _const(value: bool) -> Condition:
    return _combined("all" if value else "any", ())


def _negate(test: Test) -> Test:
    return lambda r: not test(r)


def _all(parts: list[Condition]) -> Condition:
    return parts[0] if len(parts) == 1 else _combined("all", tuple(parts))


def _any(parts: list[Condition]) -> Condition:
    return parts[0] if len(parts) == 1 else _combined("any", tuple(parts))


def _combined(kind: str, parts: tuple[Condition, ...]) -> Condition:
    tests = tuple(p.test for p in parts)
    if kind == "not":
        return Condition("not", _negate(tests[0]), parts)
    if not tests:  # all of nothing holds, any of nothing does not
        return Condition(kind, (lambda r: True) if kind == "all" else (lambda r: False))
    # plain loops: all()/any() over a generator cost a frame per call, a third of
    # the evaluation at 100,000 workloads
    if kind == "any":

        def any_holds(r: Record) -> bool:
            for t in tests:  # noqa: SIM110  (a loop, not a generator: see above)
                if t(r):
                    return True
            return False

        return Condition("any", any_holds, parts)
    if len(tests) == 2:
        a, b = tests
        return Condition("all", lambda r: a(r) and b(r), parts)
    if len(tests) == 3:
        a, b, c = tests
        return Condition("all", lambda r: a(r) and b(r) and c(r), parts)

    def all_hold(r: Record) -> bool:
        for t in tests:  # noqa: SIM110  (a loop, not a generator: see above)
            if not t(r):
                return False
        return True

    return Condition("all", all_hold, parts)


def _condition(kind: str, children: tuple[Condition, ...], leaf: Leaf | None) -> Condition:
    """A condition read back from a policy snapshot, its test rebuilt."""
    if leaf is not None:
        return Condition("leaf", leaf.test, leaf=leaf)
    return _combined(kind, children)
