"""Load a policy bundle: its settings, organisation, taxonomy, rules, and the licences.

The bundle's version requirement is checked before anything else. Every rule
(organisation policies and licence terms alike) is compiled once here; every
problem in any file is collected and reported together.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import Catalogue, Definitions
from clearance.bundle.catalogue_load import load_catalogue
from clearance.bundle.compile import (
    check_unique_rule_ids,
    compile_licences,
    compile_policy_files,
)
from clearance.bundle.digest import digest, note_waiver_files
from clearance.bundle.domains import build_domains
from clearance.bundle.locks import check_organisation, check_redefinitions, locking_layers
from clearance.errors import Problem, ProblemCollector, did_you_mean
from clearance.loading import inputs
from clearance.loading.files import Loaded, load_required
from clearance.loading.tree import locate
from clearance.policy.rules import Obligation, Rule
from clearance.resources import default_bundle, shipped_catalog, shipped_licences

if TYPE_CHECKING:  # the models are imported where files are loaded: a snapshot needs none
    from clearance.schema.bundle import (
        BundleFile,
        DataClass,
        DataClassesFile,
        OrganisationFile,
        WaiverSettings,
    )

BUILTIN_AGREEMENTS: dict[str, str] = {
    "baa": "HIPAA Business Associate Agreement",
    "dpa": "GDPR Art. 28 data processing agreement",
    "scc": "EU Standard Contractual Clauses for transfers (Commission Decision 2021/914)",
    "zdr": "zero data retention arrangement",
}


@dataclass
class Bundle:
    name: str
    version: str
    path: Path
    digest: str
    settings: BundleFile
    organisation: OrganisationFile
    data_classes: dict[str, DataClass]
    agreements: dict[str, str]
    catalogue: Catalogue
    rules: list[Rule]  # organisation policy rules
    licence_rules: dict[str, list[Rule]] = field(default_factory=dict)
    obligations: dict[str, list[Obligation]] = field(default_factory=dict)
    layers: list[Path] = field(default_factory=list)  # the bundles it extends, then itself
    waiver_layers: list[WaiverSettings] = field(default_factory=list)
    # what the load consulted on disk (loading/inputs.py), whether it held still
    # while the load ran, and whether those files alone decide the bundle (not so
    # when a layer comes from a git ref): what a snapshot needs
    inputs: list[inputs.Observation] = field(default_factory=list)
    inputs_stable: bool = True
    reproducible_from_files: bool = True

    @property
    def waiver_settings(self) -> WaiverSettings:
        return self.settings.waivers

    def licence_rules_list(self) -> list[Rule]:
        return [r for rules in self.licence_rules.values() for r in rules]

    def all_rules(self) -> list[Rule]:
        return [*self.rules, *(r for rules in self.licence_rules.values() for r in rules)]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.all_rules() if r.id == rule_id), None)


def load_bundle(
    path: Path | None = None, fence: Path | None = None, repo: Path | None = None
) -> Bundle:
    """Load the bundle at `path` (the shipped one when None), with every bundle it extends.

    `fence` is how far `extends` may reach (default: the bundle's git repository);
    `repo` is the repository whose history `extends: {git: ...}` reads (default: the
    one holding the bundle; a bundle exported from a ref lies outside any).
    """
    with inputs.recording() as log:
        bundle = _load_bundle(path, fence, repo)
        for root in bundle.layers:
            note_waiver_files(root)
    bundle.inputs = log.observations()
    bundle.inputs_stable = not log.unstable
    bundle.digest = digest(bundle.inputs, bundle.path)
    return bundle


def _load_bundle(path: Path | None, fence: Path | None, repo: Path | None) -> Bundle:
    from clearance.bundle.layers import apply_overrides, chain, merge_rules
    from clearance.schema.bundle import ExtendsGit

    root = inputs.real(path or default_bundle())
    layers = chain(root, str(path or root), fence=fence, repo=repo)
    problems = ProblemCollector()
    organisations, classes = _layered_files(layers, problems)
    catalog_dirs: list[tuple[Path, int]] = [(shipped_catalog(), -1)]
    licence_dirs: list[tuple[Path, int]] = [(shipped_licences(), -1)]
    agreements = dict(BUILTIN_AGREEMENTS)
    for i, layer in enumerate(layers):
        catalog_dirs += [(d, i) for d in _inside(layer.root, layer.settings, "catalog", problems)]
        licence_dirs += [(d, i) for d in _inside(layer.root, layer.settings, "licences", problems)]
        agreements.update(layer.settings.value.agreements)
    problems.raise_if_any()
    assert organisations
    organisation = organisations[-1][1]
    definitions = Definitions()
    catalogue = load_catalogue(catalog_dirs, licence_dirs, definitions)
    data_classes: dict[str, DataClass] = {}
    for loaded in classes:
        _index_data_classes(loaded, data_classes, problems)
    _check_organisation(organisation, catalogue, agreements, problems)
    domains = build_domains(catalogue, data_classes, agreements)
    top = layers[-1].settings
    bundle = Bundle(
        name=top.value.name,
        version=top.value.version,
        path=root,
        digest="",
        settings=top.value,
        organisation=organisation.value,
        data_classes=data_classes,
        agreements=agreements,
        catalogue=catalogue,
        rules=[],
        layers=[layer.root for layer in layers],
        waiver_layers=[layer.settings.value.waivers for layer in layers],
        reproducible_from_files=not any(
            isinstance(layer.settings.value.extends, ExtendsGit) for layer in layers
        ),
    )
    bundle.licence_rules, bundle.obligations = compile_licences(catalogue, domains, problems)
    merged: dict[str, Rule] = {}
    locked_rules: dict[int, str] = {}
    for i, layer in enumerate(layers):
        compiled = compile_policy_files(layer.root, layer.settings, domains, problems)
        compiled = [dataclasses.replace(r, layer=layer.settings.value.name) for r in compiled]
        for rule in compiled:
            if rule.locked:
                locked_rules.setdefault(i, f"{rule.file}:{rule.line}")
        check_unique_rule_ids([*compiled, *bundle.licence_rules_list()], problems)
        merge_rules(merged, compiled, problems)
        apply_overrides(layer, merged, bundle.licence_rules, problems)
    bundle.rules = list(merged.values())
    _check_supersedes(bundle.all_rules(), problems)
    locks = locking_layers(locked_rules, definitions)
    check_redefinitions(definitions, locks, problems)
    check_organisation(organisations, locks, problems)
    problems.raise_if_any()
    return bundle


def _check_supersedes(rules: list[Rule], problems: ProblemCollector) -> None:
    """Every rule a bundle's rule supersedes exists, and none supersedes itself.

    A licence's rule may name a rule of the shipped bundle that a bundle of one's own
    need not have (nothing is superseded then), so only its self-reference is refused.
    """
    ids = {r.id for r in rules}
    for rule in rules:
        for target in rule.supersedes:
            missing = target not in ids and rule.licence is None
            if target == rule.id or missing:
                why = "a rule cannot supersede itself" if target == rule.id else "unknown rule"
                problems.add(
                    Problem(
                        rule.file,
                        rule.line,
                        1,
                        ("supersedes",),
                        f"{rule.id} supersedes {target!r}: {why}",
                        did_you_mean(target, ids - {rule.id}),
                    )
                )


def _layered_files(
    layers: list[Any], problems: ProblemCollector
) -> tuple[list[tuple[int, Loaded[OrganisationFile]]], list[Loaded[DataClassesFile]]]:
    """Every layer's organisation.yaml (the last one holds) with its layer, and every
    layer's data classes (both required in the first)."""

    organisations: list[tuple[int, Loaded[OrganisationFile]]] = []
    classes = []
    for i, layer in enumerate(layers):
        required = i == 0
        org_path, classes_path = layer.root / "organisation.yaml", layer.root / "data-classes.yaml"
        if required or inputs.is_file(org_path):
            organisation = load_required(org_path, "organisation", problems)
            if organisation is not None:
                organisations.append((i, organisation))
        if required or inputs.is_file(classes_path):
            loaded = load_required(classes_path, "data-classes", problems)
            if loaded is not None:
                classes.append(loaded)
    return organisations, classes


def _inside(
    root: Path, settings: Loaded[BundleFile], key: str, problems: ProblemCollector
) -> list[Path]:
    """The bundle's extra directories, refusing any that escape the bundle."""
    out = []
    for i, rel in enumerate(getattr(settings.value, key)):
        target = inputs.real(root / rel)
        line, col = locate(settings.raw, (key, i))
        if not target.is_relative_to(root):
            problems.add(
                Problem(
                    settings.name, line, col, (key, i), f"{rel!r} lies outside the bundle directory"
                )
            )
        elif not inputs.is_dir(target):
            problems.add(Problem(settings.name, line, col, (key, i), f"{rel!r} is not a directory"))
        else:
            out.append(target)
    return out


def _index_data_classes(
    classes: Loaded[DataClassesFile], out: dict[str, DataClass], problems: ProblemCollector
) -> None:
    for i, dc in enumerate(classes.value.data_classes):
        if dc.id in out:
            line, col = locate(classes.raw, ("data_classes", i, "id"))
            problems.add(
                Problem(
                    classes.name,
                    line,
                    col,
                    ("data_classes", i, "id"),
                    f"duplicate data class {dc.id!r}",
                )
            )
        out[dc.id] = dc


def _check_organisation(
    org: Loaded[OrganisationFile],
    cat: Catalogue,
    agreements: dict[str, str],
    problems: ProblemCollector,
) -> None:
    def bad(path: tuple[Any, ...], message: str, suggestion: str | None = None) -> None:
        line, col = locate(org.raw, path)
        problems.add(Problem(org.name, line, col, path, message, suggestion))

    if org.value.domicile is not None and org.value.domicile not in cat.countries:
        bad(
            ("domicile",),
            f"unknown country {org.value.domicile!r}",
            did_you_mean(org.value.domicile, cat.countries),
        )
    for i, site in enumerate(org.value.sites):
        if site.country not in cat.countries:
            bad(
                ("sites", i, "country"),
                f"unknown country {site.country!r}",
                did_you_mean(site.country, cat.countries),
            )
    for i, held in enumerate(org.value.licences_held):
        if held not in cat.licences:
            bad(("licences_held", i), f"unknown licence {held!r}", did_you_mean(held, cat.licences))
    for i, signed in enumerate(org.value.agreements):
        if signed.provider not in cat.providers:
            bad(
                ("agreements", i, "provider"),
                f"unknown provider {signed.provider!r}",
                did_you_mean(signed.provider, cat.providers),
            )
        if signed.kind not in agreements:
            bad(
                ("agreements", i, "kind"),
                f"unknown agreement {signed.kind!r}",
                did_you_mean(signed.kind, agreements),
            )
        if signed.expires is not None and signed.expires < signed.signed:
            bad(("agreements", i, "expires"), "an agreement cannot expire before it was signed")
