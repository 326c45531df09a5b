"""Advice for a terminal: per workload, the current deployment, the score and the top options."""

from __future__ import annotations

from clearance.advise.advise import Advice, Option, WorkloadAdvice
from clearance.advise.score import BAND_TITLES

SHOWN = 10  # options per workload; the JSON holds every one


def money(value: float | None) -> str:
    return "cost unknown" if value is None else f"${value:,.2f}/month"


def describe(o: Option) -> str:
    d = o.deployment
    where = f"{d.provider}/{d.region}"
    text = f"{d.model} ({d.mode}, {where}, {d.network})"
    if d.agreements:
        text += f" agreements: {', '.join(d.agreements)}"
    if o.assumed_agreements:
        text += f" [assumes signing {', '.join(o.assumed_agreements)}]"
    return text


def verdict(o: Option) -> str:
    return "compliant" if o.compliant else "blocked by " + ", ".join(o.verdict.blocking)


def workload_lines(w: WorkloadAdvice) -> list[str]:
    s = w.score
    dims = ", ".join(f"{k} {v}" for k, v in s.dimensions.items())
    lines = [
        f"{w.manifest}: {w.workload}",
        f"  current: {describe(w.current)}: {verdict(w.current)}; "
        f"{money(w.current.monthly_cost_usd)}",
        f"  score: {s.total}/30 ({dims}): {BAND_TITLES[s.band]}",
        f"  decision flow: {s.flow}",
    ]
    if s.hard_constraint:
        lines.append(f"  hard constraint: {s.hard_constraint}")
    lines += [f"  note: {n}" for n in (*s.notes, *w.notes)]
    if w.volume is not None:
        lines.append(f"  volume: {w.volume.tokens_per_day:,} tokens/day")
    if w.break_even_tokens_per_day is not None and w.break_even_between:
        api, own = w.break_even_between
        lines.append(
            f"  break-even: {w.break_even_tokens_per_day:,.0f} tokens/day between "
            f"{api.deployment.model} ({api.deployment.provider}) and "
            f"{own.deployment.model} (self-hosted on {own.deployment.provider})"
        )
    lines.append("  options:")
    for i, o in enumerate(w.options[:SHOWN], 1):
        lines.append(f"   {i:2}. {describe(o)}: {verdict(o)}; {money(o.monthly_cost_usd)}")
    if len(w.options) > SHOWN:
        lines.append(f"   … {len(w.options) - SHOWN} more (--format json lists every option)")
    return lines


def render(advice: Advice) -> str:
    blocks = ["\n".join(workload_lines(w)) for w in advice.workloads]
    return "\n\n".join(blocks) + "\n"
