"""`--format csv`: inventory, findings, obligations, waivers and repositories as CSV files.

Spreadsheets first: UTF-8 with a byte-order mark, because Excel reads a CSV
without one in the machine's legacy code page and garbles every non-ASCII
name (LibreOffice, Google Sheets and pandas with `utf-8-sig` all accept the
mark); CRLF line ends and minimal quoting as RFC 4180 has them; one header
row; columns in a fixed order that only ever grows at the end. Lists share a
cell, separated by "; ". A text cell that starts with = + - @ or a tab gets a
leading apostrophe: manifests are hostile input, and a spreadsheet would run
such a cell as a formula (CSV injection). Numbers are never touched.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from clearance.audit.model import AuditResult, InventoryRow
from clearance.findings import Finding

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

INVENTORY = (
    "repository", "manifest", "line", "workload", "owner", "data_classes", "purpose",
    "audience", "commercial", "model", "model_family", "licences", "licence_kinds",
    "weights", "mode", "provider", "region", "country", "agreements", "status", "errors",
    "warnings", "waived",
)  # fmt: skip
FINDINGS = (
    "repository", "manifest", "line", "column", "workload", "rule", "severity", "status",
    "licence", "via", "title", "message", "remediation", "references", "explanation",
    "waiver_approved_by", "waiver_ticket", "waiver_expires",
)  # fmt: skip
OBLIGATIONS = (
    "repository", "manifest", "workload", "licence", "licence_name", "via", "obligation",
    "title", "text", "source_url",
)  # fmt: skip
WAIVERS = (
    "repository", "file", "line", "rule", "workload", "approved_by", "ticket", "expires",
    "days_left", "state", "expiring", "reason", "problems",
)  # fmt: skip
REPOSITORIES = ("path", "git", "commit", "branch", "dirty", "manifests", "waiver_files")


def _cell(value: object) -> object:
    kind = type(value)  # exact type checks first: this runs for every cell of every row
    if kind is int:
        return value
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return ""
    if kind is tuple or kind is list:
        value = "; ".join(str(v) for v in value)  # type: ignore[attr-defined]
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return BOM + out.getvalue()


def _inventory(r: InventoryRow) -> list[object]:
    licences = [f"{lic.id} (via {lic.via})" for lic in r.licences]
    kinds = sorted({lic.kind for lic in r.licences})
    return [
        r.repository, r.manifest, r.line, r.workload, r.owner, r.data, r.purpose, r.audience,
        r.commercial, r.model, r.model_family, licences, kinds, r.weights, r.mode, r.provider,
        r.region, r.country, r.agreements, r.status, r.errors, r.warnings, r.waived,
    ]  # fmt: skip


def _finding(f: Finding, repository: str | None) -> list[object]:
    why = [
        f"{e.clause}: {e.fact} is {json.dumps(e.actual, ensure_ascii=False, default=str)} "
        f"(expected {e.expected})"
        for e in f.explanation
    ]
    w = f.waiver
    return [
        repository, f.manifest, f.line, f.column, f.workload, f.rule, f.severity,
        "waived" if w else "open", f.licence, f.via, f.title, f.message, f.remediation,
        f.references, why, w and w.approved_by, w and w.ticket, w and w.expires.isoformat(),
    ]  # fmt: skip


def render(audit: AuditResult) -> dict[str, str]:
    repo_of = {m: r.path for r in audit.repositories for m in (*r.manifests, *r.waiver_files)}
    return {
        "inventory.csv": table(INVENTORY, map(_inventory, audit.inventory)),
        "findings.csv": table(
            FINDINGS, (_finding(f, repo_of.get(f.manifest)) for f in audit.check.findings)
        ),
        "obligations.csv": table(OBLIGATIONS, _fields(OBLIGATIONS, audit.obligations)),
        "waivers.csv": table(WAIVERS, _fields(WAIVERS, audit.waivers)),
        "repositories.csv": table(REPOSITORIES, _fields(REPOSITORIES, audit.repositories)),
    }


def _fields(columns: Sequence[str], rows: Iterable[object]) -> Iterable[list[object]]:
    return ([getattr(row, c) for c in columns] for row in rows)
