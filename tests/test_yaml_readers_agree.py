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
    from clearance.manifest import fast_reader

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
    from clearance.manifest import fast_reader

    # the flow-style list has no `- id:` lines to slice at; it is read whole
    text = (
        "version: 1\nworkloads: [{id: a, data: [internal], commercial: false, model: openai/gpt-4o, "
        "deployment: {mode: api, provider: openai, region: us}}]\n"
    )
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 10)
    assert fast_reader._read_in_slices(text, fast_reader._id_lines(text)) is None


# -- merge keys and anchors ------------------------------------------------------------
# The fast reader resolves `<<` itself (yaml-rs hands it over as a plain key); the
# positioned reader overrides PyYAML's resolution (6.0.4 lets a later mapping of the
# list win). Both must follow the spec: the mapping's own keys win, then the earlier
# mappings of a merged list.

KEY = st.sampled_from(["a", "b", "c", "d"])
SCALAR = st.one_of(st.integers(-5, 5), st.sampled_from(["x", "y", "true", "null", "'q'"]))


@st.composite
def merge_documents(draw: st.DrawFn) -> str:
    """Anchored mappings (each may merge earlier ones), then a mapping `t` merging some of
    them (one alias, or a list of aliases and inline mappings) with keys of its own."""
    lines = ["anchors:"]
    count = draw(st.integers(1, 4))
    for i in range(count):
        pairs = draw(st.dictionaries(KEY, SCALAR, max_size=3))
        body = ", ".join(f"{k}: {v}" for k, v in pairs.items())
        earlier = draw(st.lists(st.integers(0, i - 1), max_size=2)) if i else []
        if earlier:
            merged = "[" + ", ".join(f"*m{j}" for j in earlier) + "]"
            body = f"<<: {merged}" + (", " + body if body else "")
        lines.append(f"  - &m{i} {{{body}}}")
    sources = draw(st.lists(st.one_of(
        st.integers(0, count - 1).map(lambda j: f"*m{j}"),
        st.dictionaries(KEY, SCALAR, min_size=1, max_size=2).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"),
    ), min_size=1, max_size=4))
    single = len(sources) == 1 and draw(st.booleans())
    lines.append("t:")
    for k, v in draw(st.dictionaries(KEY, SCALAR, max_size=2)).items():
        lines.append(f"  {k}: {v}")
    lines.insert(len(lines) - 0, "  <<: " + (sources[0] if single else "[" + ", ".join(sources) + "]"))
    return "\n".join(lines) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return [(k, _plain(v)) for k, v in value.items()]  # order too
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@settings(max_examples=400, deadline=None)
@given(merge_documents())
@example("anchors:\n  - &base {data: internal}\nt:\n  <<: [{data: phi}, *base]\n")
@example("anchors:\n  - &a {x: 1}\n  - &b {<<: *a, x: 2}\nt:\n  x: 3\n  <<: [*b, *a]\n")
@example("anchors:\n  - &m0 {a: 0}\n  - &m1 {<<: [*m0], a: 1}\nt:\n  <<: [*m1]\n")
def test_merge_keys_read_alike_and_as_the_spec_says(text: str) -> None:
    from clearance.manifest.fast_reader import merges

    slow = load_yaml_text(text, "f.yaml")
    fast = merges(yaml_rs.loads(text))
    assert _plain(fast) == _plain(slow), text
    assert "<<" not in slow["t"]


def test_the_earlier_mapping_of_a_merged_list_wins() -> None:
    from clearance.manifest.fast_reader import merges

    text = "b: &base {data: [internal], k: 1}\nt:\n  <<: [{data: [phi]}, *base]\n  k: 2\n"
    for read in (load_yaml_text(text, "f.yaml"), merges(yaml_rs.loads(text))):
        assert read["t"] == {"data": ["phi"], "k": 2}


@st.composite
def anchored_manifests(draw: st.DrawFn) -> str:
    """A manifest whose later workloads merge earlier ones' anchored parts, overriding some."""
    lines = ["version: 1", "workloads:"]
    n = draw(st.integers(2, 6))
    for i in range(n):
        lines.append(f"  - id: w{i}")
        if i == 0:
            lines += ["    <<: &t0", "      data: [internal]", "      commercial: false",
                      "      model: openai/gpt-4o",
                      "    deployment: &dep0 {mode: api, provider: openai, region: us}"]
            continue
        inline = draw(st.sampled_from(["", "{data: [phi]}", "{commercial: true}",
                                       "{data: [gdpr], commercial: true}"]))
        merged = "*t0" if not inline else draw(st.sampled_from(
            [f"[{inline}, *t0]", f"[*t0, {inline}]"]))
        lines.append(f"    <<: {merged}")
        if draw(st.booleans()):
            lines.append(f"    data: [{draw(st.sampled_from(['pii', 'public', 'phi']))}]")
        deployment = draw(st.sampled_from([
            "*dep0", "{<<: *dep0, region: eu}", "{<<: *dep0, agreements: [baa]}"]))
        lines.append(f"    deployment: {deployment}")
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(anchored_manifests())
def test_anchored_manifests_take_the_fast_path_and_read_as_the_positioned_reader(
        text: str) -> None:
    from pathlib import Path

    from clearance.manifest import fast_reader
    from clearance.manifest.load import load_manifest

    fast = fast_reader.read_manifest(text)
    assert fast is not None, "anchors and merges fell off the fast path"
    slow = load_manifest(Path("model-usage.yaml"), "model-usage.yaml", text.encode(), fast=False)
    assert fast[0] == slow.manifest, text
    assert fast[1] == [slow.position("workloads", i) for i in range(len(fast[0].workloads))]


def test_anchors_in_a_large_manifest_are_read_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.manifest import fast_reader

    head = ("version: 1\nworkloads:\n  - id: w0\n    <<: &t {data: [phi], commercial: true, "
            "model: openai/gpt-4o}\n    deployment: &d {mode: api, provider: openai, region: us}\n")
    rest = "".join(f"  - id: w{i}\n    <<: [{{data: [pii]}}, *t]\n    deployment: *d\n"
                   for i in range(1, 300))
    text = head + rest
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 10**12)
    whole = fast_reader.read_manifest(text)
    monkeypatch.setattr(fast_reader, "SLICE_CHARS", 2000)
    sliced = fast_reader.read_manifest(text)
    assert whole is not None and sliced is not None
    assert sliced[0] == whole[0]
    assert [w.data for w in whole[0].workloads[:2]] == [["phi"], ["pii"]]


def test_an_alias_bomb_stays_off_the_fast_path() -> None:
    from clearance.manifest import fast_reader

    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "version: 1\n" + "\n".join(levels) + "\nworkloads: []\n"
    assert fast_reader.read_manifest(text) is None
    with pytest.raises(InputError, match="billion laughs"):
        load_yaml_text(text, "f.yaml")
