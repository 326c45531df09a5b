"""Helpers shared by tests: compile a condition from YAML text, build a fact record."""

from __future__ import annotations

from typing import Any

from clearance.errors import ProblemCollector
from clearance.facts import SLOT, WIDTH
from clearance.loading.yaml_source import load_yaml_text
from clearance.policy.conditions import Condition, ConditionCompiler


def compile_condition(text: str, domains: dict[str, frozenset[str]] | None = None
                      ) -> tuple[Condition | None, ProblemCollector]:
    root = load_yaml_text(text, "rule.yaml")
    problems = ProblemCollector()
    cond = ConditionCompiler("rule.yaml", root, problems, domains).compile(root, ())
    return cond, problems


def record(**facts: Any) -> tuple[Any, ...]:
    rec: list[Any] = [None] * WIDTH
    for key, value in facts.items():
        rec[SLOT[key.replace("__", ".")]] = tuple(value) if isinstance(value, list) else value
    return tuple(rec)


def holds(text: str, **facts: Any) -> bool:
    cond, problems = compile_condition(text)
    assert not problems, problems.problems
    assert cond is not None
    return cond.test(record(**facts))

