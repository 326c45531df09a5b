"""Near misses get the lookup's "did you mean", never a spelling-pattern message.

Ids and places the resolver looks up (data classes, agreements, providers,
countries and groups) are any short text in the format; the lookup words the
error. The fast reader and pydantic must agree on such manifests, so the
message is the same whichever path read it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.manifest.load import load_manifest
from conftest import Run

BASE = {
    "data": "[phi]",
    "agreements": "[baa]",
    "provider": "aws",
    "residency": "[DE]",
    "data_subjects": "[EU]",
    "purpose": "inference",
}


def _manifest(**changes: str) -> str:
    values = {**BASE, **changes}
    return f"""\
version: 1
workloads:
  - id: notes
    data: {values["data"]}
    purpose: {values["purpose"]}
    commercial: false
    residency: {values["residency"]}
    data_subjects: {values["data_subjects"]}
    model: meta-llama/Llama-3.1-8B-Instruct
    deployment:
      mode: self-hosted
      provider: {values["provider"]}
      region: eu-central-1
      agreements: {values["agreements"]}
"""


CASES = [
    ({"data": "[PHI]"}, "unknown data class 'PHI'", "did you mean phi"),
    ({"agreements": "[BAA]"}, "unknown agreement 'BAA'", "did you mean baa"),
    ({"provider": "AWS"}, "unknown provider 'AWS'", "did you mean aws"),
    ({"residency": "[Germany]"}, "unknown country or group 'Germany'", "did you mean DE"),
    ({"residency": "[DEU]"}, "unknown country or group 'DEU'", "did you mean DE"),
    ({"residency": "[UK]"}, "unknown country or group 'UK'", "did you mean GB"),
    ({"residency": "[de]"}, "unknown country or group 'de'", "did you mean DE"),
    ({"data_subjects": "[Germany]"}, "unknown country or group 'Germany'", "did you mean DE"),
    ({"data_subjects": "[eea]"}, "unknown country or group 'eea'", "did you mean EEA"),
]


@pytest.mark.parametrize(("change", "message", "hint"), CASES)
def test_near_miss_gets_did_you_mean(
    change: dict[str, str],
    message: str,
    hint: str,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
) -> None:
    result = run("check", write("model-usage.yaml", _manifest(**change)))
    assert result.code == 2
    assert message in result.err and hint in result.err, result.err
    assert "pattern" not in result.err and "match" not in result.err


@pytest.mark.parametrize(("change", "message", "hint"), CASES)
def test_fast_and_pydantic_read_near_misses_alike(
    change: dict[str, str], message: str, hint: str, write: Callable[[str, str], Path]
) -> None:
    path = write("model-usage.yaml", _manifest(**change))
    fast = load_manifest(path, fast=True)
    slow = load_manifest(path, fast=False)
    assert fast.fast and not slow.fast  # the plain check accepted it: no pattern refused it
    assert fast.manifest == slow.manifest


def test_an_unknown_enum_value_lists_the_valid_ones(
    run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    result = run("check", write("model-usage.yaml", _manifest(purpose="Inference")))
    assert result.code == 2
    assert "did you mean inference" in result.err
    for valid in ("'fine-tuning'", "'distillation'", "'evaluation'", "'embedding'"):
        assert valid in result.err
