"""A snapshot of a loaded policy bundle, read back on the next check without pydantic.

Loading a bundle validates about forty files against their pydantic models and
compiles every rule. Most pre-commit checks judge with the very same files as
the last one, and importing pydantic and creating the models' classes alone
costs more than DESIGN.md allows a whole check (60 ms over the import floor).
So after a full load the bundle is pickled to the cache directory, with each
validated model replaced by a `Record` holding the same fields; the next check
with the same files unpickles it, rebuilds the rules' tests from their clauses,
and never imports pydantic.

Fresh means: every question the load asked of the disk (loading/inputs.py:
each file's bytes, whatever its name, each existence test, each directory
listing, where each link led) gets the same answer now. The questions are the
ones the load itself asked, recorded as it asked them; a snapshot must also
have asked about the bundle the command names, so an entry that asks nothing is
never fresh. Anything else (a missing, corrupt, stale or foreign file, a new
clearance version, another working directory, which changes how files are
named) is a miss: the bundle is loaded in full and the snapshot rewritten.

A snapshot is written only when the inputs held still: every answer recorded
during the load is asked again after it, and any difference (a file saved, or
replaced with `cp -p`, while the bundle loads) means no snapshot this time.

The cache directory is used only when it belongs to the user and nobody else
may write to it (loading/cache.py), so nobody else can plant a snapshot; and
the unpickler accepts only the classes a bundle is made of, so a damaged cache
file cannot make it build anything else (pickle's usual hazard).
Bundles that extend a git ref are never snapshot: the ref can move while the
working tree stays the same.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance import __version__
from clearance.loading import inputs
from clearance.resources import default_bundle
from clearance.schema.facts import SLOT
from clearance.schema.records import _record

if TYPE_CHECKING:
    from clearance.bundle.load import Bundle

# bump when what is pickled changes shape
_FORMAT = "4"  # 3: `matches` patterns are RE2; 4: freshness is the load's own observations


# (module, name) of everything a snapshot may hold besides plain data
_ALLOWED = {
    ("clearance.schema.records", "_record"),
    ("clearance.bundle.load", "Bundle"),
    ("clearance.bundle.catalogue", "Catalogue"),
    ("clearance.bundle.catalogue", "Origin"),
    ("clearance.loading.files", "Loaded"),
    ("clearance.loading.tree", "YDict"),
    ("clearance.loading.tree", "YList"),
    ("clearance.policy.rules", "Rule"),
    ("clearance.policy.rules", "Obligation"),
    ("clearance.policy.clauses", "_leaf"),
    ("clearance.policy.clauses", "_condition"),
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

        from clearance.bundle.catalogue import Origin
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
                # compiled rules read facts by slot: a fact added, even within a version,
                # moves the slots, so a snapshot is only as good as the layout it was built on
                "|".join(SLOT),
                str(policy.resolve()) if policy is not None else "(shipped)",
                os.getcwd(),  # files are named relative to it
                os.environ.get("CLEARANCE_MAX_FILE_BYTES", ""),
            ]
        ).encode()
    ).hexdigest()
    return directory / f"bundle-{key[:32]}.pickle"


def _names_the_bundle(observations: list[inputs.Observation], policy: Path | None) -> bool:
    """Whether the load read the bundle.yaml of the bundle the command names."""
    root = policy if policy is not None else default_bundle()
    wanted = os.path.abspath(root.resolve() / "bundle.yaml")
    return any(kind == "file" and path == wanted for kind, path, _ in observations)


def load(policy: Path | None) -> Bundle | None:
    """The bundle from a fresh snapshot, or None."""
    target = _path(policy)
    if target is None:
        return None
    try:
        with open(target, "rb") as f:
            observations = _Unpickler(f).load()
            if not _names_the_bundle(observations, policy):
                return None
            if not inputs.unchanged(observations):
                return None
            bundle: Bundle = _Unpickler(f).load()
    except Exception:  # a miss of any kind: missing, corrupt, foreign, truncated
        return None
    return bundle


def save(bundle: Bundle, policy: Path | None) -> None:
    """Write the snapshot of a bundle just loaded, if its inputs held still.

    Failing to write costs only the next check's speed.
    """
    if not bundle.reproducible_from_files or not bundle.inputs_stable:
        return
    target = _path(policy)
    if target is None:
        return
    observations = list(bundle.inputs)
    if not _names_the_bundle(observations, policy) or not inputs.unchanged(observations):
        return  # something changed while the bundle loaded: not this time
    buffer = io.BytesIO()
    pickle.dump(observations, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(bundle)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bundle-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(buffer.getvalue())
        os.replace(tmp, target)
    except OSError:
        return
