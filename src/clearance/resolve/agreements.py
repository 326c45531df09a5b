"""What backs each agreement a workload claims with its provider.

A provider fact is three-valued: the catalogue knows the provider offers an
agreement (sourced), knows it does not (sourced), or does not know. A claim is
judged against that and against the agreements the organisation has recorded
as signed (organisation.yaml `agreements:`):

- `not-offered`: the catalogue knows the provider does not offer it (an error);
- `recorded`: the organisation holds a signed, unexpired copy (its reference is evidence);
- `expired`: the organisation's only record of it has expired (an error);
- `verified`: the catalogue knows the provider offers it, and nobody recorded a copy;
- `attested`: only the repository says so (a warning: keep the signed agreement on file).

Plain data in, plain data out: the resolver turns the statuses into facts and
the audit into its register of agreements, so both say the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Status = Literal["not-offered", "recorded", "expired", "verified", "attested"]
STATUSES: tuple[Status, ...] = ("not-offered", "recorded", "expired", "verified", "attested")


@dataclass(frozen=True)
class Backing:
    kind: str
    status: Status
    reference: str | None = None
    signed: date | None = None
    expires: date | None = None


def index_records(records: Iterable[Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The organisation's signed agreements by (provider, kind), latest signed first."""
    out: dict[tuple[str, str], list[Any]] = {}
    for r in records:
        out.setdefault((r.provider, r.kind), []).append(r)
    return {
        key: tuple(sorted(rs, key=lambda r: (r.signed, r.reference), reverse=True))
        for key, rs in out.items()
    }


def backing(
    claimed: Sequence[str],
    provider: Any,
    records: dict[tuple[str, str], tuple[Any, ...]],
    today: date,
) -> tuple[Backing, ...]:
    """The status of each claimed agreement, in the order claimed (duplicates once)."""
    out: list[Backing] = []
    for kind in dict.fromkeys(claimed):
        if kind in provider.agreements_not_offered:
            out.append(Backing(kind, "not-offered"))
            continue
        held = records.get((provider.id, kind), ())
        valid = [r for r in held if r.expires is None or r.expires >= today]
        if valid:
            r = valid[0]
            out.append(Backing(kind, "recorded", r.reference, r.signed, r.expires))
        elif held:
            r = held[0]
            out.append(Backing(kind, "expired", r.reference, r.signed, r.expires))
        elif kind in provider.agreements:
            out.append(Backing(kind, "verified"))
        else:
            out.append(Backing(kind, "attested"))
    return tuple(out)


def kinds(backings: Iterable[Backing], status: Status) -> tuple[str, ...]:
    return tuple(b.kind for b in backings if b.status == status)
