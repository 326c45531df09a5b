"""Building blocks of the HTML report: escaping, tables and inline SVG bar charts.

Every string from a manifest, a waiver or a bundle is hostile until escaped,
so the only way to put text on the page is `esc` or a `td` (which escapes);
`Markup` marks the few fragments built here from already-escaped parts.
Links are kept only for http(s) URLs, so no `javascript:` can slip in.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence

from clearance.safe_text import neutralise


class Markup(str):
    """HTML built from escaped parts; inserted as is."""


class _Escaped(dict[str, Markup]):
    """Plain text -> its escaped form, each distinct text escaped once.

    Keyed by plain `str` only: a `Markup` equals the same text unescaped, and
    must never share its entry. Cleared when full, so a long-lived process
    rendering many reports holds a bounded amount.
    """

    LIMIT = 500_000

    def __missing__(self, text: str) -> Markup:
        if len(self) >= self.LIMIT:
            self.clear()
        out = self[text] = Markup(html.escape(neutralise(text), quote=True))
        return out


_ESCAPED = _Escaped()


def esc(value: object) -> Markup:
    if type(value) is str:  # a large audit repeats the same names thousands of times
        return _ESCAPED[value]
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(neutralise("" if value is None else str(value)), quote=True))


def link(url: str | None, text: object | None = None) -> Markup:
    if not url:
        return Markup("")
    shown = esc(text if text is not None else url)
    if not url.lower().startswith(("https://", "http://")):
        return shown
    return Markup(f'<a href="{esc(url)}" rel="noreferrer noopener">{shown}</a>')


def join(parts: Iterable[object], sep: str = ", ") -> Markup:
    return Markup(esc(sep).join(esc(p) for p in parts))


class Td(Markup):
    """A whole table cell, rendered by `td`: `table` inserts it as is."""


def td(content: object, sort: object | None = None, cls: str = "") -> Td:
    """A cell with a class or a sort key of its own (escaped, like all content)."""
    attrs = f' class="{esc(cls)}"' if cls else ""
    if sort is not None:
        attrs += f' data-sort="{esc(sort)}"'
    return Td(f"<td{attrs}>{esc(content)}</td>")


def table(
    table_id: str,
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    row_classes: Sequence[str] | None = None,
) -> Markup:
    """A sortable, filterable table; an empty one says so instead of showing a bare header."""
    return Markup("".join(table_parts(table_id, caption, columns, rows, row_classes)))


def table_parts(
    table_id: str,
    caption: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    row_classes: Sequence[str] | None = None,
    *,
    count: int | None = None,
) -> Iterator[str]:
    """`table`, a row at a time: a large audit's tables are never held whole. Rows made
    as they are written come with their `count` (the table shows it above them)."""
    if count is None:
        rows = list(rows)
        count = len(rows)
    if not count:
        yield Markup(f'<p class="muted">No {esc(caption.lower())}.</p>')
        return
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    tid = esc(table_id)
    yield Markup(
        f'<input class="filter" type="search" id="filter-{tid}" hidden '
        f'placeholder="Filter {esc(caption.lower())}…" aria-label="Filter {esc(caption.lower())}">'
        f' <span class="count" id="count-{tid}">{count} rows</span>'
        f'<div class="scroll"><table class="data" id="{tid}"><caption hidden>{esc(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>\n"
    )
    escaped = _ESCAPED
    for i, row in enumerate(rows):
        cells = "".join(["<td>" + escaped[v] + "</td>" if type(v) is str else _td(v) for v in row])
        cls = f' class="{esc(row_classes[i])}"' if row_classes and row_classes[i] else ""
        yield f"<tr{cls}>{cells}</tr>" if i == 0 else f"\n<tr{cls}>{cells}</tr>"
    yield "\n</tbody></table></div>"


def _td(value: object) -> str:
    if type(value) is Td:
        return value
    return "<td>" + esc(value) + "</td>"


LABEL_W, BAR_W, ROW_H, BAR_H = 130, 220, 26, 18


def bar_chart(title: str, items: Sequence[tuple[str, int, str]]) -> Markup:
    """A horizontal bar chart as inline SVG: (label, value, css class) per bar."""
    width = LABEL_W + BAR_W + 50
    height = max(1, len(items)) * ROW_H + 4
    top = max((v for _, v, _ in items), default=0) or 1
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{esc(title)}">'
        f"<title>{esc(title)}</title>"
    ]
    for i, (label, value, cls) in enumerate(items):
        y = i * ROW_H + 4
        w = round(BAR_W * value / top)
        parts.append(
            f'<text x="0" y="{y + 14}">{esc(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H}" rx="2" class="{esc(cls)}">'
            f"<title>{esc(label)}: {value}</title></rect>"
            f'<text x="{LABEL_W + w + 6}" y="{y + 14}">{value}</text>'
        )
    if not items:
        parts.append('<text x="0" y="16">nothing to chart</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def cards(items: Sequence[tuple[str, object]]) -> Markup:
    return Markup(
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in items)
        + "</div>"
    )
