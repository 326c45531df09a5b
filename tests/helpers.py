"""Helpers shared by tests: compile a condition, build a fact record, a reference interpreter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from clearance.errors import ProblemCollector
from clearance.loading.yaml_source import load_yaml_text
from clearance.policy.clauses import Condition
from clearance.policy.conditions import ConditionCompiler
from clearance.schema.facts import SLOT, WIDTH

# An organisation for tests that need one: the shipped bundle states no fact about any
# (DESIGN.md), so a test that judges an organisation's domicile, user count or own
# sites says which organisation it means. These are the facts the shipped
# organisation.yaml invented before issue 13, but for its Frankfurt site: a site in the
# EEA is an establishment there, which would bring every workload's personal data
# under the GDPR (tests that need it add EU_SITE).
EXAMPLE_ORGANISATION = """\
name: Example Organisation
monthly_active_users: 2000000          # all products and affiliates, as licences count them
annual_revenue_usd: 50000000
domicile: US                           # country of the principal place of business
licences_held: []                      # licence ids for which a separate grant is held
sites:                                 # the organisation's own data centres: regions of `on-prem`
  - id: dc-virginia
    country: US
    description: Primary data centre
"""


EU_SITE = """\
  - id: dc-frankfurt
    country: DE
    description: EU data centre
"""


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a fixed author: tests commit on machines with no git identity."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def with_example_organisation(bundle: Path, extra_sites: str = "") -> Path:
    """Give the bundle at `bundle` the example organisation; returns `bundle`."""
    (bundle / "organisation.yaml").write_text(EXAMPLE_ORGANISATION + extra_sites, "utf-8")
    return bundle


def shipped_copy(dest: Path, extra_sites: str = "") -> Path:
    """A copy of the shipped bundle (without its tests) judging for the example organisation."""
    shutil.copytree(Path(__file__).resolve().parent.parent / "policies", dest,
                    ignore=shutil.ignore_patterns("tests"))
    return with_example_organisation(dest, extra_sites)


def compile_condition(
    text: str, domains: dict[str, frozenset[str]] | None = None
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


def reference(cond: dict[str, Any], env: dict[str, Any]) -> bool:
    """The rule language's meaning, written as plainly as possible."""
    results = []
    for key, value in cond.items():
        if key == "all":
            results.append(all(reference(c, env) for c in value))
        elif key == "any":
            results.append(any(reference(c, env) for c in value))
        elif key == "not":
            results.append(not reference(value, env))
        else:
            for op, operand in value.items():
                results.append(apply(op, env.get(key), operand, env))
    return all(results)


def apply(op: str, a: Any, b: Any, env: dict[str, Any]) -> bool:
    if isinstance(b, dict):
        b = env.get(b["fact"])
        if a is None or b is None:
            return op in ("not_equals", "not_in") and not (a is None and b is None)
    if op == "exists":
        return (a is not None) == b
    if op == "not_equals":
        return a != b
    if op == "not_in":
        return a not in b
    if a is None:
        return False
    return {
        "equals": lambda: a == b,
        "in": lambda: a in b,
        "contains": lambda: b in a,
        "contains_any": lambda: any(x in a for x in b),
        "contains_all": lambda: all(x in a for x in b),
        "subset_of": lambda: all(x in b for x in a),
        "gt": lambda: a > b,
        "gte": lambda: a >= b,
        "lt": lambda: a < b,
        "lte": lambda: a <= b,
        "matches": lambda: re.search(b, a) is not None,
        "version": lambda: _version_in(a, b),
    }[op]()


def _version_in(value: Any, spec: str) -> bool:
    try:
        return Version(value) in SpecifierSet(spec)
    except InvalidVersion:
        return False
