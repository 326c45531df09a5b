"""The HTML report's tables: inventory, findings, obligations, agreements, waivers, evidence.

Each section is one sortable, filterable table built by `html_parts.table`;
every value goes through `esc` or a `td`, which escape it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from clearance.audit.formats.html_parts import Markup, esc, join, link, table, table_parts, td
from clearance.audit.records import AuditResult, LicenceUse, ObligationRow
from clearance.evaluate.findings import UNKNOWN_EXPECTED, Finding

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INLINE_WORKLOADS = 25  # more than this many workloads under one duty fold into a <details>
BUNDLE_COLUMNS = ["Bundle", "Name", "Version", "SHA-256", "Repositories judged"]
REPO_COLUMNS = ["Path", "Git", "Commit", "Branch", "Uncommitted changes", "Manifests", "Bundle",
                "Status"]  # fmt: skip


_json = json.JSONEncoder(ensure_ascii=False, default=str).encode  # json.dumps builds one a call


def _in_repo(path: str, repository: str) -> str:
    """A file's path inside its repository: the repository has a column of its own."""
    return path.removeprefix(repository.rstrip("/") + "/")


class _Once(dict[Hashable, Markup]):
    """Key -> its markup, made once: a large audit shows the same few cells thousands of times.

    Keys are plain values from the rows (str, tuples of them); never Markup,
    which equals its unescaped text.
    """

    def __init__(self, make: Callable[[Any], Markup]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Hashable) -> Markup:
        out = self[key] = self._make(key)
        return out


def _licences(uses: tuple[LicenceUse, ...]) -> Markup:
    return Markup(
        "<br>".join(f'{esc(u.id)} <span class="muted">via {esc(u.via)}</span>' for u in uses)
    )


def _muted(text: str) -> str:
    return f'<div class="muted">{esc(text)}</div>' if text else ""


# in the order an officer reads a row: the verdict first (always on screen, however wide
# the rest), then what the workload does with which data, through which model, under
# which terms, where; where it is declared and which bundle judged it last
INVENTORY_COLUMNS = ["Status", "Workload", "Data", "Model", "Licences", "Provider", "Region",
                     "Commercial", "Purpose", "Audience", "Agreements", "Declared in",
                     "Bundle"]  # fmt: skip


def inventory(audit: AuditResult) -> Iterator[str]:
    """The inventory section, a row at a time."""
    # names repeat across thousands of rows: escaped once each (a line number needs no escaping)
    lists, licences = _Once(join), _Once(_licences)
    models = _Once(
        lambda key: td(
            Markup(f'<span class="mono">{esc(key[0])}</span>' + _muted(f"{key[1]}, {key[2]}")),
            sort=key[0],
        )
    )
    regions = _Once(lambda key: td(Markup(esc(key[0]) + _muted(key[1] or "")), sort=key[0]))
    statuses = _Once(lambda status: td(status, cls=f"status status-{status}"))
    rows = (  # made as they are written
        [
            statuses[r.status],
            td(
                Markup(
                    f'<span class="mono">{esc(r.workload)}</span>'
                    + _muted(r.description or "")
                    + _muted(f"owner: {r.owner}" if r.owner else "")
                ),
                sort=r.workload,
            ),
            lists[r.data],
            models[(r.model, r.model_family, f"{r.weights} weights")],
            licences[r.licences],
            r.provider_name,
            regions[(r.region, r.country)],
            "yes" if r.commercial else "no",
            r.purpose,
            r.audience,
            lists[r.agreements],
            td(
                Markup(
                    f'{esc(r.repository)}<div class="mono">'
                    f"{esc(_in_repo(r.manifest, r.repository))}:{r.line}</div>"
                ),
                sort=Markup(f"{esc(r.manifest)}:{r.line:09d}"),
            ),
            td(r.bundle, cls="mono"),
        ]
        for r in audit.inventory
    )
    yield Markup('<section id="inventory-section"><h2>Inventory</h2>')
    yield from table_parts(
        "inventory", "Workloads", INVENTORY_COLUMNS, rows, count=len(audit.inventory)
    )
    yield Markup("</section>")


def _why(key: tuple[str, str, str, str]) -> Markup:
    # the sentences of report_data.explanation_sentence, with the fact and value as code
    clause, fact, expected, actual = key
    if expected == UNKNOWN_EXPECTED:  # a fact nobody set: never "is null"
        return Markup(
            f"<li><code>{esc(fact)}</code> is not set, so this cannot be decided "
            f"(needed: {esc(expected)})</li>"
        )
    return Markup(
        f"<li>{esc('applies' if clause == 'when' else 'fails')} because <code>{esc(fact)}</code>"
        f" is <code>{esc(actual)}</code> (expected {esc(expected)})</li>"
    )


def _explained(f: Finding, whys: _Once) -> Markup:
    # keyed by the value as JSON: a value may be a list (not hashable), and True == 1
    why = "".join([whys[(e.clause, e.fact, e.expected, _json(e.actual))] for e in f.explanation])
    fix = f'<div class="fix"><b>Fix:</b> {esc(f.remediation)}</div>' if f.remediation else ""
    refs = f'<div class="muted">See: {join(f.references, "; ")}</div>' if f.references else ""
    waiver = ""
    if f.waiver is not None:
        w = f.waiver
        waiver = (f'<div class="status-waived">Waived by {esc(w.approved_by)} '
                  f"({esc(w.ticket or 'no ticket')}) until {esc(w.expires.isoformat())}: "
                  f"{esc(w.reason)}</div>")  # fmt: skip
    return Markup(f'{esc(f.message)}<ul class="why">{why}</ul>{fix}{refs}{waiver}')


def findings(audit: AuditResult) -> Iterator[str]:
    """The findings section, a row at a time."""
    repo_of = {m: r.path for r in audit.repositories for m in (*r.manifests, *r.waiver_files)}
    whys = _Once(_why)
    rules = _Once(lambda rule: td(rule, cls="mono"))
    severities = _Once(lambda sev: td(sev, sort=SEVERITY_ORDER.get(sev, 9), cls=f"sev sev-{sev}"))
    rows = (  # made as they are written
        [
            severities[f.severity],
            "waived" if f.waiver else "open",
            rules[f.rule],
            repo_of.get(f.manifest, ""),
            td(
                Markup(f"{esc(f.manifest)}:{f.line}"),
                sort=Markup(f"{esc(f.manifest)}:{f.line:09d}"),
                cls="mono",
            ),
            td(f.workload, cls="mono"),
            Markup(f'{esc(f.licence)}<br><span class="muted">via {esc(f.via)}</span>')
            if f.licence
            else "",
            _explained(f, whys),
        ]
        for f in audit.check.findings
    )
    columns = ["Severity", "Status", "Rule", "Repository", "Manifest", "Workload", "Licence",
               "Finding and explanation"]  # fmt: skip
    yield Markup('<section id="findings-section"><h2>Findings</h2>')
    yield from table_parts("findings", "Findings", columns, rows, count=len(audit.check.findings))
    yield Markup("</section>")


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


def obligations(audit: AuditResult) -> Iterator[str]:
    """One row per licence duty, with the workloads that carry it (the CSV has one per workload).

    A row per workload repeats each duty's text thousands of times in a large
    audit: unreadable, and a page the browser takes a minute to lay out.
    """
    groups: dict[tuple[str, str], list[ObligationRow]] = {}
    for o in audit.obligations:
        groups.setdefault((o.licence, o.obligation), []).append(o)
    rows = (  # made as they are written: a duty's row lists every workload it binds
        [g[0].licence_name, Markup(f"<b>{esc(g[0].title)}</b>"), g[0].text,
         link(g[0].source_url, "source"), td(_workload_list(g), sort=len(g))]
        for g in groups.values()
    )  # fmt: skip
    columns = ["Licence", "Obligation", "What to do", "Source", "Workloads"]
    yield Markup(
        '<section id="obligations-section"><h2>Obligations</h2><p class="muted">Duties that follow '
        f"from the licences even where no rule is broken: {len(audit.obligations)} for "
        f"{len({(o.manifest, o.workload) for o in audit.obligations})} workloads.</p>"
    )
    yield from table_parts("obligations", "Obligations", columns, rows, count=len(groups))
    yield Markup("</section>")


AGREEMENT_STATES = {
    "verified": "verified by the catalogue",
    "recorded": "recorded by the organisation",
    "attested": "attested by the repository only",
    "expired": "recorded, expired",
    "not-offered": "known not offered",
}


def agreements(audit: AuditResult) -> Markup:
    rows = [
        [td(a.workload, cls="mono"), a.provider_name, td(a.kind, cls="mono"),
         td(AGREEMENT_STATES[a.status], cls=f"status agreement-{a.status}"),
         a.reference or "", a.signed.isoformat() if a.signed else "",
         a.expires.isoformat() if a.expires else "",
         link(a.source_url)]
        for a in audit.agreements
    ]  # fmt: skip
    columns = ["Workload", "Provider", "Agreement", "Backed by", "Reference", "Signed",
               "Expires", "Catalogue source"]  # fmt: skip
    attested = sum(a.status == "attested" for a in audit.agreements)
    return Markup(
        '<section id="agreements-section"><h2>Agreements</h2><p class="muted">Each agreement '
        "a workload claims with its provider, and what backs it; "
        f"{attested} rest on the repository's word alone.</p>"
        f"{table('agreements', 'Agreements', columns, rows)}</section>"
    )


def waivers(audit: AuditResult) -> Markup:
    rows = [
        [td(f"{w.file}:{w.line}", sort=f"{w.file}:{w.line:09d}", cls="mono"),
         td(w.rule, cls="mono"), td(w.workload, cls="mono"), w.approved_by, w.ticket,
         w.expires.isoformat(), td(w.days_left, cls="num"),
         td(w.state, cls=f"status waiver-{w.state}"), w.reason, join(w.problems, "; ")]
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
        [r.path, "yes" if r.git else "no", td(r.commit or "—", cls="mono"), r.branch or "—",
         "n/a" if r.dirty is None else ("yes" if r.dirty else "no"), len(r.manifests),
         td(r.bundle or "—", cls="mono"), td(r.status, cls=f"status status-{r.status}")]
        for r in audit.repositories
    ]  # fmt: skip
    bundles = [
        [td(b.path, cls="mono"), b.name, b.version, td(b.digest, cls="mono"),
         join(b.repositories)]
        for b in ev.bundles
    ]  # fmt: skip
    files = [
        [td(m.path, cls="mono"), m.repository or "(policy bundle)", td(m.digest, cls="mono")]
        for m in (*ev.manifests, *ev.waiver_files)
    ]
    facts = [("Tool", f"clearance {ev.tool_version}"),
             ("Policy", f"{ev.policy_name} {ev.policy_version}".strip()),
             ("Policy digest", ev.policy_digest), ("Generated (UTC)", ev.generated_at),
             ("Waivers judged on", ev.today.isoformat()), ("Command", ev.command)]  # fmt: skip
    dl = "".join(f'<dt>{esc(k)}</dt><dd class="mono">{esc(v)}</dd>' for k, v in facts)
    notes = "".join(f"<li>{esc(n)}</li>" for n in audit.check.notes + audit.notes)
    return Markup(
        f'<section id="repositories-section"><h2>Git state of each repository</h2>'
        f"{table('repositories', 'Repositories', REPO_COLUMNS, repos)}"
        f'</section><section id="evidence"><h2>Evidence</h2><dl class="evidence">{dl}</dl>'
        f"<h3>Bundles</h3>{table('bundles', 'Bundles', BUNDLE_COLUMNS, bundles)}"
        f"<h3>File digests</h3>{table('files', 'Files', ['File', 'Repository', 'SHA-256'], files)}"
        + (f"<h3>Notes</h3><ul>{notes}</ul>" if notes else "")
        + "</section>"
    )
