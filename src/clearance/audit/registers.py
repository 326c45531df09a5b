"""The registers of an audit: inventory, models, obligations and waivers, as rows.

Each row joins what the engine already worked out (resolved workloads,
findings, waivers and the findings about them, obligations) with the
repository it was found in. Nothing is evaluated here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from clearance.audit.records import (
    InventoryRow,
    LicenceUse,
    ModelInfo,
    ObligationRow,
    Status,
    WaiverRow,
    WaiverState,
)
from clearance.bundle.load import Bundle
from clearance.evaluate.evaluate import obligations_for
from clearance.evaluate.findings import Finding
from clearance.pipeline.check import Checked
from clearance.resolve.resolver import Governing, ResolvedWorkload
from clearance.schema.facts import SLOT
from clearance.waivers.load import LoadedWaiver

if TYPE_CHECKING:  # the pydantic model module: only its name is needed here
    from clearance.schema.catalog import ModelEntry

_COUNTRY = SLOT["region.country"]
_OWNER = SLOT["workload.owner"]
_NONE = (0, 0, 0)


def _model_info(m: ModelEntry, ancestors: Sequence[ModelEntry]) -> ModelInfo:
    return ModelInfo(
        id=m.id,
        name=m.name,
        vendor=m.vendor,
        family=m.family,
        licence=m.licence,
        weights=m.weights,
        input_modalities=tuple(m.modalities.input),
        output_modalities=tuple(m.modalities.output),
        released=m.released,
        parameters=m.parameters,
        lineage=m.lineage,
        base_models=tuple(a.id for a in ancestors),
    )


def _lookup(own: dict[str, ModelEntry]) -> Callable[[str], ModelEntry | None]:
    return lambda name: own.get(name.lower())


def models(workloads: Sequence[ResolvedWorkload], bundle: Bundle) -> dict[str, ModelInfo]:
    """Every model used, and every ancestor of one, by id."""
    # a model a manifest declares has its lineage (through the manifest's own models)
    # on its resolved workload; a catalogue model's is the catalogue's
    lineage: dict[str, tuple[ModelEntry, Sequence[ModelEntry]]] = {}
    cat = bundle.catalogue
    for rw in workloads:
        lineage.setdefault(rw.model.id, (rw.model, rw.ancestors))
        own = {m.id.lower(): m for m in (rw.model, *rw.ancestors) if cat.model(m.id) is not m}
        for a in rw.ancestors:
            lineage.setdefault(a.id, (a, cat.ancestors(a, _lookup(own))))
    return {k: _model_info(*lineage[k]) for k in sorted(lineage)}


def _licence_uses(
    rw: ResolvedWorkload, bundle: Bundle, memo: dict[Governing, LicenceUse]
) -> tuple[LicenceUse, ...]:
    out = []
    for g in rw.governing:
        use = memo.get(g)
        if use is None:  # a few distinct licence chains serve thousands of workloads
            lic = bundle.catalogue.licences[g.licence].value
            use = LicenceUse(lic.id, lic.name, lic.kind, lic.spdx, lic.url, g.via, g.governs_as)
            memo[g] = use
        out.append(use)
    return tuple(out)


def inventory_key(r: InventoryRow) -> tuple[str, str, int, str]:
    return (r.repository, r.manifest, r.line, r.workload)


def obligation_key(r: ObligationRow) -> tuple[str, str, str, str, str]:
    return (r.repository, r.manifest, r.workload, r.licence, r.obligation)


def waiver_key(r: WaiverRow) -> tuple[str, int]:
    return (r.file, r.line)


def inventory(
    checked: Checked, bundle: Bundle, repo_of: dict[str, str], label: str
) -> list[InventoryRow]:
    """A row per workload `bundle` judged (`label` names it in each row)."""
    # [errors, warnings, waived] by (manifest, workload): errors and warnings unwaived ones
    tally: dict[tuple[str, str], list[int]] = {}
    column = {"error": 0, "warning": 1}
    for f in checked.result.findings:
        kind = 2 if f.waiver is not None else column.get(f.severity)
        if kind is not None:
            tally.setdefault((f.manifest, f.workload), [0, 0, 0])[kind] += 1
    rows = []
    memo: dict[Governing, LicenceUse] = {}
    for rw in checked.workloads:
        w, d, m, p = rw.workload, rw.workload.deployment, rw.model, rw.provider
        errors, warnings, waived = tally.get((rw.manifest.name, w.id), _NONE)
        status: Status = "violating" if errors or warnings else "waived" if waived else "compliant"
        rows.append(
            InventoryRow(
                repository=repo_of[rw.manifest.name],
                manifest=rw.manifest.name,
                line=rw.line,
                workload=w.id,
                description=w.description,
                owner=rw.records[0][_OWNER],
                data=tuple(w.data),
                purpose=w.purpose,
                audience=w.audience,
                commercial=w.commercial,
                model=m.id,
                model_name=m.name,
                model_family=m.family,
                vendor=m.vendor,
                weights=m.weights,
                licences=_licence_uses(rw, bundle, memo),
                mode=d.mode,
                provider=p.id,
                provider_name=p.name,
                region=d.region,
                country=rw.records[0][_COUNTRY],
                agreements=tuple(d.agreements),
                status=status,
                errors=errors,
                warnings=warnings,
                waived=waived,
                bundle=label,
            )
        )
    rows.sort(key=inventory_key)
    return rows


def obligations(
    workloads: Sequence[ResolvedWorkload], bundle: Bundle, repo_of: dict[str, str]
) -> list[ObligationRow]:
    rows = []
    names: dict[str, str] = {}
    for rw in workloads:
        for ob, via in obligations_for(rw, bundle):
            name = names.get(ob.licence)
            if name is None:
                name = names[ob.licence] = bundle.catalogue.licences[ob.licence].value.name
            rows.append(
                ObligationRow(
                    repository=repo_of[rw.manifest.name],
                    manifest=rw.manifest.name,
                    workload=rw.workload.id,
                    licence=ob.licence,
                    licence_name=name,
                    via=via,
                    obligation=ob.id,
                    title=ob.title,
                    text=ob.text,
                    source_url=ob.source_url,
                )
            )
    rows.sort(key=obligation_key)
    return rows


def waiver_rows(
    waivers: Sequence[LoadedWaiver],
    findings: Sequence[Finding],
    repo_of: dict[str, str],
    today: date,
    expiring_days: int,
) -> list[WaiverRow]:
    """Each waiver with what the engine said about it: the waiver.* findings at its position."""
    said: dict[tuple[str, int], list[Finding]] = {}
    for f in findings:
        if f.rule.startswith("waiver."):
            said.setdefault((f.manifest, f.line), []).append(f)
    rows = []
    for w in waivers:
        about = said.get((w.file, w.line), [])
        rules = {f.rule for f in about}
        days_left = (w.entry.expires - today).days
        expiring = 0 <= days_left <= expiring_days
        state: WaiverState
        if "waiver.expired" in rules:
            state = "expired"
        elif rules - {"waiver.stale"}:
            state = "invalid"
        elif rules:
            state = "stale"
        else:
            state = "expiring" if expiring else "active"
        rows.append(
            WaiverRow(
                repository=repo_of.get(w.file),
                file=w.file,
                line=w.line,
                rule=w.entry.rule,
                workload=w.entry.workload,
                reason=w.entry.reason,
                approved_by=w.entry.approved_by,
                ticket=w.entry.ticket,
                expires=w.entry.expires,
                days_left=days_left,
                state=state,
                expiring=expiring,
                problems=tuple(f.message for f in about),
            )
        )
    rows.sort(key=waiver_key)
    return rows
