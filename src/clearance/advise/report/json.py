"""Advice as JSON: the document of schemas/advice.schema.json, keys in a fixed order."""

from __future__ import annotations

import json
from typing import Any

from clearance.advise.advise import Advice, Option, WorkloadAdvice
from clearance.advise.cost import ALWAYS_ON_HOURS, DAYS_PER_MONTH, SETUP_MONTHS


def option_dict(o: Option) -> dict[str, Any]:
    d = o.deployment
    return {
        "model": d.model,
        "mode": d.mode,
        "provider": d.provider,
        "region": d.region,
        "network": d.network,
        "agreements": list(d.agreements),
        "assumed_agreements": list(o.assumed_agreements),
        "weights": o.weights,
        "compliant": o.compliant,
        "blocking": list(o.verdict.blocking),
        "warnings": list(o.verdict.warnings),
        "monthly_cost_usd": o.monthly_cost_usd,
        "cost_basis": o.cost_basis,
    }


def workload_dict(w: WorkloadAdvice) -> dict[str, Any]:
    s = w.score
    between = None
    if w.break_even_between is not None:
        between = [
            w.options.index(w.break_even_between[0]),
            w.options.index(w.break_even_between[1]),
        ]
    v = w.volume
    return {
        "manifest": w.manifest,
        "workload": w.workload,
        "current": option_dict(w.current),
        "score": {
            "dimensions": dict(s.dimensions),
            "sources": dict(s.sources),
            "total": s.total,
            "band": s.band,
            "hard_constraint": s.hard_constraint,
            "decision_flow": s.flow,
            "notes": list(s.notes),
        },
        "volume": None
        if v is None
        else {
            "requests_per_day": v.requests_per_day,
            "input_tokens_per_request": v.input_tokens_per_request,
            "output_tokens_per_request": v.output_tokens_per_request,
            "tokens_per_day": v.tokens_per_day,
        },
        "break_even_tokens_per_day": w.break_even_tokens_per_day,
        "break_even_between": between,
        "notes": list(w.notes),
        "options": [option_dict(o) for o in w.options],
    }


def document(advice: Advice) -> dict[str, Any]:
    return {
        "advice_version": 1,
        "policy": {"name": advice.policy_name, "version": advice.policy_version},
        "assumptions": {
            "days_per_month": DAYS_PER_MONTH,
            "always_on_gpu_hours": ALWAYS_ON_HOURS,
            "setup_amortised_months": SETUP_MONTHS,
        },
        "workloads": [workload_dict(w) for w in advice.workloads],
    }


def render(advice: Advice) -> str:
    return json.dumps(document(advice), indent=2, ensure_ascii=False) + "\n"
