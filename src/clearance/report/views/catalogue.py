"""Text views of the catalogue and licences for `clearance models|licences|providers`."""

from __future__ import annotations

from collections.abc import Sequence

from clearance.bundle.catalogue import Catalogue


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*headers).rstrip(), fmt.format(*("-" * w for w in widths))]
    lines.extend(fmt.format(*row).rstrip() for row in rows)
    return "\n".join(lines) + "\n"


def models_view(
    cat: Catalogue, family: str | None, licence: str | None, weights: str | None
) -> str:
    rows = []
    for m in sorted(cat.models.values(), key=lambda m: m.id.lower()):
        if (
            (family and m.family != family)
            or (licence and m.licence != licence)
            or (weights and m.weights != weights)
        ):
            continue
        rows.append(
            [
                m.id,
                m.family,
                m.licence,
                m.weights,
                "+".join(m.modalities.input),
                m.released.isoformat() if m.released else "",
                ", ".join(m.base_model),
            ]
        )
    return table(["model", "family", "licence", "weights", "input", "released", "base"], rows)


def providers_view(cat: Catalogue, kind: str | None) -> str:
    rows = []
    for p in sorted(cat.providers.values(), key=lambda p: p.id):
        if kind and p.kind != kind:
            continue
        rows.append(
            [p.id, p.name, p.kind, p.terms or "", ", ".join(p.agreements), str(len(p.regions))]
        )
    return table(["provider", "name", "kind", "terms", "agreements", "regions"], rows)


def licences_view(cat: Catalogue, kind: str | None) -> str:
    rows = []
    for lid, loaded in sorted(cat.licences.items()):
        lic = loaded.value
        if kind and lic.kind != kind:
            continue
        rows.append([lid, lic.kind, lic.spdx or "", lic.name, lic.as_of.isoformat()])
    return table(["licence", "kind", "spdx", "name", "as of"], rows)


def licence_detail(cat: Catalogue, lid: str) -> str:
    loaded = cat.licences[lid]
    lic = loaded.value
    lines = [
        f"{lic.id}: {lic.name}",
        f"  kind:    {lic.kind}",
        f"  url:     {lic.url}",
        f"  as of:   {lic.as_of.isoformat()}",
    ]
    if lic.spdx:
        lines.append(f"  spdx:    {lic.spdx}")
    if lic.aliases:
        lines.append(f"  aliases: {', '.join(lic.aliases)}")
    if lic.summary:
        lines.append(f"  summary: {lic.summary.strip()}")
    lines.append("  terms:")
    for name, term in lic.terms:
        if term is not None:
            where = f" ({term.source}{', ' + term.section if term.section else ''})"
            lines.append(f"    {name}: {term.value}{where}")
    if lic.rules:
        lines.append("  rules:")
        lines.extend(f"    {r.severity:<8} {r.id}: {r.title}" for r in lic.rules)
    if lic.obligations:
        lines.append("  obligations:")
        lines.extend(f"    {o.id}: {o.title}" for o in lic.obligations)
    lines.append("  sources:")
    for sid, src in lic.sources.items():
        lines.append(f"    {sid}: {src.url} (as of {src.as_of.isoformat()})")
    return "\n".join(lines) + "\n"
