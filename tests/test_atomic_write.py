"""A report written atomically, and what a killed write leaves (issue 11, item 13).

Reports and audit files are written to a temporary file beside the target and renamed
into place. A write killed before the rename leaves that temporary file; the next write
of the same target removes it, and never the file of a write still under way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from clearance.cli.options import write_atomic
from conftest import EXAMPLES, Run

# a child that writes `target` and is killed after its temporary file is written
# but before the rename
_STALLED_WRITE = """
import os, sys, time
from pathlib import Path
from clearance.cli import options
def stall(src, dst):
    print("written", flush=True)
    time.sleep(60)
os.replace = stall
options.write_atomic(Path(sys.argv[1]), "partial report")
"""


def _killed_write(target: Path) -> list[Path]:
    child = subprocess.Popen(
        [sys.executable, "-c", _STALLED_WRITE, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "written\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    return _temporaries(target)


def _temporaries(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_write_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "out.sarif"
    target.parent.mkdir()
    left = _killed_write(target)
    assert len(left) == 1 and left[0].read_text() == "partial report"
    assert not target.exists()
    write_atomic(target, "whole report")
    assert target.read_text() == "whole report"
    assert _temporaries(target) == []


def test_a_write_under_way_and_other_files_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        under_way = tmp_path / f".out.json.{live.pid}.abcd_123.tmp"
        dead = tmp_path / f".out.json.{_dead_pid()}.abcd_123.tmp"
        others = [
            tmp_path / ".out.json.bak",  # the user's own
            tmp_path / f".out.json.{_dead_pid()}.notmkstemp.tmp",  # not a name we make
            tmp_path / f".out.json.x.{_dead_pid()}.abcd_123.tmp",  # another target's (out.json.x)
            tmp_path / f".other.json.{_dead_pid()}.abcd_123.tmp",
        ]
        for path in (under_way, dead, *others):
            path.write_text("x")
        write_atomic(target, "report")
        assert under_way.exists()
        assert not dead.exists()
        assert all(p.exists() for p in others)
    finally:
        live.kill()
        live.wait()


def test_a_leftover_link_is_not_followed_or_removed(tmp_path: Path) -> None:
    keep = tmp_path / "keep.txt"
    keep.write_text("precious")
    link = tmp_path / f".out.json.{_dead_pid()}.abcd_123.tmp"
    link.symlink_to(keep)
    write_atomic(tmp_path / "out.json", "report")
    assert keep.read_text() == "precious" and link.is_symlink()


def test_a_check_report_file_cleans_up_after_a_killed_write(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    assert _killed_write(target)
    result = run(
        "check", EXAMPLES / "risky-team" / "model-usage.yaml", "--format", f"json={target}"
    )
    assert result.code == 1, result.err
    assert target.read_text().startswith("{")
    assert _temporaries(target) == []
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~umask  # the usual mode, not mkstemp's
