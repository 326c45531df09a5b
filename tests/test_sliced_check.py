"""A large manifest's first problems, found reading it in slices, are the whole read's.

`loading/sliced_check.py` reads a large manifest that failed the fast path a
slice at a time until 200 problems are seen, then reads the file up to there
as one document. Here slices are made tiny so that small documents are cut
in many places, and the problems it reports must be exactly those the whole
positioned read of that cut document finds, at the same positions.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import MAX_PROBLEMS, InputError, Problem
from clearance.loading.validate import validate
from clearance.loading.yaml_source import load_yaml_text
from clearance.manifest import sliced_check
from clearance.schema.manifest import Manifest
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
BAD = "  - 12\n"


@pytest.mark.parametrize("tail", ["", "owner: team\n", "# done\n"])
def test_the_first_problems_are_the_cut_documents(
    monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    items = "".join(BAD if i % 3 else ITEM.format(i=i) for i in range(1200))
    text = "version: 2\nsystem: s\nworkloads:\n" + items + tail
    found = sliced(text, monkeypatch, size=500)
    assert found is not None
    problems, stop = found
    assert len(problems) >= MAX_PROBLEMS and stop < len(text)
    assert sorted(map(str, problems)) == sorted(
        map(str, whole(sliced_check.cut_document(text, stop)))
    )
    assert problems[0].path == ("version",) or any(p.path == ("version",) for p in problems)
    # every problem shown is one the whole file has too
    assert {str(p) for p in problems} <= {str(p) for p in whole(text)}


def test_reading_stops_after_the_first_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "version: 1\nworkloads:\n" + "  - 12\n" * 5000
    found = sliced(text, monkeypatch, size=1000)
    assert found is not None
    problems, _ = found
    assert MAX_PROBLEMS <= len(problems) < 5000
    assert {str(p) for p in problems} <= {str(p) for p in whole(text)}
    shown = str(InputError(sorted(problems, key=lambda p: p.line), stopped_early=True))
    assert shown.splitlines()[0].startswith("m.yaml:3:5: workloads[0]:")
    assert shown.splitlines()[-1].startswith("m.yaml:203:5: … and ")
    assert "reading stopped" in shown


def test_few_problems_are_left_to_the_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "version: 1\nworkloads:\n" + "  - 12\n" * 50 + ITEM.format(i=1) * 200
    assert sliced(text, monkeypatch, size=100) is None


def test_an_alias_across_slices_is_left_to_the_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "version: 1\nworkloads:\n  - &first {id: a}\n"
        + "  - 1\n" * 3
        + "  - *first\n"
        + "  - 1\n" * 400
    )
    assert sliced(text, monkeypatch, size=20) is None


def test_a_syntax_error_after_the_cut_is_not_hidden_by_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # found by fuzzing: slices can read where the whole does not; what is reported is
    # what the document up to the cut holds, and that reads as one document
    text = "version: 1\nworkloads:\n" + "  - 12\n" * 400 + "  - a: [\n"
    found = sliced(text, monkeypatch, size=100)
    assert found is not None
    problems, stop = found
    assert sorted(map(str, problems)) == sorted(
        map(str, whole(sliced_check.cut_document(text, stop)))
    )
    before = "version: 1\nworkloads:\n" + "  - 12\n" * 10 + "  - a: [\n  - 12\n" * 300
    found = sliced(before, monkeypatch, size=30)
    assert found is None or all(
        str(p) in {str(q) for q in whole(sliced_check.cut_document(before, found[1]))}
        for p in found[0]
    )


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=manifests(), copies=st.integers(1, 60), size=st.integers(1, 400))
def test_random_manifests_cut_anywhere(doc: Any, copies: int, size: int) -> None:
    if isinstance(doc, dict) and isinstance(doc.get("workloads"), list):
        doc = {**doc, "workloads": doc["workloads"] * copies}
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sliced_check, "MAX_PROBLEMS", 3)  # stop early, often
        found = sliced(text, monkeypatch, size)
    if found is None:
        return  # the whole read decides
    problems, stop = found
    assert sorted(map(str, problems)) == sorted(
        map(str, whole(sliced_check.cut_document(text, stop)))
    )


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028", "\u2029"])
def test_other_line_breaks_are_left_to_the_whole_read(
    monkeypatch: pytest.MonkeyPatch, brk: str
) -> None:
    # found by fuzzing: YAML ends a line at a lone carriage return, the slicer counted
    # line feeds only and placed problems a line too high
    text = f"# one{brk}# two\nversion: 1\nworkloads:\n" + "  - 12\n" * 500
    assert sliced(text, monkeypatch) is None
