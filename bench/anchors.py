"""Hand-written YAML: a manifest with anchors, aliases and merge keys against plain YAML.

The same workloads are written twice: plainly (bench/generate.py), and as a person
would write them, each template's first workload anchoring its fields (`<<: &t3`)
and its deployment (`deployment: &d3`), every later one merging them (`<<: *t3`,
some through a merge list). Both files are checked end to end by `clearance check`,
alternately (the machine is noisy; side by side in one run is what holds), and the
medians compared. DESIGN.md's target: the anchored manifest costs at most 1.5x the
plain one. Both must judge alike: the same findings by rule and workload.

    python bench/anchors.py [--sizes 10 1000 10000] [--runs 7] [--src DIR]

`--src` measures another checkout's `src/` (a before/after comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import TEMPLATES, manifest, write


def _flow(value: object) -> str:
    """A value as a person writes it: plain where it can be, flow lists."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9./_-]*", value):
        return value
    return json.dumps(value)


def write_anchored(n: int, out: Path) -> Path:
    """The workloads of `generate.manifest(n)`, written with anchors, aliases and merges."""
    lines = ["version: 1", "system: bench", "owner: bench@example.invalid", "workloads:"]
    for i, w in enumerate(manifest(n)["workloads"]):  # type: ignore[union-attr]
        k = i % len(TEMPLATES)
        lines += [f"  - id: {w['id']}", f"    description: {w['description']}"]
        fields = {key: value for key, value in TEMPLATES[k].items() if key != "deployment"}
        if i < len(TEMPLATES):  # the template's first workload defines it
            lines.append(f"    <<: &t{k}")
            lines += [f"      {key}: {_flow(value)}" for key, value in fields.items()]
            lines.append(f"    deployment: &d{k}")
            lines += [f"      {key}: {_flow(v)}" for key, v in TEMPLATES[k]["deployment"].items()]  # type: ignore[attr-defined]
        elif i % 3 == 0:  # a merge list whose inline mapping restates the template's purpose
            lines.append(f"    <<: [{{purpose: {fields['purpose']}}}, *t{k}]")
            lines.append(f"    deployment: *d{k}")
        else:
            lines += [f"    <<: *t{k}", f"    deployment: *d{k}"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _time(path: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "clearance", "check", str(path)], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _verdict(path: Path, env: dict[str, str]) -> list[tuple[str, str]]:
    out = subprocess.run([sys.executable, "-m", "clearance", "check", str(path), "--format",
                          "json"], env=env, capture_output=True, text=True, check=False)
    report = json.loads(out.stdout)
    return sorted((f["rule"], f["workload"]) for f in report["findings"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", type=Path, help="another checkout's src/ to measure")
    args = parser.parse_args()
    env = _env(args.src)
    print(f"{'workloads':>10} {'plain s':>9} {'anchored s':>11} {'ratio':>7}  (target: <= 1.50)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.sizes:
            plain = write(n, work / f"plain{n}" / "model-usage.yaml")
            anchored = write_anchored(n, work / f"anchored{n}" / "model-usage.yaml")
            assert _verdict(plain, env) == _verdict(anchored, env), "the two files judge apart"
            _time(plain, env), _time(anchored, env)  # warm caches
            plains, anchoreds = [], []
            for _ in range(args.runs):
                plains.append(_time(plain, env))
                anchoreds.append(_time(anchored, env))
            p, a = statistics.median(plains), statistics.median(anchoreds)
            print(f"{n:>10} {p:>9.3f} {a:>11.3f} {a / p:>7.2f}")


if __name__ == "__main__":
    main()
