"""Detail views for `clearance models ID` and `clearance providers ID`: every fact with
the source it stands on, and what is unknown said to be unknown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clearance.bundle.catalogue import GLOBAL_REGION, Catalogue

if TYPE_CHECKING:
    from clearance.schema.catalog import ModelEntry, ProviderEntry, Region
    from clearance.schema.common import Source

UNKNOWN = "unknown (no source found)"


def _source(src: Source, indent: str) -> list[str]:
    lines = [
        f"{indent}source: {src.url} (as of {src.as_of.isoformat()}"
        + (f", {src.level}" if src.level else "")
        + ")"
    ]
    if src.quote:
        lines.append(f'{indent}  "{src.quote.strip()}"')
    return lines


def model_detail(cat: Catalogue, m: ModelEntry) -> str:
    lines = [
        f"{m.id}: {m.name}",
        f"  vendor:     {m.vendor}",
        f"  family:     {m.family}",
        f"  weights:    {m.weights}",
        f"  modalities: {'+'.join(m.modalities.input)} -> {'+'.join(m.modalities.output)}",
    ]
    if m.parameters:
        lines.append(f"  parameters: {m.parameters}")
    if m.released:
        lines.append(f"  released:   {m.released.isoformat()}")
    lines.append(f"  aliases:    {', '.join(m.aliases) if m.aliases else '(none)'}")
    if m.base_model:
        how = f"{m.lineage} of" if m.lineage else "derived from"
        lines.append(f"  lineage:    {how} {', '.join(m.base_model)}")
    lines.extend(_source(m.source, "  "))
    lines.append("  licence chain (each model's licence governs its self-hosted use):")
    shown: set[str] = set()
    for n, link in enumerate((m, *cat.ancestors(m))):
        lic = cat.licences[link.licence].value
        role = "its own licence" if n == 0 else f"through ancestor {link.id}"
        lines.append(f"    {lic.id}: {lic.name} ({role})")
        if n:
            lines.extend(_source(link.source, "      "))
        if lic.id in shown:
            lines.append("      (the licence's sources are listed above)")
            continue
        shown.add(lic.id)
        for sid, src in lic.sources.items():
            lines.append(f"      {sid}: {src.url} (as of {src.as_of.isoformat()})")
    return "\n".join(lines) + "\n"


def _region(cat: Catalogue, region: Region) -> str:
    label = f"    {region.id}"
    if region.name:
        label += f" ({region.name})"
    if region.id == GLOBAL_REGION:
        return f"{label}: may process anywhere, outside every jurisdiction"
    if region.country is not None:
        name = cat.countries.get(region.country, region.country)
        return f"{label}: {region.country} ({name})"
    group = region.area or ""
    members = sorted(
        code for code, groups in cat.groups_of.items() if group in groups and code in cat.countries
    )
    within = ", ".join(members) if members else "no country listed"
    return f"{label}: group {group} ({cat.group_names.get(group, group)}): {within}"


def _fact(value: object, covers: str, p: ProviderEntry) -> list[str]:
    if value is None:
        return [f"{UNKNOWN}"]
    return [str(value)] + [
        f"{s.url} (as of {s.as_of.isoformat()})" for s in p.sources if covers in s.covers
    ]


def provider_detail(cat: Catalogue, p: ProviderEntry, agreements: dict[str, str]) -> str:
    lines = [f"{p.id}: {p.name}", f"  kind:   {p.kind}"]
    if p.vendor:
        lines.append(f"  vendor: {p.vendor} (serves its own models under its terms)")
    if p.terms:
        terms = cat.licences[p.terms].value
        lines.append(f"  terms:  {p.terms}: {terms.name} ({terms.url})")
    else:
        lines.append("  terms:  none recorded")
    if p.carries_vendor_terms:
        lines.append(f"  passes on the vendor terms of: {', '.join(p.carries_vendor_terms)}")
    trains = p.trains_on_customer_data
    for label, value, covers in (
        (
            "trains on customer data",
            None if trains is None else ("yes" if trains else "no"),
            "trains_on_customer_data",
        ),
        (
            "retention",
            None if p.retention_days is None else f"{p.retention_days} days",
            "retention_days",
        ),
    ):
        first, *sources = _fact(value, covers, p)
        lines.append(f"  {label}: {first}")
        lines.extend(f"    source: {s}" for s in sources)
    lines.append("  agreements (offered, known not offered, or unknown: a claim is then attested):")
    for kind in sorted(agreements):
        if kind in p.agreements:
            status = "known: offered"
        elif kind in p.agreements_not_offered:
            status = "known: not offered"
        else:
            status = "unknown"
        lines.append(f"    {kind:<6} {status}  ({agreements[kind]})")
    for s in p.sources:
        if {"agreements", "agreements_not_offered"} & set(s.covers):
            lines.extend(_source(s, "    "))
    lines.append("  regions:")
    lines.extend(_region(cat, r) for r in p.regions)
    if not p.regions:
        lines.append("    (none recorded: only `global`, which may process anywhere)")
    if p.inference_profiles:
        lines.append("  inference profiles (a model-id prefix routes within a geography):")
        for ip in p.inference_profiles:
            where = ip.country or ip.area or "anywhere"
            lines.append(f"    {ip.prefix:<8} {ip.name}: {where}")
    for s in p.sources:
        if {"regions", "inference_profiles"} & set(s.covers):
            lines.extend(_source(s, "    "))
    if p.notes:
        lines.append(f"  notes: {' '.join(p.notes.split())}")
    return "\n".join(lines) + "\n"
