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


def _text(x: float, y: float, body: str, anchor: str = "start", fill: str = "#1b1f24") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(body)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"{dash}/>'
    )


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

    grey, ink = "#57606a", "#1b1f24"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-label="monthly cost against tokens a day">',
        _line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, grey),
        _line(LEFT, TOP, LEFT, H - BOTTOM, grey),
    ]
    for i in range(5):
        y, x = top_y * i / 4, top_x * i / 4
        parts.append(_text(LEFT - 6, py(y) + 4, f"${_short(y)}", "end"))
        parts.append(_text(px(x), H - BOTTOM + 16, _short(x), "middle"))
    parts.append(_text((W + LEFT) / 2, H - 4, "tokens a day", "middle"))
    for colour, ys in (("#0969da", api_ys), ("#bf8700", own_ys)):
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path(ys)}"/>'
        )
    cx = px(current)
    parts.append(_line(cx, TOP, cx, H - BOTTOM, ink, dashed=True))
    parts.append(_text(cx + 4, H - BOTTOM - 6, f"current {_short(current)}/day"))
    if be is not None:
        bx, by = px(be), py(api_cost(be))
        parts.append(f'<circle cx="{bx:.1f}" cy="{by:.1f}" r="5" fill="#cf222e"/>')
        parts.append(_text(bx + 7, by - 7, f"break-even {_short(be)}/day", fill="#cf222e"))
    for row, (colour, label) in enumerate((("#0969da", api_label), ("#bf8700", own_label))):
        y = TOP + 22 + 16 * row
        parts.append(f'<rect x="{LEFT + 10}" y="{y}" width="12" height="3" fill="{colour}"/>')
        parts.append(_text(LEFT + 26, y + 5, label))
    parts.append("</svg>")
    return "<figure>" + "".join(parts) + "</figure>"
