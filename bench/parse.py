"""The YAML parse floor: readers side by side on one manifest, and how each treats hostile YAML.

    python bench/parse.py [--workloads 10000]

Speed: best of three reads of a generated manifest. Safety: each reader is
asked to read a duplicate key, an object-constructing tag and a small alias
bomb, and whether it reports positions for errors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import write

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(6))


def readers() -> dict[str, Callable[[str], Any]]:
    import yaml

    from clearance.loading.yaml_source import load_yaml_text

    out: dict[str, Callable[[str], Any]] = {
        "PyYAML C loader (bare)": lambda t: yaml.load(t, Loader=yaml.CSafeLoader),
        "clearance positioned (PyYAML C)": lambda t: load_yaml_text(t, "bench.yaml"),
    }
    try:
        import yaml_rs

        out["yaml-rs (clearance fast path)"] = yaml_rs.loads
    except ImportError:
        pass
    try:
        import ryml

        out["rapidyaml (tree only, no objects)"] = lambda t: ryml.parse_in_arena(t.encode())
    except ImportError:
        pass
    return out


def _outcome(read: Callable[[str], Any], text: str) -> str:
    try:
        start = time.perf_counter()
        value = read(text)
        took = time.perf_counter() - start
    except Exception as exc:  # any refusal counts as a refusal
        return f"refused ({type(exc).__name__})"
    if took > 1:
        return f"accepted in {took:.1f}s"
    return "accepted" if value is not None else "accepted (empty)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        text = write(args.workloads, Path(tmp) / "model-usage.yaml").read_text()
    size_mb = len(text.encode()) / 1e6
    print(f"manifest: {args.workloads} workloads, {size_mb:.1f} MB")
    print(f"{'reader':<36} {'best s':>8} {'MB/s':>7}  "
          f"{'dup key':<22} {'!!python tag':<22} {'alias bomb':<22}")
    for name, read in readers().items():
        best = min(_timed(read, text) for _ in range(3))
        print(f"{name:<36} {best:>8.3f} {size_mb / best:>7.1f}  "
              f"{_outcome(read, 'a: 1' + chr(10) + 'a: 2' + chr(10)):<22} "
              f"{_outcome(read, 'a: !!python/object/apply:os.getcwd []' + chr(10)):<22} "
              f"{_outcome(read, BOMB):<22}")


def _timed(read: Callable[[str], Any], text: str) -> float:
    start = time.perf_counter()
    read(text)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
