"""Advice for a 50-workload manifest: the whole `clearance advise` command, end to end.

Target (issue 16): under 2 s. The manifest mixes the seeds' situations: PHI,
GDPR, classified, internal and public data; closed APIs, inference providers
and self-hosted open weights; with and without residency and volume. Each run
is a fresh process (the command as a user runs it), cache directory private.

    python bench/advise.py [--runs 5] [--workloads 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODELS = [
    ("openai/gpt-4o", {"mode": "api", "provider": "openai", "region": "us"}),
    ("anthropic/claude-sonnet-4", {"mode": "api", "provider": "anthropic", "region": "us"}),
    ("meta-llama/Llama-3.1-70B-Instruct",
     {"mode": "self-hosted", "provider": "aws", "region": "us-east-1", "network": "private"}),
    ("meta-llama/Llama-3.1-8B-Instruct",
     {"mode": "hosted-open", "provider": "together", "region": "unspecified"}),
    ("Qwen/Qwen2.5-72B-Instruct",
     {"mode": "self-hosted", "provider": "gcp", "region": "europe-west3", "network": "private"}),
]  # fmt: skip
DATA = [["phi", "pii"], ["internal"], ["pii", "gdpr"], ["classified"], ["public"], ["pci"]]
RESIDENCY = [None, ["US"], ["EEA"], ["DE"]]


def manifest(n: int) -> dict[str, object]:
    workloads = []
    for i in range(n):
        model, deployment = MODELS[i % len(MODELS)]
        w: dict[str, object] = {
            "id": f"w{i:03}",
            "data": DATA[i % len(DATA)],
            "commercial": i % 2 == 0,
            "model": model,
            "deployment": deployment,
        }
        if RESIDENCY[i % len(RESIDENCY)] is not None:
            w["residency"] = RESIDENCY[i % len(RESIDENCY)]
        if i % 3:
            w["volume"] = {"requests_per_day": 1000 * (i + 1), "input_tokens_per_request": 500,
                           "output_tokens_per_request": 300}  # fmt: skip
        workloads.append(w)
    return {"version": 1, "workloads": workloads}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workloads", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "model-usage.yaml"
        path.write_text(json.dumps(manifest(args.workloads)), encoding="utf-8")
        env = {**os.environ, "CLEARANCE_CACHE_DIR": str(root / "cache")}
        cmd = [sys.executable, "-m", "clearance", "advise", str(path), "--format", "json"]
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if first.returncode != 0:
            raise SystemExit(f"advise failed ({first.returncode}): {first.stderr}")
        options = sum(len(w["options"]) for w in json.loads(first.stdout)["workloads"])
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    verdict = "OK" if median < 2.0 else "OVER TARGET"
    print(
        f"advise, {args.workloads} workloads, {options} options judged: median {median:.3f} s "
        f"over {args.runs} runs (min {min(times):.3f} s); target < 2 s: {verdict}"
    )


if __name__ == "__main__":
    main()
