"""Browsing answers the questions users asked: detail views with sources (golden files in
tests/golden/browse/, CLEARANCE_UPDATE_GOLDEN=1 rewrites them), filters that take aliases,
and unknown filter values that are an error with "did you mean", never an empty table."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

GOLDEN = Path(__file__).parent / "golden" / "browse"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("providers", "mistral"), "provider-mistral"),
        (("providers", "aws-bedrock"), "provider-aws-bedrock"),
        (("providers", "together"), "provider-together"),
        (("providers", "on-prem"), "provider-on-prem"),
        (("models", "qwen2.5:72b"), "model-qwen2.5-72b"),
        (("models", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"), "model-r1-distill-qwen-32b"),
    ],
)
def test_detail_views_are_golden(run: Callable[..., Run], args: tuple[str, ...], name: str) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        golden.write_text(result.out, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert result.out == golden.read_text(encoding="utf-8")


def test_a_provider_shows_regions_with_their_places_and_agreements_with_their_status(
    run: Callable[..., Run],
) -> None:
    out = run("providers", "mistral").out
    # a region spanning countries is shown as its group, with the group's countries
    assert "    eu (EU/EFTA (api.eu.mistral.ai)): group EEA-CH" in out
    assert "CH, " in out and "DE, " in out
    assert "    global (" in out and "may process anywhere" in out
    assert "    dpa    known: offered" in out
    assert "    baa    unknown" in out  # not found is unknown, not "no"
    assert "https://docs.mistral.ai/studio-api/regional-inference" in out
    assert "  retention: 30 days" in out
    on_prem = run("providers", "on-prem").out
    assert "    baa    known: not offered" in on_prem


def test_a_model_shows_its_aliases_and_its_licence_chain_with_sources(
    run: Callable[..., Run],
) -> None:
    out = run("models", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B").out
    assert "  lineage:    distillation of Qwen/Qwen2.5-32B" in out
    assert "    mit: " in out and "(its own licence)" in out
    assert "(through ancestor Qwen/Qwen2.5-32B)" in out
    alias = run("models", "QWEN2.5:72B").out  # an alias, in any case
    assert alias.startswith("Qwen/Qwen2.5-72B-Instruct: ")
    assert "  aliases:    qwen2.5:72b" in alias


@pytest.mark.parametrize("spelling", ["llama3.1", "llama-3.1", "Llama 3.1 Community License"])
def test_the_licence_filter_takes_any_name_of_the_licence(
    run: Callable[..., Run], spelling: str
) -> None:
    result = run("models", "--licence", spelling)
    assert result.code == 0
    rows = result.out.splitlines()[2:]
    assert rows and all("  llama-3.1  " in row for row in rows)
    assert result.out == run("models", "--licence", "llama-3.1").out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("models", "--licence", "lama-3.1"), "unknown licence 'lama-3.1' (did you mean"),
        (("models", "--family", "lama"), "unknown model family 'lama' (did you mean llama?)"),
        (("licences", "--kind", "permisive"), "unknown licence kind 'permisive' (did you mean"),
        (("providers", "mistrall"), "unknown provider 'mistrall' (did you mean mistral?)"),
        (
            ("models", "qwen2.5:72c"),
            "unknown model 'qwen2.5:72c' (did you mean qwen2.5:72b "
            "(Qwen/Qwen2.5-72B-Instruct, licence qwen)",
        ),
        (("licences", "lama-3.1"), "unknown licence 'lama-3.1' (did you mean llama-3.1?)"),
        (("models", "qwen2.5:72b", "--weights", "open"), "a model id and filters"),
    ],
)
def test_an_unknown_filter_value_is_an_error_not_an_empty_table(
    run: Callable[..., Run], args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.code == 2
    assert result.out == ""
    assert message in result.err, result.err


def test_a_family_filter_ignores_case_and_licences_accept_aliases(run: Callable[..., Run]) -> None:
    assert run("models", "--family", "QWEN").out == run("models", "--family", "qwen").out
    assert run("licences", "llama3.1").out.startswith("llama-3.1: ")


def test_models_help_names_both_forms(run: Callable[..., Run]) -> None:
    listing = run("models", "--help")
    assert listing.code == 0 and "models import" in listing.out
    importing = run("models", "import", "--help")
    assert importing.code == 0 and "--bundle" in importing.out and "--id" in importing.out
