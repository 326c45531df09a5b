"""Property: random LiteLLM-shaped configs never crash the reader (deployments or InputError)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.bundle.load import load_bundle
from clearance.errors import InputError
from clearance.gateways import READERS, reader
from clearance.gateways.interface import GatewayDeployment
from clearance.gateways.litellm_providers import KNOWN

CATALOGUE = load_bundle().catalogue
_words = st.sampled_from(
    [*sorted(KNOWN)[:20], "bedrok", "us", "eu", "global", "apac", "jp", "*", "", "a/b", "ü", "\t"]
)
_model = st.one_of(
    st.builds(lambda p, m: f"{p}/{m}", _words, st.text(max_size=30)),
    st.builds(lambda g, m: f"bedrock/{g}.{m}", _words, st.text(max_size=20)),
    st.builds(lambda v: f"os.environ/{v}", st.text(max_size=10)),
    st.text(max_size=40),
)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    _model,
)
_value: st.SearchStrategy[Any] = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_params = st.fixed_dictionaries(
    {},
    optional={
        "model": st.one_of(_model, _value),
        "aws_region_name": st.one_of(st.text(max_size=20), _value),
        "aws_bedrock_runtime_endpoint": st.one_of(st.text(max_size=60), _value),
        "vertex_location": _value,
        "api_base": st.one_of(
            st.text(max_size=60),
            st.sampled_from(["http://[x", "https://eu.api.openai.com", "http://localhost:1"]),
        ),
        "custom_llm_provider": st.one_of(_words, _value),
    },
)
_entry = st.one_of(
    st.fixed_dictionaries({"model_name": _value, "litellm_params": _params}),
    _value,
)
_config = st.one_of(
    st.fixed_dictionaries(
        {"model_list": st.lists(_entry, max_size=6)}, optional={"include": _value}
    ),
    _value,
)


def _read(fmt: str, text: str) -> list[GatewayDeployment]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return reader(fmt).read(path, CATALOGUE)
        except InputError as exc:
            assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
            return []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_config)
def test_random_litellm_configs_give_deployments_or_a_positioned_error(config: Any) -> None:
    for d in _read("litellm", yaml.safe_dump(config, allow_unicode=True)):
        assert d.line >= 1 and d.column >= 1
        assert d.provider is None or d.provider in CATALOGUE.providers


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(READERS)), _config)
def test_every_reader_survives_the_same_configs(fmt: str, config: Any) -> None:
    _read(fmt, yaml.safe_dump(config, allow_unicode=True))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_litellm_reader(text: str) -> None:
    _read("litellm", text)


def _both_paths(text: str) -> tuple[Any, Any]:
    from clearance.gateways import litellm
    from clearance.gateways.source import read_doc

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.yaml"
        path.write_text(text, encoding="utf-8")
        results = []
        for read in (
            lambda: litellm.read(path, CATALOGUE),
            lambda: litellm._read(read_doc(path), CATALOGUE),
        ):
            try:
                results.append(read())
            except InputError as exc:
                results.append(str(exc))
        return results[0], results[1]


@settings(max_examples=100, deadline=None)
@given(_config)
def test_the_fast_path_never_changes_the_result(config: Any) -> None:
    fast, positioned = _both_paths(yaml.safe_dump(config, allow_unicode=True))
    assert fast == positioned


def test_the_fast_path_agrees_on_every_corpus_config() -> None:
    corpus = Path(os.environ.get("CLEARANCE_CORPUS", "/work/shared/corpus")) / "litellm"
    files = sorted(corpus.glob("*"))
    for path in files:
        fast, positioned = _both_paths(path.read_text(encoding="utf-8"))
        assert fast == positioned, path.name


def test_a_model_written_again_elsewhere_takes_the_positioned_path() -> None:
    text = (
        "model_list:\n"
        "  - model_name: a\n"
        "    litellm_params:\n"
        "      model: groq/llama3-8b-8192\n"
        "    info:\n"
        "      model: groq/llama3-8b-8192\n"
        "  - model_name: b\n"
        "    litellm_params: {model: 'groq/llama3-70b-8192'}\n"
    )
    fast, positioned = _both_paths(text)
    assert fast == positioned
    assert [(d.line, d.column) for d in fast] == [(4, 14), (8, 29)]


_keys = st.sampled_from(
    ["model", "aws_region_name", "api_base", "vertex_location", "timeout", "<<x"]
)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(_keys, st.one_of(_model, st.integers()), max_size=4),
    st.lists(st.dictionaries(_keys, st.one_of(_model, st.integers()), max_size=3), max_size=4),
)
def test_merge_keys_read_the_same_on_both_paths(base: dict[str, Any], entries: list[Any]) -> None:
    flow = yaml.safe_dump(base, default_flow_style=True, width=10_000).strip()
    text = f"x-base: &base {flow}\nmodel_list:\n"
    for i, entry in enumerate(entries):
        text += f"  - model_name: e{i}\n    litellm_params:\n      <<: *base\n"
        for line in yaml.safe_dump(entry, width=10_000).splitlines() if entry else []:
            text += f"      {line}\n"
    fast, positioned = _both_paths(text)
    assert fast == positioned
