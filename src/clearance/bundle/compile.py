"""Compile a bundle's rule files and every licence's rules and obligations, once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.catalogue import Catalogue
from clearance.errors import Problem, ProblemCollector, did_you_mean
from clearance.loading import inputs
from clearance.loading.files import Loaded, load_required
from clearance.loading.tree import locate
from clearance.policy.rules import Obligation, Rule, RuleCompiler

if TYPE_CHECKING:
    from clearance.schema.bundle import BundleFile

RESERVED_FILES = {"bundle.yaml", "organisation.yaml", "data-classes.yaml", "waivers.yaml"}


def _policy_files(root: Path, settings: BundleFile) -> list[Path]:
    if settings.policies is not None:
        return [root / rel for rel in settings.policies]
    names = inputs.names_in(root)
    return [root / n for n in names if n.endswith(".yaml") and n not in RESERVED_FILES]


def compile_policy_files(
    root: Path,
    settings: Loaded[BundleFile],
    domains: dict[str, frozenset[str]],
    problems: ProblemCollector,
) -> list[Rule]:
    rules: list[Rule] = []
    for i, path in enumerate(_policy_files(root, settings.value)):
        if not inputs.real(path).is_relative_to(root) or not inputs.is_file(path):
            line, col = locate(settings.raw, ("policies", i))
            problems.add(
                Problem(
                    settings.name,
                    line,
                    col,
                    ("policies", i),
                    f"{path.name!r} is not a policy file inside the bundle",
                )
            )
            continue

        loaded = load_required(path, "rules", problems)
        if loaded is None:
            continue
        compiler = RuleCompiler(
            loaded.name, loaded.raw, problems, domains, str(loaded.path.resolve())
        )
        for j, spec in enumerate(loaded.value.rules):
            rule = compiler.rule(spec, ("rules", j), licence=None)
            if rule is not None:
                rules.append(rule)
    return rules


def compile_licences(
    catalogue: Catalogue, domains: dict[str, frozenset[str]], problems: ProblemCollector
) -> tuple[dict[str, list[Rule]], dict[str, list[Obligation]]]:
    """Every licence's rules and obligations, compiled; problems collected."""
    licence_rules: dict[str, list[Rule]] = {}
    obligations_of: dict[str, list[Obligation]] = {}
    for lid, loaded in sorted(catalogue.licences.items()):
        lic = loaded.value
        compiler = RuleCompiler(
            loaded.name, loaded.raw, problems, domains, str(loaded.path.resolve())
        )
        for field_name, term in lic.terms:
            if term is not None and term.source not in lic.sources:
                line, col = locate(loaded.raw, ("terms", field_name, "source"))
                problems.add(
                    Problem(
                        loaded.name,
                        line,
                        col,
                        ("terms", field_name, "source"),
                        f"unknown source {term.source!r}",
                        did_you_mean(term.source, lic.sources),
                    )
                )
        rules = [compiler.rule(spec, ("rules", j), licence=lid) for j, spec in enumerate(lic.rules)]
        licence_rules[lid] = [r for r in rules if r is not None]
        obligations = []
        for j, ob in enumerate(lic.obligations):
            source = lic.sources.get(ob.source)
            if source is None:
                line, col = locate(loaded.raw, ("obligations", j, "source"))
                problems.add(
                    Problem(
                        loaded.name,
                        line,
                        col,
                        ("obligations", j, "source"),
                        f"unknown source {ob.source!r}",
                        did_you_mean(ob.source, lic.sources),
                    )
                )
                continue
            compiled = compiler.obligation(ob, ("obligations", j), lid, source.url)
            if compiled is not None:
                obligations.append(compiled)
        obligations_of[lid] = obligations
    return licence_rules, obligations_of


def check_unique_rule_ids(rules: list[Rule], problems: ProblemCollector) -> None:
    """Within one layer (and against the licences) every rule id is defined once."""
    seen: dict[str, Rule] = {}
    for rule in rules:
        first = seen.get(rule.id)
        if first is not None:
            problems.add(
                Problem(
                    rule.file,
                    rule.line,
                    1,
                    (),
                    f"rule id {rule.id!r} is already defined at {first.file}:{first.line}",
                )
            )
        else:
            seen[rule.id] = rule
