"""Every crash fuzz/fuzz_loader.py has found, and those found while building the corpus.

Each input is kept minimal and named by what it broke. Anything raised other
than `InputError` (exit 2 in the CLI) is a crash. All of them are fixed; a new
one found by the fuzzer is added here as a strict xfail until its fix lands,
and then the marker goes.

Fuzzer signatures (exception, module, line) from the runs reported with these
tests: ValueError/AttributeError/KeyError in yaml's constructor.py (lines 79,
235, 325, 330, 350) and in clearance's yaml_source.py (82, 150, 159),
IndexError in loading/validate.py:50, TypeError in policy/conditions.py:301,
and the fast/positioned reader disagreement (fuzz_loader.py's own check).
A later run found a lone carriage return (a YAML line break) shifting the line
numbers of the fast reader and of the sliced check: its tests are in
tests/test_fast_positions.py and tests/test_sliced_check.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bounded import assert_clean_refusal, fenced
from clearance.bundle.domains import build_domains
from clearance.bundle.load import load_bundle
from clearance.errors import InputError, ProblemCollector
from clearance.loading import cache
from clearance.loading.validate import validate
from clearance.loading.yaml_source import load_yaml_text
from clearance.manifest import fast_reader
from clearance.manifest.load import load_manifest
from clearance.policy.conditions import ConditionCompiler
from clearance.schema.manifest import Manifest
from conftest import REPO, WORKLOAD
from helpers import record

# -- the YAML reader ---------------------------------------------------------------------

YAML_CRASHES = {
    # found by the fuzzer (minimised)
    "!!map on a scalar": ("!!map n", "1:1"),
    "!!seq on a mapping": ("a: !!seq {id: x}", "1:4"),
    "!!timestamp on a word": ("a: !!timestamp e", "1:4"),
    "!!bool on a word": ("a: !!bool maybe", "1:4"),
    "!!int on a word": ("a: !!int one", "1:4"),
    "!!float on a word": ("a: !!float v", "1:4"),
    "month 00 in a timestamp": ("2024-00-01T10:00:00Z", "1:1"),
    "month 13 in a date": ("we: 2027-13-01", "1:5"),
    # found while building the corpus
    "30 February": ("a: 2024-02-30", "1:4"),
    "time zone +99:00": ("a: 2024-01-01 10:00:00 +99:00", "1:4"),
    "an integer of 5,000 digits": ("a: 1" + "0" * 5000, "1:4"),
    "a set as a mapping key": ("? !!set {a}\n: 1", "1:3"),
}


@pytest.mark.parametrize("name", list(YAML_CRASHES))
def test_the_yaml_reader_refuses_values_its_tags_cannot_hold(name: str) -> None:
    text, where = YAML_CRASHES[name]
    with pytest.raises(InputError) as info:
        load_yaml_text(text, "f.yaml")
    assert str(info.value).startswith(f"f.yaml:{where}: "), str(info.value)


# -- validation ---------------------------------------------------------------------------

FIELD_NAMES = {
    "(x) at the top": ('"(x)": 1\nversion: 1\nworkloads: []\n', "1:1", "unknown field '(x)'"),
    "): at the top (as fuzzed)": ("):\n", "1:1", "unknown field ')'"),
    "data[0] in a workload": (
        WORKLOAD.replace("    data:", '    "data[0]": x\n    data:'),
        "4:5",
        "unknown field 'data[0]'",
    ),
}


@pytest.mark.parametrize("name", list(FIELD_NAMES))
def test_unknown_fields_with_brackets_in_their_names(name: str) -> None:
    text, where, fragment = FIELD_NAMES[name]
    with pytest.raises(InputError) as info:
        validate(Manifest, load_yaml_text(text, "f.yaml"), "f.yaml")
    assert f"f.yaml:{where}: " in str(info.value) and fragment in str(info.value), str(info.value)


# -- the parse cache ------------------------------------------------------------------------


def test_the_parse_cache_never_breaks_a_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path))
    depth = 400  # refused by the reader's depth bound, before it could reach the cache
    with pytest.raises(InputError, match="nested more than"):
        load_yaml_text("a: " + "{a: " * depth + "1" + "}" * depth, "f.yaml")
    tree = load_yaml_text("a: " + "{a: " * 60 + "1" + "}" * 60, "f.yaml")
    cache.put("0" * 64, tree)  # a cache that cannot store a tree is only a slower run
    assert cache.get("0" * 64) == tree


# -- the rule compiler ---------------------------------------------------------------------

DOMAINS = build_domains(*(lambda b: (b.catalogue, b.data_classes, b.agreements))(load_bundle()))
UNHASHABLE = {
    "a list in contains_any (fuzzed)": "workload.data: {contains_any: [phi, [gdpr]]}",
    "a mapping in contains_any (fuzzed)": "workload.data: {contains_any: [phi, {gdpr: 1}]}",
    "a list in a domain's in": "deployment.provider: {in: [[aws]]}",
    "a mapping in a free text fact's in": "workload.description: {in: [{a: 1}]}",
    "a mapping in not_in": "workload.purpose: {not_in: [{a: 1}]}",
    "a list in subset_of": "workload.residency: {subset_of: [[EU]]}",
}


@pytest.mark.parametrize("name", list(UNHASHABLE))
def test_unhashable_operands_are_refused_not_crashed_on(name: str) -> None:
    root = load_yaml_text(UNHASHABLE[name], "rule.yaml")
    problems = ProblemCollector()
    cond = ConditionCompiler("rule.yaml", root, problems, DOMAINS).compile(root, ())
    assert cond is None and problems.problems
    assert str(problems.problems[0]).startswith("rule.yaml:1:")


def test_a_datetime_against_a_date_fact_is_refused_or_evaluated() -> None:
    from datetime import date

    root = load_yaml_text("model.released: {gt: 2024-01-01T00:00:00}", "rule.yaml")
    problems = ProblemCollector()
    cond = ConditionCompiler("rule.yaml", root, problems, DOMAINS).compile(root, ())
    if cond is not None:  # accepted: then it must evaluate
        assert cond.test(record(model__released=date(2024, 7, 23))) in (True, False)


def test_a_deeply_nested_rule_does_not_crash(tmp_path: Path) -> None:
    condition = "{workload.data: {contains: phi}}"
    for _ in range(280):
        condition = "{not: " + condition + "}"
    bundle = tmp_path / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    (bundle / "deep.yaml").write_text(
        "rules:\n  - id: acme.deep\n    title: t\n    severity: error\n"
        f"    when:\n      not: {condition}\n    message: m\n"
    )
    (tmp_path / "model-usage.yaml").write_text(WORKLOAD)
    # in a child with a fresh stack, so the depth at which things break is the CLI's own
    outcome = fenced(
        "check",
        "model-usage.yaml",
        "--policy",
        "bundle",
        cwd=tmp_path,
        env={"CLEARANCE_NO_CACHE": "1"},
    )
    assert outcome.code in (0, 1, 2), outcome.describe()
    assert "internal error" not in outcome.err
    if outcome.code == 2:
        assert_clean_refusal(outcome)


# -- the fast reader must agree with the positioned one ---------------------------------------

AFTER = WORKLOAD.split("workloads:\n", 1)[1].replace("id: w1", "id: w2")
DISAGREE = {
    "a NUL byte hides the rest of the manifest (fuzzed)": WORKLOAD + "\x00\n" + AFTER,
    "a control character in a value (fuzzed: 0x01)": WORKLOAD.replace(
        "commercial: false", "commercial: false\n    description: a\x01b"
    ),
    "an escape sequence in a value": WORKLOAD.replace(
        "commercial: false", "commercial: false\n    description: \x1b[2J"
    ),
    "U+2028 (a line break to YAML 1.1, a character to yaml-rs)": WORKLOAD.replace(
        "commercial: false", "commercial: false\n    description: a\u2028b"
    ),
    "U+0085 (NEL)": WORKLOAD.replace(
        "commercial: false", "commercial: false\n    description: a\x85b"
    ),
}


@pytest.mark.skipif(not fast_reader.available(), reason="yaml-rs is not installed")
@pytest.mark.parametrize("name", list(DISAGREE))
def test_the_fast_reader_refuses_what_the_positioned_reader_refuses(name: str) -> None:
    data = DISAGREE[name].encode()
    with pytest.raises(InputError):  # the positioned reader's verdict
        load_manifest(Path("m.yaml"), "m.yaml", data, fast=False)
    with pytest.raises(InputError):
        load_manifest(Path("m.yaml"), "m.yaml", data)


@pytest.mark.skipif(not fast_reader.available(), reason="yaml-rs is not installed")
def test_both_readers_read_the_examples_alike() -> None:
    for path in sorted((REPO / "examples").glob("*/model-usage.yaml")):
        data = path.read_bytes()
        fast = load_manifest(path, path.name, data).manifest
        slow = load_manifest(path, path.name, data, fast=False).manifest
        assert fast == slow, path


# patterns that crashed Python's re (OverflowError, RecursionError) when it compiled rules
REGEX_CRASHES = {
    "a repeat count over 2**32-1": "a{4294967296}",
}


@pytest.mark.parametrize("name", list(REGEX_CRASHES))
def test_patterns_re_cannot_compile_are_positioned_errors(name: str) -> None:
    root = load_yaml_text(
        f"workload.description: {{matches: '{REGEX_CRASHES[name]}'}}", "rule.yaml"
    )
    problems = ProblemCollector()
    cond = ConditionCompiler("rule.yaml", root, problems, DOMAINS).compile(root, ())
    assert cond is None
    assert "invalid regular expression" in str(problems.problems[0])


def test_parentheses_nested_2000_deep_compile_and_match_under_re2() -> None:
    # re raised RecursionError here; RE2 parses it without recursion, and it is a valid pattern
    pattern = "(" * 2000 + "x" + ")" * 2000
    root = load_yaml_text(f"workload.description: {{matches: '{pattern}'}}", "rule.yaml")
    problems = ProblemCollector()
    cond = ConditionCompiler("rule.yaml", root, problems, DOMAINS).compile(root, ())
    assert cond is not None and not problems.problems
    assert cond.leaf is not None
    assert cond.leaf.test(record(workload__description="a x b"))
    assert not cond.leaf.test(record(workload__description="y"))
