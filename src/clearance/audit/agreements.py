"""The audit's register of agreements: per workload, what backs each agreement it claims.

Verified by the catalogue (a sourced fact that the provider offers it), recorded
by the organisation (organisation.yaml `agreements:`, with the reference an
auditor asks for), or attested by the repository only; and the two claims that
fail, expired and not offered. The statuses are the resolver's (agreements.py),
so the register and the check's findings always agree. Nothing is evaluated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearance.audit.records import AgreementRow
from clearance.resolve.resolver import ResolvedWorkload


def _agreement_source(provider: Any) -> str | None:
    for source in provider.sources:
        if "agreements" in source.covers:
            return str(source.url)
    return None


def agreement_rows(
    workloads: Sequence[ResolvedWorkload], repo_of: dict[str, str]
) -> list[AgreementRow]:
    rows = [
        AgreementRow(
            repository=repo_of.get(rw.manifest.name, ""),
            manifest=rw.manifest.name,
            workload=rw.workload.id,
            provider=rw.provider.id,
            provider_name=rw.provider.name,
            kind=b.kind,
            status=b.status,
            reference=b.reference,
            signed=b.signed,
            expires=b.expires,
            source_url=_agreement_source(rw.provider) if b.status == "verified" else None,
        )
        for rw in workloads
        for b in rw.agreements
    ]
    rows.sort(key=lambda r: (r.repository, r.manifest, r.workload, r.kind))
    return rows
