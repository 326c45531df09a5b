"""`clearance import`: placeholders the check refuses, re-import idempotence, kept comments."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from conftest import Run

Write = Callable[[str, str], Path]
RunCli = Callable[..., Run]

CONFIG = """
model_list:
  - model_name: chat
    litellm_params:
      model: bedrock/eu.anthropic.claude-3-5-haiku-20241022-v1:0
      aws_region_name: eu-central-1
  - model_name: chat-2
    litellm_params:
      model: bedrock/eu.anthropic.claude-3-5-haiku-20241022-v1:0
      aws_region_name: eu-central-1
  - model_name: mystery
    litellm_params:
      model: os.environ/SOME_MODEL
"""


def test_import_writes_one_workload_per_distinct_deployment_citing_its_lines(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    config = write("litellm.yaml", CONFIG)
    out = tmp_path / "model-usage.yaml"
    result = run("import", "litellm", config, "--output", out)
    assert result.code == 0, result.err
    assert "2 workload(s) added from 3 deployment(s)" in result.err
    text = out.read_text()
    assert f"# from {config}:4, {config}:8" in text
    # the profile stays in the model, as the check reads it (where the data is processed)
    assert "model: eu.anthropic.claude-3-5-haiku-20241022-v1:0" in text
    assert "region: eu-central-1  # profile eu.: processed in the European area" in text
    assert f"# from {config}:12" in text and "read from the environment variable SOME_MODEL" in text


def test_check_refuses_every_placeholder_at_its_position(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "model-usage.yaml"
    assert run("import", "litellm", write("litellm.yaml", CONFIG), "--output", out).code == 0
    result = run("check", out)
    assert result.code == 2
    lines = out.read_text().splitlines()
    placeholders = {
        (n, line.index("FILL-ME") + 1)
        for n, line in enumerate(lines, 1)
        if "FILL-ME" in line and not line.startswith("#")
    }
    reported = {
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(
            r"model-usage\.yaml:(\d+):(\d+): [^\n]*FILL-ME is a placeholder", result.err
        )
    }
    assert reported == placeholders
    assert len(reported) == 14  # data, purpose, audience, commercial, agreements; model, mode,
    # provider and region too where the gateway could not tell them


def test_a_filled_region_placeholder_is_still_refused(write: Write, run: RunCli) -> None:
    manifest = write(
        "model-usage.yaml",
        """
        version: 1
        workloads:
          - id: w
            data: [internal]
            purpose: inference
            audience: internal
            commercial: false
            model: anthropic/claude-3-5-haiku
            deployment: {mode: api, provider: aws-bedrock, region: FILL-ME}
        """,
    )
    result = run("check", manifest)
    assert result.code == 2
    assert result.err == (
        f"error: {manifest}:9:60: workloads[0].deployment.region: "
        "FILL-ME is a placeholder left by `clearance import` or `clearance init`: fill it in\n"
    )


def test_importing_again_adds_only_what_is_new_and_keeps_comments(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    out = write(
        "model-usage.yaml",
        """
        # our manifest: keep this comment
        version: 1
        workloads:
          - id: chat  # hand-written
            data: [pii]
            purpose: inference
            audience: external
            commercial: true
            model: eu.anthropic.claude-3-5-haiku-20241022-v1:0
            deployment: {mode: api, provider: aws-bedrock, region: eu-central-1}
        """,
    )
    config = write("litellm.yaml", CONFIG)
    first = run("import", "litellm", config, "--output", out)
    assert "1 workload(s) added" in first.err  # the Bedrock profile is already declared
    after_first = out.read_text()
    assert after_first.startswith("# our manifest: keep this comment\n")
    assert "  - id: chat  # hand-written\n" in after_first
    second = run("import", "litellm", config, "--output", out)
    assert second.code == 0 and "0 workload(s) added" in second.err
    assert out.read_text() == after_first
    more = write(
        "more.yaml",
        "model_list:\n  - model_name: x\n    litellm_params: {model: groq/llama3-8b-8192}\n",
    )
    third = run("import", "litellm", config, more, "--output", out)
    assert "1 workload(s) added" in third.err
    assert out.read_text().startswith(after_first)


def test_an_unknown_format_or_bad_manifest_is_exit_2(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    config = write("litellm.yaml", CONFIG)
    assert run("import", "litelm", config).code == 2
    bad = write("model-usage.yaml", "version: 1\nworkloads: {a: 1}\n")
    result = run("import", "litellm", config, "--output", bad)
    assert result.code == 2
    assert f"{bad}:2:12: workloads: 'workloads' is not a list" in result.err


def test_an_unmapped_prefix_stops_the_import_at_its_position(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    config = write(
        "litellm.yaml",
        "model_list:\n  - model_name: a\n    litellm_params: {model: vertexai/gemini-pro}\n",
    )
    out = tmp_path / "model-usage.yaml"
    result = run("import", "litellm", config, "--output", out)
    assert result.code == 2
    assert (
        f"{config}:3:29: model_list[0].litellm_params.model: unknown LiteLLM provider 'vertexai'"
        in result.err
    )
    assert "(did you mean vertex_ai?)" in result.err
    assert not out.exists()


def test_an_imported_bedrock_profile_passes_the_drift_check_once_filled_in(
    write: Write, run: RunCli, tmp_path: Path
) -> None:
    # import and drift agree: a profile is imported as declared, so the config the
    # manifest was imported from does not drift from it
    config = write(
        "infra/litellm.yaml",
        "model_list:\n"
        + "".join(
            f"  - model_name: m{i}\n    litellm_params:\n      model: {model}\n"
            "      aws_region_name: eu-central-1\n"
            for i, model in enumerate(
                [
                    "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
                    "bedrock/eu.anthropic.claude-3-5-haiku-20241022-v1:0",
                    "bedrock/global.anthropic.claude-3-5-haiku-20241022-v1:0",
                ]
            )
        ),
    )
    (tmp_path / ".git").mkdir()
    out = tmp_path / "model-usage.yaml"
    assert "3 workload(s) added" in run("import", "litellm", config, "--output", out).err
    text = out.read_text()
    for placeholder, value in (
        ("data:\n      - FILL-ME", "data: [internal]"),
        ("purpose: FILL-ME", "purpose: inference"),
        ("audience: FILL-ME", "audience: internal"),
        ("commercial: FILL-ME", "commercial: false"),
        ("agreements:\n        - FILL-ME", "agreements: []"),
    ):
        text = text.replace(placeholder, value)
    out.write_text(text + "gateways:\n  - {format: litellm, path: infra/litellm.yaml}\n")
    result = run("check", out, "--format", "json")
    assert result.code in (0, 1), result.err
    rules = [f["rule"] for f in json.loads(result.out)["findings"]]
    assert not [r for r in rules if r.startswith("gateways.")]
