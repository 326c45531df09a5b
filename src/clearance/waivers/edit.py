"""`clearance waive`: append a waiver to waivers.yaml, keeping the file as its authors wrote it.

The edit is a ruamel.yaml round trip with the file's own indentation guessed,
so comments, key order and quoting survive and only the new entry is added.
A waiver the bundle would reject is refused before anything is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from clearance.bundle.load import Bundle
from clearance.errors import UsageError, suggestion_suffix
from clearance.evaluate.gateway_rules import DRIFT_RULES
from clearance.loading.files import WAIVER_FILE_NAMES, load_kind
from clearance.manifest.load import LoadedManifest
from clearance.schema.waivers import WaiverEntry
from clearance.waivers.apply import violations
from clearance.waivers.load import GatewaySubjects, LoadedWaiver


@dataclass(frozen=True)
class WaiverRequest:
    rule: str
    workload: str
    reason: str
    approved_by: str
    ticket: str | None
    expires: date


def target_manifest(
    manifests: list[LoadedManifest],
    workload: str,
    manifest: Path | None,
    gateways: GatewaySubjects | None = None,
) -> LoadedManifest:
    """The one manifest holding `workload` (or the one named); a deployment of a gateway
    config it lists (`gateways`, the drift check's subjects) counts as its own."""

    def ids(m: LoadedManifest) -> set[str]:
        listed = (gateways or {}).get(m.name, {})
        return {w.id for w in m.manifest.workloads}.union(*listed.values())

    holding = [m for m in manifests if workload in ids(m)]
    if manifest is not None:
        holding = [m for m in holding if m.path.resolve() == manifest.resolve()]
    if not holding:
        known = [i for m in manifests for i in sorted(ids(m))]
        raise UsageError(
            f"no workload {workload!r} in the manifests found" + suggestion_suffix(workload, known)
        )
    if len(holding) > 1:
        names = ", ".join(m.name for m in holding)
        raise UsageError(
            f"workload {workload!r} is in several manifests ({names}); choose one with --manifest"
        )
    return holding[0]


def refuse_if_invalid(request: WaiverRequest, bundle: Bundle, today: date, file: str) -> None:
    """Stop with every reason the bundle would reject this waiver."""
    rule = bundle.rule(request.rule)
    if rule is None and request.rule not in DRIFT_RULES:
        raise UsageError(
            f"unknown rule {request.rule!r}"
            + suggestion_suffix(request.rule, [*(r.id for r in bundle.all_rules()), *DRIFT_RULES])
        )
    entry = WaiverEntry(
        rule=request.rule,
        workload=request.workload,
        reason=request.reason,
        approved_by=request.approved_by,
        ticket=request.ticket,
        expires=request.expires,
    )
    problems = [
        message for _, message in violations(LoadedWaiver(entry, file, 0, 0, None), bundle, today)
    ]
    if problems:
        raise UsageError("the bundle would reject this waiver: " + "; ".join(problems))


def waiver_file_for(manifest: LoadedManifest) -> Path:
    directory = manifest.path.resolve().parent
    for name in WAIVER_FILE_NAMES:
        if (directory / name).is_file():
            return directory / name
    return directory / WAIVER_FILE_NAMES[0]


def append_waiver(path: Path, request: WaiverRequest) -> str:
    """The new text of `path` with the waiver appended (the file itself is not written)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    if path.exists():
        # the existing file must pass clearance's own reader first: a syntax error, a
        # duplicate key, a tag or an alias bomb is reported, never rewritten
        load_kind("waivers", path)
    original = path.read_text(encoding="utf-8") if path.is_file() else ""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the authors' long lines
    indent, block_seq_indent = 4, 2
    data = None
    if original.strip():
        _, guessed, guessed_offset = load_yaml_guess_indent(original)
        indent, block_seq_indent = guessed or indent, guessed_offset or 0
        data = yaml.load(original)
    if data is None:
        data = CommentedMap()
        if original.strip():  # only comments: keep them above the new list
            data.yaml_set_start_comment(original.rstrip("\n").lstrip("# "))
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a mapping with a 'waivers' list")
    waivers = data.get("waivers")
    if waivers is None:
        waivers = data["waivers"] = CommentedSeq()
    if not isinstance(waivers, list):
        raise UsageError(f"{path}: 'waivers' is not a list")
    entry = CommentedMap()
    for key in ("rule", "workload", "reason", "approved_by", "ticket", "expires"):
        value: Any = getattr(request, key)
        if value is not None:
            entry[key] = value
    waivers.append(entry)
    # guessed: where list items' content starts, and where their dash sits
    yaml.indent(mapping=max(2, indent - block_seq_indent), sequence=indent, offset=block_seq_indent)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
