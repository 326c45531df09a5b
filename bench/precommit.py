"""Pre-commit latency: `clearance check` of a 10-workload manifest against the import floor.

Runs both commands alternately (the machine is noisy; side by side in one run
is what holds) and prints medians. DESIGN.md's target: the check within 60 ms
of `python -c "import yaml, pydantic, click"`.

clearance's bytecode is compiled first, as `pip install` does: the floor's
packages come with theirs, and where PYTHONDONTWRITEBYTECODE is set (as on
this project's machines) an editable checkout would otherwise be compiled from
source on every run, which no installed copy ever is.

    python bench/precommit.py [--runs 20] [--each-cache]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write


def _time(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def _without_snapshots(cache: Path) -> None:
    for snapshot in cache.glob("bundle-*.pickle"):
        snapshot.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--each-cache",
        action="store_true",
        help="also time the check with the parse cache alone, and with no cache",
    )
    args = parser.parse_args()
    spec = importlib.util.find_spec("clearance")
    assert spec is not None and spec.submodule_search_locations
    for location in spec.submodule_search_locations:
        compileall.compile_dir(location, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = work / "cache"
        write(10, work / "model-usage.yaml")
        cached = {**os.environ, "CLEARANCE_CACHE_DIR": str(cache)}
        cached.pop("CLEARANCE_NO_CACHE", None)
        uncached = {**cached, "CLEARANCE_NO_CACHE": "1"}
        floor = [sys.executable, "-c", "import yaml, pydantic, click"]
        check = [sys.executable, "-m", "clearance", "check", "model-usage.yaml"]
        _time(check, work, cached)  # warm the caches and the OS page cache
        floors, checks, parse_only, none = [], [], [], []
        for _ in range(args.runs):
            floors.append(_time(floor, work))
            checks.append(_time(check, work, cached))
            if args.each_cache:
                _without_snapshots(cache)
                parse_only.append(_time(check, work, cached))
                none.append(_time(check, work, uncached))
    f, c = statistics.median(floors) * 1000, statistics.median(checks) * 1000
    print(f"import floor      median {f:7.1f} ms")
    print(f"clearance check   median {c:7.1f} ms   (10 workloads, default bundle)")
    print(f"difference               {c - f:7.1f} ms   (target: under 60 ms)")
    if args.each_cache:
        p, n = statistics.median(parse_only) * 1000, statistics.median(none) * 1000
        print(f"parse cache only  median {p:7.1f} ms   (+{p - f:.1f} ms: what the snapshot saves)")
        print(f"no cache          median {n:7.1f} ms   (+{n - f:.1f} ms: the parse cache saves)")


if __name__ == "__main__":
    main()
