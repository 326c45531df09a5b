"""clearance against OPA's Rego (through regopy) on the same three rules and the same facts.

The rules: hipaa.phi-needs-baa, gdpr.transfer-needs-safeguard and
residency.region-outside-declared, written once in clearance's rule language
(the shipped bundle) and once in Rego below. Both evaluate the same resolved
facts; only evaluation is timed (not parsing or resolving), and both must
find the same violations.

    python bench/rego.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import write

RULES = ("hipaa.phi-needs-baa", "gdpr.transfer-needs-safeguard",
         "residency.region-outside-declared")
REGO = """
package clearance
import rego.v1

violations contains {"rule": "hipaa.phi-needs-baa", "workload": w.workload.id} if {
    some w in input.workloads
    "phi" in w.workload.data
    w.provider.kind != "on-prem"
    "baa" in w.provider.agreements
    not "baa" in w.deployment.agreements
}

gdpr_data(w) if "gdpr" in w.workload.data
gdpr_data(w) if "gdpr-special" in w.workload.data

personal(w) if {
    some d in w.workload.data
    d in {"pii", "phi", "gdpr", "gdpr-special", "pci"}
}

# where the GDPR reaches (Art. 3); an establishment nobody set is reported, not passed
in_reach(w) if gdpr_data(w)
in_reach(w) if "EEA" in w.organisation.established_in
in_reach(w) if "EEA" in w.workload.data_subjects_within
in_reach(w) if w.organisation.established_in == null

violations contains {"rule": "gdpr.transfer-needs-safeguard", "workload": w.workload.id} if {
    some w in input.workloads
    personal(w)
    in_reach(w)
    not "EEA-OR-ADEQUATE" in w.region.within
    not "scc" in w.deployment.agreements
}

violations contains {"rule": "residency.region-outside-declared", "workload": w.workload.id} if {
    some w in input.workloads
    w.workload.residency != null
    count({p | some p in w.workload.residency; p in w.region.within}) == 0
}
"""


def facts_of(record: tuple[Any, ...]) -> dict[str, Any]:
    from clearance.schema.facts import FACT_SPECS

    out: dict[str, Any] = {}
    for spec, value in zip(FACT_SPECS, record, strict=True):
        head, _, tail = spec.path.partition(".")
        if head in ("workload", "deployment", "provider", "region", "organisation"):
            out.setdefault(head, {})[tail] = list(value) if isinstance(value, tuple) else value
    return out


def run(n: int, work: Path) -> dict[str, float]:
    import regopy

    from clearance.bundle.load import load_bundle
    from clearance.evaluate.evaluate import evaluate
    from clearance.manifest.load import load_manifest
    from clearance.pipeline.check import paused_gc
    from clearance.resolve.resolver import Resolver

    bundle = load_bundle()
    bundle = dataclasses.replace(bundle, rules=[r for r in bundle.rules if r.id in RULES],
                                 licence_rules={})
    workloads = Resolver(bundle).resolve(load_manifest(write(n, work / f"r{n}" / "m.yaml")))
    with paused_gc():
        start = time.perf_counter()
        ours = evaluate(workloads, bundle)
        ours_s = time.perf_counter() - start
    doc = json.dumps({"workloads": [facts_of(rw.records[0]) for rw in workloads]}, default=str)
    rego = regopy.Interpreter()
    rego.add_module("clearance", REGO)
    rego.set_input_term(doc)
    start = time.perf_counter()
    output = rego.query("data.clearance.violations")
    rego_s = time.perf_counter() - start
    theirs = {(v["rule"], v["workload"]) for v in json.loads(str(output))["expressions"][0]}
    mine = {(f.rule, f.workload) for f in ours}
    if theirs != mine:
        raise SystemExit(f"the engines disagree at {n}: {len(mine ^ theirs)} differences")
    return {"clearance": ours_s, "rego": rego_s, "violations": len(mine)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(n, run(n, Path(tmp))) for n in args.sizes]
    print(f"{'workloads':>10} {'clearance s':>12} {'regopy s':>10} {'speed-up':>9} "
          f"{'violations':>11}")
    for n, r in rows:
        print(f"{n:>10} {r['clearance']:>12.4f} {r['rego']:>10.3f} "
              f"{r['rego'] / r['clearance']:>8.0f}x {int(r['violations']):>11}")


if __name__ == "__main__":
    main()
