"""The gateway configs a manifest lists (`gateways:`), found and read for the drift check.

Each entry names a registered format and a path relative to the manifest's
folder. The path is read only inside the manifest's repository (the nearest
folder above it holding `.git`, else the manifest's own folder): an absolute
path, a `..` that climbs out, or a link whose target lies outside is refused
with exit 2 at the entry, never read. A link that stays inside is followed,
but the file is still named as the manifest writes it, so findings cite the
file a person listed. Every entry is read on every check: a gateway file is
an input of the manifest, never of the cached bundle.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.errors import InputError, Problem, ProblemCollector, did_you_mean
from clearance.gateways import READERS, reader
from clearance.gateways.interface import GatewayDeployment
from clearance.loading.files import display_name
from clearance.manifest.load import LoadedManifest, repository_root

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue


class ListedGateway:
    """One `gateways:` entry of a manifest, read (a plain class: cheap to import)."""

    __slots__ = ("deployments", "entry", "format", "manifest", "name")

    def __init__(
        self,
        manifest: LoadedManifest,
        entry: int,
        format: str,
        name: str,
        deployments: list[GatewayDeployment],
    ) -> None:
        self.manifest = manifest
        self.entry = entry  # its place in the manifest's gateways: list
        self.format = format
        self.name = name  # the file as findings name it
        self.deployments = deployments


def read_listed(
    manifests: list[LoadedManifest], catalogue: Catalogue | None
) -> list[ListedGateway]:
    """Every gateway config the manifests list, read; every bad entry reported at once."""
    problems = ProblemCollector()
    out: list[ListedGateway] = []
    for lm in manifests:
        seen: dict[str, int] = {}  # each file once a manifest: twice would double its findings
        for i, entry in enumerate(lm.manifest.gateways):
            try:
                path = _entry_path(lm, i, entry.format, entry.path)
                real = os.path.realpath(path)
                if real in seen:
                    line, col = lm.positioned().position("gateways", i, "path")
                    message = f"{entry.path!r} is listed twice (first at gateways[{seen[real]}])"
                    raise InputError(
                        [Problem(lm.name, line, col, ("gateways", i, "path"), message)]
                    )
                seen[real] = i
                name = display_name(path)
                # the reader names what it reads by the path it is given: the shown name
                deployments = reader(entry.format).read(Path(name), catalogue)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            out.append(ListedGateway(lm, i, entry.format, name, deployments))
    problems.raise_if_any()
    return out


def _entry_path(lm: LoadedManifest, i: int, fmt: str, written: str) -> Path:
    def bad(key: str, message: str, suggestion: str | None = None) -> InputError:
        line, col = lm.positioned().position("gateways", i, key)
        return InputError([Problem(lm.name, line, col, ("gateways", i, key), message, suggestion)])

    if fmt not in READERS:
        raise bad("format", f"unknown gateway format {fmt!r}", did_you_mean(fmt, READERS))
    if "\x00" in written:  # no file name holds one, and the path functions raise on it
        raise bad("path", "a gateway path cannot hold a NUL character")
    if Path(written).is_absolute() or written.startswith("\\"):
        raise bad("path", f"{written!r} is absolute: write it relative to the manifest's folder")
    folder = lm.path.parent
    path = folder / written
    boundary = repository_root(folder)
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(boundary):
        raise bad(
            "path",
            f"{written!r} leads to {real}, outside the repository {boundary}: not read",
        )
    if not real.is_file():
        where = real.parent
        siblings = [p.name for p in where.iterdir()] if where.is_dir() else []
        missing = "is not a file" if os.path.lexists(real) else "does not exist"
        others = [name for name in siblings if name != real.name]
        hint = did_you_mean(Path(written).name, others)
        if hint is not None:
            hint = str(Path(written).with_name(hint).as_posix())
        raise bad("path", f"gateway config {written!r} {missing}", hint)
    return path
