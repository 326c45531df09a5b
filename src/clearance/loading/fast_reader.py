"""The fast path for valid manifests: yaml-rs reads, a plain check validates, a scan finds lines.

Reading YAML is the physical limit of a check: PyYAML's C loader with our
position tracking reads about 1 MB/s here, yaml-rs (Rust) over 15 MB/s. So a
manifest is first read with yaml-rs; only when anything looks unusual (tags,
anchors or aliases, a syntax or validation error, a workload whose first key
is not its id) does clearance fall back to the positioned reader and
pydantic, which alone word errors with `file:line:column`. The data read is
checked by `manifest_check` (no pydantic) and becomes slotted records. Both
readers resolve scalars by the YAML 1.2 core schema, so the path taken never
changes the outcome.

Findings still need each workload's line: the workload's `id:` line, found
by one regular-expression scan, is where the positioned reader would put
the workload too (its first key). Any doubt (an id on no line or on two)
means the slow path.
"""

from __future__ import annotations

import re
from typing import Any

from clearance.loading.manifest_check import Deployments, NotSure, check_header, check_workload
from clearance.loading.tree import has_lone_carriage_return
from clearance.manifest_records import ManifestRecord, WorkloadRecord

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
# (A lone carriage return is looked for apart from _UNUSUAL, whose single character
# class scans 28 MB in 0.1 s; with that alternative in it the scan took 0.4 s.)
# One `id: value` line (a workload's first key), matched at the start of a line.
_ID_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)*)id:[ \t]*(?P<q>[\"']?)(?P<id>[a-z0-9][a-z0-9._-]*)(?P=q)"
    r"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


# Manifests longer than this are read a slice of workloads at a time (see _read_in_slices).
SLICE_CHARS = 1_000_000


def available() -> bool:
    return yaml_rs is not None


def read_manifest(text: str) -> tuple[ManifestRecord, list[Pos], list[int]] | None:
    """(manifest, workload positions, workload offsets), or None: take the positioned path.

    A workload's offset is where the line of its `id:` starts in `text`.
    """
    if yaml_rs is None or _UNUSUAL.search(text) or has_lone_carriage_return(text):
        return None
    ids = _id_lines(text)
    try:
        if len(text) > SLICE_CHARS:
            # never whole: yaml-rs's tree of a large document can take gigabytes, and
            # under a memory cap it aborts the process (Python cannot catch that)
            manifest = _read_in_slices(text, ids)
            if manifest is None:
                return None
        else:
            manifest = _checked(yaml_rs.loads(text, parse_datetime=True))
    except NotSure:
        return None
    except Exception:  # any complaint at all from yaml-rs: the positioned reader will word it
        return None
    found = _workload_positions(ids, manifest)
    return None if found is None else (manifest, *found)


IdLine = tuple[int, str, str, int]  # offset, leading indentation and dashes, id, line


def _id_lines(text: str) -> list[IdLine]:
    """Every `id: value` line: one literal search for `id:`, a match only where it is found.

    (A multi-line regular expression over the whole text took twice as long.)
    """
    out: list[IdLine] = []
    find, rfind, match = text.find, text.rfind, _ID_LINE.match
    line, counted = 1, 0
    at = find("id:")
    while at != -1:
        start = rfind("\n", 0, at) + 1
        m = match(text, start)
        if m is not None and m.end("lead") == at:
            line += text.count("\n", counted, start)
            counted = start
            out.append((start, m.group("lead"), m.group("id"), line))
        at = find("id:", at + 3)
    return out


def _checked(raw: Any) -> ManifestRecord:
    """The records of a whole document read at once, or NotSure."""
    header = check_header(raw)
    header.workloads.extend(_check_items(raw["workloads"], {}))
    return header


def _check_items(items: list[Any], deployments: Deployments) -> list[WorkloadRecord]:
    out = []
    for i, item in enumerate(items):
        # the positions scan relies on a workload's first key being its id
        if type(item) is not dict or next(iter(item), None) != "id":
            raise NotSure
        out.append(check_workload(item, deployments))
        items[i] = None  # the plain mapping is no longer needed
    return out


def _read_in_slices(text: str, ids: list[IdLine]) -> ManifestRecord | None:
    """Read and check a large manifest a slice of workloads at a time, or None to read it whole.

    yaml-rs holds its own tree and the Python objects of a whole document at once,
    800 MB at its peak for 100,000 workloads; read in slices of about a megabyte,
    and each slice checked into records before the next is read, only one slice's
    plain objects exist at a time. Slices start where the workload list's items
    start (`- id:` at one indentation); if the pieces do not add up exactly to
    that many workloads, the document is read whole instead.
    """
    starts = [(offset, lead) for offset, lead, _, _ in ids if "-" in lead]
    if not starts:
        return None
    lead = starts[0][1]
    bounds = [offset for offset, item_lead in starts if item_lead == lead]
    header = yaml_rs.loads(text[: bounds[0]], parse_datetime=True)
    if not isinstance(header, dict) or list(header)[-1:] != ["workloads"]:
        return None
    if header["workloads"] is not None:
        return None
    workloads: list[WorkloadRecord] = []
    deployments: Deployments = {}
    trailing: dict[str, Any] = {}
    edges = [*bounds, len(text)]
    i = 0
    while i < len(bounds):
        j = i + 1
        while j < len(bounds) and edges[j] - edges[i] < SLICE_CHARS:
            j += 1
        piece = yaml_rs.loads("workloads:\n" + text[edges[i] : edges[j]], parse_datetime=True)
        if not isinstance(piece, dict) or not isinstance(piece.get("workloads"), list):
            return None
        items = piece.pop("workloads")
        if len(items) != j - i:
            return None
        workloads.extend(_check_items(items, deployments))
        if piece and j < len(bounds):  # other top-level keys can only follow the list
            return None
        trailing.update(piece)
        i = j
    if set(trailing) & set(header):
        return None
    record = check_header({**header, **trailing, "workloads": []})
    record.workloads.extend(workloads)
    return record


def _workload_positions(
    ids: list[IdLine], manifest: ManifestRecord
) -> tuple[list[Pos], list[int]] | None:
    found: dict[str, IdLine] = {}
    for id_line in ids:
        if id_line[2] in found:
            return None  # an id twice (a duplicate, or text that looks like one)
        found[id_line[2]] = id_line
    try:
        lines = [found[w.id] for w in manifest.workloads]
    except KeyError:
        return None
    return [(line, len(lead) + 1) for _, lead, _, line in lines], [offset for offset, *_ in lines]
