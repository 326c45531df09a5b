"""Compile rule conditions into plain Python callables, once, at bundle load.

A condition is a mapping of fact paths to operator clauses (all must hold), or
`all`/`any`/`not`. Each leaf becomes a closure over the fact's slot and the
operand, so evaluation is a handful of tuple reads and comparisons. Every
mistake a rule author can make (unknown path, operator, bad regex or
specifier, wrong operand type, a value outside a fact's known domain) is a
positioned error here, never a silent false later.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clearance.errors import PathPart, Problem, ProblemCollector, did_you_mean
from clearance.facts import FACTS, SLOT, FactType
from clearance.loading.tree import locate
from clearance.policy.operators import (
    OPERATORS,
    InvalidOperand,
    Test,
    between_test,
    comparison_problem,
    fact_problem,
    literal_test,
    operand_problem,
)
from clearance.policy.patterns import PatternError

Record = Sequence[Any]

COMBINATORS = ("all", "any", "not")


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


class ConditionCompiler:
    """Compiles conditions from one file, collecting positioned problems."""

    def __init__(
        self,
        file: str,
        root: Any,
        problems: ProblemCollector,
        domains: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.file = file
        self.root = root
        self.problems = problems
        self.domains = domains or {}

    def compile(self, node: Any, path: tuple[PathPart, ...]) -> Condition | None:
        """Compile the condition at `path` in this file; None if it had problems."""
        before = len(self.problems.problems)
        cond = self._mapping(node, path)
        return cond if len(self.problems.problems) == before else None

    # -- structure ---------------------------------------------------------
    def _error(
        self,
        path: tuple[PathPart, ...],
        message: str,
        suggestion: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        line, col = locate(self.root, path, key=key)
        self.problems.add(Problem(self.file, line, col, path, message, suggestion))

    def _mapping(self, node: Any, path: tuple[PathPart, ...]) -> Condition:
        if not isinstance(node, dict) or not node:
            self._error(
                path, "a condition must be a non-empty mapping of fact paths or all/any/not"
            )
            return _const(False)
        parts: list[Condition] = []
        for key, value in node.items():
            sub = (*path, key)
            if key in ("all", "any"):
                parts.append(self._list(key, value, sub))
            elif key == "not":
                parts.append(_combined("not", (self._mapping(value, sub),)))
            elif isinstance(key, str) and key in FACTS:
                parts.extend(self._clauses(key, value, sub))
            else:
                self._unknown_path(key, sub)
        return _all(parts)

    def _list(self, kind: str, value: Any, path: tuple[PathPart, ...]) -> Condition:
        if not isinstance(value, list) or not value:
            self._error(path, f"'{kind}' takes a non-empty list of conditions")
            return _const(False)
        children = [self._mapping(item, (*path, i)) for i, item in enumerate(value)]
        return _all(children) if kind == "all" else _any(children)

    def _unknown_path(self, key: Any, path: tuple[PathPart, ...]) -> None:
        if not isinstance(key, str):
            self._error(path, f"a fact path must be a string, found {key!r}", key=True)
            return
        if key in OPERATORS:
            self._error(
                path,
                f"operator {key!r} must sit under a fact path (e.g. workload.data: {{{key}: ...}})",
                key=True,
            )
            return
        self._error(
            path, f"unknown fact path {key!r}", did_you_mean(key, [*FACTS, *COMBINATORS]), key=True
        )

    # -- clauses -----------------------------------------------------------
    def _clauses(self, fact: str, value: Any, path: tuple[PathPart, ...]) -> list[Condition]:
        if not isinstance(value, dict) or not value:
            self._error(
                path, f"{fact} needs an operator clause such as {{equals: ...}}, found {value!r}"
            )
            return [_const(False)]
        out = []
        for op, operand in value.items():
            sub = (*path, op)
            if op not in OPERATORS:
                self._error(
                    sub,
                    f"unknown operator {op!r}",
                    did_you_mean(str(op), list(OPERATORS)),
                    key=True,
                )
                continue
            leaf = self._leaf(fact, op, operand, sub)
            if leaf is not None:
                out.append(Condition("leaf", leaf.test, leaf=leaf))
        return out or [_const(False)]

    def _leaf(self, fact: str, op: str, operand: Any, path: tuple[PathPart, ...]) -> Leaf | None:
        ftype = FACTS[fact].type
        line, col = locate(self.root, path)
        operand_fact = None
        if isinstance(operand, dict):
            if set(operand) != {"fact"} or not isinstance(operand["fact"], str):
                self._error(path, "a mapping operand must be exactly {fact: other.path}")
                return None
            operand_fact = operand["fact"]
            if operand_fact not in FACTS:
                self._error(
                    (*path, "fact"),
                    f"unknown fact path {operand_fact!r}",
                    did_you_mean(operand_fact, FACTS),
                )
                return None
        message = self._type_problem(fact, ftype, op, operand, operand_fact)
        if message:
            self._error(path, message)
            return None
        if operand_fact is None:
            bad = self._domain_problem(fact, op, operand)
            if bad:
                self._error(path, bad[0], bad[1])
                return None
        test = self._build(fact, op, operand, operand_fact, path)
        if test is None:
            return None
        frozen = tuple(operand) if isinstance(operand, list) else operand
        return Leaf(fact, op, frozen, operand_fact, test, line, col)

    def _type_problem(
        self, fact: str, ftype: FactType, op: str, operand: Any, operand_fact: str | None
    ) -> str | None:
        """Why this clause could never mean what its author meant, or None."""
        entry = OPERATORS[op]
        problem = fact_problem(entry, fact, ftype)
        if problem is not None:
            return problem
        if operand_fact is not None:
            return comparison_problem(entry, fact, ftype, operand_fact, FACTS[operand_fact].type)
        return operand_problem(entry, fact, ftype, operand)

    def _domain_problem(self, fact: str, op: str, operand: Any) -> tuple[str, str | None] | None:
        domain = self.domains.get(fact)
        if domain is None or not OPERATORS[op].domain:
            return None
        values = operand if isinstance(operand, list) else [operand]
        for value in values:
            if value not in domain:
                return (
                    f"{value!r} is not a known value of {fact}",
                    did_you_mean(str(value), domain),
                )
        return None

    def _build(
        self, fact: str, op: str, operand: Any, operand_fact: str | None, path: tuple[PathPart, ...]
    ) -> Test | None:
        try:
            return build_test(fact, op, operand, operand_fact)
        except InvalidOperand as exc:
            self._error(path, str(exc))
        except PatternError as exc:
            self._error(path, f"invalid regular expression {operand!r}: {exc}")
        return None


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
