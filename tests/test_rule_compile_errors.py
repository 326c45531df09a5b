"""Mistakes in rules are load-time errors with file:line:column, never silent falses."""

from __future__ import annotations

import pytest

from clearance.errors import ProblemCollector
from clearance.loading.yaml_source import load_yaml_text
from clearance.policy.rules import RuleCompiler
from clearance.schema.bundle import RuleSpec
from helpers import compile_condition


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        (
            "workload.dta: {contains: phi}",
            "unknown fact path 'workload.dta' (did you mean workload.data?)",
            (1, 1),
        ),
        (
            "workload.data: {containz: phi}",
            "unknown operator 'containz' (did you mean contains?)",
            (1, 17),
        ),
        ("workload.trains: {matches: '(['}", "invalid regular expression", (1, 28)),
        ("workload.trains: {version: '>=>3'}", "invalid PEP 440 version specifier", (1, 28)),
        (
            "workload.data: {contains: {fact: provider.agreementz}}",
            "unknown fact path 'provider.agreementz'",
            (1, 34),
        ),
        ("workload.data: {gt: 3}", "'gt' compares numbers or dates", (1, 21)),
        ("workload.purpose: {contains: x}", "'contains' needs a list fact", (1, 30)),
        ("workload.data: {equals: phi}", "'equals' compares single values", (1, 25)),
        ("workload.purpose: {in: inference}", "'in' takes a list", (1, 24)),
        ("workload.residency: {exists: yes please}", "'exists' takes true or false", (1, 30)),
        ("organisation.monthly_active_users: {gt: '700'}", "takes a whole number", (1, 41)),
        ("workload.data: phi", "needs an operator clause", (1, 16)),
        ("any: []", "'any' takes a non-empty list", (1, 6)),
        ("not: [a]", "a condition must be a non-empty mapping", (1, 6)),
        ("contains: phi", "operator 'contains' must sit under a fact path", (1, 1)),
        ("workload.data: {contains: {fact: x, y: z}}", "exactly {fact: other.path}", (1, 27)),
        (
            "all:\n  - workload.purpose: {equals: x}\n  - model.wieghts: {equals: open}",
            "unknown fact path 'model.wieghts'",
            (3, 5),
        ),
    ],
)
def test_bad_condition_is_positioned(text: str, fragment: str, position: tuple[int, int]) -> None:
    cond, problems = compile_condition(text)
    assert cond is None
    assert problems.problems, "expected a problem"
    problem = problems.problems[0]
    assert fragment in str(problem)
    assert (problem.line, problem.column) == position
    assert str(problem).startswith(f"rule.yaml:{position[0]}:{position[1]}: ")


def test_value_outside_a_known_domain_is_caught() -> None:
    domains = {"workload.data": frozenset({"phi", "pii"})}
    cond, problems = compile_condition("workload.data: {contains: phl}", domains)
    assert cond is None
    assert "'phl' is not a known value of workload.data (did you mean phi?)" in str(
        problems.problems[0]
    )


RULE = """\
rules:
  - id: r1
    title: t
    severity: error
    when:
      workload.data: {contains: phi}
    message: "{workload.id} and {provider.nmae}"
"""


def test_unknown_placeholder_is_positioned() -> None:
    root = load_yaml_text(RULE, "p.yaml")
    problems = ProblemCollector()
    spec = RuleSpec.model_validate(root["rules"][0])
    assert RuleCompiler("p.yaml", root, problems, {}).rule(spec, ("rules", 0), None) is None
    [problem] = problems.problems
    assert str(problem).startswith(
        "p.yaml:7:14: rules[0].message: unknown placeholder {provider.nmae}"
    )
    assert "did you mean provider.name" in str(problem)


def test_format_spec_in_placeholder_is_refused() -> None:
    from clearance.policy.templates import TemplateError, parse_template

    with pytest.raises(TemplateError):
        parse_template("{workload.id.__class__}")
    with pytest.raises(TemplateError):
        parse_template("{workload.id!r}")
    with pytest.raises(TemplateError):
        parse_template("{workload.id:>10}")
    assert (
        parse_template("{{literal}} {workload.id}")
        .render(tuple([None] * 200))
        .startswith("{literal}")
    )
