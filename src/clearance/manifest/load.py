"""Find and load `model-usage.yaml` manifests."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearance.errors import Problem, ProblemCollector, UsageError
from clearance.loading.files import display_name
from clearance.loading.tree import YList, decode_text, locate, read_input_bytes
from clearance.manifest import fast_reader, sliced_check
from clearance.manifest.records import ManifestRecord, from_model

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
    manifest: ManifestRecord
    raw: Any
    # set when the fast reader read it: where each workload starts (raw has no positions)
    workload_positions: list[tuple[int, int]] | None = None
    source: bytes | None = None  # kept by the fast path, to re-read with positions
    workload_offsets: list[int] | None = None  # where each workload's first line starts
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def positioned(self) -> LoadedManifest:
        """The same manifest read by the positioned reader (to word an error precisely)."""
        if self.source is None:
            return self
        if "positioned" not in self._memo:
            self._memo["positioned"] = load_manifest(self.path, self.name, self.source, fast=False)
        whole: LoadedManifest = self._memo["positioned"]
        return whole

    @property
    def fast(self) -> bool:
        return self.workload_positions is not None

    def position(self, *path: str | int) -> tuple[int, int]:
        if self.workload_positions is not None and len(path) >= 2 and path[0] == "workloads":
            i = int(path[1])
            if len(path) == 2:
                return self.workload_positions[i]
            found = self._within_workload(i, path[2:])
            return found if found is not None else self.positioned().position(*path)
        # fast-read and outside the workloads (`models:`): read with positions
        return locate(self.positioned().raw, path)

    def _within_workload(self, i: int, sub: tuple[str | int, ...]) -> tuple[int, int] | None:
        """A position inside workload `i` of a fast-read manifest, reading only its lines.

        Re-reading a 50 MB manifest with positions to place one unknown model took a
        minute; the workload's own lines, read alone, give the same line and column
        (its text starts at its first line, so columns are unchanged). None when its
        lines do not read as one list item on their own.
        """
        offsets, positions = self.workload_offsets, self.workload_positions
        if offsets is None or positions is None or self.source is None:
            return None
        tree = self._memo.get(f"workload {i}")
        if tree is None:
            from clearance.errors import InputError
            from clearance.loading.yaml_source import load_yaml_text

            if "text" not in self._memo:
                self._memo["text"] = decode_text(self.source, self.name)
            text: str = self._memo["text"]
            start = offsets[i]
            end = offsets[i + 1] if i + 1 < len(offsets) else _last_item_end(text, start)
            if end <= start:
                return None
            try:
                tree = load_yaml_text(text[start:end], self.name)
            except InputError:
                return None
            if not isinstance(tree, YList) or len(tree) != 1:
                return None
            self._memo[f"workload {i}"] = tree
        line, column = locate(tree, (0, *sub))
        return line + positions[i][0] - 1, column


def _last_item_end(text: str, start: int) -> int:
    """Where the last workload's lines end: where the list does (a top-level key or the
    end of the file may follow)."""
    dash = len(text) - start - len(text[start:].lstrip(" "))
    return sliced_check.list_end(text, start, dash)


def find_manifests(paths: Iterable[Path]) -> list[Path]:
    """Manifests named on the command line, or found under the directories given.

    Nothing is skipped in silence: a path or folder that cannot be read, and a manifest
    link leading out of its repository, end the run (exit 2) naming each. A manifest
    reached through a link inside its repository is read once, by its real path.
    """
    found: list[Path] = []
    problems: list[str] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise UsageError(f"{path}: no such file or directory") from None
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if stat.S_ISDIR(info.st_mode):
            found.extend(_walk(path, problems))
        else:  # the reader refuses, unopened, what is not a regular file
            found.append(path)
    if problems:
        raise UsageError("\n".join(problems))
    return sorted(once_each(found), key=str)


def once_each(paths: list[Path]) -> list[Path]:
    """Each file once, by its real path, in the order given; named by the file itself
    rather than by a link to it, else by the first link found."""
    reals = [os.path.realpath(path) for path in paths]
    chosen: dict[str, Path] = {}
    for path, real in zip(paths, reals, strict=True):
        if real not in chosen or (os.path.islink(chosen[real]) and not os.path.islink(path)):
            chosen[real] = path
    out = []
    for path, real in zip(paths, reals, strict=True):
        if chosen.get(real) is path:
            out.append(path)
            del chosen[real]  # a path given twice is kept once
    return out


def repository_root(directory: Path) -> Path:
    """The nearest folder at or above `directory` holding `.git`, else `directory` (resolved).

    What a link found inside it may lead to: within it, the link's target is read; out of
    it, the link is refused.
    """
    start = directory.resolve()
    for candidate in (start, *start.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return start


def linked_within(link: Path, boundary: Path) -> Path | str:
    """The real path of a link that stays inside `boundary`, or why it is refused."""
    real = Path(os.path.realpath(link))
    if not real.is_relative_to(boundary):
        return f"{link}: a link to {real}, outside the repository {boundary}: not read"
    if not os.path.lexists(real):
        return f"{link}: a link to {real}, which does not exist"
    return real


def _walk(root: Path, problems: list[str]) -> list[Path]:
    out: list[Path] = []
    boundary: Path | None = None

    def unreadable(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot read this folder: {exc.strerror or exc}")

    # os.walk does not follow symlinked directories, so link loops cannot trap it
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            if name not in MANIFEST_NAMES:
                continue
            path = Path(dirpath) / name
            if not os.path.islink(path):
                out.append(path)  # read later; an unreadable or odd file is refused then
                continue
            boundary = boundary or repository_root(root)
            target = linked_within(path, boundary)
            if isinstance(target, str):
                problems.append(target)
            else:
                out.append(path)
    return out


def check_unique_ids(manifest: ManifestRecord, raw: Any, shown: str) -> None:
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


def _unique(manifest: ManifestRecord) -> bool:
    ids = [w.id for w in manifest.workloads]
    return len(ids) == len(set(ids))


PLACEHOLDER_BYTES = b"FILL-ME"


def _refuse_placeholders(raw: Any, shown: str) -> None:
    """Every FILL-ME value (clearance.gateways.importer), each at its position, with the
    shape problems pydantic finds besides."""
    from clearance.errors import InputError
    from clearance.loading.tree import YDict
    from clearance.loading.validate import PLACEHOLDER, PLACEHOLDER_MESSAGE, validate
    from clearance.schema.manifest import Manifest

    problems = ProblemCollector()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(raw, ())]
    while stack:
        node, path = stack.pop()
        children = (
            node.items()
            if isinstance(node, YDict)
            else enumerate(node)
            if isinstance(node, YList)
            else ()
        )
        for key, value in children:
            if value == PLACEHOLDER:
                line, col = locate(raw, (*path, key))
                problems.add(Problem(shown, line, col, (*path, key), PLACEHOLDER_MESSAGE))
            elif isinstance(value, (YDict, YList)):
                stack.append((value, (*path, key)))
    if not problems:
        return
    try:
        validate(Manifest, raw, shown)
    except InputError as exc:
        problems.extend(exc.problems)
    problems.raise_if_any()


def load_manifest(
    path: Path, name: str | None = None, data: bytes | None = None, *, fast: bool = True
) -> LoadedManifest:
    """Read and validate a manifest: the fast reader first, the positioned one for errors."""
    shown = name or display_name(path)
    if data is None:
        data = read_input_bytes(path, shown)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    # a manifest `clearance import` wrote still holds FILL-ME placeholders: the positioned
    # path names every one of them (some, like a model or region, are valid strings)
    if fast and PLACEHOLDER_BYTES not in data:
        text = decode_text(data, shown)
        read = fast_reader.read_manifest(text)
        if read is not None and _unique(read[0]):
            # the plain data is not kept: positions come from re-reading, if ever needed
            manifest, positions, offsets = read
            return LoadedManifest(path, shown, digest, manifest, None, positions, data, offsets)
        if len(text) > sliced_check.SLICE_CHARS:  # a large file: its first problems, quickly
            found = sliced_check.first_problems(text, shown)
            if found is not None:
                problems = ProblemCollector()
                problems.extend(found[0])
                problems.raise_if_any(stopped_early=True)
    # pydantic words what the fast path doubted
    from clearance.loading.validate import validate
    from clearance.loading.yaml_source import parse_yaml_bytes
    from clearance.schema.manifest import Manifest

    raw = parse_yaml_bytes(data, shown)
    if PLACEHOLDER_BYTES in data:
        _refuse_placeholders(raw, shown)
    manifest = from_model(validate(Manifest, raw, shown))
    check_unique_ids(manifest, raw, shown)
    return LoadedManifest(path, shown, digest, manifest, raw)
