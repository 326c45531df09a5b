"""Drift: `clearance check` compares the gateway configs a manifest lists with its workloads.

Each finding kind on LiteLLM configs shaped like the corpus's (Bedrock
profiles and endpoints, Vertex locations, wildcards, environment values),
then how the findings live with the rest of clearance: waivers, baselines,
`--since`, SARIF, caches, and the hot path of manifests without gateways.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, Run
from helpers import git

RunCli = Callable[..., Run]
CORPUS = Path(os.environ.get("CLEARANCE_CORPUS", "/work/shared/corpus")) / "litellm"

SONNET_EU = """
  - id: support-assistant
    data: [internal]
    commercial: true
    residency: [EU]
    model: anthropic/claude-3-5-sonnet
    deployment: {mode: api, provider: aws-bedrock, region: eu-central-1}
"""
GATEWAYS = """
gateways:
  - {format: litellm, path: infra/litellm.yaml}
"""


def entry(model: str, region: str | None = None, name: str = "route", **extra: str) -> str:
    params = {"model": model, **({"aws_region_name": region} if region else {}), **extra}
    lines = [f"  - model_name: {name}", "    litellm_params:"]
    lines += [f"      {k}: {json.dumps(v)}" for k, v in params.items()]
    return "\n".join(lines) + "\n"


def repo(tmp_path: Path, workloads: str, config: str, gateways: str = GATEWAYS) -> Path:
    """A repository with a manifest listing infra/litellm.yaml."""
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / ".git").mkdir()
    manifest = "version: 1\nworkloads:" + textwrap.dedent(workloads).rstrip() + "\n" + gateways
    (root / "model-usage.yaml").write_text(manifest, encoding="utf-8")
    (root / "infra" / "litellm.yaml").write_text("model_list:\n" + config, encoding="utf-8")
    return root


def findings(run: RunCli, root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("check", root, "--format", "json", "--today", "2026-11-30", *args)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)["findings"]


def gateway_messages(found: list[dict[str, Any]]) -> list[str]:
    return [f["message"] for f in found if f["rule"].startswith("gateways.")]


def drift(found: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return [
        (f["rule"], f["line"], f["severity"]) for f in found if f["rule"].startswith("gateways.")
    ]


SONNET = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
HAIKU = "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0"

# ------------------------------------------------------------ each finding kind


def test_a_declared_deployment_gives_no_finding(tmp_path: Path, run: RunCli) -> None:
    code, found = findings(run, repo(tmp_path, SONNET_EU, entry(SONNET, "eu-central-1")))
    assert code == 0 and drift(found) == []


def test_a_model_no_workload_declares_is_an_error_at_its_gateway_line(
    tmp_path: Path, run: RunCli
) -> None:
    config = entry(SONNET, "eu-central-1") + entry(HAIKU, "eu-central-1", name="haiku")
    code, found = findings(run, repo(tmp_path, SONNET_EU, config))
    assert code == 1
    assert drift(found) == [("gateways.undeclared-deployment", 8, "error")]
    [f] = [f for f in found if f["rule"].startswith("gateways.")]
    assert f["manifest"].endswith("infra/litellm.yaml") and f["column"] == 14
    assert f["workload"] == "anthropic-claude-3-5-haiku-aws-bedrock-eu-central-1"


def test_a_region_no_workload_declares_is_an_error_naming_the_declared_ones(
    tmp_path: Path, run: RunCli
) -> None:
    code, found = findings(run, repo(tmp_path, SONNET_EU, entry(SONNET, "us-east-1")))
    assert code == 1
    assert drift(found) == [("gateways.undeclared-deployment", 4, "error")]
    assert "in us-east-1" in found[0]["message"] and "declared: eu-central-1" in found[0]["message"]


def test_a_workload_in_region_global_declares_every_region(tmp_path: Path, run: RunCli) -> None:
    workloads = SONNET_EU.replace("region: eu-central-1", "region: global").replace(
        "    residency: [EU]\n", ""
    )
    config = entry(SONNET, "us-east-1") + entry(SONNET, "ap-northeast-1", name="b")
    config += entry(SONNET.replace("bedrock/", "bedrock/global."), "eu-central-1", name="c")
    _, found = findings(run, repo(tmp_path, workloads, config))
    assert drift(found) == []


def test_a_global_profile_from_frankfurt_contradicts_residency_eu(
    tmp_path: Path, run: RunCli
) -> None:
    profile = SONNET.replace("bedrock/", "bedrock/global.")
    code, found = findings(run, repo(tmp_path, SONNET_EU, entry(profile, "eu-central-1")))
    assert code == 1
    assert drift(found) == [("gateways.geography-contradiction", 4, "error")]
    message = found[0]["message"]
    assert "sent to eu-central-1" in message and "residency EU" in message
    assert "not confined" in message


def test_a_profile_the_workload_declares_is_no_contradiction(tmp_path: Path, run: RunCli) -> None:
    workloads = SONNET_EU.replace(
        "model: anthropic/claude-3-5-sonnet", "model: eu.anthropic.claude-3-5-sonnet-20240620-v1:0"
    )
    config = entry(SONNET.replace("bedrock/", "bedrock/eu."), "eu-central-1")
    config += entry(SONNET, "eu-central-1", name="in-region")  # narrower than declared
    config += entry(SONNET.replace("bedrock/", "bedrock/us."), "eu-central-1", name="us")
    _, found = findings(run, repo(tmp_path, workloads, config))
    assert drift(found) == [("gateways.geography-contradiction", 12, "error")]


def test_a_wildcard_and_an_environment_model_are_warnings(tmp_path: Path, run: RunCli) -> None:
    config = entry(SONNET, "eu-central-1") + entry("openai/*", name="any")
    config += entry("os.environ/EXPERIMENT_MODEL", name="x")
    code, found = findings(run, repo(tmp_path, SONNET_EU, config))
    assert code == 0  # warnings do not fail a check
    assert drift(found) == [
        ("gateways.unknown-deployment", 8, "warning"),
        ("gateways.unknown-deployment", 11, "warning"),
    ]
    assert "matches any model" in found[0]["message"]
    assert "EXPERIMENT_MODEL" in found[1]["message"]
    assert run("check", tmp_path / "repo", "--strict").code == 1


def test_a_region_from_the_environment_is_unknown_unless_declared_global(
    tmp_path: Path, run: RunCli
) -> None:
    # the Cyclenerd corpus config's shape: Vertex routes without vertex_location
    workloads = """
  - id: review
    data: [internal]
    commercial: false
    model: anthropic/claude-3-5-sonnet
    deployment: {mode: api, provider: google-vertex, region: us-east5}
"""
    config = entry("vertex_ai/claude-3-5-sonnet@20240620", name="sonnet")
    config += entry(
        "vertex_ai/claude-3-5-sonnet@20240620", name="pinned", vertex_location="us-east5"
    )
    _, found = findings(run, repo(tmp_path, workloads, config))
    assert drift(found) == [("gateways.unknown-deployment", 4, "warning")]
    assert "vertex_location" in found[0]["message"]
    anywhere = repo(tmp_path / "b", workloads.replace("us-east5", "global"), config)
    assert drift(findings(run, anywhere)[1]) == []


def test_an_uncatalogued_model_exits_2_with_did_you_mean_at_the_gateway_line(
    tmp_path: Path, run: RunCli
) -> None:
    config = entry(SONNET, "eu-central-1") + entry(HAIKU.replace("haiku", "haikoo"), "eu-central-1")
    root = repo(tmp_path, SONNET_EU, config)
    result = run("check", root)
    assert result.code == 2
    assert "infra/litellm.yaml:8:14: unknown model 'anthropic.claude-3-5-haikoo" in result.err
    # the nearest first, each with its licence (the ranking resolve/model_hint gives)
    assert (
        "(did you mean anthropic.claude-3-5-haiku-20241022-v1:0 (anthropic/claude-3-5-haiku, "
        "licence anthropic-api)"
    ) in result.err


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_a_real_corpus_config_with_models_the_catalogue_lacks_exits_2_located(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, SONNET_EU, "")
    real = CORPUS / "aws-samples__sample-litellm-bedrock-gateway-on-eks__k8s_litellm-config.yaml"
    shutil.copy(real, root / "infra" / "litellm.yaml")
    result = run("check", root)
    assert result.code == 2 and "Traceback" not in result.err
    assert "infra/litellm.yaml:34:14: unknown model 'anthropic.claude-sonnet-4-6'" in result.err


# ------------------------------------------------------------ bad `gateways:` entries


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "{format: litelm, path: infra/litellm.yaml}",
            "2:14: gateways[0].format: unknown gateway format 'litelm' (did you mean litellm?)",
        ),
        (
            "{format: litellm, path: infra/litelm.yaml}",
            "2:29: gateways[0].path: gateway config "
            "'infra/litelm.yaml' does not exist (did you mean infra/litellm.yaml?)",
        ),
        (
            "{format: litellm, path: ../outside.yaml}",
            "2:29: gateways[0].path: '../outside.yaml' leads to",
        ),
        (
            "{format: litellm, path: /etc/hostname}",
            "2:29: gateways[0].path: '/etc/hostname' is absolute",
        ),
        (
            "{format: litellm, path: infra}",
            "2:29: gateways[0].path: gateway config 'infra' is not a file",
        ),
        (
            '{format: litellm, path: "infra/\\0x"}',
            "2:29: gateways[0].path: a gateway path cannot hold a NUL character",
        ),
        ("{format: litellm}", "2:5: gateways[0].path: required field 'path' is missing"),
        (
            "{format: litellm, path: infra/litellm.yaml}\n  - {format: litellm, path: "
            "./infra/litellm.yaml}",
            "3:29: gateways[1].path: './infra/litellm.yaml' is listed twice (first at gateways[0])",
        ),
        ("{format: litellm, path: x, extra: 1}", "2:32: gateways[0].extra: unknown field 'extra'"),
    ],
)
def test_a_bad_gateways_entry_exits_2_at_its_position(
    tmp_path: Path, run: RunCli, item: str, expected: str
) -> None:
    (tmp_path / "outside.yaml").write_text("model_list: []\n")
    root = repo(tmp_path, SONNET_EU, entry(SONNET, "eu-central-1"))
    manifest = root / "model-usage.yaml"
    text = manifest.read_text().replace(GATEWAYS.strip(), "")
    manifest.write_text(f"gateways:\n  - {item}\n" + text)
    result = run("check", root)
    assert result.code == 2, result.out
    assert f"model-usage.yaml:{expected}" in result.err, result.err


def test_a_link_leading_out_of_the_repository_is_refused_unread(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, SONNET_EU, entry(SONNET, "eu-central-1"))
    secret = tmp_path / "secret.yaml"
    secret.write_text("model_list: []\n")
    (root / "infra" / "litellm.yaml").unlink()
    (root / "infra" / "litellm.yaml").symlink_to(secret)
    result = run("check", root)
    assert result.code == 2 and "outside the repository" in result.err


def test_a_link_inside_the_repository_is_followed_and_named_as_listed(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    (root / "infra" / "litellm.yaml").rename(root / "real.yaml")
    (root / "infra" / "litellm.yaml").symlink_to(root / "real.yaml")
    _, found = findings(run, root)
    assert [f["manifest"].endswith("infra/litellm.yaml") for f in found] == [True]


# ------------------------------------------------------------ ordinary findings


def test_a_waiver_written_by_hand_silences_a_drift_finding(tmp_path: Path, run: RunCli) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    (root / "waivers.yaml").write_text(
        textwrap.dedent(
            """
            waivers:
              - rule: gateways.undeclared-deployment
                workload: anthropic-claude-3-5-haiku-aws-bedrock-eu-central-1
                reason: trial until the workload is declared
                approved_by: lead@acme.example
                ticket: SEC-1
                expires: 2026-12-15
            """
        )
    )
    code, found = findings(run, root)
    assert code == 0
    [f] = found
    assert f["rule"] == "gateways.undeclared-deployment"
    assert f["waiver"]["ticket"] == "SEC-1"


def test_clearance_waive_writes_a_waiver_for_a_drift_finding(tmp_path: Path, run: RunCli) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    subject = "anthropic-claude-3-5-haiku-aws-bedrock-eu-central-1"
    args = ["--reason", "trial", "--approved-by", "lead@acme.example", "--ticket", "SEC-2"]
    args += ["--expires", "2026-12-15", "--today", "2026-11-30", str(root)]
    result = run("waive", "gateways.undeclared-deployment", "--workload", subject, *args)
    assert result.code == 0, result.err
    assert f"workload: {subject}" in (root / "waivers.yaml").read_text()
    assert findings(run, root)[0] == 0
    typo = run("waive", "gateways.undeclared-deployment", "--workload", subject + "x", *args)
    assert typo.code == 2 and f"did you mean {subject}" in typo.err


def test_a_waiver_naming_a_deployment_not_in_the_config_is_exit_2(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    (root / "waivers.yaml").write_text(
        "waivers:\n  - {rule: gateways.undeclared-deployment, workload: nothing-here, "
        "reason: r, approved_by: a@b.example, ticket: T, expires: 2026-12-15}\n"
    )
    result = run("check", root, "--today", "2026-11-30")
    assert result.code == 2 and "no workload 'nothing-here'" in result.err


def test_a_baseline_marks_known_drift_pre_existing(tmp_path: Path, run: RunCli) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(run("check", root, "--format", "json").out)
    # moved down a line, still the same deployment: pre-existing, not new
    config = root / "infra" / "litellm.yaml"
    config.write_text(config.read_text().replace("model_list:\n", "model_list:\n\n"))
    code, found = findings(run, root, "--baseline", str(baseline))
    assert code == 0 and [f["baseline"] for f in found] == ["pre-existing"]


def test_since_fails_only_on_drift_the_ref_did_not_have(tmp_path: Path, run: RunCli) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    (root / ".git").rmdir()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    config = root / "infra" / "litellm.yaml"
    config.write_text(config.read_text() + entry(SONNET, "us-west-2", name="new"))
    code, found = findings(run, root, "--since", "HEAD")
    assert code == 1
    assert [(f["line"], f.get("baseline")) for f in found] == [(4, "pre-existing"), (8, None)]


def test_sarif_locates_a_drift_finding_in_the_gateway_file(tmp_path: Path, run: RunCli) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    doc = json.loads(run("check", root, "--format", "sarif").out)
    [result] = doc["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("infra/litellm.yaml")
    assert location["region"]["startLine"] == 4 and location["region"]["startColumn"] == 14
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "gateways.undeclared-deployment"


def test_explain_describes_the_drift_rules(run: RunCli) -> None:
    result = run("explain", "gateways.geography-contradiction")
    assert result.code == 0 and "built into clearance" in result.out
    typo = run("explain", "gateways.undeclared")
    assert typo.code == 2 and "gateways.undeclared-deployment" in typo.err


# ------------------------------------------------------------ caches and the hot path


def test_an_edit_to_the_gateway_file_changes_the_verdict_with_warm_caches(
    tmp_path: Path, run: RunCli
) -> None:
    # regression guard: the gateway file is an input of the manifest, read every check,
    # never part of the cached bundle snapshot or parse cache
    root = repo(tmp_path, SONNET_EU, entry(SONNET, "eu-central-1"))
    for _ in range(2):  # the second check runs from a warm snapshot and parse cache
        assert run("check", root).code == 0
    config = root / "infra" / "litellm.yaml"
    config.write_text(config.read_text().replace("eu-central-1", "us-east-1"))
    assert run("check", root).code == 1
    config.write_text(config.read_text().replace("us-east-1", "eu-central-1"))
    assert run("check", root).code == 0


def test_a_manifest_without_gateways_imports_no_gateway_code(tmp_path: Path) -> None:
    root = repo(tmp_path, SONNET_EU, "", gateways="")
    code = (
        "import sys\n"
        "from clearance.cli.main import main\n"
        f"rc = main(['check', {str(root)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('clearance.gateways'))\n"
        "print(rc, loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "0 []"


def test_since_counts_drift_as_new_when_the_config_was_not_there(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    (root / ".git").rmdir()
    git(root, "init", "-q")
    git(root, "add", "model-usage.yaml")  # listed, but the config itself not yet committed
    git(root, "commit", "-qm", "the manifest first")
    result = run("check", root, "--since", "HEAD", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert [f.get("baseline") for f in report["findings"]] == [None]
    [note] = report["notes"]
    assert "do not read at HEAD" in note and "all their findings are new" in note


def test_the_positioned_reader_reads_gateways_as_the_fast_one_does(
    tmp_path: Path, run: RunCli
) -> None:
    # a tag sends the manifest to the positioned reader and pydantic
    root = repo(tmp_path, SONNET_EU, entry(HAIKU, "eu-central-1"))
    manifest = root / "model-usage.yaml"
    fast = findings(run, root)[1]
    manifest.write_text(manifest.read_text().replace("version: 1", "version: 1\nsystem: !!str x"))
    assert findings(run, root)[1] == fast and drift(fast)


# ------------------------------------------------------------ the manifest's own models

DECLARED = """
models:
  - {id: acme/support-llama, licence: llama3.1, weights: open,
     base_model: meta-llama/Llama-3.1-8B-Instruct}
"""
OWN_MODEL = """
  - id: support
    data: [internal]
    commercial: true
    model: acme/support-llama
    deployment: {mode: hosted-open, provider: together, region: us}
"""


def test_a_gateway_serving_a_model_the_manifest_declares_resolves_to_it(
    tmp_path: Path, run: RunCli
) -> None:
    # regression: drift looked models up in the catalogue only, so a deployment of the
    # manifest's own model was exit 2 "unknown model" although the manifest declares it
    route = entry("together_ai/acme/support-llama", api_base="https://us-api.together.ai/v1")
    _, found = findings(run, repo(tmp_path, OWN_MODEL, route, DECLARED + GATEWAYS))
    assert drift(found) == [], found  # (exit 2 before the fix)


def test_an_undeclared_model_of_a_gateway_suggests_the_manifests_own_models(
    tmp_path: Path, run: RunCli
) -> None:
    root = repo(tmp_path, OWN_MODEL, entry("together_ai/acme/support-lama"), DECLARED + GATEWAYS)
    result = run("check", root)
    assert result.code == 2
    assert "unknown model 'acme/support-lama'" in result.err
    assert "acme/support-llama (licence llama-3.1)" in result.err
    assert "models:" in result.err  # how to declare one


# ------------------------------------------------------------ regions an endpoint decides


def test_a_default_endpoint_that_may_process_anywhere_is_not_a_declared_us_region(
    tmp_path: Path, run: RunCli
) -> None:
    # regression: a Together route without api_base goes to api.together.ai, which
    # "do[es] not guarantee either geography"; drift matched it to the workload's `us`
    route = entry("together_ai/acme/support-llama")
    _, found = findings(run, repo(tmp_path, OWN_MODEL, route, DECLARED + GATEWAYS))
    assert drift(found) == [("gateways.undeclared-deployment", 4, "error")]
    assert "in global" in gateway_messages(found)[0]


def test_a_regional_endpoint_gives_its_region(tmp_path: Path, run: RunCli) -> None:
    route = entry("together_ai/acme/support-llama", api_base="https://ca-api.together.ai/v1")
    _, found = findings(run, repo(tmp_path, OWN_MODEL, route, DECLARED + GATEWAYS))
    assert drift(found) == [("gateways.undeclared-deployment", 4, "error")]
    assert "in ca" in gateway_messages(found)[0]


def test_a_region_the_config_cannot_tell_is_unknown_not_whatever_was_declared(
    tmp_path: Path, run: RunCli
) -> None:
    # regression: a route to a provider of several regions that writes none (Fireworks:
    # US-only routers or global serverless) matched any declared region, silently
    workload = OWN_MODEL.replace("provider: together", "provider: fireworks")
    route = entry("fireworks_ai/acme/support-llama")
    _, found = findings(run, repo(tmp_path, workload, route, DECLARED + GATEWAYS))
    assert drift(found) == [("gateways.unknown-deployment", 4, "warning")]
    assert "which of fireworks's regions" in gateway_messages(found)[0]


def test_an_anthropic_route_pinned_to_the_us_is_declared_by_a_us_workload(
    tmp_path: Path, run: RunCli
) -> None:
    """`inference_geo: us` keeps inference in the US; without it Anthropic's default may
    run it anywhere, which a workload in region `us` does not declare."""
    workloads = """
  - id: drafting
    data: [internal]
    commercial: false
    model: anthropic/claude-sonnet-4
    deployment: {mode: api, provider: anthropic, region: us}
"""
    pinned = entry("anthropic/claude-sonnet-4-20250514", name="pinned", inference_geo="us")
    default = entry("anthropic/claude-sonnet-4-20250514", name="default")
    _, found = findings(run, repo(tmp_path, workloads, pinned + default))
    assert drift(found) == [("gateways.undeclared-deployment", 8, "error")]
    assert "in global" in found[0]["message"]
