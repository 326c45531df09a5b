"""Run clearance with a stopwatch and a memory bound, in this process or in a fenced child.

In-process runs (the `run` fixture) are measured by wall time and by how far
they raise this process's peak resident memory (`ru_maxrss`, a high-water
mark: a run that stays below an earlier peak shows no growth, which is the
bound we want). Inputs that could blow up run in a child process whose address
space is capped with `RLIMIT_AS`, so a blow-up fails the test (MemoryError,
exit 3) instead of taking the machine down, and whose own peak and time are
reported back.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024

# The child: cap the address space, run the CLI, report its own time and peak.
_CHILD = r"""
import json, os, resource, sys, time
limit = int(os.environ["BOUNDED_AS_BYTES"])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.perf_counter()
from clearance.cli.main import main
code = main(sys.argv[1:])
stats = {"seconds": time.perf_counter() - start,
         "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
with open(os.environ["BOUNDED_STATS"], "w") as handle:
    json.dump(stats, handle)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
"""

# What every line of a bad-input report looks like: `error: FILE:LINE:COLUMN: what`.
POSITIONED = re.compile(r"^error: \S(?:.*\S)?:\d+:\d+: \S")


@dataclass
class Outcome:
    code: int | None  # None: killed at the time limit
    out: str
    err: str
    seconds: float
    peak_mb: float  # the child's peak, or how far an in-process run raised ours

    def describe(self) -> str:
        code = "killed at the time limit" if self.code is None else f"exit {self.code}"
        err = self.err if len(self.err) < 2000 else self.err[:2000] + "..."
        return f"{code} in {self.seconds:.2f} s, {self.peak_mb:.0f} MB\nstderr:\n{err}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_process(run: Callable[..., Any], *args: str | Path) -> Outcome:
    before = peak_rss_mb()
    start = time.perf_counter()
    result = run(*args)
    seconds = time.perf_counter() - start
    return Outcome(result.code, result.out, result.err, seconds, peak_rss_mb() - before)


def fenced(
    *args: str | Path,
    cwd: Path,
    address_space_mb: int = 1024,
    kill_after: float = 60.0,
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run `clearance ARGS` in a child limited to `address_space_mb` of address space."""
    stats = cwd / f".bounded-stats-{os.getpid()}-{time.monotonic_ns()}.json"
    child_env = {
        **os.environ,
        **(env or {}),
        "BOUNDED_AS_BYTES": str(address_space_mb * MB),
        "BOUNDED_STATS": str(stats),
    }
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, *map(str, args)],
            cwd=cwd,
            env=child_env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=kill_after,
        )
    except subprocess.TimeoutExpired as exc:
        return Outcome(
            None,
            _text(exc.stdout),
            _text(exc.stderr),
            time.perf_counter() - start,
            float("nan"),
        )
    wall = time.perf_counter() - start
    if stats.exists():
        measured = json.loads(stats.read_text())
        stats.unlink()
        return Outcome(
            proc.returncode, proc.stdout, proc.stderr, measured["seconds"], measured["peak_mb"]
        )
    # the child died before reporting (e.g. killed by a signal): keep what we know
    return Outcome(proc.returncode, proc.stdout, proc.stderr, wall, float("nan"))


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def assert_clean_refusal(outcome: Outcome) -> None:
    """Exit 2, nothing on stdout, no traceback, and every message positioned."""
    report = outcome.describe()
    assert outcome.code == 2, report
    assert "Traceback" not in outcome.err, report
    assert "internal error" not in outcome.err, report
    assert outcome.out == "", report
    lines = outcome.err.splitlines()
    assert lines, report
    unpositioned = [line for line in lines if not POSITIONED.match(line)]
    assert not unpositioned, f"lines without file:line:column: {unpositioned[:3]}\n{report}"
