"""What a load consulted on disk, recorded as it is consulted.

A cache of something built from files (the policy snapshot) is only as good as
its notion of "the same files". Guessing that notion (every `*.yaml` under a
few directories) missed rule files with other names, parents reached through a
re-pointed link, and files added where the load merely looked. So the loaders
consult the disk only through the functions below, which record each
observation while a `recording()` is active:

- `file`:   the SHA-256 of the bytes read (every bundle file is read by `files.load_kind`);
- `isfile`, `isdir`: whether the path was a file / a directory;
- `list`:   the names a directory held (all of them, whatever their suffix);
- `real`:   where a path led once every link was followed.

`unchanged(observations)` asks the same questions again: the inputs are the same
exactly when every answer is. The digest of the bundle (audit evidence) is taken
from the `file` observations, so it covers every file the load read, whatever
its name.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import InputError
from clearance.loading.tree import read_input_bytes

Observation = tuple[str, str, str]  # (kind, absolute path, what was seen)


@dataclass
class InputLog:
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    # the same question answered two ways during one load: a file changed under it
    unstable: bool = False

    def note(self, kind: str, path: str, value: str) -> None:
        key = (kind, path)
        first = self.seen.setdefault(key, value)
        if first != value:
            self.unstable = True

    def observations(self) -> list[Observation]:
        return sorted((kind, path, value) for (kind, path), value in self.seen.items())


_active: list[InputLog] = []


@contextmanager
def recording() -> Iterator[InputLog]:
    """Record every observation made until the block ends (nested recordings see them too)."""
    log = InputLog()
    _active.append(log)
    try:
        yield log
    finally:
        _active.remove(log)


def _note(kind: str, path: Path | str, value: str) -> None:
    if _active:
        where = os.path.abspath(path)
        for log in _active:
            log.note(kind, where, value)


def note_read(path: Path | str, data: bytes) -> None:
    """Record the bytes a loader read from `path` (`files.load_kind` calls it for every file)."""
    if _active:
        _note("file", path, hashlib.sha256(data).hexdigest())


def is_file(path: Path) -> bool:
    found = path.is_file()
    _note("isfile", path, "1" if found else "0")
    return found


def is_dir(path: Path) -> bool:
    found = path.is_dir()
    _note("isdir", path, "1" if found else "0")
    return found


def real(path: Path) -> Path:
    """`path.resolve()`, recorded: a link re-pointed later leads elsewhere."""
    target = path.resolve()
    _note("real", path, str(target))
    return target


def names_in(directory: Path) -> list[str]:
    """The sorted names in `directory` (none when it cannot be listed), recorded."""
    names = _list(str(directory))
    _note("list", directory, "\0".join(names))
    return names


def _list(directory: str) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:
        return []


def _observe(kind: str, path: str) -> str:
    if kind == "file":
        try:
            # bounded, and never blocking on a FIFO or device, as the load's own read
            return hashlib.sha256(read_input_bytes(Path(path), path)).hexdigest()
        except InputError:
            return "unreadable"
    if kind == "isfile":
        return "1" if os.path.isfile(path) else "0"
    if kind == "isdir":
        return "1" if os.path.isdir(path) else "0"
    if kind == "real":
        return str(Path(path).resolve())
    if kind == "list":
        return "\0".join(_list(path))
    return "unknown kind"  # never equal to a recorded value: a foreign entry is stale


def unchanged(observations: list[Observation]) -> bool:
    """Whether every observation, asked again now, gets the same answer."""
    return all(_observe(kind, path) == value for kind, path, value in observations)
