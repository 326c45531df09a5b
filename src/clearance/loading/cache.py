"""A parse cache for the files that rarely change: bundle, licences, catalogue.

Reading YAML is the slowest step of a pre-commit check (the shipped licences
and catalogue are a few hundred kilobytes). The positioned tree of each file
is stored as JSON keyed by the SHA-256 of clearance's version and the file's
bytes, so an unchanged file is read back in a fraction of the time with its
positions intact. JSON holds only data: nothing in the cache can run code.
A missing, unreadable or corrupt entry is simply a miss; set
CLEARANCE_NO_CACHE=1 to bypass it, CLEARANCE_CACHE_DIR to move it.

What a cache entry holds is believed (a hit skips validation, and a policy
snapshot is a whole judged bundle), so a cache directory is used only when it is
the user's own and nobody else may write to it; a shared or foreign one is
ignored, and the run is merely slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clearance import __version__
from clearance.loading.tree import YDict, YList

# bump when the encoding below changes, or what a model accepts (a hit skips validation)
_FORMAT = "3"


def cache_dir() -> Path | None:
    """The cache directory, created private when missing; None when off or not safe."""
    if os.environ.get("CLEARANCE_NO_CACHE") == "1":
        return None
    explicit = os.environ.get("CLEARANCE_CACHE_DIR")
    if explicit:
        directory = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = Path(base) / "clearance"
    return directory if _trusted(str(directory)) else None


_trusted_dirs: dict[str, bool] = {}


def _trusted(directory: str) -> bool:
    """Whether `directory` is owned by this user and writable by nobody else.

    Remembered for the process: a check asks for the directory once a file.
    """
    known = _trusted_dirs.get(directory)
    if known is None:
        known = _trusted_dirs[directory] = _is_private(directory)
    return known


def _is_private(directory: str) -> bool:
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.stat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def key_for(data: bytes) -> str:
    h = hashlib.sha256(f"{__version__}\0{_FORMAT}\0".encode())
    h.update(data)
    return h.hexdigest()


def get(key: str) -> Any:
    """The cached tree for `key`, or None on any kind of miss."""
    return get_entry(key)[0]


def get_entry(key: str) -> tuple[Any, frozenset[str]]:
    """The cached tree and the models it has passed, or (None, {}) on any kind of miss."""
    directory = cache_dir()
    if directory is None:
        return None, frozenset()
    try:
        entry = json.loads((directory / f"{key}.json").read_text(encoding="utf-8"))
        return _decode(entry["tree"]), frozenset(entry.get("validated", ()))
    except (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None, frozenset()


def put(key: str, tree: Any, validated: frozenset[str] = frozenset()) -> None:
    """Store a parsed tree, and the names of the models it has passed validation for."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    except OSError:
        return  # a cache that cannot be written is only a slower run
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            entry = {"tree": _encode(tree), "validated": sorted(validated)}
            json.dump(entry, handle, separators=(",", ":"))
        os.replace(tmp, directory / f"{key}.json")
    except (OSError, TypeError, ValueError, RecursionError):
        Path(tmp).unlink(missing_ok=True)


def _encode(node: Any) -> Any:
    if isinstance(node, YDict):
        return {
            "m": [
                [_encode(k), _encode(v), *node.key_pos[k], *node.value_pos[k]]
                for k, v in node.items()
            ],
            "p": list(node.pos),
        }
    if isinstance(node, YList):
        return {
            "l": [_encode(v) for v in node],
            "i": [list(p) for p in node.item_pos],
            "p": list(node.pos),
        }
    if isinstance(node, datetime):
        return {"t": node.isoformat()}
    if isinstance(node, date):
        return {"d": node.isoformat()}
    if isinstance(node, (str, int, float, bool)) or node is None:
        return node
    raise TypeError(f"cannot cache {type(node).__name__}")


def _decode(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if "m" in node:
        out = YDict((node["p"][0], node["p"][1]))
        for k, v, kl, kc, vl, vc in node["m"]:
            key = _decode(k)
            out[key] = _decode(v)
            out.key_pos[key] = (kl, kc)
            out.value_pos[key] = (vl, vc)
        return out
    if "l" in node:
        seq = YList((node["p"][0], node["p"][1]))
        seq.extend(_decode(v) for v in node["l"])
        seq.item_pos = [(p[0], p[1]) for p in node["i"]]
        return seq
    if "t" in node:
        return datetime.fromisoformat(node["t"])
    return date.fromisoformat(node["d"])
