"""`--format html`: one self-contained page for people, on screen and on paper.

Summary (counts and SVG charts), then changes since the previous audit,
inventory, findings with their explanations, obligations, waivers,
repositories and evidence. Style and script are inline; the page loads
nothing (its Content-Security-Policy forbids it), so it opens the same from a
mail attachment, a file share or an archive years later.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from clearance.audit.formats import html_tables as tables
from clearance.audit.formats.html_assets import CSS, JS
from clearance.audit.formats.html_parts import (
    Markup,
    bar_chart,
    cards,
    esc,
    table,
    td,
)
from clearance.audit.records import AuditResult
from clearance.report.report_data import summary


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (
    f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _summary(audit: AuditResult) -> Markup:
    counts = summary(audit.check)
    statuses = audit.status_counts()
    not_judged = audit.repository_status_counts()["error"]
    waivers = audit.waivers
    expiring = sum(w.expiring and w.state in ("active", "expiring") for w in waivers)
    items = [
        ("repositories", len(audit.repositories)),
        *([("repositories not judged", not_judged)] if not_judged else []),
        ("manifests", len(audit.check.manifests)),
        ("workloads", counts["workloads"]),
        *((f"{k} workloads", v) for k, v in statuses.items()),
        ("errors", counts["errors"]),
        ("warnings", counts["warnings"]),
        ("info", counts["info"]),
        ("waived findings", counts["waived"]),
        ("obligations", len(audit.obligations)),
        ("waivers", len(waivers)),
        (f"expiring in {audit.expiring_days} days", expiring),
        ("expired waivers", sum(w.state == "expired" for w in waivers)),
    ]
    status_chart = bar_chart(
        "Workloads by status", [(k, v, f"bar-{k}") for k, v in statuses.items()]
    )
    kind_chart = bar_chart(
        "Workloads by licence kind",
        [(k, v, "bar-kind") for k, v in audit.licence_kind_counts().items()],
    )
    return Markup(
        f'<section id="summary"><h2>Summary</h2>{cards(items)}<div class="charts">'
        f"<figure><figcaption>Workloads by status</figcaption>{status_chart}</figure>"
        f"<figure><figcaption>Workloads by licence kind</figcaption>{kind_chart}</figure>"
        "</div></section>"
    )


BY_REPOSITORY = ["Status", "Repository", "Bundle", "Workloads", "Violating", "Waived",
                 "Unwaived errors", "Problems"]  # fmt: skip


def _by_repository(audit: AuditResult) -> Markup:
    """A row per repository, first on the page: its verdict, the bundle that judged it, and
    for one that could not be judged, why (`file:line:column: message`)."""
    # [workloads, violating, waived, unwaived errors] by repository
    counts: dict[str, list[int]] = {}
    for row in audit.inventory:
        c = counts.setdefault(row.repository, [0, 0, 0, 0])
        c[0] += 1
        c[1] += row.status == "violating"
        c[2] += row.status == "waived"
        c[3] += row.errors
    rows = []
    for r in audit.repositories:
        violating = counts.get(r.path, [0, 0])[1]
        status = r.status if r.status == "error" else "violating" if violating else "compliant"
        # not judged: how many workloads it has, and how they fare, is unknown, not zero
        shown = counts.get(r.path, [0, 0, 0, 0]) if r.status != "error" else ["—"] * 4
        problems = Markup("<br>".join(esc(p) for p in r.problems))
        rows.append(
            [td(status, cls=f"status status-{status}"), r.path, td(r.bundle or "—", cls="mono"),
             *(td(n, cls="num") for n in shown), td(problems, cls="mono")]
        )  # fmt: skip
    broken = audit.repository_status_counts()["error"]
    note = (
        f'<p class="status-violating">{broken} could not be judged: their problems are listed '
        "below and nowhere else in this report.</p>"
        if broken
        else ""
    )
    return Markup(
        '<section id="by-repository"><h2>Repositories</h2>'
        f"{note}{table('repo-summary', 'Repositories', BY_REPOSITORY, rows)}</section>"
    )


def _changes(audit: AuditResult) -> Markup:
    if audit.history is None:
        return Markup("")
    c = audit.changes
    if c is None:
        body = f"<p>The first audit recorded in <code>{esc(audit.history)}</code>.</p>"
    else:

        def keys(items: tuple[object, ...], fmt: str) -> str:
            if not items:
                return '<li class="muted">none</li>'
            return "".join(f"<li>{esc(fmt.format(k=k))}</li>" for k in items)

        finding = "{k.severity} {k.rule}: {k.workload} in {k.manifest}"
        waiver = "{k.rule} for {k.workload} ({k.file}), expired {k.expires}"
        body = (
            f"<p>Since the audit of {esc(c.previous_at)} in <code>{esc(audit.history)}</code>:</p>"
            f"<h3>New findings</h3><ul>{keys(c.new_findings, finding)}</ul>"
            f"<h3>Resolved findings</h3><ul>{keys(c.resolved_findings, finding)}</ul>"
            f"<h3>New models</h3><ul>{keys(c.new_models, '{k}')}</ul>"
            f"<h3>New licences</h3><ul>{keys(c.new_licences, '{k}')}</ul>"
            "<h3>Waivers expired since</h3>"
            f"<ul>{keys(c.expired_waivers, waiver)}</ul>"
        )
    return Markup(f'<section id="changes"><h2>Changes</h2>{body}</section>')


def _sections(audit: AuditResult, sections: Iterable[Any]) -> Iterator[str]:
    for section in sections:
        made = section(audit)
        if isinstance(made, str):
            yield made
        else:  # a large section comes a row at a time
            yield from made


def render(audit: AuditResult) -> dict[str, str | Iterable[str]]:
    ev = audit.evidence
    failing = audit.failing
    verdict = (f'<span class="verdict {"fail" if failing else "pass"}">'
               f'{"unwaived errors" if failing else "no unwaived errors"}</span>')  # fmt: skip
    broken = audit.repository_status_counts()["error"]
    if broken:
        verdict += f' <span class="verdict fail">{broken} repositories not judged</span>'
    policy = f"{ev.policy_name} {ev.policy_version}".strip()
    nav = "".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in [("by-repository", "Repositories"), ("summary", "Summary"),
                     ("inventory-section", "Inventory"),
                     ("findings-section", "Findings"), ("obligations-section", "Obligations"),
                     ("agreements-section", "Agreements"), ("waivers-section", "Waivers"),
                     ("repositories-section", "Git state"), ("evidence", "Evidence")]
    )  # fmt: skip
    sections = (_by_repository, _summary, _changes, tables.inventory, tables.findings,
                tables.obligations, tables.agreements, tables.waivers, tables.evidence)  # fmt: skip
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Model-use audit {esc(ev.generated_at)}</title><style>{CSS}</style></head>\n"
        f'<body><header><h1>Model-use audit</h1><p class="meta">{verdict} '
        f"Generated {esc(ev.generated_at)} by clearance {esc(ev.tool_version)} with policy "
        f"{esc(policy)}.</p></header><nav>{nav}</nav>\n"
    )
    # a section at a time: a large audit's page is never held whole
    tail = f"\n<script>{JS}</script></body></html>\n"
    page = chain([head], _sections(audit, sections), [tail])
    return {"": page}
