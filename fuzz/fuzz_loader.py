"""Coverage-guided fuzz target for clearance's loader, validators and rule compiler.

Run it from the repository root, with the `fuzz` extra installed
(`pip install -e ".[fuzz]"`):

    .venv/bin/python fuzz/fuzz_loader.py -max_total_time=300 -timeout=10 \
        -dict=fuzz/yaml.dict fuzz/corpus

The corpus directory holds the seeds (valid manifests, rule files, a licence and
a waivers file) and grows with every input that reaches new code; to keep the
committed seeds as they are, name a scratch directory first and the seeds
second (`... /tmp/fuzz-work fuzz/corpus`): libFuzzer adds new inputs to the
first. `fuzz/yaml.dict` lists YAML tokens, tags, fact paths and operators for
the mutator. Any libFuzzer flag works (`-runs=N`, `-max_len=N`,
`-rss_limit_mb=N`, `-jobs=N`, ...).

What one input goes through (the bytes as a file's content):

1. `parse_yaml_bytes`: decoding (UTF-8, BOMs, UTF-16), the safe positioned YAML
   reader (`load_yaml_text`) with its size, alias and depth guards;
2. the parse cache's encoding of the tree, as `load_kind` stores it (JSON);
3. pydantic validation as every file format clearance reads (manifest, bundle,
   organisation, data classes, rules, licence, waivers, catalogue files), with
   every error positioned back onto the YAML tree;
4. the bytes read as `clearance check` reads a manifest (`load_manifest`: the
   fast yaml-rs reader when installed, else the positioned one); a manifest
   that loads is resolved against the shipped bundle and every shipped rule is
   evaluated on it, and where the fast reader accepted it, the positioned
   reader must read the same manifest (the fast reader's own contract);
5. the tree compiled as a rule condition, as a rules file and as a licence's
   rules and obligations (the rule compiler, with the shipped bundle's value
   domains), and every compiled rule evaluated on real fact records;
6. the decoded text parsed as a message template and rendered.

Anything raised other than `clearance.errors.ClearanceError` (and the
`TemplateError` that the template parser documents) is a crash: libFuzzer
stops and writes the input to `crash-<sha1>`. Reproduce one with

    .venv/bin/python fuzz/fuzz_loader.py crash-<sha1>

With CLEARANCE_FUZZ_KEEP_GOING=1 the target does not stop at a crash: it writes
each distinct crash (by exception type and innermost frame) once to
fuzz/crashes/ as `<signature>.input` and `<signature>.txt` (the traceback) and
goes on, so that one run surveys every kind of crash rather than the first.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

with atheris.instrument_imports(include=["clearance", "yaml"]):
    from clearance.bundle.domains import build_domains
    from clearance.bundle.load import load_bundle
    from clearance.errors import ClearanceError, ProblemCollector
    from clearance.evaluate.evaluate import evaluate
    from clearance.loading import cache
    from clearance.loading.validate import validate
    from clearance.loading.yaml_source import parse_yaml_bytes
    from clearance.manifest import fast_reader, sliced_check
    from clearance.manifest.load import check_unique_ids, load_manifest
    from clearance.manifest.records import ManifestRecord, from_model
    from clearance.pipeline.check import load_and_resolve
    from clearance.policy.conditions import ConditionCompiler
    from clearance.policy.rules import Rule, RuleCompiler
    from clearance.policy.templates import TemplateError, parse_template
    from clearance.resolve.resolver import Resolver
    from clearance.schema.bundle import (
        BundleFile,
        DataClassesFile,
        OrganisationFile,
        RulesFile,
    )
    from clearance.schema.catalog import JurisdictionsFile, ModelsFile, ProvidersFile
    from clearance.schema.licence import LicenceFile
    from clearance.schema.manifest import Manifest
    from clearance.schema.waivers import WaiversFile


os.environ.setdefault("CLEARANCE_NO_CACHE", "1")  # the target exercises the cache encoder itself
BUNDLE = load_bundle()
DOMAINS = build_domains(BUNDLE.catalogue, BUNDLE.data_classes, BUNDLE.agreements)
RESOLVER = Resolver(BUNDLE)
# real fact records to evaluate fuzzed rules on: every workload of the examples
_, _EXAMPLE_WORKLOADS = load_and_resolve(
    sorted((HERE.parent / "examples").glob("*/model-usage.yaml")), BUNDLE
)
RECORDS = [rec for rw in _EXAMPLE_WORKLOADS for rec in rw.records]
OTHER_FORMATS = (
    BundleFile,
    OrganisationFile,
    DataClassesFile,
    WaiversFile,
    ModelsFile,
    ProvidersFile,
    JurisdictionsFile,
)
NAME = "fuzz.yaml"


def _expect_input_error(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except ClearanceError:
        return None


def _cache_round_trip(tree: Any) -> None:
    """What load_kind does with a parsed tree: cache.put (which tolerates TypeError and
    ValueError, i.e. trees JSON cannot hold) and, on the next run, cache.get."""
    try:
        text = json.dumps(cache._encode(tree), separators=(",", ":"))
    except (TypeError, ValueError):
        return
    back = cache._decode(json.loads(text))
    # compared through the encoding, so that NaN (never equal to itself) compares equal
    again = json.dumps(cache._encode(back), separators=(",", ":"))
    assert again == text, "the parse cache changed the tree"


def _run_rules(rules: list[Rule]) -> None:
    for rule in rules:
        for rec in RECORDS:
            applies = rule.when is None or rule.when.test(rec)
            if rule.when is not None:
                rule.when.results(rec)
            if rule.require is not None:
                rule.require.test(rec)
                rule.require.results(rec)
            if applies:
                rule.message.render(rec)
                if rule.remediation is not None:
                    rule.remediation.render(rec)


def _compile_rules(tree: Any) -> None:
    rules_file = _expect_input_error(validate, RulesFile, tree, NAME)
    if rules_file is not None:
        problems = ProblemCollector()
        compiler = RuleCompiler(NAME, tree, problems, DOMAINS)
        specs = enumerate(rules_file.rules)
        compiled = [compiler.rule(spec, ("rules", j), None) for j, spec in specs]
        _run_rules([r for r in compiled if r is not None])
    licence = _expect_input_error(validate, LicenceFile, tree, NAME)
    if licence is not None:
        problems = ProblemCollector()
        compiler = RuleCompiler(NAME, tree, problems, DOMAINS)
        compiled = [compiler.rule(s, ("rules", j), licence.id) for j, s in enumerate(licence.rules)]
        _run_rules([r for r in compiled if r is not None])
        for j, ob in enumerate(licence.obligations):
            compiler.obligation(ob, ("obligations", j), licence.id, "https://example.invalid")


def _compile_condition(tree: Any) -> None:
    problems = ProblemCollector()
    cond = ConditionCompiler(NAME, tree, problems, DOMAINS).compile(tree, ())
    if cond is not None:
        for rec in RECORDS:
            cond.test(rec)
            cond.results(rec)
        cond.describe()
        cond.paths()


def _positioned_manifest(data: bytes) -> ManifestRecord | None:
    """The manifest as the positioned (slow, authoritative) reader has it, or None."""
    try:
        tree = parse_yaml_bytes(data, NAME)
        manifest = from_model(validate(Manifest, tree, NAME))
        check_unique_ids(manifest, tree, NAME)
    except ClearanceError:
        return None
    return manifest


def _resolve_problems(lm: Any) -> list[str]:
    try:
        RESOLVER.resolve(lm)
    except ClearanceError as exc:
        return [str(p) for p in exc.problems]  # type: ignore[attr-defined]
    return []


def _sliced(data: bytes) -> None:
    """A large manifest's first problems, found reading it in slices (cut small here, and
    stopping after a few problems), are exactly the whole read's of the cut document."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    sliced_check.SLICE_CHARS = 1 + len(data) % 97
    sliced_check.MAX_PROBLEMS = 1 + len(data) % 7
    found = sliced_check.first_problems(text, NAME)
    if found is None:
        return
    problems, stop = found
    cut = sliced_check.cut_document(text, stop)
    try:
        validate(Manifest, parse_yaml_bytes(cut.encode("utf-8"), NAME), NAME)
        whole: list[str] = []
    except ClearanceError as exc:
        whole = sorted(str(p) for p in exc.problems)  # type: ignore[attr-defined]
    assert sorted(str(p) for p in problems) == whole, "the sliced read differs from the cut's"


def _manifest(data: bytes) -> None:
    """As `clearance check` reads a manifest (the fast reader first, if installed), then
    resolved against the shipped bundle and evaluated; and both readers must agree."""
    lm = _expect_input_error(load_manifest, Path(NAME), NAME, data)
    if lm is not None and fast_reader.available():
        # "the path taken never changes the outcome" (fast_reader's contract)
        slow = _positioned_manifest(data)
        assert slow is not None, "the fast reader accepted a manifest the positioned reader refuses"
        assert slow == lm.manifest, "the fast and the positioned reader read different manifests"
        # errors inside a fast-read workload are placed by reading its lines alone
        assert _resolve_problems(lm) == _resolve_problems(lm.positioned()), "positions differ"
    if lm is None:
        return
    workloads = _expect_input_error(RESOLVER.resolve, lm)
    if workloads:
        evaluate(workloads, BUNDLE, [])


def _template(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        template = parse_template(text)
    except TemplateError:
        return
    for rec in RECORDS[:3]:
        template.render(rec)


def test_one_input(data: bytes) -> None:
    _template(data)
    _manifest(data)
    _sliced(data)
    tree = _expect_input_error(parse_yaml_bytes, data, NAME)
    if tree is None:
        return
    _cache_round_trip(tree)
    for model in OTHER_FORMATS:
        _expect_input_error(validate, model, tree, NAME)
    _compile_rules(tree)
    _compile_condition(tree)


_SEEN: set[str] = set()
_CRASHES = HERE / "crashes"


def _keep_going(data: bytes) -> None:
    """Record each distinct crash once and carry on (CLEARANCE_FUZZ_KEEP_GOING=1)."""
    try:
        test_one_input(data)
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if "/clearance/" in f.filename or "/yaml/" in f.filename]
        where = ours[-1] if ours else frames[-1]
        signature = f"{type(exc).__name__}-{Path(where.filename).stem}-{where.lineno}"
        if signature in _SEEN:
            return
        _SEEN.add(signature)
        _CRASHES.mkdir(exist_ok=True)
        (_CRASHES / f"{signature}.input").write_bytes(data)
        (_CRASHES / f"{signature}.txt").write_text(
            f"input: {data!r}\n\n" + "".join(traceback.format_exception(exc))
        )
        print(f"\n=== new crash {signature}: {data[:200]!r}", file=sys.stderr, flush=True)


def main() -> None:
    target = _keep_going if os.environ.get("CLEARANCE_FUZZ_KEEP_GOING") == "1" else test_one_input
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
