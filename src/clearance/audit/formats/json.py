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
from itertools import chain, repeat
from typing import Any

from clearance.audit.document import Rows, build_audit
from clearance.audit.model import AuditResult
from clearance.safe_text import json_text


def dumps(doc: dict[str, Any]) -> str:
    compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    # the pieces of one join: a large audit's text is tens of megabytes, so it is copied once
    out, sep = ["{\n"], ""
    for key, value in doc.items():
        out.append(f"{sep}  {json.dumps(key)}: ")
        sep = ",\n"
        rows: list[str] | None = value if isinstance(value, Rows) else None  # already encoded
        if rows is None and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            rows = [compact(v) for v in value]
        if rows:
            out.append("[\n    " + rows[0])
            out.extend(chain.from_iterable(zip(repeat(",\n    "), rows[1:])))
            out.append("\n  ]")
        else:
            out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  "))
    out.append("\n}\n")
    # values stay exact; the C1 and bidirectional controls JSON leaves raw are escaped
    return json_text("".join(out))


def render(audit: AuditResult) -> dict[str, str]:
    return {"": dumps(build_audit(audit))}
