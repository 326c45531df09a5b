"""Advice as one self-contained HTML page: per workload, the options table and an SVG
chart of monthly cost against daily volume for the best compliant API and self-hosted
options, marking the break-even and the workload's current volume. No scripts, no
external resources."""

from __future__ import annotations

from html import escape

from clearance.advise.advise import Advice, Option, WorkloadAdvice
from clearance.advise.chart import cost_chart
from clearance.advise.report.text import money
from clearance.advise.score import BAND_TITLES

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem}
h2{font-size:1.2rem;margin-top:2.5rem;border-top:1px solid #d0d7de;padding-top:1rem}
table{border-collapse:collapse;margin:.75rem 0;font-size:13px}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}
.note{color:#57606a}.dims span{display:inline-block;margin-right:.8rem}
svg{max-width:100%;height:auto;border:1px solid #d0d7de;background:#fff}
"""


def _verdict(o: Option) -> str:
    if o.compliant:
        return '<span class="ok">compliant</span>'
    return '<span class="bad">blocked</span>: ' + escape(", ".join(o.verdict.blocking))


def _row(i: int, o: Option) -> str:
    d = o.deployment
    agreements = ", ".join(
        escape(a) + (" <em>(assumed)</em>" if a in o.assumed_agreements else "")
        for a in d.agreements
    )
    cells = [
        str(i),
        f"<code>{escape(d.model)}</code>",
        escape(d.mode),
        escape(d.provider),
        escape(d.region),
        escape(d.network),
        agreements,
        _verdict(o),
    ]
    tds = "".join(f"<td>{c}</td>" for c in cells)
    return f"<tr>{tds}<td class=num>{escape(money(o.monthly_cost_usd))}</td></tr>"


def section(w: WorkloadAdvice) -> str:
    s = w.score
    cur = w.current
    dims = "".join(f"<span>{escape(k)} <b>{v}</b></span>" for k, v in s.dimensions.items())
    notes = "".join(f"<p class=note>{escape(n)}</p>" for n in (*s.notes, *w.notes))
    hard = (
        f"<p><b>Hard constraint:</b> {escape(s.hard_constraint)}</p>" if s.hard_constraint else ""
    )
    chart = cost_chart(w)
    rows = "".join(_row(i, o) for i, o in enumerate(w.options, 1))
    return f"""<section id="{escape(w.workload)}">
<h2>{escape(w.workload)} <small class=note>{escape(w.manifest)}</small></h2>
<p><b>Current:</b> <code>{escape(cur.deployment.model)}</code> {escape(cur.deployment.mode)} on
{escape(cur.deployment.provider)}/{escape(cur.deployment.region)}: {_verdict(cur)};
{escape(money(cur.monthly_cost_usd))}</p>
<p class=dims><b>Score {s.total}/30 — {escape(BAND_TITLES[s.band])}</b><br>{dims}</p>
<p>Decision flow: {escape(s.flow)}</p>
{hard}{notes}{chart}
<table><thead><tr><th>#</th><th>model</th><th>mode</th><th>provider</th><th>region</th>
<th>network</th><th>agreements</th><th>verdict</th><th>monthly</th></tr></thead>
<tbody>{rows}</tbody></table>
</section>"""


def render(advice: Advice) -> str:
    title = f"clearance advise — {advice.policy_name} {advice.policy_version}"
    body = "\n".join(section(w) for w in advice.workloads)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body><h1>{escape(title)}</h1>
<p class=note>Costs by the seeds' model: a 30-day month; self-hosting
max(GPU hours, 720 always-on) × hourly cost + setup / 12.
Options assume only the agreements marked as assumed.</p>
{body}
</body></html>
"""
