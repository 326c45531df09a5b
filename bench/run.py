"""Every benchmark in one command, printed as tables (see BENCHMARKS.md for recorded figures).

    python bench/run.py            # the full run (100,000 workloads takes a minute)
    python bench/run.py --quick    # small sizes, as CI's smoke run

The machine is noisy: compare figures from one run, side by side, never
absolute times across runs.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _section(title: str, *args: str) -> None:
    print(f"\n## {title}\n", flush=True)
    subprocess.run([sys.executable, *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()} {platform.release()}")
    runs = "3" if args.quick else "20"
    _section("pre-commit latency", str(HERE / "precommit.py"), "--runs", runs)
    sizes = ["200", "2000"] if args.quick else ["1000", "10000", "100000"]
    _section("scale: end to end", str(HERE / "scale.py"), "--sizes", *sizes)
    rego = ["100", "1000"] if args.quick else ["1000", "10000"]
    _section("against Rego (regopy)", str(HERE / "rego.py"), "--sizes", *rego)
    _section("YAML parse floor", str(HERE / "parse.py"), "--workloads",
             "1000" if args.quick else "10000")


if __name__ == "__main__":
    main()
