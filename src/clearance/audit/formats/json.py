"""`--format json`: the report of DESIGN.md with inventory, obligations, waivers and evidence.

Schema: `schemas/audit.schema.json` (`clearance schema audit`). Keys keep a
fixed order and rows are sorted, so two audits of the same trees differ only
in time, command line and history. Each row of a long list sits on one line
of its own: readable, diffable line by line, and written by the C encoder
(Python's `json` only uses it without `indent`, and an indented 10,000-workload
audit took a second longer).
"""

from __future__ import annotations

import json
from typing import Any

from clearance.audit.document import build_audit
from clearance.audit.model import AuditResult


def dumps(doc: dict[str, Any]) -> str:
    compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows = ",\n    ".join(compact(v) for v in value)
            text = f"[\n    {rows}\n  ]"
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def render(audit: AuditResult) -> dict[str, str]:
    return {"": dumps(build_audit(audit))}
