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
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--workloads", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-git", action="store_true", help="plain folders only")
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated (default: all, then together)"
    )
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))
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
