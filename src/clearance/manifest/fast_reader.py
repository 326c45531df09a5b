"""The fast path for valid manifests: yaml-rs reads, a plain check validates, a scan finds lines.

Reading YAML is the physical limit of a check: PyYAML's C loader with our
position tracking reads about 1 MB/s here, yaml-rs (Rust) over 15 MB/s. So a
manifest is first read with yaml-rs; only when anything looks unusual (tags,
escapes, a syntax or validation error, a workload whose first key is not its
id) does clearance fall back to the positioned reader and pydantic, which alone
word errors with `file:line:column`. Anchors, aliases and merge keys are
ordinary hand-written YAML and stay on this path (`merges` resolves `<<` as the
spec has it; the alias budget below keeps a "billion laughs" off it). The data read is
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
from bisect import bisect_right
from typing import Any

from clearance.loading.tree import MAX_DEPTH, alias_budget, has_lone_carriage_return
from clearance.manifest.plain_check import Deployments, NotSure, check_header, check_workload
from clearance.manifest.records import ManifestRecord, WorkloadRecord

yaml_rs: Any
try:  # an optional accelerator: without it every manifest takes the positioned path
    import yaml_rs
except ImportError:  # pragma: no cover - exercised where yaml-rs is not installed
    yaml_rs = None

Pos = tuple[int, int]
# Characters the fast reader must not judge alone: tags (the positioned reader's
# guards refuse object tags); escapes, which can spell control characters; and every
# character the YAML spec (and the positioned reader) refuses or treats as a line
# break, since yaml-rs stops reading at a NUL byte and would otherwise never see what
# follows it.
_UNUSUAL = re.compile(
    r"[!\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
# The ASCII characters _UNUSUAL lacks, spelled out (matching all 128 cost 40 µs at every
# import): tab, LF, CR and the printable ones but `!` and `\`. A test checks every code point.
_ASCII_USUAL = b"\t\n\r" + bytes(range(0x20, 0x7F)).translate(None, b"!\\")


def has_unusual(text: str) -> bool:
    """Whether `text` holds a character of `_UNUSUAL`.

    For ASCII text (nearly every config) a byte translation deleting every usual
    character answers in about a tenth of the time the character class takes to
    scan: 25 µs against 220 µs for a 24 kB gateway config.
    """
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_USUAL))
    return _UNUSUAL.search(text) is not None


# A quoted `"<<"` is a plain key, not a merge; yaml-rs hands both over alike.
_QUOTED_MERGE_KEY = re.compile(r"[\"']<<[\"']")
# (A lone carriage return is looked for apart from _UNUSUAL, whose single character
# class scans 28 MB in 0.1 s; with that alternative in it the scan took 0.4 s.)
# One `id: value` line (a workload's first key), matched at the start of a line.
_ID_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)*)id:[ \t]*(?P<q>[\"']?)(?P<id>[a-z0-9][a-z0-9._-]*)(?P=q)"
    r"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


_WORKLOADS_KEY = re.compile(r"^workloads[ \t]*:", re.MULTILINE)

# Manifests longer than this are read a slice of workloads at a time (see _read_in_slices).
SLICE_CHARS = 1_000_000


def available() -> bool:
    return yaml_rs is not None


def read_manifest(text: str) -> tuple[ManifestRecord, list[Pos], list[int]] | None:
    """(manifest, workload positions, workload offsets), or None: take the positioned path.

    A workload's offset is where the line of its `id:` starts in `text`.
    """
    if yaml_rs is None or has_unusual(text) or has_lone_carriage_return(text):
        return None
    merge = "<<" in text
    if merge and _QUOTED_MERGE_KEY.search(text):
        return None
    ids = _id_lines(text)
    try:
        if len(text) > SLICE_CHARS:
            # never whole: yaml-rs's tree of a large document can take gigabytes, and
            # under a memory cap it aborts the process (Python cannot catch that)
            manifest = _read_in_slices(text, ids, merge)
            if manifest is None:
                return None
        else:
            manifest = _checked(_load(text, len(text)), merge)
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


def _load(text: str, own_chars: int) -> Any:
    """yaml-rs's reading of `text`, its aliases held to a budget (see `alias_budget`).

    `own_chars` is how much of `text` is new to this reading (a slice read after the
    workloads that define its anchors counts only its own characters).
    """
    limits = yaml_rs.AliasLimits(
        max_total_replayed_events=max(1, fast_alias_budget(own_chars)),
        max_replay_stack_depth=MAX_DEPTH,
    )
    return yaml_rs.loads(text, parse_datetime=True, alias_limits=limits)


def fast_alias_budget(chars: int) -> int:
    """How many alias events yaml-rs may replay for `chars` characters of text.

    The positioned reader refuses a document that expands to more than
    `alias_budget(len(text))` nodes. A document has at most 2 nodes a character
    (`[?,?]` comes closest, 1.5), and each node a replay adds is at least one event,
    so one this reader accepts expands to at most 2·chars + 2 + this many nodes:
    within the positioned reader's budget. Neither path accepts what the other refuses.
    """
    return alias_budget(chars) - 2 * chars - 2


def _checked(raw: Any, merge: bool = False) -> ManifestRecord:
    """The records of a whole document read at once, or NotSure."""
    if merge and type(raw) is dict and "<<" in raw:
        raise NotSure  # a merge into the manifest's own keys: rare, left to pydantic
    header = check_header(raw)
    header.workloads.extend(_check_items(raw["workloads"], {}, merge))
    return header


def _check_items(
    items: list[Any], deployments: Deployments, merge: bool = False
) -> list[WorkloadRecord]:
    out = []
    for i, item in enumerate(items):
        # the positions scan relies on a workload's first key (as written) being its id
        if type(item) is not dict or next(iter(item), None) != "id":
            raise NotSure
        out.append(check_workload(merges(item) if merge else item, deployments))
        items[i] = None  # the plain mapping is no longer needed
    return out


def merges(value: Any) -> Any:
    """`value` with every merge key (`<<`) resolved as the YAML spec has it.

    A mapping's own keys override merged ones; with a sequence of mappings, an
    earlier mapping's key overrides a later one's. Merged keys come first, as the
    positioned reader orders them. Anything but a mapping or list of mappings to
    merge is NotSure (the positioned reader words it).
    """
    if type(value) is list:
        return [merges(item) for item in value]
    if type(value) is not dict:
        return value
    if "<<" not in value:
        return {key: merges(item) for key, item in value.items()}
    sources = value["<<"]
    if type(sources) is not list:
        sources = [sources]
    out: dict[Any, Any] = {}
    for source in sources:
        if type(source) is not dict:
            raise NotSure
        for key, item in merges(source).items():
            out.setdefault(key, item)
    for key, item in value.items():
        if key != "<<":  # its own key wins, placed after the merged ones as the positioned
            out.pop(key, None)  # reader places it
            out[key] = merges(item)
    return out


def _read_in_slices(text: str, ids: list[IdLine], merge: bool = False) -> ManifestRecord | None:
    """Read and check a large manifest a slice of workloads at a time, or None to read it whole.

    yaml-rs holds its own tree and the Python objects of a whole document at once,
    800 MB at its peak for 100,000 workloads; read in slices of about a megabyte,
    and each slice checked into records before the next is read, only one slice's
    plain objects exist at a time. Slices start where the workload list's items
    start (`- id:` at one indentation); if the pieces do not add up exactly to
    that many workloads, the document is read whole instead. A slice is read after
    the earlier workloads that define anchors (those with a `&`), so that its
    aliases find them, and their items are then set aside.
    """
    # items of a `models:` list before the workloads have `- id:` lines too: slices
    # start after the workloads key (any doubt, and the checks below read it whole)
    key = _WORKLOADS_KEY.search(text)
    after = key.end() if key is not None else 0
    starts = [(offset, lead) for offset, lead, _, _ in ids if "-" in lead and offset > after]
    if not starts:
        return None
    lead = starts[0][1]
    bounds = [offset for offset, item_lead in starts if item_lead == lead]
    if "&" in text[: bounds[0]]:
        return None  # an anchor before the workloads: the slices would not see it
    header = _load(text[: bounds[0]], bounds[0])
    if not isinstance(header, dict) or list(header)[-1:] != ["workloads"]:
        return None
    if header["workloads"] is not None:
        return None
    workloads: list[WorkloadRecord] = []
    deployments: Deployments = {}
    trailing: dict[str, Any] = {}
    edges = [*bounds, len(text)]
    anchored = _anchoring_items(text, bounds)
    i = 0
    while i < len(bounds):
        j = i + 1
        while j < len(bounds) and edges[j] - edges[i] < SLICE_CHARS:
            j += 1
        before = [k for k in anchored if k < i]
        prefix = "".join(text[edges[k] : edges[k + 1]] for k in before)
        if len(prefix) > SLICE_CHARS:
            return None  # anchors all over: reading every slice after them costs too much
        own = text[edges[i] : edges[j]]
        piece = _load("workloads:\n" + prefix + own, len(own))
        if not isinstance(piece, dict) or not isinstance(piece.get("workloads"), list):
            return None
        items = piece.pop("workloads")[len(before) :]
        if len(items) != j - i:
            return None
        workloads.extend(_check_items(items, deployments, merge))
        if piece and j < len(bounds):  # other top-level keys can only follow the list
            return None
        trailing.update(piece)
        i = j
    if set(trailing) & set(header):
        return None
    record = check_header({**header, **trailing, "workloads": []})
    record.workloads.extend(workloads)
    return record


def _anchoring_items(text: str, bounds: list[int]) -> list[int]:
    """The workloads whose text holds a `&` (an anchor, or a `&` in some text: reading a
    workload more than needed changes nothing)."""
    out: set[int] = set()
    at = text.find("&", bounds[0])
    while at != -1:
        item = bisect_right(bounds, at) - 1
        out.add(item)
        # on to the next workload's text: one `&` is enough to read this one first
        at = text.find("&", bounds[item + 1]) if item + 1 < len(bounds) else -1
    return sorted(out)


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
