"""Audits started at once share one `--history` file safely (issue 11, item 10).

Eight audits started together on a new history file used to lose one audit in
about six rounds: two found no format row and both inserted one ("UNIQUE
constraint failed: meta.key"). Each round here runs eight `clearance audit`
processes on a new file; each audits, then waits at the door of the history
(its `record`) until all are there, and they go in at the same instant. Every
one must succeed and be recorded whole.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

AUDITS = 8
ROUNDS = 3  # real processes: about 12 s a round on two cores
FAST_ROUNDS = 30  # forked from this process: under a second a round (the bug showed in 1 of 5)

# the child: a real `clearance audit`, held before it records until the signal file
# appears, so that all eight open the new history file together
_AUDIT_AT_THE_SIGNAL = """
import os, sys, time
from clearance.audit import history
from clearance.cli.main import main
go, ready = sys.argv[1], sys.argv[2]
record = history.record
def record_at_the_signal(path, audit):
    open(ready, "w").close()
    while not os.path.exists(go):
        pass  # spinning, not sleeping: they must go in together for the race to show
    return record(path, audit)
history.record = record_at_the_signal
raise SystemExit(main(sys.argv[3:]))
"""


def _round(root: Path, history: Path, cache: Path) -> list[tuple[int, str]]:
    go = history.with_suffix(".go")
    env = {**os.environ, "CLEARANCE_CACHE_DIR": str(cache)}
    ready = [history.with_suffix(f".ready{i}") for i in range(AUDITS)]
    children = [
        subprocess.Popen(
            [
                sys.executable, "-c", _AUDIT_AT_THE_SIGNAL, str(go), str(ready[i]),
                "audit", str(root), "--history", str(history), "--format", "json",
                "--progress", "never", "--today", "2026-11-22",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(AUDITS)
    ]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        if any(c.poll() is not None for c in children):
            break  # one failed before recording: reported below
        time.sleep(0.01)
    go.touch()
    outcomes = []
    for child in children:
        _, err = child.communicate(timeout=120)
        outcomes.append((child.returncode, err))
    return outcomes


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_eight_audits_at_once_on_a_new_history_file_all_land(tmp_path: Path, round_: int) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", root)
    history = tmp_path / f"round-{round_}" / "audits.sqlite"
    history.parent.mkdir()
    outcomes = _round(root, history, tmp_path / "cache")
    failed = [(code, err) for code, err in outcomes if code != 1]  # 1: the audit has findings
    assert not failed, failed
    with sqlite3.connect(history) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM audits ORDER BY id")]
        formats = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchall()
        findings = conn.execute("SELECT count(DISTINCT audit_id) FROM findings").fetchone()
    assert ids == list(range(1, AUDITS + 1))
    assert formats == [("1",)]
    assert findings == (AUDITS,)  # each audit whole, not a row without its findings


def _record_at_the_barrier(history: Path, audit: object, barrier: object, failures: object) -> None:
    from clearance.audit import history as audit_history

    barrier.wait()  # type: ignore[attr-defined]
    try:
        audit_history.compare(history, audit)  # type: ignore[arg-type]
        audit_history.record(history, audit)  # type: ignore[arg-type]
    except Exception as exc:
        failures.put(repr(exc))  # type: ignore[attr-defined]


def test_eight_records_at_the_same_instant_many_rounds(tmp_path: Path) -> None:
    # the same race, many more times: one real audit, then eight processes forked from
    # this one (nothing to import) compare and record it at a barrier
    from clearance.audit.build import AuditOptions, run_audit

    audit = run_audit([EXAMPLES / "risky-team"], AuditOptions(generated_at="2026-11-22T00:00:00Z"))
    forked = multiprocessing.get_context("fork")
    failures = forked.Queue()
    for round_ in range(FAST_ROUNDS):
        history = tmp_path / f"audits-{round_}.sqlite"
        barrier = forked.Barrier(AUDITS)
        children = [
            forked.Process(target=_record_at_the_barrier, args=(history, audit, barrier, failures))
            for _ in range(AUDITS)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(60)
        assert [c.exitcode for c in children] == [0] * AUDITS
        assert failures.empty(), f"round {round_}: {failures.get()}"
        with sqlite3.connect(history) as conn:
            count = conn.execute("SELECT count(*) FROM audits").fetchone()
            formats = conn.execute("SELECT value FROM meta").fetchall()
        assert count == (AUDITS,) and formats == [("1",)], round_
