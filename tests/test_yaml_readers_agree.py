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

TOKEN = st.text(alphabet=st.sampled_from(list("0123456789_+-.eExobtrufalsnNTFLOY~:")),
                min_size=1, max_size=8)


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
