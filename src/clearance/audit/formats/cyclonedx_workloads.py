"""The CycloneDX audit's workload services, written as text without the library.

A service per workload, a dozen library objects each, took 6.6 GB for 288,000
workloads; `cyclonedx.render` streams them instead, through `service_text`,
exactly as the library would serialise them (keys in order, data classifications
and properties sorted and unique; a test holds the two to the same text). The
properties are shared with the library's own services (`cyclonedx._workload_service`),
so both ways say the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from clearance.audit.records import AuditResult, InventoryRow

PREFIX = "clearance:"
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def service_text(
    service: dict[str, Any],
    rows: list[InventoryRow],
    register: dict[tuple[str, str], tuple[str, ...]],
) -> Iterator[str]:
    """A manifest's service as one line of compact JSON, its workloads' services in it."""
    if not rows:
        yield COMPACT(service)
        return
    items = sorted({**service, "services": None}.items())
    yield "{"
    for i, (key, value) in enumerate(items):
        yield (", " if i else "") + COMPACT(key) + ": "
        if key != "services":
            yield COMPACT(value)
            continue
        yield "["
        for j, row in enumerate(sorted(rows, key=lambda r: r.workload)):
            backing = register.get((row.manifest, row.workload), ())
            yield (", " if j else "") + COMPACT(workload_json(row, backing))
        yield "]"
    yield "}"


def workload_json(row: InventoryRow, register: tuple[str, ...]) -> dict[str, Any]:
    """`_workload_service(row, register)` as the library serialises it."""
    out: dict[str, Any] = {"bom-ref": f"workload:{row.manifest}#{row.workload}"}
    if row.data:
        out["data"] = [
            {"classification": d, "flow": "bi-directional"} for d in sorted(set(row.data))
        ]
    if row.description is not None:
        out["description"] = row.description
    if row.repository is not None:
        out["group"] = row.repository
    out["name"] = row.workload
    out["properties"] = [
        {"name": name, "value": value}
        for name, value in sorted(set(prop_pairs(workload_props(row, register))))
    ]
    out["provider"] = {"name": row.provider_name}
    return out


def prop_pairs(pairs: dict[str, object]) -> list[tuple[str, str]]:
    out = []
    for name, value in pairs.items():
        if value is None or value == () or value == "":
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        if isinstance(value, bool):
            shown = str(value).lower()
        out.append((PREFIX + name, shown))
    return out


def model_ref(model: str, provider: str) -> str:
    return f"model:{model}@{provider}"


def agreement_register(audit: AuditResult) -> dict[tuple[str, str], tuple[str, ...]]:
    """Per (manifest, workload): each claimed agreement and what backs it, as property text."""
    out: dict[tuple[str, str], list[str]] = {}
    for a in audit.agreements:
        backing = f"{a.kind}: {a.status}" + (f" ({a.reference})" if a.reference else "")
        out.setdefault((a.manifest, a.workload), []).append(backing)
    return {k: tuple(v) for k, v in out.items()}


def workload_props(row: InventoryRow, register: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        "repository": row.repository,
        "manifest": f"{row.manifest}:{row.line}",
        "owner": row.owner,
        "purpose": row.purpose,
        "audience": row.audience,
        "commercial": row.commercial,
        "model": row.model,
        "model-ref": model_ref(row.model, row.provider),
        "deployment-mode": row.mode,
        "region": row.region,
        "country": row.country,
        "agreements": row.agreements,
        "agreements-register": register,
        "licences": tuple(f"{lic.id} via {lic.via}" for lic in row.licences),
        "status": row.status,
    }
