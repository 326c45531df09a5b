"""Judge one proposed deployment exactly as `clearance check` would, without waivers.

The workload's own record is copied with the proposed model and deployment
and goes through the same Resolver and `evaluate` as a manifest workload; an
option is compliant when no error-severity finding remains.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clearance.bundle.load import Bundle
from clearance.errors import InputError
from clearance.evaluate.evaluate import evaluate
from clearance.manifest.load import LoadedManifest
from clearance.manifest.records import DeploymentRecord, ManifestRecord, WorkloadRecord
from clearance.resolve.resolver import ResolvedWorkload, Resolver


@dataclass(frozen=True)
class Deployment:
    model: str
    mode: str
    provider: str
    region: str
    network: str
    agreements: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    compliant: bool
    blocking: tuple[str, ...]  # rule ids of error findings
    warnings: tuple[str, ...]  # rule ids of warning findings


class Judge:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.resolver = Resolver(bundle)
        self._memo: dict[tuple[object, ...], Verdict] = {}

    def record(self, rw: ResolvedWorkload, d: Deployment) -> WorkloadRecord:
        deployment = DeploymentRecord(d.mode, d.provider, d.region, d.network, list(d.agreements))
        return replace(rw.workload, model=d.model, deployment=deployment)

    def judge(self, rw: ResolvedWorkload, d: Deployment) -> Verdict:
        key = (rw.manifest.name, rw.index, d)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._judge(rw, d)
        return found

    def _judge(self, rw: ResolvedWorkload, d: Deployment) -> Verdict:
        lm = rw.manifest
        synthetic = LoadedManifest(
            path=lm.path,
            name=lm.name,
            digest=lm.digest,
            manifest=ManifestRecord(
                version=1,
                workloads=[self.record(rw, d)],
                system=lm.manifest.system,
                owner=lm.manifest.owner,
                models=lm.manifest.models,  # the manifest's own models, as declared
            ),
            raw=None,
        )
        try:
            resolved = self.resolver.resolve(synthetic)
        except InputError as exc:  # an impossible combination: blocked, with the reason
            reasons = tuple(sorted({f"invalid: {p.message}" for p in exc.problems}))
            return Verdict(False, reasons, ())
        findings = evaluate(resolved, self.bundle)
        errors = tuple(sorted({f.rule for f in findings if f.severity == "error"}))
        warnings = tuple(sorted({f.rule for f in findings if f.severity == "warning"}))
        return Verdict(not errors, errors, warnings)
