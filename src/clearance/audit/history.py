"""`--history FILE`: every audit kept in SQLite, and what changed since the previous one.

SQLite because it is embedded (the standard library's `sqlite3`, no server),
one file a compliance team can archive, and transactional: an audit is
recorded whole or not at all. Findings match across audits by the baseline's
fingerprint (rule, manifest, workload, licence), never by line, so moving a
workload in its file is no change. Comparing only reads; the CLI records the
audit after its reports are written, so a failed run leaves no trace.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clearance.audit.records import AuditResult, Changes, FindingKey, WaiverKey
from clearance.errors import UsageError
from clearance.pipeline.baseline import fingerprint

FORMAT = "1"  # bump with a migration when the tables below change
TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audits (
  id INTEGER PRIMARY KEY, generated_at TEXT NOT NULL, today TEXT NOT NULL,
  tool_version TEXT NOT NULL, policy_name TEXT NOT NULL, policy_version TEXT NOT NULL,
  policy_digest TEXT NOT NULL, command TEXT NOT NULL, workloads INTEGER NOT NULL,
  errors INTEGER NOT NULL, warnings INTEGER NOT NULL, waived INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS repositories (
  audit_id INTEGER NOT NULL REFERENCES audits(id), path TEXT NOT NULL, git_commit TEXT,
  branch TEXT, dirty INTEGER);
CREATE TABLE IF NOT EXISTS manifests (
  audit_id INTEGER NOT NULL REFERENCES audits(id), path TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
  audit_id INTEGER NOT NULL REFERENCES audits(id), rule TEXT NOT NULL, manifest TEXT NOT NULL,
  workload TEXT NOT NULL, licence TEXT NOT NULL, severity TEXT NOT NULL, waived INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS usages (
  audit_id INTEGER NOT NULL REFERENCES audits(id), manifest TEXT NOT NULL,
  workload TEXT NOT NULL, model TEXT NOT NULL, licence TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS waivers (
  audit_id INTEGER NOT NULL REFERENCES audits(id), file TEXT NOT NULL, rule TEXT NOT NULL,
  workload TEXT NOT NULL, approved_by TEXT NOT NULL, ticket TEXT, expires TEXT NOT NULL,
  state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_by_audit ON findings (audit_id);
CREATE INDEX IF NOT EXISTS usages_by_audit ON usages (audit_id);
CREATE INDEX IF NOT EXISTS waivers_by_audit ON waivers (audit_id);
"""


# how long an audit waits for another's transaction on the same file; writes take
# milliseconds, so only a stuck writer (or a file that is no database) waits this out
_BUSY_SECONDS = 60.0
# Creating the tables and the format row is one write transaction, taken before
# anything is read: eight audits starting on a new file used to each find no
# format row and each insert one (UNIQUE constraint failed: meta.key).
_INIT = f"""BEGIN IMMEDIATE;
{TABLES}
INSERT OR IGNORE INTO meta VALUES ('format', '{FORMAT}');
COMMIT;"""


def _connect(path: Path) -> sqlite3.Connection:
    """An open history in autocommit mode: callers begin their own transactions."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None)
    except (sqlite3.Error, OSError) as exc:
        raise UsageError(f"{path}: not a usable clearance history file ({exc})") from None
    try:
        conn.executescript(_INIT)
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise UsageError(f"{path}: not a usable clearance history file ({exc})") from None
    if row is None or row[0] != FORMAT:
        conn.close()
        found = "no format" if row is None else f"history format {row[0]}"
        raise UsageError(f"{path}: {found}, this clearance reads {FORMAT}")
    return conn


class _BadRow(Exception):
    """A row of the history holds what clearance never writes (edited, or another tool's)."""


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _BadRow(f"{what} is {value!r}, not text")
    return value


def _day(value: object, what: str) -> date:
    try:
        return date.fromisoformat(_text(value, what))
    except ValueError:
        raise _BadRow(f"{what} is {value!r}, not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class _Previous:
    """The last audit recorded, every value checked as it was read."""

    audit_id: int
    generated_at: str
    today: date
    findings: set[FindingKey]
    models: set[str]
    licences: set[str]
    waivers: list[WaiverKey]


def _read_previous(conn: sqlite3.Connection) -> _Previous | None:
    last = conn.execute("SELECT id, generated_at, today FROM audits ORDER BY id DESC").fetchone()
    if last is None:
        return None
    audit_id, generated_at, prev_today = last
    if not isinstance(audit_id, int):
        raise _BadRow(f"audit id {audit_id!r} is not a number")
    at = f"audit {audit_id}"
    findings = {
        FindingKey(
            *(_text(v, f"{at}: a finding's {k}") for k, v in zip(_FINDING, row, strict=True))
        )
        for row in conn.execute(
            "SELECT rule, manifest, workload, licence, severity FROM findings WHERE audit_id = ?",
            (audit_id,),
        )
    }
    models, licences = set(), set()
    for model, licence in conn.execute(
        "SELECT model, licence FROM usages WHERE audit_id = ?", (audit_id,)
    ):
        models.add(_text(model, f"{at}: a usage's model"))
        licences.add(_text(licence, f"{at}: a usage's licence"))
    waivers = [
        WaiverKey(
            _text(rule, f"{at}: a waiver's rule"),
            _text(workload, f"{at}: a waiver's workload"),
            _text(file, f"{at}: a waiver's file"),
            _day(expires, f"{at}: a waiver's expiry"),
        )
        for rule, workload, file, expires in conn.execute(
            "SELECT DISTINCT rule, workload, file, expires FROM waivers WHERE audit_id = ?",
            (audit_id,),
        )
    ]
    return _Previous(
        audit_id,
        _text(generated_at, f"{at}: generated_at"),
        _day(prev_today, f"{at}: today"),
        findings,
        models,
        licences,
        waivers,
    )


_FINDING = ("rule", "manifest", "workload", "licence", "severity")


def compare(path: Path, audit: AuditResult) -> Changes | None:
    """What changed since the last audit in `path`; None when there is none yet.

    A file of another schema, or with rows clearance never writes, is refused (exit 2)
    naming what is wrong: the comparison is evidence, and a guess would not be.
    """
    if not path.exists():
        return None
    try:
        with closing(_connect(path)) as conn:
            conn.execute("BEGIN")  # one consistent view, whatever other audits commit meanwhile
            prev = _read_previous(conn)
            conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise UsageError(f"{path}: not a usable clearance history file ({exc})") from None
    except _BadRow as exc:
        raise UsageError(f"{path}: not a usable clearance history file ({exc})") from None
    if prev is None:
        return None
    now = {FindingKey(*fingerprint(f), severity=f.severity) for f in audit.check.findings}
    old_prints, new_prints = _by_fingerprint(prev.findings), _by_fingerprint(now)
    # a repository that could not be judged this time resolved nothing: its findings are unknown
    unjudged = {f for r in audit.repositories if r.status == "error"
                for f in (*r.manifests, *r.waiver_files)}  # fmt: skip
    gone = [old_prints[k] for k in sorted(old_prints.keys() - new_prints.keys())]
    today = audit.evidence.today
    return Changes(
        previous_at=prev.generated_at,
        previous_id=prev.audit_id,
        new_findings=tuple(new_prints[k] for k in sorted(new_prints.keys() - old_prints.keys())),
        resolved_findings=tuple(k for k in gone if k.manifest not in unjudged),
        new_models=tuple(sorted({r.model for r in audit.inventory} - prev.models)),
        new_licences=tuple(
            sorted({lic.id for r in audit.inventory for lic in r.licences} - prev.licences)
        ),
        # valid on the day of the previous audit, past their date on this one's
        expired_waivers=tuple(
            sorted(
                (w for w in prev.waivers if prev.today <= w.expires < today),
                key=lambda w: (w.file, w.rule, w.workload, w.expires),
            )
        ),
    )


def _by_fingerprint(keys: set[FindingKey]) -> dict[tuple[str, str, str, str], FindingKey]:
    return {(k.rule, k.manifest, k.workload, k.licence): k for k in keys}


def record(path: Path, audit: AuditResult) -> int:
    """Append this audit to the history in one transaction; its id."""
    try:
        return _record(path, audit)
    except sqlite3.Error as exc:  # a file of another schema that happened to open
        raise UsageError(f"{path}: not a usable clearance history file ({exc})") from None


def _record(path: Path, audit: AuditResult) -> int:
    ev, check = audit.evidence, audit.check
    live = [f for f in check.findings if f.waiver is None]
    with closing(_connect(path)) as conn, conn:
        # the write lock first: another audit's commit waits, never fails ours
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.execute(
            "INSERT INTO audits (generated_at, today, tool_version, policy_name, policy_version, "
            "policy_digest, command, workloads, errors, warnings, waived) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ev.generated_at,
                ev.today.isoformat(),
                ev.tool_version,
                ev.policy_name,
                ev.policy_version,
                ev.policy_digest,
                ev.command,
                check.workload_count,
                sum(f.severity == "error" for f in live),
                sum(f.severity == "warning" for f in live),
                len(check.findings) - len(live),
            ),
        )
        audit_id = cursor.lastrowid
        assert audit_id is not None
        conn.executemany(
            "INSERT INTO repositories VALUES (?, ?, ?, ?, ?)",
            [(audit_id, r.path, r.commit, r.branch, r.dirty) for r in audit.repositories],
        )
        conn.executemany(
            "INSERT INTO manifests VALUES (?, ?, ?)",
            [(audit_id, m.path, m.digest) for m in ev.manifests],
        )
        conn.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(audit_id, *fingerprint(f), f.severity, f.waiver is not None) for f in check.findings],
        )
        conn.executemany(
            "INSERT INTO usages VALUES (?, ?, ?, ?, ?, ?)",
            [
                (audit_id, r.manifest, r.workload, r.model, lic.id, r.status)
                for r in audit.inventory
                for lic in r.licences
            ],
        )
        conn.executemany(
            "INSERT INTO waivers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    audit_id,
                    w.file,
                    w.rule,
                    w.workload,
                    w.approved_by,
                    w.ticket,
                    w.expires.isoformat(),
                    w.state,
                )
                for w in audit.waivers
            ],
        )
    return audit_id
