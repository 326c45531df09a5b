"""A snapshot of a loaded policy bundle, read back on the next check without pydantic.

Loading a bundle validates about forty files against their pydantic models and
compiles every rule. Most pre-commit checks judge with the very same files as
the last one, and importing pydantic and creating the models' classes alone
costs more than DESIGN.md allows a whole check (60 ms over the import floor).
So after a full load the bundle is pickled to the cache directory, with each
validated model replaced by a `Record` holding the same fields; the next check
with the same files unpickles it, rebuilds the rules' tests from their clauses,
and never imports pydantic.

Fresh means byte for byte: the snapshot lists every directory the load read
(the bundle's layers, catalogue and licence directories) and a digest of every
YAML file in them, their names and whether each is a link, and is used only
when a digest of the same files now is equal. Anything else (a missing,
corrupt, stale or foreign file, a new clearance version, another working
directory, which changes how files are named) is a miss: the bundle is loaded
in full and the snapshot rewritten.

A snapshot is written only when no file or directory it covers changed from
a second before the load began until after it ended: a file saved while the
bundle loads must not leave a snapshot whose digest matches the new bytes but
whose rules are the old ones.

The unpickler accepts only the classes a bundle is made of, so a tampered
cache file cannot make it build anything else (pickle's usual hazard).
Bundles that extend a git ref are never snapshot: the ref can move while the
working tree stays the same.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance import __version__
from clearance.model_records import _record

if TYPE_CHECKING:
    from clearance.bundle import Bundle

# bump when what is pickled changes shape
_FORMAT = "2"
_SUFFIXES = (".yaml", ".yml")
# how long before a load began a file must have been left alone for its snapshot
# to be written (covers coarse file-system timestamps)
_SETTLED_SECONDS = 1.0


# (module, name) of everything a snapshot may hold besides plain data
_ALLOWED = {
    ("clearance.model_records", "_record"),
    ("clearance.bundle", "Bundle"),
    ("clearance.catalog", "Catalogue"),
    ("clearance.catalog", "Origin"),
    ("clearance.loading.files", "Loaded"),
    ("clearance.loading.tree", "YDict"),
    ("clearance.loading.tree", "YList"),
    ("clearance.policy.rules", "Rule"),
    ("clearance.policy.rules", "Obligation"),
    ("clearance.policy.conditions", "_leaf"),
    ("clearance.policy.conditions", "_condition"),
    ("clearance.policy.templates", "Template"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("datetime", "date"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"a policy snapshot may not hold {module}.{name}")
        return super().find_class(module, name)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        from pydantic import BaseModel

        from clearance.catalog import Origin
        from clearance.loading.files import Loaded

        # The positioned trees of the bundle's files (85% of a snapshot) only word
        # errors while the bundle loads; a snapshot is of a bundle that loaded
        # without any, and a rule keeps its own line.
        if isinstance(obj, Loaded):
            return (Loaded, (obj.value, None, obj.name, obj.path))
        if isinstance(obj, Origin):
            return (Origin, (obj.file, None, obj.path))
        if isinstance(obj, BaseModel):
            names = tuple(type(obj).model_fields)
            return (
                _record,
                (type(obj).__name__, names, tuple(getattr(obj, n) for n in names)),
            )
        return NotImplemented


def _path(policy: Path | None) -> Path | None:
    from clearance.loading.cache import cache_dir

    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(
        "\0".join(
            [
                __version__,
                _FORMAT,
                str(policy.resolve()) if policy is not None else "(shipped)",
                os.getcwd(),  # files are named relative to it
                os.environ.get("CLEARANCE_MAX_FILE_BYTES", ""),
            ]
        ).encode()
    ).hexdigest()
    return directory / f"bundle-{key[:32]}.pickle"


def fingerprint(directories: Iterable[Path]) -> tuple[str, float]:
    """A digest of the YAML files under `directories` (names, link targets, contents), and
    the latest modification time among them and their directories."""
    h = hashlib.sha256()
    newest = 0.0
    for directory in sorted(set(directories)):
        h.update(b"\1" + str(directory).encode())
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            newest = max(newest, _mtime(root))
            for name in sorted(files):
                if not name.endswith(_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                newest = max(newest, _mtime(path))
                if os.path.islink(path):
                    # never opened: it may point outside what the bundle may read (the
                    # load refuses such links); one pointing inside is read as its target
                    h.update(b"\2" + path.encode() + b"\3" + os.readlink(path).encode())
                    continue
                h.update(b"\2" + path.encode() + b"\4")
                try:
                    h.update(_bounded_read(path))
                except OSError:
                    h.update(b"\5unreadable")
    return h.hexdigest(), newest


def _bounded_read(path: str) -> bytes:
    """A regular file's bytes, up to just past the input size limit; a pipe or device
    is never read (a FIFO named waivers.yaml in a bundle hung every check here)."""
    from clearance.loading.tree import max_bytes

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"\5not a regular file"
        # as much as there is, up to just past the limit (a buffer of the limit itself
        # would be allocated whole: 1 TiB is a valid limit)
        return f.read(min(info.st_size, max_bytes()) + 1)


def _mtime(path: str) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return float("inf")  # vanished while being read: never snapshot that


def load(policy: Path | None) -> Bundle | None:
    """The bundle from a fresh snapshot, or None."""
    target = _path(policy)
    if target is None:
        return None
    try:
        with open(target, "rb") as f:
            header = _Unpickler(f).load()
            watched, digest = header
            if fingerprint(watched)[0] != digest:
                return None
            bundle: Bundle = _Unpickler(f).load()
    except Exception:  # a miss of any kind: missing, corrupt, foreign, truncated
        return None
    return bundle


def save(bundle: Bundle, policy: Path | None, started: float) -> None:
    """Write the snapshot of a bundle whose load began at `started` (time.time()).

    Failing to write costs only the next check's speed.
    """
    if not bundle.reproducible_from_files:
        return
    target = _path(policy)
    if target is None:
        return
    watched = tuple(sorted(set(bundle.watched)))
    digest, newest = fingerprint(watched)
    if newest >= started - _SETTLED_SECONDS:
        return  # something changed during the load, or just before it: not this time
    buffer = io.BytesIO()
    pickle.dump((watched, digest), buffer, protocol=pickle.HIGHEST_PROTOCOL)
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(bundle)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bundle-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(buffer.getvalue())
        os.replace(tmp, target)
    except OSError:
        return
