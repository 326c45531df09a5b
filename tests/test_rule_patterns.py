"""A rule's regular expression (`matches`) can never hang a check (issue 11, item 7).

Patterns are RE2 syntax, matched in linear time; syntax RE2 lacks (backreferences,
lookaround) and braces the two engines read differently are refused when the bundle
loads, with the rule's position. A policy snapshot rebuilds the patterns it holds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bounded import assert_clean_refusal, fenced
from clearance.bundle import snapshot
from clearance.pipeline.judge import load_bundle_snapshot
from clearance.policy.clauses import Condition, Leaf
from clearance.policy.patterns import compile_search
from conftest import WORKLOAD
from helpers import compile_condition, record
from test_security import RULE, make_bundle, make_manifest

CATASTROPHIC = "^([a-z]+-?)+$"  # exponential for a backtracking engine on a near miss
NEAR_MISS = "a" * 36 + "_"  # 37 characters, a valid workload id that fails at the end


def test_the_catastrophic_pattern_answers_at_once() -> None:
    cond, problems = compile_condition(f"workload.id: {{matches: '{CATASTROPHIC}'}}")
    assert cond is not None and not problems.problems
    start = time.perf_counter()
    assert cond.test(record(workload__id=NEAR_MISS)) is False
    assert cond.test(record(workload__id="a" * 100_000 + "_")) is False
    assert cond.test(record(workload__id="ab-cd-ef")) is True
    assert time.perf_counter() - start < 0.5


def test_a_check_with_the_catastrophic_pattern_finishes(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path)
    rule = RULE.replace("workload.id: {equals: w1}", f"workload.id: {{matches: '{CATASTROPHIC}'}}")
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(tmp_path, WORKLOAD.replace("id: w1", f"id: {NEAR_MISS}"))
    # in a child with a time limit: under `re` this check never ends
    outcome = fenced(
        "check", "m/model-usage.yaml", "--policy", "bundle",
        cwd=tmp_path, kill_after=60,
        env={"CLEARANCE_NO_CACHE": "1"},
    )
    assert outcome.code == 0, outcome.describe()
    assert outcome.seconds < 5, outcome.describe()
    assert "acme.rule" not in outcome.out


@pytest.mark.parametrize(("pattern", "fragment"), [
    (r"(a)\1", "invalid escape sequence"),
    (r"(?P<x>a)(?P=x)", "invalid perl operator"),
    ("a(?=b)", "invalid perl operator"),
    ("a(?!b)", "invalid perl operator"),
    ("(?<=a)b", "invalid perl operator"),
    ("(?<!a)b", "invalid perl operator"),
])
def test_syntax_re2_lacks_is_refused_at_load_with_the_position(pattern: str, fragment: str) -> None:
    cond, problems = compile_condition(f"workload.trains: {{matches: '{pattern}'}}")
    assert cond is None
    problem = problems.problems[0]
    assert (problem.line, problem.column) == (1, 28)
    assert "invalid regular expression" in str(problem)
    assert fragment in str(problem)
    assert "(patterns are RE2 syntax: no backreferences or lookaround)" in str(problem)


@pytest.mark.parametrize("pattern", ["a{,3}", "a{4294967296}", "a{1001}", "a{3,2}", "x{"])
def test_braces_re2_would_read_as_text_are_refused(pattern: str) -> None:
    # Python's re reads a{,3} as up to three a's, RE2 as the text "a{,3}": the author
    # meant one of them, so neither is guessed
    cond, problems = compile_condition(f"workload.trains: {{matches: '{pattern}'}}")
    assert cond is None
    assert "invalid regular expression" in str(problems.problems[0])
    assert problems.problems[0].column == 28


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("a{2}", "xaay", True),
    ("a{2,}", "xay", False),
    ("^a{1,1000}$", "a" * 1000, True),
    (r"\{x\}", "{x}", True),
    ("[{]", "{", True),
    ("[[:alpha:]{]", "{", True),
    ("[]{]", "{", True),
    ("^(.*/)?Llama", "acme/Llama-Med", True),
    ("(?i)llama", "LLAMA", True),
])
def test_valid_patterns_match_as_written(pattern: str, text: str, expected: bool) -> None:
    assert compile_search(pattern)(text) is expected


def test_a_lone_surrogate_in_a_fact_is_matched_not_a_crash() -> None:
    # YAML's "\ud800" escape yields a string RE2 cannot encode as UTF-8
    search = compile_search("^.x$")
    assert search("\ud800x") is True
    assert compile_search("^x")("\ud800x") is False


def test_a_refusal_does_not_copy_a_huge_pattern() -> None:
    cond, problems = compile_condition("workload.trains: {matches: '" + "(" * 100_000 + "'}")
    assert cond is None
    assert len(str(problems.problems[0])) < 2_000


def test_refused_syntax_in_a_bundle_is_exit_2_with_the_rule_position(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path)
    rule = RULE.replace("workload.id: {equals: w1}", r"workload.id: {matches: '(w)\1'}")
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(tmp_path)
    outcome = fenced("check", "m/model-usage.yaml", "--policy", "bundle", cwd=tmp_path)
    assert_clean_refusal(outcome)
    assert "error: bundle/acme-rules.yaml:6:30: rules[0].when.workload.id.matches: " in outcome.err
    assert "invalid regular expression '(w)\\\\1'" in outcome.err
    assert "absl" not in outcome.err and "re2.cc" not in outcome.err  # RE2's own log stays quiet


# -- the policy snapshot ----------------------------------------------------------------


def _pattern_leaves(conditions: list[Condition]) -> list[Leaf]:
    found: list[Leaf] = []
    todo = list(conditions)
    while todo:
        cond = todo.pop()
        if cond.leaf is not None and cond.leaf.op == "matches":
            found.append(cond.leaf)
        todo.extend(cond.children)
    return found


def test_patterns_survive_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    loaded = load_bundle_snapshot(None)  # a full load, then saved
    restored = snapshot.load(None)
    assert restored is not None
    conditions = [c for r in loaded.all_rules() for c in (r.when, r.require) if c is not None]
    again = [c for r in restored.all_rules() for c in (r.when, r.require) if c is not None]
    before, after = _pattern_leaves(conditions), _pattern_leaves(again)
    assert before, "the shipped licences hold `matches` clauses (Llama naming)"
    assert [leaf.operand for leaf in after] == [leaf.operand for leaf in before]
    for text in ("acme/Llama-3-Med", "acme/med", "Llama 3", "\ud800Llama"):
        facts = record(workload__trains=text)
        assert [leaf.test(facts) for leaf in after] == [leaf.test(facts) for leaf in before]


def test_reading_a_snapshot_does_not_import_re2(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from clearance.bundle import snapshot\n"
        "from clearance.pipeline.judge import load_bundle_snapshot\n"
        "load_bundle_snapshot(None)\n"
        "assert 're2' in sys.modules  # the full load checked every pattern\n"
        "del sys.modules['re2']\n"
        "bundle = snapshot.load(None)\n"
        "assert bundle is not None\n"
        "print('RE2' if 're2' in sys.modules else 'NO-RE2')\n"
    )
    env = {"CLEARANCE_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip() == "NO-RE2", done.stderr
