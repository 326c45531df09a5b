"""The bundle's digest: audit evidence, and what `--policy-ref` compares."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import InputError
from clearance.loading import inputs
from clearance.loading.files import SHIPPED_DIRS, WAIVER_FILE_NAMES
from clearance.loading.tree import read_input_bytes
from clearance.resources import data_root

if TYPE_CHECKING:
    pass


def note_waiver_files(root: Path) -> None:
    """Read the bundle's own waivers, so that the digest covers them (the check reads
    them again, with positions, when it applies waivers)."""
    for name in WAIVER_FILE_NAMES:
        path = root / name
        # a file that cannot be read is reported, positioned, by the waivers stage
        if inputs.is_file(path):
            with contextlib.suppress(InputError):
                inputs.note_read(path, read_input_bytes(path, str(path)))


def digest(observations: list[inputs.Observation], top: Path) -> str:
    """A digest of every file the load read (bundles, rules, catalogue, licences, waivers),
    named the same on every machine: shipped files by their place in clearance, the
    others relative to the bundle. Audit evidence, and what `--policy-ref` compares."""
    shipped = str(data_root().resolve())
    named = []
    for kind, path, value in observations:
        if kind != "file":
            continue
        inside = Path(os.path.relpath(path, shipped))
        if inside.parts[0] in SHIPPED_DIRS:
            name = "clearance:" + inside.as_posix()
        else:
            name = Path(os.path.relpath(path, top)).as_posix()
        named.append((name, value))
    h = hashlib.sha256()
    for name, value in sorted(named):
        h.update(name.encode() + b"\0" + value.encode() + b"\0")
    return "sha256:" + h.hexdigest()
