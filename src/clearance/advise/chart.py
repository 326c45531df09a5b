"""The inline SVG cost chart: monthly cost against tokens a day for two options."""

from __future__ import annotations

from html import escape

from clearance.advise.advise import WorkloadAdvice
from clearance.advise.cost import api_monthly, self_hosted_monthly

W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 70, 20, 20, 40
POINTS = 60


def _short(n: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= size:
            return f"{n / size:.3g}{suffix}"
    return f"{n:.3g}"


def cost_chart(w: WorkloadAdvice) -> str:
    """The chart, or a sentence saying why there is none."""
    if w.volume is None or w.break_even_between is None or w.break_even_inputs is None:
        return (
            "<p class=note>No cost chart: it needs a volume and a compliant, priced option "
            "of each kind (API and self-hosted).</p>"
        )
    rate, hw = w.break_even_inputs
    share = w.volume.input_share
    api, own = w.break_even_between
    api_label = f"{api.deployment.model} via {api.deployment.provider} (API)"
    own_label = f"{own.deployment.model} self-hosted on {own.deployment.provider}"

    def api_cost(x: float) -> float:
        return api_monthly(rate, x * share, x * (1 - share))

    def own_cost(x: float) -> float:
        return self_hosted_monthly(hw, x)

    current = w.volume.tokens_per_day
    be = w.break_even_tokens_per_day
    top_x = max(current, be or 0) * 1.6 or 1.0
    xs = [top_x * i / POINTS for i in range(POINTS + 1)]
    api_ys = [api_cost(x) for x in xs]
    own_ys = [own_cost(x) for x in xs]
    top_y = max(max(api_ys), max(own_ys)) * 1.1 or 1.0

    def px(x: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * x / top_x

    def py(y: float) -> float:
        return H - BOTTOM - (H - TOP - BOTTOM) * y / top_y

    def path(ys: list[float]) -> str:
        return " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-label="monthly cost against tokens a day">',
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" stroke="#57606a"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" stroke="#57606a"/>',
    ]
    for i in range(5):
        y = top_y * i / 4
        x = top_x * i / 4
        parts.append(
            f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" font-size="11" text-anchor="end">${_short(y)}</text>'
        )
        parts.append(
            f'<text x="{px(x):.1f}" y="{H - BOTTOM + 16}" font-size="11" text-anchor="middle">{_short(x)}</text>'
        )
    parts.append(
        f'<text x="{(W + LEFT) / 2:.0f}" y="{H - 4}" font-size="11" text-anchor="middle">tokens a day</text>'
    )
    parts.append(f'<polyline fill="none" stroke="#0969da" stroke-width="2" points="{path(api_ys)}"/>')
    parts.append(f'<polyline fill="none" stroke="#bf8700" stroke-width="2" points="{path(own_ys)}"/>')
    cx = px(current)
    parts.append(
        f'<line x1="{cx:.1f}" y1="{TOP}" x2="{cx:.1f}" y2="{H - BOTTOM}" stroke="#1b1f24" stroke-dasharray="4 3"/>'
        f'<text x="{cx + 4:.1f}" y="{H - BOTTOM - 6}" font-size="11">current {_short(current)}/day</text>'
    )
    if be is not None:
        bx, by = px(be), py(api_cost(be))
        parts.append(
            f'<circle cx="{bx:.1f}" cy="{by:.1f}" r="5" fill="#cf222e"/>'
            f'<text x="{bx + 7:.1f}" y="{by - 7:.1f}" font-size="11" fill="#cf222e">break-even {_short(be)}/day</text>'
        )
    parts.append(
        f'<rect x="{LEFT + 10}" y="{TOP + 22}" width="12" height="3" fill="#0969da"/>'
        f'<text x="{LEFT + 26}" y="{TOP + 27}" font-size="11">{escape(api_label)}</text>'
        f'<rect x="{LEFT + 10}" y="{TOP + 38}" width="12" height="3" fill="#bf8700"/>'
        f'<text x="{LEFT + 26}" y="{TOP + 43}" font-size="11">{escape(own_label)}</text>'
    )
    parts.append("</svg>")
    return "<figure>" + "".join(parts) + "</figure>"

