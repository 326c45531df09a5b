"""What drift says on its rarer paths: a model nothing resolves, a profile wider than declared.

Kept apart from drift.py, which every check of a manifest with `gateways:`
imports: these are needed only when such a finding or error is worded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clearance.errors import Problem
from clearance.gateways.bedrock import GEOGRAPHIES
from clearance.gateways.interface import GatewayDeployment
from clearance.resolve.governing import split_profile

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.resolve.resolver import ResolvedWorkload
    from clearance.schema.catalog import ModelEntry


def unresolved(d: GatewayDeployment, catalogue: Catalogue, mine: dict[str, ModelEntry]) -> Problem:
    """An unknown model, with the nearest catalogue and manifest models and their licences."""
    from clearance.resolve.model_hint import HOW_TO_DECLARE, ranked, shown  # an error's path

    served = d.served or d.model
    pool = [*mine.values(), *catalogue.models.values()]
    hint = ", or ".join(shown(n, m) for n, m in ranked(pool, served)) or None
    message = (
        f"unknown model {served!r} (written {d.model!r}): no catalogue model or model of "
        f"the manifest resolves it; {HOW_TO_DECLARE}"
    )
    return Problem(d.file, d.line, d.column, (), message, hint)


def contradiction(
    d: GatewayDeployment, shown: str, rw: ResolvedWorkload, catalogue: Catalogue, region: str | None
) -> str:
    """Why a declared deployment's profile processes wider than its workload declares."""
    w = rw.workload
    geo = d.geography or ""
    area = GEOGRAPHIES.get(geo, geo) if d.provider == "aws-bedrock" else "other regions"
    sent = f"sent to {region}" if region else "sent to an unwritten region"
    profile, _ = split_profile(rw.provider, w.model)
    declared = f"profile {profile.prefix}" if profile else f"region {w.deployment.region}"
    text = (
        f"{shown} is a {geo}. cross-Region inference profile: {sent}, it may be processed "
        f"in {area}; workload {w.id} declares {declared}"
    )
    if w.residency:
        inside = _within(d, rw, catalogue, w.residency)
        text += f" and residency {', '.join(w.residency)}"
        if not inside:
            text += ", which that geography is not confined to"
    return text


def _within(
    d: GatewayDeployment, rw: ResolvedWorkload, catalogue: Catalogue, residency: list[str]
) -> bool:
    """Whether every place the profile may route to lies within the residency."""
    for profile in rw.provider.inference_profiles:
        if profile.prefix == f"{d.geography}.":
            place = profile.country or profile.area
            if place is None:
                return False  # anywhere, or an area the catalogue places nowhere
            groups = catalogue.groups_of.get(place, frozenset()) | {place}
            return any(code in groups for code in residency)
    return False
