"""Reading a LiteLLM gateway config of 200 deployments: what it adds to a check.

The drift check reads every gateway config a manifest lists, beside the
manifest, with the catalogue already loaded; so the cost to measure is the
reader itself (parse with positions, split prefixes, resolve each model
against the catalogue's alias index), the first import of the reader's and
drift's modules, and matching the routes to the workloads. The generated
config mixes providers the way real ones do (Bedrock profiles, Vertex
locations, Azure, OpenAI, Ollama, env references, wildcards) and shares
settings through anchors and merge keys. Target (issue 14): at most 10 ms
added to a check.

Three measurements, each against the same 10-workload manifest without
`gateways:`:

1. the reader alone, in process, warm (plain, and with anchors and merge keys);
2. in fresh processes, after the check's own modules and a first check: the
   gateway modules' import, then one check of the manifest listing the config,
   less one check of the manifest without it. This is what a config adds to a
   check, cold, and the figure the target is read against; CPU time, median and
   fastest of `--processes`, so a shared machine's load moves it least. Two
   configs: one whose every route a workload declares (the steady state a gate
   sees) and the mixed one, where 80 routes drift (80 findings built and sorted);
3. whole `clearance check` processes, alternating, warm caches: the same added
   cost inside everything else a process does, and as noisy as that is.

    python bench/gateways.py [--deployments 200] [--runs 30] [--processes 15]
                             [--check-runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATES = (
    "bedrock/eu.anthropic.claude-3-5-haiku-20241022-v1:0\n      aws_region_name: eu-central-1",
    "bedrock/global.anthropic.claude-sonnet-4-20250514-v1:0\n      aws_region_name: us-east-1",
    "vertex_ai/gemini-2.5-pro\n      vertex_location: europe-west4",
    "azure/gpt-4o\n      api_base: https://acme-{i}.openai.azure.com/\n"
    "      api_key: os.environ/AZURE_KEY",
    "openai/gpt-4o-mini\n      api_base: https://eu.api.openai.com/v1",
    "ollama/llama3.1:8b\n      api_base: http://ollama-{i}:11434",
    "groq/llama-3.3-70b-versatile\n      api_key: os.environ/GROQ_API_KEY",
    "os.environ/MODEL_{i}",
    "anthropic/*",
    "together_ai/meta-llama/Llama-3.3-70B-Instruct",
)
# The routes the manifest's workloads declare (the others drift: an Azure resource
# and an Ollama server nobody declared, models from the environment, a wildcard).
DECLARED = tuple(TEMPLATES[i] for i in (0, 1, 2, 4, 6, 9))


def config(n: int, anchors: bool = False, templates: tuple[str, ...] = TEMPLATES) -> str:
    """n deployments; with `anchors`, every entry also merges shared settings (`<<: *common`)."""
    lines = ["x-common: &common", "  timeout: 60", "  num_retries: 2"] if anchors else []
    lines.append("model_list:")
    for i in range(n):
        model = templates[i % len(templates)].format(i=i)
        lines += [f"  - model_name: alias-{i}", "    litellm_params:", f"      model: {model}"]
        if anchors:
            lines.append("      <<: *common")
    return "\n".join(lines) + "\n"


def median_ms(path: Path, catalogue: object, runs: int) -> tuple[float, float, int]:
    """(median wall ms, median CPU ms, deployments): CPU time is what a loaded machine
    (this one is shared) inflates least."""
    from clearance.gateways import litellm

    found = litellm.read(path, catalogue)  # type: ignore[arg-type]
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        litellm.read(path, catalogue)  # type: ignore[arg-type]
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, len(found)


# Ten workloads: six declare the routes of DECLARED (one through a Bedrock profile,
# two at `global`), four use models the config does not route to.
WORKLOADS = (
    ("eu.anthropic.claude-3-5-haiku-20241022-v1:0", "api", "aws-bedrock", "eu-central-1"),
    ("anthropic/claude-sonnet-4", "api", "aws-bedrock", "global"),
    ("google/gemini-2.5-pro", "api", "google-vertex", "europe-west4"),
    ("openai/gpt-4o-mini", "api", "openai", "eu"),
    ("meta-llama/Llama-3.3-70B-Instruct", "hosted-open", "groq", "global"),
    ("meta-llama/Llama-3.3-70B-Instruct", "hosted-open", "together", "global"),
    ("openai/gpt-4o", "api", "openai", "us"),
    ("anthropic/claude-3-5-sonnet", "api", "aws-bedrock", "eu-central-1"),
    ("google/gemini-2.5-flash", "api", "google-vertex", "europe-west4"),
    ("openai/gpt-4o", "api", "openai", "eu"),
)


def manifest(gateways: bool) -> str:
    lines = ["version: 1", "workloads:"]
    for i, (model, mode, provider, region) in enumerate(WORKLOADS):
        lines += [f"  - id: w{i}", "    data: [internal]", "    commercial: true"]
        lines += [f"    model: {model}", "    deployment:", f"      mode: {mode}"]
        lines += [f"      provider: {provider}", f"      region: {region}"]
    if gateways:
        lines += ["gateways:", "  - {format: litellm, path: infra/litellm.yaml}"]
    return "\n".join(lines) + "\n"


def repositories(root: Path, deployments: int) -> dict[str, Path]:
    """without: no `gateways:`; declared: every route declared; drifting: the mixed config."""
    made = {}
    for name, templates in (("without", None), ("declared", DECLARED), ("drifting", TEMPLATES)):
        repo = root / name
        (repo / "infra").mkdir(parents=True)
        (repo / ".git").mkdir()
        (repo / "model-usage.yaml").write_text(manifest(templates is not None), encoding="utf-8")
        text = config(deployments, templates=templates or TEMPLATES)
        (repo / "infra" / "litellm.yaml").write_text(text, encoding="utf-8")
        made[name] = repo
    return made


# One fresh process: the check's own modules, the bundle from its snapshot as a check
# reads it (loaded once, so that its unpickling, the same for both, adds no noise),
# the manifest without gateways checked a few times, then the gateway modules' import
# and one check of the manifest listing the config, cold.
CHILD = """
import json, sys, time
from pathlib import Path
from clearance.pipeline.check import CheckOptions, check
from clearance.pipeline.judge import load_bundle_snapshot
import clearance.report.text
without, listing = Path(sys.argv[1]), Path(sys.argv[2])
cpu = time.process_time
bundle = load_bundle_snapshot(None)
plains = []
for _ in range(5):
    start = cpu(); check([without], CheckOptions(), bundle); plains.append(cpu() - start)
plain = sorted(plains)[2]
start = cpu()
import clearance.gateways.drift, clearance.gateways.litellm
imports = cpu() - start
from clearance.gateways import litellm
read, reading = litellm.read, []
def timed(*args, **kwargs):
    begun = cpu(); found = read(*args, **kwargs); reading.append(cpu() - begun); return found
litellm.read = timed
start = cpu(); result = check([listing], CheckOptions(), bundle).result; listed = cpu() - start
print(json.dumps({"imports": imports, "read": sum(reading), "rest": listed - plain - sum(reading),
                  "findings": len(result.findings)}))
"""


def fresh_processes(repos: dict[str, Path], processes: int, env: dict[str, str]) -> None:
    for kind in ("declared", "drifting"):
        runs = []
        for _ in range(processes):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(repos["without"]), str(repos[kind])],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs.append(json.loads(out.splitlines()[-1]))
        added = [r["imports"] + r["read"] + r["rest"] for r in runs]
        parts = ", ".join(
            f"{key} {statistics.median(r[key] for r in runs) * 1000:.2f}"
            for key in ("imports", "read", "rest")
        )
        print(
            f"fresh process, {kind} config ({runs[0]['findings']} findings with it): added "
            f"median {statistics.median(added) * 1000:.2f} ms CPU, fastest "
            f"{min(added) * 1000:.2f} ms, of {processes} processes (median {parts} ms: "
            "gateway imports, reading, matching and the rest) (target: at most 10 ms)"
        )


def _child_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def whole_checks(repos: dict[str, Path], runs: int, env: dict[str, str]) -> None:
    """`clearance check` of each repository in fresh processes, alternating."""
    cmd = [sys.executable, "-m", "clearance", "check"]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in repos}
    for _ in range(runs):
        for name, repo in repos.items():
            times[name].append(_child_run([*cmd, str(repo)], env))
    med = {
        k: (statistics.median(t[0] for t in v) * 1000, statistics.median(t[1] for t in v) * 1000)
        for k, v in times.items()
    }
    base_wall, base_cpu = med["without"]
    print(
        f"clearance check, fresh processes, warm caches, median of {runs} alternating runs: "
        f"without gateways {base_wall:.1f} ms wall, {base_cpu:.1f} ms CPU"
    )
    for name in ("declared", "drifting"):
        wall, cpu = med[name]
        print(
            f"  with the {name} config: {wall:.1f} ms wall, {cpu:.1f} ms CPU; added "
            f"{wall - base_wall:.1f} ms wall, {cpu - base_cpu:.1f} ms CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--processes", type=int, default=15)
    parser.add_argument("--check-runs", type=int, default=21)
    args = parser.parse_args()
    import compileall

    from clearance.bundle.load import load_bundle

    # an installed wheel has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise measure compiling the reader's sources, not importing them
    compileall.compile_dir(str(Path(__file__).parent.parent / "src" / "clearance"), quiet=1)
    catalogue = load_bundle().catalogue
    with tempfile.TemporaryDirectory() as tmp:
        for anchors in (False, True):
            path = Path(tmp) / "litellm.yaml"
            path.write_text(config(args.deployments, anchors), encoding="utf-8")
            median, cpu, n = median_ms(path, catalogue, args.runs)
            kind = "with anchors and merge keys" if anchors else "plain"
            print(
                f"reader alone, in process, warm, {kind}: {n} deployments, "
                f"{path.stat().st_size} bytes: median {median:.2f} ms wall, {cpu:.2f} ms CPU"
            )
        repos = repositories(Path(tmp), args.deployments)
        env = {**os.environ, "CLEARANCE_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("CLEARANCE_NO_CACHE", None)
        for repo in repos.values():  # warm the parse cache and the bundle snapshot
            cmd = [sys.executable, "-m", "clearance", "check", str(repo)]
            subprocess.run(cmd, env=env, capture_output=True, check=False)
        fresh_processes(repos, args.processes, env)
        whole_checks(repos, args.check_runs, env)


if __name__ == "__main__":
    main()
