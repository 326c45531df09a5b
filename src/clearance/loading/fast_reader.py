"""The fast path for valid manifests: yaml-rs reads, pydantic validates, a scan finds lines.

Reading YAML is the physical limit of a check: PyYAML's C loader with our
position tracking reads about 1 MB/s here, yaml-rs (Rust) over 15 MB/s. So a
manifest is first read with yaml-rs; only when anything looks unusual (tags,
anchors or aliases, a syntax or validation error, a workload whose first key
is not its id) does clearance fall back to the positioned reader, which
alone words errors with `file:line:column`. Both readers resolve scalars by
the YAML 1.2 core schema, so the path taken never changes the outcome.

Findings still need each workload's line: the workload's `id:` line, found
by one regular-expression scan, is where the positioned reader would put
the workload too (its first key). Any doubt (an id on no line or on two)
means the slow path.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from clearance.model.manifest import Manifest

yaml_rs: Any
try:  # an optional accelerator: without it every manifest takes the positioned path
    import yaml_rs
except ImportError:  # pragma: no cover - exercised where yaml-rs is not installed
    yaml_rs = None

Pos = tuple[int, int]
# Characters the fast reader must not judge alone: tags, anchors, aliases and merges
# (the positioned reader's guards refuse object tags and bound alias expansion);
# escapes, which can spell control characters; and every character the YAML spec
# (and the positioned reader) refuses or treats as a line break, since yaml-rs
# stops reading at a NUL byte and would otherwise never see what follows it.
_UNUSUAL = re.compile(
    r"[!&*\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
_ID_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:-[ \t]+)*)id:[ \t]*(?P<q>[\"']?)(?P<id>[a-z0-9][a-z0-9._-]*)(?P=q)"
    r"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


def available() -> bool:
    return yaml_rs is not None


def read_manifest(text: str) -> tuple[Manifest, Any, list[Pos]] | None:
    """(manifest, plain data, workload positions), or None: take the positioned path."""
    if yaml_rs is None or _UNUSUAL.search(text):
        return None
    try:
        raw = yaml_rs.loads(text, parse_datetime=True)
    except Exception:  # any complaint at all: the positioned reader will word it
        return None
    if not isinstance(raw, dict):
        return None
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError:
        return None
    positions = _workload_positions(text, raw, manifest)
    return None if positions is None else (manifest, raw, positions)


def _workload_positions(text: str, raw: dict[str, Any], manifest: Manifest) -> list[Pos] | None:
    items = raw.get("workloads")
    if not isinstance(items, list) or any(next(iter(w), None) != "id" for w in items):
        return None
    found: dict[str, Pos] = {}
    line, last = 1, 0
    for match in _ID_LINE.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        workload_id = match.group("id")
        if workload_id in found:
            return None  # an id twice (a duplicate, or text that looks like one)
        found[workload_id] = (line, len(match.group("lead")) + 1)
    try:
        return [found[w.id] for w in manifest.workloads]
    except KeyError:
        return None
