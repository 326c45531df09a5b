"""An unknown model's error: the nearest models, same series and size first, each with its
licence, and how to declare a model the catalogue lacks."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.bundle.load import load_bundle
from clearance.resolve.model_hint import ranked, series_and_size
from conftest import Run


def check(run: Callable[..., Run], tmp_path: Path, model: str, declared: str = "") -> str:
    path = tmp_path / "model-usage.yaml"
    path.write_text(
        f"version: 1\n{declared}workloads:\n  - id: w\n    data: [public]\n"
        f"    commercial: true\n    model: '{model}'\n"
        "    deployment: {mode: self-hosted, provider: aws, region: eu-central-1}\n",
        encoding="utf-8",
    )
    result = run("check", path)
    assert result.code == 2
    return result.err


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Qwen/Qwen2.5-72B-Instruct", ("qwen25", "72b")),
        ("qwen2.5:72b", ("qwen25", "72b")),
        ("mixtral:8x22b", ("mixtral", "8x22b")),
        ("meta-llama/Llama-2-70b-chat-hf", ("llama2", "70b")),
        ("gpt-4o", ("gpt4o", None)),
    ],
)
def test_a_name_splits_into_series_and_size(name: str, expected: tuple[str, str | None]) -> None:
    assert series_and_size(name) == expected


@pytest.mark.parametrize(
    "typed", ["qwen2.5:72b-instruct-q4", "Qwen/Qwen2.5-72B-Chat", "qwen25-72b"]
)
def test_the_same_series_and_size_come_before_a_nearer_spelling(typed: str) -> None:
    cat = load_bundle().catalogue
    near = [m for _, m in ranked(list(cat.models.values()), typed)]
    assert near, typed
    assert "72B" in near[0].id  # never Qwen2.5-32B (another licence) first
    sizes = [m.parameters for m in near]
    assert sizes.index("72B") == 0


def test_every_suggestion_shows_its_licence_and_the_error_says_how_to_declare(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    err = check(run, tmp_path, "qwen2.5:72b-instruct")
    assert "declare it in this manifest's `models:`" in err
    assert "`clearance models import`" in err
    hint = err.split("(did you mean ", 1)[1].rsplit("?)", 1)[0]
    candidates = hint.split(", or ")
    assert candidates[0] == "Qwen/Qwen2.5-72B-Instruct (licence qwen)"
    assert all(re.search(r"licence [a-z0-9.-]+\)$", c) for c in candidates), candidates


def test_a_model_nothing_is_near_still_says_how_to_declare_it(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    err = check(run, tmp_path, "zzzz-unheard-of")
    assert "unknown model 'zzzz-unheard-of': declare it" in err
    assert "did you mean" not in err


def test_the_manifests_own_models_are_suggested_too(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    declared = "models:\n  - {id: acme/support-bot-7b, licence: mit, weights: open}\n"
    err = check(run, tmp_path, "acme/support-bot-7", declared)
    assert "(did you mean acme/support-bot-7b (licence mit)" in err
