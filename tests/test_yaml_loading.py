"""The safe YAML reader: positions, and every hostile-file guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import InputError
from clearance.loading.yaml_source import (
    YDict,
    YList,
    load_yaml_text,
    locate,
    read_yaml_file,
)


def problem(text: str) -> str:
    with pytest.raises(InputError) as info:
        load_yaml_text(text, "f.yaml")
    [p] = info.value.problems
    return str(p)


def test_positions_of_keys_values_and_items() -> None:
    doc = load_yaml_text("a: 1\nb:\n  - x\n  - {c: 2}\n", "f.yaml")
    assert isinstance(doc, YDict) and isinstance(doc["b"], YList)
    assert locate(doc, ("a",)) == (1, 4)
    assert locate(doc, ("a",), key=True) == (1, 1)
    assert locate(doc, ("b", 1)) == (4, 5)
    assert locate(doc, ("b", 1, "c")) == (4, 9)
    assert locate(doc, ("b", 7)) == (3, 3)  # nearest existing ancestor: the list b holds
    assert doc == {"a": 1, "b": ["x", {"c": 2}]}


def test_syntax_error_is_positioned() -> None:
    assert problem("a: [1, 2\nb: 3\n").startswith("f.yaml:2:2: invalid YAML")


def test_tab_indentation_is_positioned() -> None:
    assert problem("a:\n\tb: 1\n").startswith("f.yaml:2:1: invalid YAML")


def test_duplicate_keys_are_refused() -> None:
    msg = problem("a: 1\nb: 2\na: 3\n")
    assert msg.startswith("f.yaml:3:1:") and "duplicate key 'a' (first defined at line 1)" in msg


def test_merge_keys_are_not_duplicates() -> None:
    doc = load_yaml_text("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", "f.yaml")
    assert doc["d"] == {"x": 1, "y": 3}


def test_object_tags_are_refused() -> None:
    msg = problem("a: !!python/object/apply:os.system ['echo hi']\n")
    assert msg.startswith("f.yaml:1:4:") and "not allowed" in msg


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    msg = problem("\n".join(lines) + "\n")
    assert "billion laughs" in msg


def test_small_aliases_are_fine() -> None:
    doc = load_yaml_text("x: &x [1, 2]\ny: *x\n", "f.yaml")
    assert doc["y"] == [1, 2]


def test_recursive_alias_is_refused() -> None:
    assert "refers to the node that contains it" in problem("a: &a [*a]\n")


def test_several_documents_are_refused() -> None:
    assert "several YAML documents" in problem("a: 1\n---\nb: 2\n")


def test_non_scalar_key_is_refused() -> None:
    assert "mapping key must be a scalar" in problem("? [a, b]\n: 1\n")


def test_empty_document_is_none() -> None:
    assert load_yaml_text("", "f.yaml") is None
    assert load_yaml_text("# only a comment\n", "f.yaml") is None


def test_deep_nesting_does_not_crash() -> None:
    depth = 5000
    msg = problem("[" * depth + "]" * depth)
    assert "nested too deeply" in msg or "invalid YAML" in msg


@pytest.mark.parametrize("depth", [65, 500, 999, 1001, 5000])
@pytest.mark.parametrize(("open_", "close"), [("[", "]"), ("{a: ", "}"), ("- ", "")])
def test_depth_guard_position_is_clearance_s_whatever_the_parser_allows(
    depth: int, open_: str, close: str
) -> None:
    # regression: libyaml 0.2.6 (PyYAML 6.0.4) refuses 1,000 levels itself, at a
    # position that moved between releases; the 65th container is where clearance
    # refuses a document, at any depth and with any libyaml
    text = open_ * depth + "x" + close * depth + "\n"
    column = 1 + len(open_) * 64
    assert problem(text) == f"f.yaml:1:{column}: invalid YAML: nested more than 64 levels deep"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"a: \xff\xfe\xfa\n", "f.yaml:1:4: not UTF-8 text"),
        (b"a: 1\nb: caf\xe9\n", "f.yaml:2:7: not UTF-8 text"),
        (b"\x00\x01\x02binary", "invalid YAML"),
    ],
)
def test_bad_encodings(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_yaml_file(path, "f.yaml")
    assert fragment in str(info.value)


def test_byte_order_marks_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml_file(path) == {"a": 1}
    path.write_bytes("a: 1\n".encode("utf-16"))
    assert read_yaml_file(path) == {"a": 1}


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_MAX_FILE_BYTES", "100")
    path = tmp_path / "f.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(InputError) as info:
        read_yaml_file(path, "f.yaml")
    assert "over the limit of 100" in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_yaml_file(tmp_path / "missing.yaml", "missing.yaml")
    assert str(info.value).startswith("missing.yaml:1:1: cannot read file")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!#|>'\"\n\t,?%@`0.~")), max_size=80))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        load_yaml_text(text, "f.yaml")
    except InputError as exc:
        assert all(str(p).startswith("f.yaml:") for p in exc.problems)
