"""The HTML report's tables: inventory, findings, obligations, waivers, repositories, evidence.

Each section is one sortable, filterable table built by `html_parts.table`;
every value goes through `esc` or a `Cell`, which escape it.
"""

from __future__ import annotations

import json

from clearance.audit.formats.html_parts import Cell, Markup, esc, join, link, table
from clearance.audit.model import AuditResult, ObligationRow
from clearance.findings import Finding

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INLINE_WORKLOADS = 25  # more than this many workloads under one duty fold into a <details>
REPO_COLUMNS = ["Path", "Git", "Commit", "Branch", "Uncommitted changes", "Manifests"]


_json = json.JSONEncoder(ensure_ascii=False, default=str).encode  # json.dumps builds one a call


def _in_repo(path: str, repository: str) -> str:
    """A file's path inside its repository: the repository has a column of its own."""
    return path.removeprefix(repository.rstrip("/") + "/")


def inventory(audit: AuditResult) -> Markup:
    # names repeat across thousands of rows: escaped once each (a line number needs no escaping)
    rows = [
        [
            r.repository,
            Cell(
                Markup(f"{esc(_in_repo(r.manifest, r.repository))}:{r.line}"),
                sort=Markup(f"{esc(r.manifest)}:{r.line:09d}"),
                cls="mono",
            ),
            Cell(
                Markup(
                    f'<span class="mono">{esc(r.workload)}</span>'
                    + (f'<div class="muted">{esc(r.description)}</div>' if r.description else "")
                ),
                sort=r.workload,
            ),
            r.owner,
            join(r.data),
            r.purpose,
            r.audience,
            Cell(r.model, cls="mono"),
            r.model_family,
            Markup(
                "<br>".join(
                    f'{esc(u.id)} <span class="muted">via {esc(u.via)}</span>' for u in r.licences
                )
            ),
            r.weights,
            r.provider_name,
            r.region,
            r.country,
            join(r.agreements),
            Cell(r.status, cls=f"status status-{r.status}"),
        ]
        for r in audit.inventory
    ]
    columns = ["Repository", "Manifest", "Workload", "Owner", "Data", "Purpose", "Audience",
               "Model", "Family", "Licences", "Weights", "Provider", "Region", "Country",
               "Agreements", "Status"]  # fmt: skip
    return Markup(
        f'<section id="inventory-section"><h2>Inventory</h2>'
        f"{table('inventory', 'Workloads', columns, rows)}</section>"
    )


def _explained(f: Finding) -> Markup:
    why = "".join(
        f"<li>{esc('applies' if e.clause == 'when' else 'fails')}: <code>{esc(e.fact)}</code> is "
        f"<code>{esc(_json(e.actual))}</code> (expected {esc(e.expected)})</li>"
        for e in f.explanation
    )
    fix = f'<div class="fix"><b>Fix:</b> {esc(f.remediation)}</div>' if f.remediation else ""
    refs = f'<div class="muted">See: {join(f.references, "; ")}</div>' if f.references else ""
    waiver = ""
    if f.waiver is not None:
        w = f.waiver
        waiver = (f'<div class="status-waived">Waived by {esc(w.approved_by)} '
                  f"({esc(w.ticket or 'no ticket')}) until {esc(w.expires.isoformat())}: "
                  f"{esc(w.reason)}</div>")  # fmt: skip
    return Markup(f'{esc(f.message)}<ul class="why">{why}</ul>{fix}{refs}{waiver}')


def findings(audit: AuditResult) -> Markup:
    repo_of = {m: r.path for r in audit.repositories for m in (*r.manifests, *r.waiver_files)}
    rows = [
        [
            Cell(f.severity, sort=SEVERITY_ORDER.get(f.severity, 9), cls=f"sev sev-{f.severity}"),
            "waived" if f.waiver else "open",
            Cell(f.rule, cls="mono"),
            repo_of.get(f.manifest, ""),
            Cell(
                Markup(f"{esc(f.manifest)}:{f.line}"),
                sort=Markup(f"{esc(f.manifest)}:{f.line:09d}"),
                cls="mono",
            ),
            Cell(f.workload, cls="mono"),
            Markup(f'{esc(f.licence)}<br><span class="muted">via {esc(f.via)}</span>')
            if f.licence
            else "",
            _explained(f),
        ]
        for f in audit.check.findings
    ]
    columns = ["Severity", "Status", "Rule", "Repository", "Manifest", "Workload", "Licence",
               "Finding and explanation"]  # fmt: skip
    return Markup(f'<section id="findings-section"><h2>Findings</h2>'
                  f"{table('findings', 'Findings', columns, rows)}</section>")  # fmt: skip


def _workload_list(rows: list[ObligationRow]) -> Markup:
    items = "".join(
        f'<li><span class="mono">{esc(o.workload)}</span> '
        f'<span class="muted">{esc(o.repository)} via {esc(o.via)}</span></li>'
        for o in rows
    )
    if len(rows) <= INLINE_WORKLOADS:
        return Markup(f'<ul class="why">{items}</ul>')
    # closed, the list costs the browser nothing to lay out; the CSV has every row
    return Markup(f"<details><summary>{len(rows)} workloads</summary><ul>{items}</ul></details>")


def obligations(audit: AuditResult) -> Markup:
    """One row per licence duty, with the workloads that carry it (the CSV has one per workload).

    A row per workload repeats each duty's text thousands of times in a large
    audit: unreadable, and a page the browser takes a minute to lay out.
    """
    groups: dict[tuple[str, str], list[ObligationRow]] = {}
    for o in audit.obligations:
        groups.setdefault((o.licence, o.obligation), []).append(o)
    rows = [
        [g[0].licence_name, Markup(f"<b>{esc(g[0].title)}</b>"), g[0].text,
         link(g[0].source_url, "source"), Cell(_workload_list(g), sort=len(g))]
        for g in groups.values()
    ]  # fmt: skip
    columns = ["Licence", "Obligation", "What to do", "Source", "Workloads"]
    return Markup(
        '<section id="obligations-section"><h2>Obligations</h2><p class="muted">Duties that follow '
        f"from the licences even where no rule is broken: {len(audit.obligations)} for "
        f"{len({(o.manifest, o.workload) for o in audit.obligations})} workloads.</p>"
        f"{table('obligations', 'Obligations', columns, rows)}</section>"
    )


def waivers(audit: AuditResult) -> Markup:
    rows = [
        [Cell(f"{w.file}:{w.line}", sort=f"{w.file}:{w.line:09d}", cls="mono"),
         Cell(w.rule, cls="mono"), Cell(w.workload, cls="mono"), w.approved_by, w.ticket,
         w.expires.isoformat(), Cell(w.days_left, cls="num"),
         Cell(w.state, cls=f"status waiver-{w.state}"), w.reason, join(w.problems, "; ")]
        for w in audit.waivers
    ]  # fmt: skip
    classes = [f"waiver-{w.state}" if w.state in ("expired", "invalid", "expiring") else
               ("waiver-expiring" if w.expiring else "") for w in audit.waivers]  # fmt: skip
    columns = ["Waiver", "Rule", "Workload", "Approved by", "Ticket", "Expires", "Days left",
               "State", "Reason", "Problems"]  # fmt: skip
    return Markup(
        f'<section id="waivers-section"><h2>Waivers</h2><p class="muted">Highlighted: expired or '
        f"invalid (they waive nothing), or expiring within {audit.expiring_days} days.</p>"
        f"{table('waivers', 'Waivers', columns, rows, classes)}</section>"
    )


def evidence(audit: AuditResult) -> Markup:
    ev = audit.evidence
    repos = [
        [r.path, "yes" if r.git else "no", Cell(r.commit or "—", cls="mono"), r.branch or "—",
         "n/a" if r.dirty is None else ("yes" if r.dirty else "no"), len(r.manifests)]
        for r in audit.repositories
    ]  # fmt: skip
    files = [
        [Cell(m.path, cls="mono"), m.repository or "(policy bundle)", Cell(m.digest, cls="mono")]
        for m in (*ev.manifests, *ev.waiver_files)
    ]
    facts = [("Tool", f"clearance {ev.tool_version}"),
             ("Policy", f"{ev.policy_name} {ev.policy_version}"),
             ("Policy digest", ev.policy_digest), ("Generated (UTC)", ev.generated_at),
             ("Waivers judged on", ev.today.isoformat()), ("Command", ev.command)]  # fmt: skip
    dl = "".join(f'<dt>{esc(k)}</dt><dd class="mono">{esc(v)}</dd>' for k, v in facts)
    notes = "".join(f"<li>{esc(n)}</li>" for n in audit.check.notes + audit.notes)
    return Markup(
        f'<section id="repositories-section"><h2>Repositories</h2>'
        f"{table('repositories', 'Repositories', REPO_COLUMNS, repos)}"
        f'</section><section id="evidence"><h2>Evidence</h2><dl class="evidence">{dl}</dl>'
        f"<h3>File digests</h3>{table('files', 'Files', ['File', 'Repository', 'SHA-256'], files)}"
        + (f"<h3>Notes</h3><ul>{notes}</ul>" if notes else "")
        + "</section>"
    )
