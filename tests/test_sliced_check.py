"""A large manifest's first problems, read a slice at a time, are the whole read's problems.

`loading/sliced_check.py` reads a large manifest that failed the fast path
with positions a megabyte of workloads at a time and stops after the first
200 problems. Here slices are made tiny so that small documents are cut in
many places, and every problem found must be one the whole positioned read
finds, at the same `file:line:column`.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import MAX_PROBLEMS, InputError, Problem
from clearance.loading import sliced_check
from clearance.loading.validate import validate
from clearance.loading.yaml_source import load_yaml_text
from clearance.model.manifest import Manifest
from test_properties import manifests


def whole(text: str) -> list[Problem]:
    try:
        validate(Manifest, load_yaml_text(text, "m.yaml"), "m.yaml")
    except InputError as exc:
        return exc.problems
    return []


def sliced(text: str, monkeypatch: pytest.MonkeyPatch, size: int = 60) -> Any:
    monkeypatch.setattr(sliced_check, "SLICE_CHARS", size)
    return sliced_check.first_problems(text, "m.yaml")


ITEM = (
    "  - id: w{i}\n    data: [internal]\n    commercial: false\n    model: m\n"
    "    deployment: {{mode: api, provider: openai, region: us}}\n"
)
BAD = (
    "  - id: b{i}\n    data: []\n    commercial: maybe\n    model: m\n"
    "    deployment: {{mode: api, provider: openai}}\n"
)


@pytest.mark.parametrize("tail", ["", "owner: team\n", "# done\n"])
def test_problems_in_many_slices_are_the_whole_reads(
    monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    items = "".join((BAD if i % 7 == 3 else ITEM).format(i=i) for i in range(60))
    text = "version: 2\nsystem: s\nworkloads:\n" + items + tail
    found = sliced(text, monkeypatch)
    assert found is not None
    problems, stopped = found
    assert not stopped
    assert sorted(map(str, problems)) == sorted(map(str, whole(text)))
    assert any(p.path == ("version",) for p in problems)
    assert any(p.path[:2] == ("workloads", 52) for p in problems)


def test_reading_stops_after_the_first_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "version: 1\nworkloads:\n" + "  - 12\n" * 5000
    found = sliced(text, monkeypatch, size=1000)
    assert found is not None
    problems, stopped = found
    assert stopped and MAX_PROBLEMS <= len(problems) < 5000
    expected = {str(p) for p in whole(text)}
    assert {str(p) for p in problems} <= expected
    shown = str(InputError(sorted(problems, key=lambda p: p.line), stopped_early=True))
    assert shown.splitlines()[0].startswith("m.yaml:3:5: workloads[0]:")
    assert shown.splitlines()[-1].startswith("m.yaml:203:5: … and ")
    assert "reading stopped" in shown


def test_an_alias_across_slices_is_left_to_the_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "version: 1\nworkloads:\n  - &first {id: a}\n" + "  - 1\n" * 20 + "  - *first\n"
    assert sliced(text, monkeypatch, size=20) is None


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=manifests(), size=st.integers(1, 400))
def test_random_manifests_sliced_anywhere(doc: Any, size: int) -> None:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        found = sliced(text, monkeypatch, size)
    if found is None:
        return  # not a list it can slice: the whole read decides
    problems, stopped = found
    expected = {str(p) for p in whole(text)}
    assert {str(p) for p in problems} <= expected
    if not stopped:
        assert {str(p) for p in problems} == expected


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028", "\u2029"])
def test_other_line_breaks_are_left_to_the_whole_read(
    monkeypatch: pytest.MonkeyPatch, brk: str
) -> None:
    # found by fuzzing: YAML ends a line at a lone carriage return, the slicer counted
    # line feeds only and placed problems a line too high
    text = f"# one{brk}# two\nversion: 1\nworkloads:\n" + "  - 12\n" * 50
    assert sliced(text, monkeypatch) is None
    crlf = "version: 1\r\nworkloads:\r\n" + "  - 12\r\n" * 50  # CRLF is one line break
    found = sliced(crlf, monkeypatch)
    assert found is None or {str(p) for p in found[0]} <= {str(p) for p in whole(crlf)}


def test_an_aliased_node_is_placed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # found by the property test: a node reached through an alias is one object, and
    # moving the slice's positions down moved it twice
    text = (
        "version: 1\nworkloads:\n- id: a\n  deployment: &d\n    x: 1\n"
        "- id: b\n  deployment: *d\n"
    )
    found = sliced(text, monkeypatch, size=1000)
    assert found is not None
    assert sorted(map(str, found[0])) == sorted(map(str, whole(text)))
