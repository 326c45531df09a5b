"""Find and load `model-usage.yaml` manifests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.errors import InputError, Problem, ProblemCollector, UsageError
from clearance.loading.files import display_name
from clearance.loading.validate import validate
from clearance.loading.yaml_source import locate, parse_yaml_bytes
from clearance.model.manifest import Manifest

MANIFEST_NAMES = ("model-usage.yaml", "model-usage.yml")
# Directories never searched: version control, environments, dependencies.
SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
}


@dataclass(frozen=True)
class LoadedManifest:
    path: Path
    name: str  # as shown in messages and reports
    digest: str
    manifest: Manifest
    raw: Any

    def position(self, *path: str | int) -> tuple[int, int]:
        return locate(self.raw, path)


def find_manifests(paths: Iterable[Path]) -> list[Path]:
    """Manifests named on the command line, or found under the directories given."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path))
        else:
            raise UsageError(f"{path}: no such file or directory")
    return sorted(dict.fromkeys(found), key=lambda p: str(p))


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    # os.walk does not follow symlinked directories, so link loops cannot trap it
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        out.extend(Path(dirpath) / n for n in filenames if n in MANIFEST_NAMES)
    return out


def check_unique_ids(manifest: Manifest, raw: Any, shown: str) -> None:
    problems = ProblemCollector()
    seen: dict[str, int] = {}
    for i, workload in enumerate(manifest.workloads):
        if workload.id in seen:
            line, col = locate(raw, ("workloads", i, "id"))
            problems.add(
                Problem(
                    shown,
                    line,
                    col,
                    ("workloads", i, "id"),
                    f"duplicate workload id {workload.id!r} "
                    f"(first at workloads[{seen[workload.id]}])",
                )
            )
        seen.setdefault(workload.id, i)
    problems.raise_if_any()


def load_manifest(path: Path, name: str | None = None, data: bytes | None = None) -> LoadedManifest:
    shown = name or display_name(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                [Problem(shown, 1, 1, (), f"cannot read file: {exc.strerror}")]
            ) from None
    raw = parse_yaml_bytes(data, shown)
    manifest = validate(Manifest, raw, shown)
    check_unique_ids(manifest, raw, shown)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    return LoadedManifest(path, shown, digest, manifest, raw)
