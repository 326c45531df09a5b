"""`--format csv`: inventory, findings, obligations, agreements, waivers, repositories as CSV.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter

from clearance.audit.records import AgreementRow, AuditResult, InventoryRow
from clearance.evaluate.findings import Finding
from clearance.report.report_data import explanation_sentence
from clearance.safe_text import neutralise

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

INVENTORY = (
    "repository", "manifest", "line", "workload", "owner", "data_classes", "purpose",
    "audience", "commercial", "model", "model_family", "licences", "licence_kinds",
    "weights", "mode", "provider", "region", "country", "agreements", "status", "errors",
    "warnings", "waived", "bundle",
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
AGREEMENTS = (
    "repository", "manifest", "workload", "provider", "provider_name", "kind", "status",
    "reference", "signed", "expires", "source_url",
)  # fmt: skip
WAIVERS = (
    "repository", "file", "line", "rule", "workload", "approved_by", "ticket", "expires",
    "days_left", "state", "expiring", "reason", "problems",
)  # fmt: skip
# a repository that could not be judged has status "error" and its problems in the last cell
REPOSITORIES = (
    "path", "git", "commit", "branch", "dirty", "manifests", "waiver_files", "bundle", "status",
    "problems",
)  # fmt: skip


def _cell(value: object) -> object:
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return ""
    if kind is tuple or kind is list:
        value = "; ".join(str(v) for v in value)  # type: ignore[attr-defined]
    if isinstance(value, str):
        value = neutralise(value)  # a file people `cat` and spreadsheets show: see safe_text
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Cells(dict[object, str]):
    """A value -> its text in the file: guarded, then quoted as `csv.writer` quotes it.

    A large audit repeats the same cells (names, licences, obligation texts)
    tens of thousands of times, so each distinct value is worked out once.
    Text that no CSV writer quotes is taken as is; anything else is written
    by `csv.writer` itself, so quoting stays the standard library's.
    """

    def __init__(self) -> None:
        super().__init__()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    # cleared when full: the distinct cells of a large audit (each finding's message)
    # would otherwise grow with the files being written
    LIMIT = 100_000

    def __missing__(self, value: object) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        cell = _cell(value)
        if type(cell) is str and _plain_text(cell):
            text = cell
        else:
            self._buffer.seek(0)
            self._buffer.truncate()
            self._writer.writerow((cell, ""))
            text = self._buffer.getvalue()[: -len(",\r\n")]
        self[value] = text
        return text


def _plain_text(text: str) -> bool:
    return (
        text.isprintable()
        and "," not in text
        and '"' not in text
        and text[:1] not in ("", " ")
        and text[-1] != " "
    )


def table(columns: Sequence[str], rows: Iterable[Sequence[object]], cells: _Cells) -> Iterator[str]:
    """RFC 4180 text with a BOM: what `csv.writer(lineterminator="\\r\\n")` writes, faster,
    a line at a time (a large audit's files are never held whole)."""
    yield BOM + ",".join([cells[c] for c in columns]) + "\r\n"
    # numbers go round the memo: True == 1, so a bool and an int would share an entry
    for row in rows:
        yield ",".join([str(v) if type(v) is int else cells[v] for v in row]) + "\r\n"


def _inventory(r: InventoryRow) -> list[object]:
    licences = tuple(f"{lic.id} (via {lic.via})" for lic in r.licences)
    kinds = tuple(sorted({lic.kind for lic in r.licences}))
    return [
        r.repository, r.manifest, r.line, r.workload, r.owner, r.data, r.purpose, r.audience,
        r.commercial, r.model, r.model_family, licences, kinds, r.weights, r.mode, r.provider,
        r.region, r.country, r.agreements, r.status, r.errors, r.warnings, r.waived, r.bundle,
    ]  # fmt: skip


def _agreement(r: AgreementRow) -> list[object]:
    return [
        r.repository, r.manifest, r.workload, r.provider, r.provider_name, r.kind, r.status,
        r.reference, r.signed and r.signed.isoformat(), r.expires and r.expires.isoformat(),
        r.source_url,
    ]  # fmt: skip


def _finding(f: Finding, repository: str | None) -> list[object]:
    why = tuple(explanation_sentence(e.clause, e.fact, e.expected, e.actual) for e in f.explanation)
    w = f.waiver
    return [
        repository, f.manifest, f.line, f.column, f.workload, f.rule, f.severity,
        "waived" if w else "open", f.licence, f.via, f.title, f.message, f.remediation,
        f.references, why, w and w.approved_by, w and w.ticket, w and w.expires.isoformat(),
    ]  # fmt: skip


def render(audit: AuditResult) -> dict[str, str | Iterable[str]]:
    repo_of = {m: r.path for r in audit.repositories for m in (*r.manifests, *r.waiver_files)}
    cells = _Cells()
    return {
        "inventory.csv": table(INVENTORY, map(_inventory, audit.inventory), cells),
        "findings.csv": table(
            FINDINGS, (_finding(f, repo_of.get(f.manifest)) for f in audit.check.findings), cells
        ),
        "obligations.csv": table(OBLIGATIONS, _fields(OBLIGATIONS, audit.obligations), cells),
        "agreements.csv": table(AGREEMENTS, map(_agreement, audit.agreements), cells),
        "waivers.csv": table(WAIVERS, _fields(WAIVERS, audit.waivers), cells),
        "repositories.csv": table(REPOSITORIES, _fields(REPOSITORIES, audit.repositories), cells),
    }


def _fields(columns: Sequence[str], rows: Iterable[object]) -> Iterable[Sequence[object]]:
    values: Callable[[object], Sequence[object]] = attrgetter(*columns)
    return map(values, rows)
