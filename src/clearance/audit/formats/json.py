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
from collections.abc import Iterable, Iterator
from typing import Any

from clearance.audit.audit_data import Rows, build_audit
from clearance.audit.records import AuditResult
from clearance.safe_text import json_text


def dumps(doc: dict[str, Any]) -> str:
    return "".join(chunks(doc))


def chunks(doc: dict[str, Any]) -> Iterator[str]:
    """The document's text, a row at a time: a large audit's is hundreds of megabytes.

    Values stay exact; the C1 and bidirectional controls JSON leaves raw are escaped.
    """
    return map(json_text, _raw_chunks(doc))


def _raw_chunks(doc: dict[str, Any]) -> Iterator[str]:
    compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    yield "{\n"
    sep = ""
    for key, value in doc.items():
        yield f"{sep}  {json.dumps(key)}: "
        sep = ",\n"
        rows: Iterator[str | Iterable[str]] | None = None
        if isinstance(value, Rows):  # already encoded
            rows = iter(value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows = map(compact, value)
        first = next(rows, None) if rows is not None else None
        if rows is not None and first is not None:
            yield "[\n    "
            yield from _pieces(first)
            for row in rows:
                yield ",\n    "
                yield from _pieces(row)
            yield "\n  ]"
        else:
            shown = [] if isinstance(value, Rows) else value
            yield json.dumps(shown, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield "\n}\n"


def _pieces(row: str | Iterable[str]) -> Iterable[str]:
    """A row's text: whole, or in pieces (a CycloneDX service with 100,000 workloads in it)."""
    return (row,) if isinstance(row, str) else row


def render(audit: AuditResult) -> dict[str, str | Iterable[str]]:
    return {"": chunks(build_audit(audit))}
