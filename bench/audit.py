"""Audit at scale: `clearance audit` over 1,000 repositories of 10 workloads each.

Builds the repositories in a temporary directory twice: as plain folders (no
git: the audit's own cost) and as git repositories (each with one commit, so
the audit runs `git status` in every one). Every git repository is a copy of
one committed template (the generator writes the same manifest into each), so
setting up takes seconds instead of the minutes of 1,000 `git init` + `commit`
runs; `git status` costs the same either way. Times the whole command, interpreter
start included, per format and with all formats at once; prints medians. Beside
them, `clearance check --format json` of the same manifests: the engine's share
(loading, resolving, evaluating 1,000 files), which the audit cannot go below.
DESIGN.md's target: under 1 s plus git time.

    python bench/audit.py [--repos 1000] [--workloads 10] [--runs 3] [--no-git] [--formats json,csv]

`--big MB` measures memory instead: one manifest of MB megabytes (50: about
210,000 workloads), audited once per format in a child process whose peak
resident memory is reported (DESIGN.md: bounded memory; issue 11: under 1 GB at
50 MB in every format). Each child is capped at `--cap-mb` of address space, so a
format that would take the machine down fails instead.

    python bench/audit.py --big 50 [--formats json,csv,html,cyclonedx] [--cap-mb 4000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write

FORMATS = ("json", "csv", "html", "cyclonedx")
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]


def build(root: Path, repos: int, workloads: int, git: bool) -> float:
    start = time.perf_counter()
    template = root / "template"
    write(workloads, template / "model-usage.yaml")
    if git:
        subprocess.run([*GIT, "init", "-q", str(template)], check=True)
        subprocess.run([*GIT, "-C", str(template), "add", "-A"], check=True)
        subprocess.run([*GIT, "-C", str(template), "commit", "-qm", "bench"], check=True)
    for i in range(repos):
        shutil.copytree(template, root / "repos" / f"repo-{i:04d}")
    return time.perf_counter() - start


def audit(root: Path, *formats: str) -> float:
    out = root / "out"
    args = [f"--format={f}={out / f}" for f in formats]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "clearance", "audit", str(root / "repos"), *args,
         "--progress=never"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"clearance audit failed ({proc.returncode}): {proc.stderr}")
    return elapsed


def check(root: Path) -> float:
    """The engine alone on the same manifests, for reference: what the audit adds is the rest."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "clearance", "check", str(root / "repos"), "--format",
         f"json={root / 'check.json'}"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"clearance check failed ({proc.returncode}): {proc.stderr}")
    return elapsed


def write_big(path: Path, megabytes: int) -> int:
    """A manifest of about `megabytes` MB, the generator's workloads in block style; how many."""
    from generate import TEMPLATES

    def flow(value: object) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
        return str(value)

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nworkloads:\n")
        i = 0
        while handle.tell() < megabytes * 1_000_000:
            template = TEMPLATES[i % len(TEMPLATES)]
            handle.write(f"  - id: w{i:06d}\n")
            handle.write("".join(f"    {k}: {flow(v)}\n" for k, v in template.items()))
            i += 1
    return i


_PEAK = r"""
import json, resource, subprocess, sys
cap = int(sys.argv[1]) * 1024 * 1024
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
proc = subprocess.run(sys.argv[2:], preexec_fn=limit, capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
last = proc.stderr.strip().splitlines()[-1:] if proc.returncode > 1 else []
print(json.dumps([proc.returncode, round(peak), " ".join(last)]))
"""


def big(megabytes: int, formats: tuple[str, ...], cap_mb: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        n = write_big(root / "repo" / "model-usage.yaml", megabytes)
        print(f"clearance audit of one {megabytes} MB manifest ({n} workloads), "
              f"each format alone, address space capped at {cap_mb} MB")
        for name in formats:
            target = root / "out" / name
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", _PEAK, str(cap_mb), sys.executable, "-m", "clearance",
                 "audit", str(root / "repo"), f"--format={name}={target}", "--progress=never"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            code, peak, err = json.loads(out.stdout)
            elapsed = time.perf_counter() - start
            verdict = "ok" if code in (0, 1) else f"FAILED (exit {code}) {err}"
            print(f"  --format {name:10} peak {int(peak):6d} MB  {elapsed:6.1f} s  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, metavar="MB", help="measure peak memory instead")
    parser.add_argument("--cap-mb", type=int, default=4000)
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--workloads", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-git", action="store_true", help="plain folders only")
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated (default: all, then together)"
    )
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))
    if args.big:
        big(args.big, formats, args.cap_mb)
        return
    n = args.repos * args.workloads
    print(f"clearance audit: {args.repos} repositories x {args.workloads} workloads = {n}")
    for git in (False,) if args.no_git else (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            setup = build(root, args.repos, args.workloads, git)
            kind = "git repositories" if git else "plain folders   "
            print(f"\n{kind} (set up in {setup:.1f} s)")
            audit(root, "json")  # warm the OS page cache and clearance's parse cache
            if not git:
                runs = [check(root) for _ in range(args.runs)]
                print(
                    f"  {'clearance check (reference)':35} median {statistics.median(runs):6.2f} s"
                )
            together = (formats,) if len(formats) > 1 else ()
            for chosen in (*((f,) for f in formats), *together):
                runs = [audit(root, *chosen) for _ in range(args.runs)]
                label = "+".join(chosen)
                print(f"  --format {label:26} median {statistics.median(runs):6.2f} s")


if __name__ == "__main__":
    main()
