"""Random manifests with random LiteLLM configs never crash the drift check.

Workloads and gateway routes are drawn from pools that meet each other
(the same models at the same providers and regions, Bedrock profiles, a
region `global`) and from values that do not (environment references,
wildcards, models no catalogue lists, junk regions). Whatever is drawn, the
check ends in a verdict (0 or 1) or in located bad input (2), never in a bug
(3), and every drift finding sits at a line of the gateway file, one per route.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.cli.main import main

MODELS = [
    "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/global.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "bedrock/converse/anthropic.claude-3-5-haiku-20241022-v1:0",
    "vertex_ai/claude-3-5-sonnet@20240620",
    "openai/gpt-4o",
    "openai/*",
    "bedrock/*",
    "os.environ/MODEL",
    "ollama/llama3.1:8b",
    "anthropic/claude-3-5-sonnet-20240620",
    "groq/llama-3.3-70b-versatile",  # one model at two providers, both `global`
    "together_ai/meta-llama/Llama-3.3-70B-Instruct",
    "bedrock/anthropic.claude-no-such-model",
    "nosuchprovider/x",
    "",
]
REGIONS = [None, "eu-central-1", "us-east-1", "eu-west-1", "os.environ/AWS_REGION", "mars-1"]
EXTRAS = [
    {},
    {"api_base": "os.environ/API_BASE"},
    {"api_base": "https://eu.api.openai.com/v1"},
    {"vertex_location": "us-east5"},
    {"api_base": "http://localhost:11434"},
    {"aws_bedrock_runtime_endpoint": "https://bedrock-runtime.us-east-1.amazonaws.com"},
]
WORKLOAD_MODELS = [
    "anthropic/claude-3-5-sonnet",
    "eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic/claude-3-5-haiku",
    "openai/gpt-4o",
    "meta-llama/Llama-3.3-70B-Instruct",
]
PLACES = [
    ("aws-bedrock", "eu-central-1"),
    ("aws-bedrock", "us-east-1"),
    ("aws-bedrock", "global"),
    ("google-vertex", "us-east5"),
    ("openai", "us"),
    ("openai", "global"),
    ("groq", "global"),
]

routes = st.lists(
    st.tuples(st.sampled_from(MODELS), st.sampled_from(REGIONS), st.sampled_from(EXTRAS)),
    max_size=6,
)
workloads = st.lists(
    st.tuples(
        st.sampled_from(WORKLOAD_MODELS),
        st.sampled_from(PLACES),
        st.sampled_from([None, ["EU"], ["US"]]),
    ),
    max_size=3,
)


def _manifest(drawn: list[tuple[str, tuple[str, str], list[str] | None]]) -> str:
    out = ["version: 1", "workloads:"] if drawn else ["version: 1", "workloads: []"]
    for i, (model, (provider, region), residency) in enumerate(drawn):
        out += [f"  - id: w{i}", "    data: [internal]", "    commercial: false"]
        if residency:
            out.append(f"    residency: {json.dumps(residency)}")
        out += [f"    model: {json.dumps(model)}", "    deployment:"]
        out += ["      mode: api", f"      provider: {provider}", f"      region: {region}"]
    out += ["gateways:", "  - {format: litellm, path: infra/litellm.yaml}"]
    return "\n".join(out) + "\n"


def _config(drawn: list[tuple[str, str | None, dict[str, str]]]) -> str:
    out = ["model_list:"] if drawn else ["model_list: []"]
    for i, (model, region, extra) in enumerate(drawn):
        out += [f"  - model_name: r{i}", "    litellm_params:", f"      model: {json.dumps(model)}"]
        if region is not None:
            out.append(f"      aws_region_name: {json.dumps(region)}")
        out += [f"      {k}: {json.dumps(v)}" for k, v in extra.items()]
    return "\n".join(out) + "\n"


def _check(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(root), "--format", "json", "--today", "2026-11-30"])
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=workloads, config=routes)
def test_random_manifests_and_configs_never_crash_drift(
    manifest: list[Any], config: list[Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        (root / "infra").mkdir()
        (root / "model-usage.yaml").write_text(_manifest(manifest), encoding="utf-8")
        gateway = _config(config)
        (root / "infra" / "litellm.yaml").write_text(gateway, encoding="utf-8")
        code, out, err = _check(root)
        assert code in (0, 1, 2), err
        assert "Traceback" not in err
        if code == 2:
            assert ":" in err and err.startswith("error: "), err  # located, worded
            return
        found = [f for f in json.loads(out)["findings"] if f["rule"].startswith("gateways.")]
        lines = gateway.count("\n")
        assert all(f["manifest"].endswith("infra/litellm.yaml") for f in found)
        assert all(1 <= f["line"] <= lines for f in found)
        assert len({f["line"] for f in found}) == len(found)  # at most one finding a route
        assert len(found) <= len(config)


# the models that make a config bad input (exit 2) whatever else it routes, and the rest
_BAD = {"", "nosuchprovider/x", "bedrock/anthropic.claude-no-such-model"}
_GOOD_MODELS = [m for m in MODELS if m not in _BAD]
_GOOD_REGIONS = [r for r in REGIONS if r != "mars-1"]
good_routes = st.lists(
    st.tuples(
        st.sampled_from(_GOOD_MODELS), st.sampled_from(_GOOD_REGIONS), st.sampled_from(EXTRAS)
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=workloads.filter(bool), config=good_routes)
def test_routes_judged_clean_once_per_place_change_nothing(
    manifest: list[Any], config: list[Any]
) -> None:
    """Drift judges one route of each place (model, provider, region, geography and what
    is unknown) that needs no finding and skips its copies; judging every route alike
    must say exactly the same."""
    from unittest import mock

    from clearance.gateways import drift

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        (root / "infra").mkdir()
        (root / "model-usage.yaml").write_text(_manifest(manifest), encoding="utf-8")
        # each route, then its copies differing in one field, then the route again: a
        # place remembered too coarsely would pass a copy that needs a finding
        variants = [(m, r, e) for m, _, e in config for r in _GOOD_REGIONS]
        variants += [(m, r, e) for m, r, _ in config for e in EXTRAS]
        variants += [(m, r, e) for _, r, e in config for m in _GOOD_MODELS]
        text = _config(config + variants + config)
        (root / "infra" / "litellm.yaml").write_text(text, encoding="utf-8")
        remembered = _verdict(_check(root))
        with mock.patch.object(drift, "_place", side_effect=lambda d: (object(),)):
            every_route = _verdict(_check(root))
        assert remembered == every_route


def _verdict(checked: tuple[int, str, str]) -> tuple[int, Any, str]:
    code, out, err = checked
    return code, json.loads(out)["findings"] if code != 2 else None, err
