"""The audit as plain JSON data: the check report of DESIGN.md, with the audit's parts beside it.

`report.document.build` makes the report a check would write for the same
manifests, so a tool reading `clearance check --format json` reads an audit's
JSON too; inventory, obligations, waivers, evidence and changes are added as
keys of their own (schema: `schemas/audit.schema.json`).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from clearance.audit.model import AuditResult, Changes
from clearance.report import RenderOptions
from clearance.report.document import build

AUDIT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return row_dict(value)
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}


def row_dict(row: Any) -> dict[str, Any]:
    """A dataclass row as a dict; shallow and cached (dataclasses.asdict deep-copies: slow)."""
    names = _FIELDS.get(type(row))
    if names is None:
        names = _FIELDS[type(row)] = tuple(f.name for f in dataclasses.fields(row))
    return {name: _plain(getattr(row, name)) for name in names}


def changes_dict(changes: Changes | None) -> dict[str, Any] | None:
    return None if changes is None else row_dict(changes)


def build_audit(audit: AuditResult) -> dict[str, Any]:
    ev = audit.evidence
    doc = build(
        audit.check, RenderOptions(generated_at=ev.generated_at, tool_version=ev.tool_version)
    )
    doc["notes"] = [*doc["notes"], *audit.notes]
    doc["audit"] = {
        "audit_version": AUDIT_VERSION,
        "expiring_days": audit.expiring_days,
        "statuses": audit.status_counts(),
        "licence_kinds": audit.licence_kind_counts(),
        "history": audit.history,
    }
    doc["repositories"] = [row_dict(r) for r in audit.repositories]
    doc["inventory"] = [row_dict(r) for r in audit.inventory]
    doc["models"] = [row_dict(m) for m in audit.models.values()]
    doc["obligations"] = [row_dict(r) for r in audit.obligations]
    doc["waivers"] = [row_dict(w) for w in audit.waivers]
    doc["evidence"] = {
        "tool": {"name": "clearance", "version": ev.tool_version},
        "policy": {
            "name": ev.policy_name,
            "version": ev.policy_version,
            "digest": ev.policy_digest,
        },
        "generated_at": ev.generated_at,
        "today": ev.today.isoformat(),
        "command": ev.command,
        "manifests": [row_dict(m) for m in ev.manifests],
        "waiver_files": [row_dict(m) for m in ev.waiver_files],
        "repositories": [{"path": path, "commit": commit} for path, commit in ev.repositories],
    }
    doc["changes"] = changes_dict(audit.changes)
    return doc
