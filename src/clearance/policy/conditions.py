"""Compile rule conditions into plain Python callables, once, at bundle load.

A condition is a mapping of fact paths to operator clauses (all must hold), or
`all`/`any`/`not`. Each leaf becomes a closure over the fact's slot and the
operand, so evaluation is a handful of tuple reads and comparisons. Every
mistake a rule author can make (unknown path, operator, bad regex or
specifier, wrong operand type, a value outside a fact's known domain) is a
positioned error here, never a silent false later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clearance.errors import PathPart, Problem, ProblemCollector, did_you_mean
from clearance.loading.tree import locate
from clearance.policy.clauses import Condition, Leaf, _all, _any, _combined, _const, build_test
from clearance.policy.operators import (
    OPERATORS,
    InvalidOperand,
    Test,
    comparison_problem,
    fact_problem,
    operand_problem,
)
from clearance.policy.patterns import PatternError
from clearance.schema.facts import FACTS, FactType

COMBINATORS = ("all", "any", "not")


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
