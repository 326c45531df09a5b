"""Reading a LiteLLM gateway config of 200 deployments: what it adds to a check.

The drift check reads every gateway config a manifest lists, beside the
manifest, with the catalogue already loaded; so the cost to measure is the
reader itself (parse with positions, split prefixes, resolve each model
against the catalogue's alias index), plus the first import of the reader's
modules in a fresh process. The generated config mixes providers the way real
ones do (Bedrock profiles, Vertex locations, Azure, OpenAI, Ollama, env
references, wildcards) and shares settings through anchors and merge keys.
Target (issue 14): at most 10 ms added to a check.

It then times `clearance check` itself of the same 10-workload manifest
without and with `gateways:` listing that config, side by side in one run
(alternating, fresh processes, warm caches as a pre-commit hook has them),
and in-process with the bundle already loaded: the drift check's whole cost,
reading, matching and reporting, with and without its imports.

    python bench/gateways.py [--deployments 200] [--runs 30] [--check-runs 21]
"""

from __future__ import annotations

import argparse
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


def config(n: int, anchors: bool = False) -> str:
    """n deployments; with `anchors`, every entry also merges shared settings (`<<: *common`)."""
    lines = ["x-common: &common", "  timeout: 60", "  num_retries: 2"] if anchors else []
    lines.append("model_list:")
    for i in range(n):
        model = TEMPLATES[i % len(TEMPLATES)].format(i=i)
        lines += [f"  - model_name: alias-{i}", "    litellm_params:", f"      model: {model}"]
        if anchors:
            lines.append("      <<: *common")
    return "\n".join(lines) + "\n"


IMPORT = (
    "import time, clearance.manifest.load, clearance.pipeline.check, clearance.bundle.load, yaml\n"
    "t, c = time.perf_counter(), time.process_time()\n"
    "import clearance.gateways.litellm\n"
    "print(time.perf_counter() - t, time.process_time() - c)"
)


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


def import_ms() -> tuple[float, float]:
    """(wall, CPU) ms of the reader's first import in a fresh process, median of 7."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(7)
    ]
    return (
        statistics.median(float(r[0]) for r in runs) * 1000,
        statistics.median(float(r[1]) for r in runs) * 1000,
    )


# Ten workloads: six declare routes of the generated config (one through a Bedrock
# profile, two at `global`), four use models it does not route to.
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


def _child_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def check_side_by_side(root: Path, deployments: int, runs: int) -> None:
    """`clearance check` without and with the gateways field, alternating."""
    dirs = {}
    for with_gateways in (False, True):
        repo = root / ("with" if with_gateways else "without")
        (repo / "infra").mkdir(parents=True)
        (repo / ".git").mkdir()
        (repo / "model-usage.yaml").write_text(manifest(with_gateways), encoding="utf-8")
        (repo / "infra" / "litellm.yaml").write_text(config(deployments), encoding="utf-8")
        dirs[with_gateways] = repo
    env = {**os.environ, "CLEARANCE_CACHE_DIR": str(root / "cache")}
    env.pop("CLEARANCE_NO_CACHE", None)
    cmd = [sys.executable, "-m", "clearance", "check"]
    for repo in dirs.values():  # warm the parse cache and the bundle snapshot
        subprocess.run([*cmd, str(repo)], env=env, capture_output=True, check=False)
    times: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(runs):
        for with_gateways, repo in dirs.items():
            times[with_gateways].append(_child_run([*cmd, str(repo)], env))
    med = {
        k: (statistics.median(t[0] for t in v) * 1000, statistics.median(t[1] for t in v) * 1000)
        for k, v in times.items()
    }
    print(
        f"clearance check, fresh process, warm caches, median of {runs} alternating runs: "
        f"without gateways: {med[False][0]:.1f} ms wall, {med[False][1]:.1f} ms CPU; "
        f"with a {deployments}-deployment LiteLLM config: {med[True][0]:.1f} ms wall, "
        f"{med[True][1]:.1f} ms CPU; added: {med[True][0] - med[False][0]:.1f} ms wall, "
        f"{med[True][1] - med[False][1]:.1f} ms CPU (target: at most 10 ms)"
    )
    _in_process(dirs, runs)


def _in_process(dirs: dict[bool, Path], runs: int) -> None:
    """The same two checks in this process, the bundle loaded and every module imported."""
    from clearance.bundle.load import load_bundle
    from clearance.pipeline.check import CheckOptions, check

    bundle = load_bundle()
    for repo in dirs.values():
        check([repo], CheckOptions(), bundle)
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for with_gateways, repo in dirs.items():
            start = time.process_time()
            check([repo], CheckOptions(), bundle)
            times[with_gateways].append(time.process_time() - start)
    # the fastest run is the one the shared machine disturbed least
    for label, pick in (("median", statistics.median), ("fastest", min)):
        without, with_ = (pick(times[k]) * 1000 for k in (False, True))
        print(
            f"in process, bundle loaded, modules imported ({label} of {runs}): check without "
            f"gateways {without:.2f} ms CPU, with {with_:.2f} ms CPU; "
            f"added {with_ - without:.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--check-runs", type=int, default=21)
    args = parser.parse_args()
    import compileall

    from clearance.bundle.load import load_bundle

    # an installed wheel has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise measure compiling the reader's sources, not importing them
    compileall.compile_dir(str(Path(__file__).parent.parent / "src" / "clearance"), quiet=1)
    catalogue = load_bundle().catalogue
    imports, imports_cpu = import_ms()
    print(
        "first import of the LiteLLM reader after the check's own modules: "
        f"{imports:.2f} ms wall, {imports_cpu:.2f} ms CPU"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for anchors in (False, True):
            path = Path(tmp) / "litellm.yaml"
            path.write_text(config(args.deployments, anchors), encoding="utf-8")
            median, cpu, n = median_ms(path, catalogue, args.runs)
            kind = "with anchors and merge keys" if anchors else "plain"
            print(
                f"{kind}: {n} deployments, {path.stat().st_size} bytes: read + resolve "
                f"median {median:.2f} ms wall, {cpu:.2f} ms CPU; with the import: "
                f"{median + imports:.2f} ms wall, {cpu + imports_cpu:.2f} ms CPU "
                "(target: at most 10 ms added to a check)"
            )
        check_side_by_side(Path(tmp), args.deployments, args.check_runs)


if __name__ == "__main__":
    main()
