"""`--since REF` for drift: the findings a manifest's gateway configs had at a git ref.

The manifest as it was at REF is placed, with the folders of the gateway
configs it then listed (their includes too) as they were at REF, in a
temporary tree marked as its repository; drift is run there and each finding
renamed to the file's name in the working tree, so that a finding the ref
already had is matched and only new drift fails.
"""

from __future__ import annotations

import dataclasses
import posixpath
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.evaluate.findings import Finding
from clearance.gateways.drift import check_drift
from clearance.loading import git as gitrepo
from clearance.loading.files import display_name

if TYPE_CHECKING:
    from clearance.bundle.load import Bundle
    from clearance.manifest.load import LoadedManifest
    from clearance.resolve.resolver import ResolvedWorkload


def drift_at(
    old: LoadedManifest,
    workloads: Sequence[ResolvedWorkload],
    bundle: Bundle,
    root: Path,
    commit: str,
) -> list[Finding]:
    """Drift findings of `old` (a manifest read as it was at `commit` in `root`).

    Raises InputError when a listed config did not exist or does not read at the ref;
    the caller then counts every finding as new.
    """
    rel = old.path.resolve().relative_to(root).as_posix()
    folder = posixpath.dirname(rel)
    with tempfile.TemporaryDirectory(prefix="clearance-since-") as tmp:
        base = Path(tmp).resolve()
        (base / ".git").mkdir()  # the tree's repository root: `..` may climb no further
        for entry in old.manifest.gateways:
            where = posixpath.normpath(posixpath.join(folder, posixpath.dirname(entry.path)))
            if where != ".." and not where.startswith("../"):  # else refused by the read
                gitrepo.export_dir(root, commit, "" if where == "." else where, base)
        placed = dataclasses.replace(old, path=base / rel)
        findings = check_drift([placed], workloads, bundle).findings
        prefix = str(base) + "/"
        out = []
        for f in findings:
            name = f.manifest
            if name.startswith(prefix):
                name = display_name(root / name[len(prefix) :])
            out.append(dataclasses.replace(f, manifest=name))
        return out
