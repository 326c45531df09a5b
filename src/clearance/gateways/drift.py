"""Drift: what a listed gateway config routes to, against what its manifest declares.

A deployment is declared by a workload of the manifest listing the config
when the resolved model, the provider and the region agree; a workload in
region `global` declares every region of its provider, and a region the
config does not write at all cannot contradict a declaration. Each
deployment gets at most one finding, at the gateway file's `file:line`:

- its model (or provider, or a region or endpoint it takes from the
  environment) cannot be known: `gateways.unknown-deployment`, a warning;
- no workload declares it: `gateways.undeclared-deployment`, an error;
- it is declared, but a Bedrock cross-Region profile processes it wider than
  the workload declares (`global.` from eu-central-1 under residency EU):
  `gateways.geography-contradiction`, an error.

A model string no catalogue model resolves is bad input, as in a manifest:
exit 2 at its position, with "did you mean". A finding's `workload` is the
deployment's subject (`subject()`), the id `clearance import` would give it,
which is what a waiver of it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from clearance.errors import ProblemCollector
from clearance.evaluate.findings import Explanation, Finding
from clearance.evaluate.gateway_rules import CONTRADICTION, DRIFT_RULES, UNDECLARED, UNKNOWN
from clearance.gateways.interface import GatewayDeployment
from clearance.gateways.listed import read_listed
from clearance.gateways.models import candidates, provider_regions
from clearance.resolve.governing import split_profile
from clearance.resolve.resolver import ResolvedWorkload

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.bundle.load import Bundle
    from clearance.manifest.load import LoadedManifest
    from clearance.schema.catalog import ModelEntry

GLOBAL = "global"
# Unknowns that make a known-looking value unreliable (env, wildcard, …), as against a
# value the config simply does not write ("missing"), which contradicts nothing.
_HIDDEN = frozenset({"env", "wildcard", "runtime", "template", "conflict"})
# what each rule expected of the deployment, for a finding's "why"
_EXPECTED = {
    UNDECLARED: "declared by a workload of the manifest (model, provider, region)",
    CONTRADICTION: "processed no wider than its workload declares",
    UNKNOWN: "a model, provider, region and endpoint written in the config",
}


class Drift:
    """The findings, and what a waiver may name (a plain class: cheap to import)."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        # manifest name -> gateway file name -> every deployment subject in that file:
        # what a waiver beside the manifest may name
        self.subjects: dict[str, dict[str, set[str]]] = {}


def check_drift(
    manifests: list[LoadedManifest], workloads: Sequence[ResolvedWorkload], bundle: Bundle
) -> Drift:
    """Every drift finding of the manifests' listed gateways; InputError for bad input."""
    catalogue = bundle.catalogue
    # manifest -> (model id, provider) -> the workloads declaring that pair
    declared: dict[str, Declared] = {}
    # manifest -> its own models (`models:`), which a gateway may serve as well
    own: dict[str, dict[str, ModelEntry]] = {}
    own_ids = {lm.name: {m.id.lower() for m in lm.manifest.models} for lm in manifests}
    for rw in workloads:
        pair = (rw.model.id.lower(), rw.provider.id)
        declared.setdefault(rw.manifest.name, {}).setdefault(pair, []).append(rw)
        if rw.model.id.lower() in own_ids.get(rw.manifest.name, ()):
            own.setdefault(rw.manifest.name, {})[rw.model.id.lower()] = rw.model
    drift = Drift()
    problems = ProblemCollector()
    # manifest -> the places (`_place`) already judged to need no finding
    clean: dict[str, set[tuple[object, ...]]] = {}
    for listed in read_listed(manifests, catalogue):
        lm = listed.manifest
        files = drift.subjects.setdefault(lm.name, {})
        files.setdefault(listed.name, set())
        index = declared.get(lm.name, {})
        mine = own.get(lm.name, {})
        judged_clean = clean.setdefault(lm.name, set())
        for d in listed.deployments:
            if d.model_id is None and d.served and mine:
                d = _as_declared(d, mine)
            sid = subject(d)
            files.setdefault(d.file, set()).add(sid)
            if d.model_id is None and not _model_unknown(d):
                from clearance.gateways import drift_messages  # an error's path

                problems.add(drift_messages.unresolved(d, catalogue, mine))
                continue
            place = _place(d)
            if place in judged_clean:
                continue
            found = judge(d, index, catalogue, lm.name, sid)
            if found is None:
                judged_clean.add(place)
            else:
                drift.findings.append(found)
    problems.raise_if_any()
    drift.findings.sort(key=lambda f: f.sort_key)
    return drift


def subject(d: GatewayDeployment) -> str:
    """A deployment's id for waivers and baselines: its model, provider and place."""
    return _subject(d.model_id or d.served or d.model, d.provider, d.geography, d.region)


@lru_cache(maxsize=4096)  # a config routes many entries to a few places
def _subject(model: str, *place: str | None) -> str:
    text = "-".join(p for p in (model.replace("*", "any"), *place) if p)
    slug = _slug(text.lower()).strip("-._")
    return slug[:120].rstrip("-._") or "deployment"


_SLUG = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._")


def _slug(text: str) -> str:
    """`re.sub(r"[^a-z0-9._]+", "-", text)` less its leading and trailing `-`, without
    compiling an expression on every check's way."""
    marked = "".join(c if c in _SLUG else "-" for c in text)
    return "-".join(part for part in marked.split("-") if part)


def _place(d: GatewayDeployment) -> tuple[object, ...]:
    """Everything `judge` reads of a deployment to decide that it needs no finding: a
    config routes many entries (load-balanced copies, aliases) to a few such places."""
    unknown = tuple((u.kind, u.field) for u in d.unknown)
    return (d.served is None, d.model_id, d.provider, d.region, d.geography, unknown)


def _model_unknown(d: GatewayDeployment) -> bool:
    return d.served is None or any(u.field == "model" for u in d.unknown)


def _as_declared(d: GatewayDeployment, mine: dict[str, ModelEntry]) -> GatewayDeployment:
    """The deployment resolved to a model its manifest declares (`models:`), if one is."""
    for name in candidates(d.served or ""):
        model = mine.get(name.lower())
        if model is not None:
            return d._replace(model_id=model.id)
    return d


def effective_region(d: GatewayDeployment, catalogue: Catalogue) -> str | None:
    """The region to match: as written, else `global` where nothing narrower can be."""
    if d.region is not None:
        return d.region
    regions = provider_regions(catalogue, d.provider)
    if regions is not None and not regions and d.provider != "on-prem":
        return GLOBAL  # the catalogue knows no regions for the provider
    return GLOBAL if d.geography == GLOBAL else None


Declared = dict[tuple[str, str], list[ResolvedWorkload]]


def judge(
    d: GatewayDeployment,
    declared: Declared,
    catalogue: Catalogue,
    manifest: str,
    sid: str | None = None,
) -> Finding | None:
    """The one finding for deployment `d` against the workloads of `manifest` (indexed
    by model id, lowercase, and provider), if any; `sid` is `subject(d)`."""

    def _finding(rule_id: str, d: GatewayDeployment, message: str) -> Finding:
        return finding(rule_id, d, message, sid or subject(d))

    if _model_unknown(d):
        why = "; ".join(str(u) for u in d.unknown if u.field == "model") or "no model written"
        return _finding(UNKNOWN, d, f"{d.model!r}: the model cannot be known ({why})")
    if d.provider is None:
        why = "; ".join(str(u) for u in d.unknown if u.field == "provider") or "not written"
        return _finding(UNKNOWN, d, f"{d.model!r}: the provider cannot be known ({why})")
    assert d.model_id is not None
    what = f"{d.model_id} at {d.provider}"
    same = declared.get((d.model_id.lower(), d.provider), [])
    if not same:
        return _finding(
            UNDECLARED,
            d,
            f"{_shown(d)} routes to {what}: no workload of {manifest} "
            "declares that model at that provider",
        )
    region = effective_region(d, catalogue)
    hidden = [u for u in d.unknown if u.kind in _HIDDEN and u.field in ("region", "endpoint")]
    if region is None:
        # only a workload that may process anywhere covers a region nobody wrote down;
        # one the environment or the provider picks is unknown, not whatever was declared
        # (a region nothing recorded as unknown is as unknown: matching it to whatever
        # the workloads declare passed a default endpoint that may process anywhere)
        anywhere = [rw for rw in same if rw.workload.deployment.region == GLOBAL]
        unwritten = [str(u) for u in d.unknown if u.field == "region"] + [str(u) for u in hidden]
        if not anywhere:
            why = "; ".join(dict.fromkeys(unwritten)) or (
                f"the config does not say which of {d.provider}'s regions it uses"
            )
            return _finding(
                UNKNOWN,
                d,
                f"{_shown(d)} routes to {what}, but where cannot be known from the config "
                f"({why}); declared by {_ids(same)} at "
                f"{', '.join(sorted({rw.workload.deployment.region for rw in same}))}",
            )
        matches = anywhere
    else:
        matches = [rw for rw in same if rw.workload.deployment.region in (region, GLOBAL)]
    if not matches:
        regions = ", ".join(sorted({rw.workload.deployment.region for rw in same}))
        return _finding(
            UNDECLARED,
            d,
            f"{_shown(d)} routes to {what} in {region}: no workload "
            f"of {manifest} declares that region (declared: {regions})",
        )
    wider = [rw for rw in matches if _wider(d, rw)]
    if len(wider) == len(matches):
        from clearance.gateways import drift_messages  # contradictions are rare

        text = drift_messages.contradiction(d, _shown(d), wider[0], catalogue, region)
        return _finding(CONTRADICTION, d, text)
    if hidden:
        why = "; ".join(str(u) for u in hidden)
        return _finding(UNKNOWN, d, f"{_shown(d)}: its endpoint cannot be known ({why})")
    return None


def _wider(d: GatewayDeployment, rw: ResolvedWorkload) -> bool:
    """Whether `d`'s processing geography reaches beyond what workload `rw` declares."""
    if d.geography is None or rw.workload.deployment.region == GLOBAL:
        return False  # processed in the region it is sent to, or declared to be anywhere
    profile, _ = split_profile(rw.provider, rw.workload.model)
    declared = profile.prefix.rstrip(".") if profile is not None else None
    return declared not in (d.geography, GLOBAL)


def _shown(d: GatewayDeployment) -> str:
    return f"{d.model!r}" + (f" (as {d.alias!r})" if d.alias else "")


def _ids(workloads: Sequence[ResolvedWorkload]) -> str:
    return ", ".join(rw.workload.id for rw in workloads[:5])


def finding(rule_id: str, d: GatewayDeployment, message: str, sid: str) -> Finding:
    info = DRIFT_RULES[rule_id]
    return Finding(
        rule=rule_id,
        title=info.title,
        severity=info.severity,
        manifest=d.file,
        line=d.line,
        column=d.column,
        workload=sid,
        message=message,
        remediation=info.remediation,
        references=info.references,
        explanation=(Explanation("require", "gateway.deployment", _EXPECTED[rule_id], d.model),),
    )
