"""Advice as Markdown: a section and an options table per workload."""

from __future__ import annotations

from clearance.advise.advise import Advice, WorkloadAdvice
from clearance.advise.report.text import money
from clearance.advise.score import BAND_TITLES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section(w: WorkloadAdvice) -> list[str]:
    s = w.score
    cur = w.current
    lines = [
        f"## `{w.workload}` ({_cell(w.manifest)})",
        "",
        f"Current: `{cur.deployment.model}` {cur.deployment.mode} on "
        f"{cur.deployment.provider}/{cur.deployment.region}: "
        + ("compliant" if cur.compliant else "blocked by " + ", ".join(cur.verdict.blocking))
        + f"; {money(cur.monthly_cost_usd)}",
        "",
        f"Score {s.total}/30: **{BAND_TITLES[s.band]}** "
        + "("
        + ", ".join(f"{k} {v}" for k, v in s.dimensions.items())
        + ")",
    ]
    if w.break_even_tokens_per_day is not None:
        lines.append(f"\nBreak-even: {w.break_even_tokens_per_day:,.0f} tokens/day")
    lines += [f"\n> {n}" for n in (*s.notes, *w.notes)]
    lines += [
        "",
        "| # | model | mode | provider | region | network | agreements | verdict | monthly |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i, o in enumerate(w.options, 1):
        d = o.deployment
        agreements = ", ".join(
            a + (" (assumed)" if a in o.assumed_agreements else "") for a in d.agreements
        )
        verdict = "compliant" if o.compliant else "blocked: " + ", ".join(o.verdict.blocking)
        lines.append(
            f"| {i} | `{_cell(d.model)}` | {d.mode} | {d.provider} | {_cell(d.region)} | "
            f"{d.network} | {agreements} | {_cell(verdict)} | {money(o.monthly_cost_usd)} |"
        )
    return lines


def render(advice: Advice) -> str:
    out = [f"# clearance advise ({advice.policy_name} {advice.policy_version})", ""]
    for w in advice.workloads:
        out += [*section(w), ""]
    return "\n".join(out)
