"""Property: each scanner written by hand for speed answers as the expression it replaces.

The gateway path keeps regular expressions off a check's way (compiling one costs
0.2 to 0.6 ms, and a 200-deployment config may add at most 10 ms in all), so
`host_of`, `is_template`, the `model:` line reader, the anchor test, the unusual-
character test, the anchor and alias finder and the subject slug are written out
by hand. The expressions stay
in the modules as their definitions; these tests hold each scanner to its
definition on text built from the characters that decide it, and on any text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.gateways import litellm_fast, litellm_merge, source
from clearance.gateways.drift import _slug
from clearance.manifest.fast_reader import _UNUSUAL, has_unusual


def _pieces(*pieces: str) -> st.SearchStrategy[str]:
    """Text made of the pieces a scanner decides on, plus any character now and then."""
    part = st.one_of(st.sampled_from(pieces), st.characters())
    return st.lists(part, max_size=16).map("".join)


_URL_PIECES = _pieces(
    "https", "://", "//", ":", "/", "@", "?", "#", "[", "]", "::1", "a", "Z9", "+", ".",
    "-", " ", "\t", "\n", "\x1c", "\u3000", "os.environ/", "$", "${X}", "é",
)  # fmt: skip
_TEMPLATE_PIECES = _pieces(
    "{", "}", "<", ">", "your_", "YOUR_", "Your", "_", "x", "X", "change", "CHANGE_",
    "me", "ME", ".", "..", "\u212a", "\u0131", "a",
)  # fmt: skip
_MODEL_PIECES = _pieces(
    "model:", "model: ", "- ", "-", " ", "\t", "\n", "#", "# c", '"', "'", "a", "b/c",
    "\r", "\x0b", "\u3000", "model_name:", ":", "*",
)  # fmt: skip
_ANCHOR_PIECES = _pieces(
    "&", "*", " ", "\t", "\n", "\r", "\x0b", "\x1c", "[", "]", "{", "}", ",", "a", "-",
    "\u3000", "\xa0",
)  # fmt: skip
_ANY = settings(max_examples=400, deadline=None)


def _host_by_expression(url: str | None) -> str | None:
    if not url or source.env_name(url):
        return None
    m = re.match(source._HOST, url.strip())
    return (m.group(1).lower() if m else "") or None


def _model_lines_by_expression(text: str) -> dict[str, list[tuple[int, int]]]:
    """`_model_lines` as it was written with `_MODEL`, before the hand-written reader."""
    out: dict[str, list[tuple[int, int]]] = {}
    line, counted = 1, 0
    at = text.find("model:")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        m = re.compile(litellm_fast._MODEL).match(text, start)
        if m is not None and m.start("key") == at:
            value = m.group("value").rstrip(" \t")
            if value[:1] in "\"'":
                value = value[1:-1]
            line += text.count("\n", counted, start)
            counted = start
            out.setdefault(value, []).append((line, m.start("value") - start + 1))
        at = text.find("model:", at + 6)
    return out


@_ANY
@given(st.one_of(_URL_PIECES, st.text()))
def test_host_of_is_its_expression(url: str) -> None:
    assert source.host_of(url) == _host_by_expression(url)


@_ANY
@given(st.one_of(_TEMPLATE_PIECES, st.text()))
def test_is_template_is_its_expression(value: str) -> None:
    assert source.is_template(value) == (re.search(source._TEMPLATE, value) is not None)


@_ANY
@given(st.one_of(_MODEL_PIECES, st.text()))
def test_model_lines_are_their_expression(text: str) -> None:
    assert litellm_fast._model_lines(text) == _model_lines_by_expression(text)


@_ANY
@given(st.one_of(_ANCHOR_PIECES, st.text()))
def test_anchor_test_is_its_expression(text: str) -> None:
    # plain_doc asks about the first character apart, as the expression never did
    expected = re.search(litellm_fast._ANCHORS, text) is not None
    assert (text.startswith(("&", "*")) or litellm_fast._may_anchor(text)) == (
        text.startswith(("&", "*")) or expected
    )


@_ANY
@given(st.one_of(_ANCHOR_PIECES, _pieces("&a", "*b", ":", "\u2003"), st.text()))
def test_anchor_and_alias_marks_are_their_expressions(text: str) -> None:
    for mark, pattern in (("&", litellm_merge._ANCHOR), ("*", litellm_merge._ALIAS)):
        expected = [(m.start(), m.group(1)) for m in re.finditer(pattern, text, re.M)]
        assert litellm_merge.marks(text, mark) == expected


@_ANY
@given(st.one_of(_pieces("!", "\\", "\x00", "\x7f", "\x85", "\u2028", "\ufffe", "a"), st.text()))
def test_unusual_test_is_its_expression(text: str) -> None:
    assert has_unusual(text) == (_UNUSUAL.search(text) is not None)


def test_unusual_test_knows_every_character() -> None:
    for code in range(0x110000):
        text = f"a{chr(code)}b"
        assert has_unusual(text) == (_UNUSUAL.search(text) is not None), hex(code)


@_ANY
@given(st.one_of(_pieces("a", "-", ".", "_", "*", "/", ":", " ", "é", "K"), st.text()))
def test_slug_is_its_expression(text: str) -> None:
    lowered = text.lower()
    expected = re.sub(r"[^a-z0-9._]+", "-", lowered).strip("-._")
    assert _slug(lowered).strip("-._") == expected


def test_known_hosts_and_templates() -> None:
    """A few of the real shapes, spelled out."""
    assert source.host_of("https://eu.api.openai.com/v1") == "eu.api.openai.com"
    assert source.host_of("http://[::1]:8080/v1") == "[::1]"
    assert source.host_of("//Ollama-GPU:11434") == "ollama-gpu"
    assert source.host_of("user:secret@bedrock-runtime.eu-central-1.amazonaws.com") == (
        "bedrock-runtime.eu-central-1.amazonaws.com"
    )
    assert source.host_of("os.environ/AZURE_API_BASE") is None
    assert source.is_template("https://{your-resource}.openai.azure.com")
    assert source.is_template("https://YOUR_RESOURCE.openai.azure.com")
    assert source.is_template("https://host/<deployment>/chat")
    assert not source.is_template("https://acme.openai.azure.com/<>")
    assert not source.is_template("https://eu.api.openai.com/v1")
