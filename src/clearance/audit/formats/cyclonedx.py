"""`--format cyclonedx`: a CycloneDX 1.6 ML-BOM of the models in use, and the workloads using them.

One `machine-learning-model` component per model and provider it comes
through (GPT-4o from OpenAI and from Azure are different supply chains under
different terms): the governing licences (SPDX id where the SPDX list has
one, else the licence's name and URL), the provider as supplier, the vendor as
manufacturer, ancestors from `base_model` as pedigree ancestors. Each manifest
is a service (the system it describes) depending on the model components its
workloads use, and each workload a service nested in it, with its data classes
as data classification, its model's bom-ref and the rest as `clearance:`
properties. Nested, because the library's output step registers every
top-level service in the dependency graph by a linear search (quadratic: a
service per workload took a minute at 10,000 workloads).

cyclonedx-python-lib builds and serialises the BOM (the optional extra
`clearance[audit]`); it is imported only here. It has no model-card type yet,
so the model card basics (modalities as model parameters, release date,
family, weights) are added to the serialised JSON, where CycloneDX 1.6 puts
them (`component.modelCard`); tests validate the result with the library's
own schema validator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from clearance.audit.audit_data import Rows
from clearance.audit.formats.cyclonedx_workloads import (
    PREFIX,
    agreement_register,
    model_ref,
    prop_pairs,
    service_text,
    workload_props,
)
from clearance.audit.records import AuditResult, InventoryRow, LicenceUse, ModelInfo
from clearance.errors import UsageError


def _lib() -> Any:
    try:
        import cyclonedx.model.bom
    except ImportError:
        raise UsageError(
            "--format cyclonedx needs cyclonedx-python-lib: pip install 'clearance[audit]'"
        ) from None
    import cyclonedx

    return cyclonedx


def render(audit: AuditResult) -> dict[str, str | Iterable[str]]:
    """The BOM, its workloads written one at a time.

    The library builds and serialises everything but the workload services: a
    service per workload, a dozen objects each, took 6.6 GB for 288,000 workloads.
    Those are written here as the library writes them (keys in order, data
    classifications and properties sorted and unique, services sorted by name; a
    test holds the two to the same text) into their manifest's service, as the
    file is written.
    """
    from clearance.audit.formats.json import chunks

    doc = library_document(audit, nested=False)
    rows: dict[str, list[InventoryRow]] = {}
    for row in audit.inventory:
        rows.setdefault(f"manifest:{row.manifest}", []).append(row)
    register = agreement_register(audit)
    doc["services"] = Rows(
        service_text(service, rows.get(service.get("bom-ref", ""), []), register)
        for service in doc.get("services", [])
    )
    return {"": chunks(doc)}  # one component, service or dependency a line


def library_document(audit: AuditResult, *, nested: bool = True) -> dict[str, Any]:
    """The BOM as the library serialises it, with model cards; without workload services
    unless `nested` (tests compare the two ways)."""
    _lib()
    from cyclonedx.output.json import JsonV1Dot6

    bom = build_bom(audit, nested=nested)
    doc: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    _add_model_cards(doc, audit)
    return doc


def _props(pairs: dict[str, object]) -> list[Any]:
    from cyclonedx.model import Property

    return [Property(name=name, value=value) for name, value in prop_pairs(pairs)]


def _licences(uses: list[LicenceUse]) -> list[Any]:
    from cyclonedx.model import XsUri
    from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement
    from cyclonedx.spdx import fixup_id

    out, seen = [], set()
    for use in uses:
        if use.id in seen:
            continue
        seen.add(use.id)
        spdx = fixup_id(use.spdx) if use.spdx else None
        url = XsUri(use.url) if use.url.startswith(("http://", "https://")) else None
        ack = LicenseAcknowledgement.CONCLUDED  # clearance worked out which terms govern
        if spdx:
            out.append(DisjunctiveLicense(id=spdx, url=url, acknowledgement=ack))
        else:
            out.append(DisjunctiveLicense(name=use.name, url=url, acknowledgement=ack))
    return out


def _model_component(info: ModelInfo, rows: list[InventoryRow], audit: AuditResult) -> Any:
    from cyclonedx.model.component import Component, ComponentType, Pedigree
    from cyclonedx.model.contact import OrganizationalEntity

    first = rows[0]
    ancestors = [
        Component(
            type=ComponentType.MACHINE_LEARNING_MODEL,
            name=a.id,
            description=a.name,
            manufacturer=OrganizationalEntity(name=a.vendor),
            properties=_props({"model:licence": a.licence}),
        )
        for a in (audit.models[b] for b in info.base_models if b in audit.models)
    ]
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        bom_ref=model_ref(info.id, first.provider),
        name=info.id,
        description=info.name,
        supplier=OrganizationalEntity(name=first.provider_name),
        manufacturer=OrganizationalEntity(name=info.vendor),
        licenses=_licences([lic for r in rows for lic in r.licences]),
        pedigree=Pedigree(ancestors=ancestors) if ancestors else None,
        properties=_props(
            {
                "provider": first.provider,
                "deployment-modes": tuple(sorted({r.mode for r in rows})),
                "licences": tuple(dict.fromkeys(lic.id for r in rows for lic in r.licences)),
                "workloads": len(rows),
            }
        ),
    )


def _workload_service(row: InventoryRow, register: tuple[str, ...] = ()) -> Any:
    from cyclonedx.model import DataClassification, DataFlow
    from cyclonedx.model.contact import OrganizationalEntity
    from cyclonedx.model.service import Service

    return Service(
        bom_ref=f"workload:{row.manifest}#{row.workload}",
        name=row.workload,
        group=row.repository,
        description=row.description,
        provider=OrganizationalEntity(name=row.provider_name),
        data=[DataClassification(flow=DataFlow.BI_DIRECTIONAL, classification=d) for d in row.data],
        properties=_props(workload_props(row, register)),
    )


def build_bom(audit: AuditResult, *, nested: bool = True) -> Any:
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.dependency import Dependency
    from cyclonedx.model.service import Service
    from cyclonedx.model.tool import ToolRepository

    ev = audit.evidence
    groups: dict[tuple[str, str], list[InventoryRow]] = {}
    for row in audit.inventory:
        groups.setdefault((row.model, row.provider), []).append(row)
    components = [
        _model_component(audit.models[model], rows, audit)
        for (model, _), rows in sorted(groups.items())
    ]
    by_ref = {c.bom_ref.value: c for c in components}
    by_manifest: dict[str, list[InventoryRow]] = {}
    for row in audit.inventory:
        by_manifest.setdefault(row.manifest, []).append(row)
    services, dependencies = [], []
    register = agreement_register(audit)
    for manifest, rows in by_manifest.items():
        service = Service(
            bom_ref=f"manifest:{manifest}",
            name=manifest,
            group=rows[0].repository,
            services=[
                _workload_service(row, register.get((row.manifest, row.workload), ()))
                for row in rows
            ]
            if nested
            else [],
            properties=_props(
                {
                    "repository": rows[0].repository,
                    "workloads": len(rows),
                    # its workloads' too: they are nested in it, and a manifest has one judge
                    "bundle": rows[0].bundle,
                }
            ),
        )
        services.append(service)
        used = sorted({model_ref(row.model, row.provider) for row in rows})
        # built directly: Bom.register_dependency searches the whole list on every call
        dependencies.append(
            Dependency(
                ref=service.bom_ref, dependencies=[Dependency(ref=by_ref[u].bom_ref) for u in used]
            )
        )
    services += _unjudged(audit)
    tool = Component(type=ComponentType.APPLICATION, name="clearance", version=ev.tool_version)
    metadata = BomMetaData(
        tools=ToolRepository(components=[tool]),
        timestamp=datetime.fromisoformat(ev.generated_at.replace("Z", "+00:00")),
        properties=_props(
            {
                "policy": f"{ev.policy_name} {ev.policy_version}".strip(),
                "policy-digest": ev.policy_digest,
                "command": ev.command,
                **{f"repository:{path}": commit or "none" for path, commit in ev.repositories},
                **{f"bundle:{b.path}": f"{b.name} {b.version} {b.digest}" for b in ev.bundles},
                **{
                    f"repository-status:{r.path}": r.status
                    for r in audit.repositories
                    if r.status == "error"
                },
            }
        ),
    )
    return Bom(
        components=components, services=services, dependencies=dependencies, metadata=metadata
    )


def _unjudged(audit: AuditResult) -> list[Any]:
    """A service per manifest of a repository that could not be judged: status `error`
    and each problem (`file:line:column: message`) a `clearance:problem` property."""
    from cyclonedx.model import Property
    from cyclonedx.model.service import Service

    return [
        Service(
            bom_ref=f"manifest:{manifest}",
            name=manifest,
            group=r.path,
            properties=[
                *_props({"repository": r.path, "status": "error", "bundle": r.bundle}),
                *(Property(name=PREFIX + "problem", value=p) for p in r.problems),
            ],
        )
        for r in audit.repositories
        if r.status == "error"
        for manifest in r.manifests
    ]


def _add_model_cards(doc: dict[str, Any], audit: AuditResult) -> None:
    for component in doc.get("components", []):
        ref = component.get("bom-ref", "")
        info = audit.models.get(component.get("name", ""))
        if not ref.startswith("model:") or info is None:
            continue
        card_props = {
            "family": info.family,
            "weights": info.weights,
            "released": info.released.isoformat() if info.released else None,
            "parameters": info.parameters,
            "lineage": info.lineage,
            "base-models": ", ".join(info.base_models) or None,
        }
        component["modelCard"] = {
            "modelParameters": {
                "inputs": [{"format": m} for m in info.input_modalities],
                "outputs": [{"format": m} for m in info.output_modalities],
            },
            "properties": [
                {"name": PREFIX + k, "value": v} for k, v in card_props.items() if v is not None
            ],
        }
