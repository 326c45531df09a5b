"""What advise calls compliant, `check` passes: every compliant option of a random workload,
written into a manifest of its own, checks without an error."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.advise.advise import advise
from clearance.bundle.load import Bundle, load_bundle
from clearance.pipeline.check import check

BUNDLE: Bundle = load_bundle(None)

CURRENT = [
    ("openai/gpt-4o", {"mode": "api", "provider": "openai", "region": "us"}),
    ("anthropic/claude-sonnet-4", {"mode": "api", "provider": "anthropic", "region": "us"}),
    (
        "meta-llama/Llama-3.1-70B-Instruct",
        {"mode": "self-hosted", "provider": "aws", "region": "eu-central-1", "network": "private"},
    ),
    (
        "meta-llama/Llama-3.1-8B-Instruct",
        {"mode": "hosted-open", "provider": "together", "region": "global"},
    ),
]

workloads = st.fixed_dictionaries(
    {
        "id": st.just("w"),
        "data": st.lists(
            st.sampled_from(["public", "internal", "pii", "phi", "gdpr", "pci", "classified"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        "commercial": st.booleans(),
        "audience": st.sampled_from(["internal", "external"]),
    },
    optional={
        "residency": st.lists(
            st.sampled_from(["US", "EU", "EEA", "DE", "GB"]), min_size=1, max_size=2, unique=True
        ),
        "volume": st.fixed_dictionaries(
            {
                "requests_per_day": st.integers(0, 10**6),
                "input_tokens_per_request": st.integers(1, 4000),
                "output_tokens_per_request": st.integers(1, 2000),
            }
        ),
    },
)


def _write(directory: Path, workload: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "model-usage.yaml"
    path.write_text(json.dumps({"version": 1, "workloads": [workload]}), encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workloads, st.sampled_from(CURRENT))
def test_compliant_options_pass_check(workload: dict[str, Any], current: Any) -> None:
    model, deployment = current
    workload = {**workload, "model": model, "deployment": deployment}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        advice = advise([_write(root / "current", workload)], bundle=BUNDLE)
        (w,) = advice.workloads
        for i, option in enumerate(o for o in w.options if o.compliant):
            d = option.deployment
            written = {
                **workload,
                "model": d.model,
                "deployment": {
                    "mode": d.mode,
                    "provider": d.provider,
                    "region": d.region,
                    "network": d.network,
                    "agreements": list(d.agreements),
                },
            }
            checked = check([_write(root / f"o{i}", written)], bundle=BUNDLE)
            errors = [f.rule for f in checked.result.findings if f.severity == "error"]
            assert not errors, (written, errors)
        # and the other way round: a blocked option's rules are what check reports
        for i, option in enumerate(
            o for o in w.options if not o.compliant and "invalid" not in str(o.verdict.blocking)
        ):
            if i >= 3:
                break
            d = option.deployment
            written = {
                **workload,
                "model": d.model,
                "deployment": {
                    "mode": d.mode,
                    "provider": d.provider,
                    "region": d.region,
                    "network": d.network,
                    "agreements": list(d.agreements),
                },
            }
            checked = check([_write(root / f"b{i}", written)], bundle=BUNDLE)
            errors = sorted({f.rule for f in checked.result.findings if f.severity == "error"})
            assert tuple(errors) == option.verdict.blocking
