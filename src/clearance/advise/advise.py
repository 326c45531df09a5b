"""Advice for every workload: its current deployment, its score and its ranked options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clearance.advise.candidates import Candidate, candidates
from clearance.advise.cost import ApiRate, Hardware, api_monthly, break_even, self_hosted_monthly
from clearance.advise.judge import Deployment, Judge, Verdict
from clearance.advise.prices import PriceBook, load_prices, size_class
from clearance.advise.score import Score, build_score
from clearance.bundle.load import Bundle
from clearance.errors import UsageError
from clearance.pipeline.check import CheckOptions, check
from clearance.resolve.resolver import ResolvedWorkload
from clearance.schema.catalog import ModelEntry, ProviderEntry

# the order options take within the score's band (lower first)
MODE_ORDER = {
    "closed-apis": {"api": 0, "hosted-open": 1, "self-hosted": 2},
    "hybrid": {"api": 0, "hosted-open": 0, "self-hosted": 0},
    "open-primary": {"self-hosted": 0, "hosted-open": 1, "api": 2},
    "open-only": {"self-hosted": 0, "hosted-open": 1, "api": 2},
}


@dataclass(frozen=True)
class Volume:
    requests_per_day: int
    input_tokens_per_request: int
    output_tokens_per_request: int

    @property
    def input_per_day(self) -> int:
        return self.requests_per_day * self.input_tokens_per_request

    @property
    def output_per_day(self) -> int:
        return self.requests_per_day * self.output_tokens_per_request

    @property
    def tokens_per_day(self) -> int:
        return self.input_per_day + self.output_per_day

    @property
    def input_share(self) -> float:
        total = self.input_tokens_per_request + self.output_tokens_per_request
        return self.input_tokens_per_request / total if total else 0.5


@dataclass(frozen=True)
class Option:
    deployment: Deployment
    assumed_agreements: tuple[str, ...]
    verdict: Verdict
    monthly_cost_usd: float | None
    cost_basis: str | None  # the price or hardware used, or why the cost is unknown
    weights: str

    @property
    def compliant(self) -> bool:
        return self.verdict.compliant


@dataclass
class WorkloadAdvice:
    manifest: str
    workload: str
    current: Option
    score: Score
    volume: Volume | None
    options: list[Option]
    break_even_tokens_per_day: float | None = None
    break_even_between: tuple[Option, Option] | None = None
    break_even_inputs: tuple[ApiRate, Hardware] | None = None  # what the chart draws
    notes: list[str] = field(default_factory=list)


@dataclass
class Advice:
    policy_name: str
    policy_version: str
    workloads: list[WorkloadAdvice]


def advise(
    paths: Sequence[Path],
    policy: Path | None = None,
    workload: str | None = None,
    bundle: Bundle | None = None,
    policy_ref: str | None = None,
) -> Advice:
    checked = check(paths, CheckOptions(policy=policy, policy_ref=policy_ref), bundle)
    bundle = checked.only_bundle("advise")  # candidates are judged by one bundle
    book = load_prices(bundle)
    judge = Judge(bundle)
    selected = [rw for rw in checked.workloads if workload is None or rw.workload.id == workload]
    if workload is not None and not selected:
        from clearance.errors import did_you_mean

        ids = sorted({rw.workload.id for rw in checked.workloads})
        hint = did_you_mean(workload, ids)
        raise UsageError(
            f"no workload {workload!r} in the manifests"
            + (f" (did you mean {hint}?)" if hint else "")
        )
    blocking: dict[tuple[str, str], set[str]] = {}
    for f in checked.result.findings:
        if f.severity == "error" and f.waiver is None:
            blocking.setdefault((f.manifest, f.workload), set()).add(f.rule)
    out = [_advise_one(rw, bundle, book, judge, blocking) for rw in selected]
    return Advice(bundle.name, bundle.version, out)


def _volume(rw: ResolvedWorkload) -> Volume | None:
    v = rw.workload.volume
    if v is None or None in (
        v.requests_per_day,
        v.input_tokens_per_request,
        v.output_tokens_per_request,
    ):
        return None
    assert v.requests_per_day is not None
    assert v.input_tokens_per_request is not None and v.output_tokens_per_request is not None
    return Volume(v.requests_per_day, v.input_tokens_per_request, v.output_tokens_per_request)


def _advise_one(
    rw: ResolvedWorkload,
    bundle: Bundle,
    book: PriceBook,
    judge: Judge,
    blocking: dict[tuple[str, str], set[str]],
) -> WorkloadAdvice:
    volume = _volume(rw)
    p = rw.workload.profile
    given = {} if p is None else {k: getattr(p, k) for k in type(p).__dataclass_fields__}
    advice = bundle.organisation.advice
    defaults = advice.profile.model_dump() if advice else {}
    d = rw.workload.deployment
    score = build_score(
        given, defaults, rw.workload.data, volume.tokens_per_day if volume else None, d.network
    )
    current_d = Deployment(
        rw.model.id, d.mode, d.provider, d.region, d.network, tuple(d.agreements)
    )
    rules = tuple(sorted(blocking.get((rw.manifest.name, rw.workload.id), ())))
    cost, basis = _cost(rw.model, rw.provider, d.mode, volume, book)
    current = Option(current_d, (), Verdict(not rules, rules, ()), cost, basis, rw.model.weights)
    options: list[Option] = []
    for c in candidates(rw, bundle, book, score.dimensions["capability"]):
        found = _best(rw, c, judge, book, volume)
        if found is not None:
            options.append(found)
    order = MODE_ORDER[score.band]
    options.sort(
        key=lambda o: (
            not o.compliant,
            len(o.verdict.blocking),
            order[o.deployment.mode],
            o.monthly_cost_usd is None,
            o.monthly_cost_usd or 0.0,
            o.deployment.model.lower(),
            o.deployment.provider,
            o.deployment.region,
            o.deployment.network,
        )
    )
    result = WorkloadAdvice(rw.manifest.name, rw.workload.id, current, score, volume, options)
    if volume is None:
        result.notes.append("no volume given: no cost and no break-even (add workload.volume)")
    _break_even(result, book, bundle)
    return result


def _best(
    rw: ResolvedWorkload, c: Candidate, judge: Judge, book: PriceBook, volume: Volume | None
) -> Option | None:
    """The first compliant region and network of the candidate, else its least blocked one.

    Agreements: those the workload already holds with this provider; if that is
    not enough, every agreement the provider offers (and the bundle knows), then
    only those of them the verdict needs, each reported as assumed.
    """
    held = tuple(rw.workload.deployment.agreements) if c.provider.id == rw.provider.id else ()
    offered = tuple(
        sorted(set(held) | {a for a in c.provider.agreements if a in judge.bundle.agreements})
    )
    best: tuple[Deployment, Verdict, tuple[str, ...]] | None = None
    for network in c.networks:
        for region in c.regions:
            base = Deployment(c.model.id, c.mode, c.provider.id, region, network, held)
            verdict = judge.judge(rw, base)
            agreements = held
            if not verdict.compliant and offered != held:
                agreements, verdict = _fewest_agreements(rw, base, held, offered, judge)
            found = (replace_agreements(base, agreements), verdict, agreements)
            if verdict.compliant:
                best = found
                break
            if best is None or len(verdict.blocking) < len(best[1].blocking):
                best = found
        if best is not None and best[1].compliant:
            break
    if best is None:
        return None
    deployment, verdict, agreements = best
    assumed = tuple(a for a in agreements if a not in held)
    cost, basis = _cost(c.model, c.provider, c.mode, volume, book)
    return Option(deployment, assumed, verdict, cost, basis, c.model.weights)


def replace_agreements(d: Deployment, agreements: tuple[str, ...]) -> Deployment:
    return Deployment(d.model, d.mode, d.provider, d.region, d.network, agreements)


def _fewest_agreements(
    rw: ResolvedWorkload,
    base: Deployment,
    held: tuple[str, ...],
    offered: tuple[str, ...],
    judge: Judge,
) -> tuple[tuple[str, ...], Verdict]:
    full = judge.judge(rw, replace_agreements(base, offered))
    if not full.compliant:  # signing would not be enough: assume nothing unless it helps
        plain = judge.judge(rw, base)
        if len(full.blocking) < len(plain.blocking):
            return offered, full
        return held, plain
    needed = list(offered)
    for a in offered:  # drop each assumed agreement the verdict does not need
        if a in held:
            continue
        trial = tuple(x for x in needed if x != a)
        if judge.judge(rw, replace_agreements(base, trial)).compliant:
            needed = list(trial)
    return tuple(needed), full


def _cost(
    model: ModelEntry, provider: ProviderEntry, mode: str, volume: Volume | None, book: PriceBook
) -> tuple[float | None, str | None]:
    if mode == "self-hosted":
        cls = size_class(model.parameters)
        where = "on-prem" if provider.kind == "on-prem" else "cloud"
        hosting = book.hosting.get((cls or "", where))
        if hosting is None:
            return None, f"no self-hosting figure for {cls or 'unknown-size'} models ({where})"
        hw = hosting.hardware
        basis = (
            f"{hw.gpus}x {hosting.gpu} at ${hw.gpu_hourly:g}/GPU-hour, "
            f"{hw.tokens_per_day:,.0f} tokens/day a replica, "
            f"setup ${hw.setup:,.0f} ({hosting.level})"
        )
        if volume is None:
            return None, basis
        return round(self_hosted_monthly(hw, volume.tokens_per_day), 2), basis
    price = book.api.get((provider.id, model.id))
    if price is None:
        return None, f"no recorded price for {model.id} at {provider.id}"
    basis = (
        f"${price.rate.input_per_million:g} in / ${price.rate.output_per_million:g} out "
        f"per 1M tokens ({price.level})"
    )
    if volume is None:
        return None, basis
    return round(api_monthly(price.rate, volume.input_per_day, volume.output_per_day), 2), basis


def _break_even(result: WorkloadAdvice, book: PriceBook, bundle: Bundle) -> None:
    if result.volume is None:
        return
    costed = [o for o in result.options if o.compliant and o.monthly_cost_usd is not None]
    apis = [o for o in costed if o.deployment.mode != "self-hosted"]
    hosted = [o for o in costed if o.deployment.mode == "self-hosted"]
    if not apis or not hosted:
        result.notes.append(
            "no break-even: it needs a compliant, priced option of each kind (API and self-hosted)"
        )
        return
    api = min(apis, key=lambda o: o.monthly_cost_usd or 0.0)
    own = min(hosted, key=lambda o: o.monthly_cost_usd or 0.0)
    cat = bundle.catalogue
    rate = book.api[(api.deployment.provider, api.deployment.model)].rate
    model = cat.model(own.deployment.model)
    provider = cat.providers[own.deployment.provider]
    assert model is not None
    where = "on-prem" if provider.kind == "on-prem" else "cloud"
    hw = book.hosting[(size_class(model.parameters) or "", where)].hardware
    value = break_even(rate, hw, result.volume.input_share)
    result.break_even_between = (api, own)
    result.break_even_inputs = (rate, hw)
    result.break_even_tokens_per_day = None if value is None else round(value)
    if value is None:
        result.notes.append("self-hosting never becomes cheaper than the cheapest compliant API")
