"""Generate synthetic manifests for benchmarks: `python bench/generate.py N OUT`.

Workloads cycle through realistic combinations (self-hosted open weights,
vendor APIs, hosted-open providers; PHI, GDPR, internal data) so that every
kind of rule is exercised and some fire.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

TEMPLATES = [
    {"data": ["phi", "pii"], "purpose": "inference", "audience": "external", "commercial": True,
     "residency": ["US"], "model": "meta-llama/Llama-3.1-70B-Instruct",
     "deployment": {"mode": "self-hosted", "provider": "aws", "region": "us-east-1",
                    "network": "private", "agreements": ["baa"]}},
    {"data": ["internal", "confidential"], "purpose": "inference", "audience": "internal",
     "commercial": False, "model": "openai/gpt-4o-mini",
     "deployment": {"mode": "api", "provider": "openai", "region": "us"}},
    {"data": ["gdpr"], "purpose": "inference", "audience": "external", "commercial": True,
     "residency": ["EU"], "model": "mistralai/Mistral-7B-Instruct-v0.3",
     "deployment": {"mode": "self-hosted", "provider": "aws", "region": "eu-central-1",
                    "network": "private", "agreements": ["dpa"]}},
    {"data": ["gdpr", "pii"], "purpose": "inference", "audience": "external", "commercial": True,
     "residency": ["EU"], "model": "meta-llama/Llama-3.1-8B-Instruct",
     "deployment": {"mode": "self-hosted", "provider": "aws", "region": "us-east-1",
                    "network": "private"}},
    {"data": ["internal"], "purpose": "training-data-generation", "audience": "internal",
     "commercial": True, "model": "openai/gpt-4o", "trains": "acme/small", "trains_family": "qwen",
     "deployment": {"mode": "api", "provider": "openai", "region": "us"}},
    {"data": ["public"], "purpose": "inference", "audience": "external", "commercial": True,
     "model": "CohereForAI/c4ai-command-r-plus",
     "deployment": {"mode": "self-hosted", "provider": "gcp", "region": "europe-west4"}},
    {"data": ["phi"], "purpose": "inference", "audience": "internal", "commercial": True,
     "model": "anthropic/claude-sonnet-4",
     "deployment": {"mode": "api", "provider": "anthropic", "region": "us", "agreements": ["baa"]}},
    {"data": ["classified"], "purpose": "inference", "audience": "internal", "commercial": False,
     "model": "Qwen/Qwen2.5-7B-Instruct",
     # the shipped bundle lists no sites of the organisation (it knows none), so not on-prem
     "deployment": {"mode": "self-hosted", "provider": "aws", "region": "us-east-1",
                    "network": "private"}},
    {"data": ["internal"], "purpose": "embedding", "audience": "internal", "commercial": False,
     "model": "openai/text-embedding-3-small",
     "deployment": {"mode": "api", "provider": "openai", "region": "eu"}},
    {"data": ["pii"], "purpose": "inference", "audience": "external", "commercial": True,
     "model": "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
     "deployment": {"mode": "self-hosted", "provider": "azure", "region": "swedencentral"}},
]


def manifest(n: int) -> dict[str, object]:
    workloads = []
    for i in range(n):
        # a deep copy per workload: shared objects would make PyYAML write anchors
        template = copy.deepcopy(TEMPLATES[i % len(TEMPLATES)])
        w = {"id": f"w{i:06d}", "description": f"synthetic workload {i}", **template}
        workloads.append(w)
    return {"version": 1, "system": "bench", "owner": "bench@example.invalid",
            "workloads": workloads}


def write(n: int, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(manifest(n), sort_keys=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
