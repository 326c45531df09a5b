"""A progress bar on standard error while an audit runs, silent when nobody watches.

Plain text redrawn with a carriage return: no dependency, and nothing at all
when standard error is not a terminal (CI logs, redirections), since a log
full of redraws helps nobody. Thread-safe, because git state is gathered by
several threads at once.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

WIDTH = 30
REDRAW_EVERY_S = 0.1  # at most ten redraws a second, so drawing never slows the audit


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self._lock = threading.Lock()
        self._label = ""
        self._total = 0
        self._done = 0
        self._drawn_at = 0.0
        self._width = 0

    def stage(self, label: str, total: int = 0) -> None:
        """Start a stage; with a total, `advance` fills the bar, without one it is a label."""
        with self._lock:
            self._label, self._total, self._done = label, total, 0
            self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._done += n
            self._draw(force=self._done >= self._total)

    def close(self) -> None:
        """Clear the line, so what is printed next starts on a clean one."""
        with self._lock:
            if self.enabled and self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
            self._width = 0

    def _draw(self, force: bool) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < REDRAW_EVERY_S:
            return
        self._drawn_at = now
        if self._total:
            filled = WIDTH * min(self._done, self._total) // self._total
            bar = "#" * filled + "-" * (WIDTH - filled)
            line = f"clearance audit: {self._label} [{bar}] {self._done}/{self._total}"
        else:
            line = f"clearance audit: {self._label}…"
        pad = max(0, self._width - len(line))
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()
        self._width = len(line)
