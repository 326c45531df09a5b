"""Coverage of the shipped catalogue: how many models, and that every fact carries its source.

The catalogue is a claim about the real world; a fact without a source and a reading date
cannot be checked again when the licence or the provider's terms change. These tests read
the shipped files themselves, so they hold for every entry, not a sample.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from clearance.bundle.catalogue import Catalogue
from clearance.bundle.load import load_bundle
from conftest import REPO

LEVELS = {"PRIMARY", "COPY", "SECONDARY"}
# Sources are read before they are recorded: a reading date after the test run is a typo.
TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_bundle().catalogue


def _sources(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that names a `url` (a source, or a licence's own header), with its path."""
    if isinstance(node, dict):
        if "url" in node:
            yield where, node
        for key, value in node.items():
            yield from _sources(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("id", i) if isinstance(value, dict) else i
            yield from _sources(value, f"{where}[{label}]")


FILES = sorted([*(REPO / "catalog").glob("*.yaml"), *(REPO / "licences").glob("*.yaml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_source_has_a_url_a_past_reading_date_and_a_level(path: Path) -> None:
    found = list(_sources(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem))
    assert found, f"{path.name} cites no source at all"
    for where, source in found:
        assert str(source["url"]).startswith(("https://", "http://")), f"{where}: {source['url']!r}"
        as_of = source.get("as_of")
        assert isinstance(as_of, datetime.date), f"{where} has no as_of date"
        assert as_of <= TODAY, f"{where}: as_of {as_of} lies in the future"
        level = source.get("level")
        assert level is None or level in LEVELS, f"{where}: unknown level {level!r}"


def test_catalogue_lists_at_least_200_models(cat: Catalogue) -> None:
    assert len(cat.models) >= 200


def test_every_model_names_an_existing_licence_and_a_verification_level(cat: Catalogue) -> None:
    for model in cat.models.values():
        assert model.licence in cat.licences, f"{model.id}: unknown licence {model.licence}"
        assert model.source.level in LEVELS, f"{model.id}: no verification level"


def test_every_provider_fact_is_covered_by_a_dated_source(cat: Catalogue) -> None:
    for provider in cat.providers.values():
        for source in provider.sources:
            assert source.covers, f"{provider.id}: a source that covers nothing"
            assert source.as_of <= TODAY


def test_aliases_never_name_two_models_nor_shadow_a_model_id(cat: Catalogue) -> None:
    owner: dict[str, str] = {}
    for model in cat.models.values():
        for name in (model.id, *model.aliases):
            assert owner.setdefault(name.lower(), model.id) == model.id, (
                f"{name} names both {owner[name.lower()]} and {model.id}"
            )


def test_licence_aliases_are_unique_and_never_a_model_name(cat: Catalogue) -> None:
    owner: dict[str, str] = {}
    for lid, loaded in cat.licences.items():
        for name in (lid, *loaded.value.aliases):
            assert owner.setdefault(name.lower(), lid) == lid, (
                f"{name}: {owner[name.lower()]}, {lid}"
            )


# Hugging Face `license:` keywords and `license_name:` values of `license: other` cards,
# as the cards of these models spell them, and the licence each must resolve to.
HF_KEYWORDS = {
    "llama2": "llama-2",
    "llama3": "llama-3",
    "llama3.1": "llama-3.1",
    "llama3.2": "llama-3.2",
    "llama3.3": "llama-3.3",
    "llama4": "llama-4",
    "gemma": "gemma",
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "mrl": "mistral-research",
    "mnpl": "mistral-non-production",
    "qwen": "qwen",
    "qwen-research": "qwen-research",
    "tongyi-qianwen": "tongyi-qianwen",
    "deepseek": "deepseek",
    "openrail++": "creativeml-openrail-pp-m",
    "stabilityai-ai-community": "stability-community",
    "nvidia-open-model-license": "nvidia-open-model",
    "falcon-llm-license": "falcon-3",
    "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0",
    "bigscience-openrail-m": "bigscience-openrail-m",
}


@pytest.mark.parametrize(("keyword", "licence"), sorted(HF_KEYWORDS.items()))
def test_hugging_face_licence_keywords_resolve(cat: Catalogue, keyword: str, licence: str) -> None:
    found = cat.licence(keyword)
    assert found is not None and found.value.id == licence


# What new users reached for first (issue 12): each name resolves, under the licence its
# card or vendor states. An Ollama tag must land on the same model as the repository id.
EXPECTED = {
    "meta-llama/Llama-2-13b-chat-hf": "llama-2",
    "meta-llama/Llama-2-70b-chat-hf": "llama-2",
    "llama2:70b": "llama-2",
    "google/gemma-2-2b-it": "gemma",
    "google/gemma-3n-E4B-it": "gemma",
    "google/gemma-4-31B-it": "apache-2.0",
    "Qwen/Qwen3-4B": "apache-2.0",
    "Qwen/Qwen3-14B": "apache-2.0",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct": "apache-2.0",
    "Qwen/Qwen2.5-Coder-32B-Instruct": "apache-2.0",
    "Qwen/Qwen2.5-Coder-3B-Instruct": "qwen-research",
    "Qwen/Qwen2.5-VL-72B-Instruct": "qwen",
    "qwen2.5:72b": "qwen",
    "qwen2.5:32b": "apache-2.0",
    "deepseek-ai/DeepSeek-V3.2-Exp": "mit",
    "mistralai/Mixtral-8x22B-Instruct-v0.1": "apache-2.0",
    "mixtral:8x22b": "apache-2.0",
    "mistralai/Mistral-Small-24B-Instruct-2501": "apache-2.0",
    "mistralai/Pixtral-Large-Instruct-2411": "mistral-research",
    "mistralai/Mistral-Small-Instruct-2409": "mistral-research",
    "microsoft/Phi-3.5-mini-instruct": "mit",
    "microsoft/Phi-4-mini-instruct": "mit",
    "CohereForAI/c4ai-command-r-plus-08-2024": "cc-by-nc-4.0",
    "CohereLabs/c4ai-command-r-plus-08-2024": "cc-by-nc-4.0",
    "tiiuae/Falcon3-7B-Instruct": "falcon-3",
    "tiiuae/falcon-7b": "apache-2.0",
    "ibm-granite/granite-3.1-8b-instruct": "apache-2.0",
    "nvidia/Llama-3_1-Nemotron-51B-Instruct": "nvidia-open-model",
    "01-ai/Yi-1.5-34B-Chat": "apache-2.0",
    "zai-org/GLM-4.5": "mit",
    "moonshotai/Kimi-K2-Instruct": "kimi-k2",
    "nomic-ai/nomic-embed-text-v1.5": "apache-2.0",
    "BAAI/bge-m3": "mit",
    "intfloat/multilingual-e5-large": "mit",
    "openai/whisper-large-v3": "mit",
    "stabilityai/stable-diffusion-xl-base-1.0": "creativeml-openrail-pp-m",
    "stabilityai/stable-diffusion-3.5-large": "stability-community",
    "black-forest-labs/FLUX.1-dev": "flux-1-dev-non-commercial",
    "claude-3-7-sonnet-20250219": "anthropic-api",
    "claude-opus-4-20250514": "anthropic-api",
    "claude-opus-4-1-20250805": "anthropic-api",
    "claude-opus-4-5": "anthropic-api",
    "claude-sonnet-4-5": "anthropic-api",
    "claude-haiku-4-5": "anthropic-api",
    "gemini-2.5-flash": "google-gemini-api",
    "gemini-2.5-flash-lite": "google-gemini-api",
    "gpt-5": "openai-api",
    "o4-mini": "openai-api",
    "gpt-4.1-mini": "openai-api",
    "text-embedding-3-large": "openai-api",
    "mistral-large-latest": "mistral-api",
}


@pytest.mark.parametrize(("name", "licence"), sorted(EXPECTED.items()))
def test_commonly_used_models_resolve_under_their_stated_licence(
    cat: Catalogue, name: str, licence: str
) -> None:
    model = cat.model(name)
    assert model is not None, f"{name} is not in the catalogue"
    assert model.licence == licence


def test_llama_based_nemotron_carries_llama_through_its_base(cat: Catalogue) -> None:
    nemotron = cat.model("nvidia/Llama-3_1-Nemotron-51B-Instruct")
    assert nemotron is not None
    assert {a.licence for a in cat.ancestors(nemotron)} == {"llama-3.1"}
