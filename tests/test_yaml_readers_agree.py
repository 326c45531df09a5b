"""The fast reader (yaml-rs) and the positioned reader (PyYAML) read every scalar alike.

clearance reads valid input with the fast reader and re-reads with the
positioned one only to point at errors, so the two must never disagree on
what a plain scalar means (YAML 1.2 core schema: `NO` is a string, `0755` is
755, `1e3` is a float).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clearance.errors import InputError
from clearance.loading.yaml_source import load_yaml_text

yaml_rs = pytest.importorskip("yaml_rs")

TOKEN = st.text(
    alphabet=st.sampled_from(list("0123456789_+-.eExobtrufalsnNTFLOY~:")), min_size=1, max_size=8
)


def _read(reader: str, text: str) -> object:
    try:
        if reader == "fast":
            return yaml_rs.loads(text)["k"]
        return load_yaml_text(text, "f.yaml")["k"]
    except (InputError, yaml_rs.YAMLDecodeError):
        return "<error>"


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@settings(max_examples=1500, deadline=None)
@given(TOKEN)
@example("NO")
@example("yes")
@example("0755")
@example("1e3")
@example("12:30")
@example("2024-01-01")
def test_plain_scalars_read_alike(token: str) -> None:
    text = f"k: {token}\n"
    fast, slow = _read("fast", text), _read("slow", text)
    if "<error>" in (fast, slow):
        return  # both readers must reject malformed YAML, but may word it differently
    assert _same(fast, slow), f"{token!r}: yaml-rs {fast!r}, positioned {slow!r}"


LAYOUTS = {
    "dash at the margin": "workloads:\n{items}",
    "indented list": "workloads:\n{items_indented}",
    "comments between items and a key after the list": "# top\nworkloads:\n{items}# end\nsystem: after\n",
}


def _items(n: int, indent: str) -> str:
    out = []
    for i in range(n):
        out.append(
            f"{indent}- id: w{i}\n{indent}  data: [internal]\n{indent}  commercial: false\n"
            f'{indent}  description: "workload {i} - id: not-an-item"\n'
            f"{indent}  model: openai/gpt-4o\n"
            f"{indent}  deployment: {{mode: api, provider: openai, region: us}}\n"
            f"{indent}# a comment after workload {i}\n"
        )
    return "".join(out)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_large_manifests_read_in_slices_equal_whole_reads(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.loading import fast_reader

    text = "version: 1\nowner: o@example.invalid\n" + LAYOUTS[layout].format(
        items=_items(300, ""), items_indented=_items(300, "  ")
    )
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 10**12)
    whole = fast_reader.read_manifest(text)
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 2000)  # about ten workloads a slice
    sliced = fast_reader.read_manifest(text)
    assert whole is not None and sliced is not None
    assert sliced[0] == whole[0] and sliced[2] == whole[2]
    assert len(sliced[0].workloads) == 300


def test_a_slice_that_does_not_add_up_falls_back_to_a_whole_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clearance.loading import fast_reader

    # the flow-style list has no `- id:` lines to slice at; it is read whole
    text = (
        "version: 1\nworkloads: [{id: a, data: [internal], commercial: false, model: openai/gpt-4o, "
        "deployment: {mode: api, provider: openai, region: us}}]\n"
    )
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 10)
    assert fast_reader._read_in_slices(text, fast_reader._id_lines(text)) is None
