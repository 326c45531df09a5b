"""Scale: end-to-end check at growing sizes, with phases, peak memory and growth per doubling.

Each size runs in a fresh process (so peak memory is that run's own), after
one warm-up run that fills the parse cache and the policy snapshot, as the
second of two checks in a row would find them. The phases are timed inside
one process (bundle, load, resolve, evaluate); "command" is the wall-clock
time (median of three) of the whole `clearance check FILE` (interpreter start, imports and the
text report written to /dev/null included), which is what DESIGN.md's
"end to end" targets mean. Prints a table.

    python bench/scale.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write

CHILD = r"""
import json, resource, sys, time


def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss would carry over the peak of the
    # parent that generated the manifest (Linux keeps it across fork and exec)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


from pathlib import Path
t0 = time.perf_counter()
from clearance.pipeline.judge import load_bundle_snapshot
from clearance.manifest.load import load_manifest
from clearance.resolve.resolver import Resolver
from clearance.evaluate.evaluate import evaluate
from clearance.pipeline.check import paused_gc
paused = paused_gc()
paused.__enter__()  # as clearance check does
bundle = load_bundle_snapshot(None)
t1 = time.perf_counter()
lm = load_manifest(Path(sys.argv[1]))
t2 = time.perf_counter()
workloads = Resolver(bundle).resolve(lm)
t3 = time.perf_counter()
findings = evaluate(workloads, bundle)
t4 = time.perf_counter()
print(json.dumps({"bundle": t1 - t0, "load": t2 - t1, "resolve": t3 - t2, "evaluate": t4 - t3,
                  "total": t4 - t0, "findings": len(findings),
                  "peak_mb": peak_mb()}))
"""


def measure(n: int, work: Path) -> dict[str, float]:
    path = write(n, work / f"m{n}" / "model-usage.yaml")
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                         text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    times = []
    for _ in range(3):  # the median of three: one run is at the mercy of the machine
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "clearance", "check", str(path)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    result["command"] = statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measure(10, work)  # warm the parse cache and the page cache
        rows = [(n, measure(n, work)) for n in args.sizes]
    print(f"{'workloads':>10} {'bundle':>7} {'load':>7} {'resolve':>8} {'evaluate':>9} "
          f"{'pipeline':>9} {'command':>8} {'peak MB':>8} {'findings':>9}")
    for n, r in rows:
        print(f"{n:>10} {r['bundle']:>7.3f} {r['load']:>7.3f} {r['resolve']:>8.3f} "
              f"{r['evaluate']:>9.3f} {r['total']:>9.3f} {r['command']:>8.3f} "
              f"{r['peak_mb']:>8.0f} {int(r['findings']):>9}")
    for (n1, a), (n2, b) in itertools.pairwise(rows):
        per_doubling = (b["command"] / a["command"]) ** (1 / max(1e-9, math.log2(n2 / n1)))
        print(f"growth per doubling {n1}->{n2}: x{per_doubling:.2f} (linear is x2.00)")


if __name__ == "__main__":
    main()
