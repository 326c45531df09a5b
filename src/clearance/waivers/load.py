"""Waivers: deliberate, expiring exceptions, checked as strictly as the rules they waive.

A waiver sits in `waivers.yaml` beside a manifest (it covers that manifest) or
in the bundle (it covers every manifest, or the one its `manifest` names). It
matches findings by rule and workload. A waived finding stays in the report,
marked waived. A waiver that is itself wrong (expired, an approver the bundle
does not allow, a term longer than the bundle allows, a rule marked
`waivable: false`, no ticket where one is required) waives nothing and is an
error finding of its own; a waiver that matches nothing is a warning (stale).
Unknown rules and workloads are input errors (exit 2), since they are typos.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.bundle.load import Bundle
from clearance.errors import InputError, Problem, ProblemCollector, UsageError, did_you_mean
from clearance.evaluate.gateway_rules import DRIFT_RULES
from clearance.loading.files import WAIVER_FILE_NAMES, Loaded, display_name, load_kind
from clearance.manifest.load import LoadedManifest, linked_within, repository_root

if TYPE_CHECKING:
    from clearance.schema.waivers import WaiverEntry, WaiversFile


@dataclass(frozen=True)
class LoadedWaiver:
    entry: WaiverEntry
    file: str
    line: int
    column: int
    manifests: frozenset[str] | None  # the manifests it may cover; None: any


# manifest name -> gateway file it lists (`gateways:`) -> the deployment subjects in it
GatewaySubjects = Mapping[str, Mapping[str, set[str]]]


def waiver_files_beside(
    manifests: Sequence[LoadedManifest], gateways: GatewaySubjects | None = None
) -> list[tuple[Path, frozenset[str]]]:
    by_dir: dict[Path, set[str]] = {}
    for lm in manifests:
        names = by_dir.setdefault(Path(os.path.abspath(lm.path)).parent, set())
        names.add(lm.name)
        names.update((gateways or {}).get(lm.name, {}))  # its gateways' findings too
    out = []
    for directory, names in sorted(by_dir.items()):
        for file_name in WAIVER_FILE_NAMES:
            candidate = directory / file_name
            if not os.path.lexists(candidate):
                continue
            # nothing is skipped in silence: a link is read when it stays in the repository
            # and refused when it leaves it; a pipe, device or folder is refused unopened
            # by the reader, with its name
            if os.path.islink(candidate):
                target = linked_within(candidate, repository_root(directory))
                if isinstance(target, str):
                    raise UsageError(target)
            out.append((candidate, frozenset(names)))
    return out


def load_waivers(
    manifests: Sequence[LoadedManifest],
    bundle: Bundle,
    gateways: GatewaySubjects | None = None,
) -> list[LoadedWaiver]:
    """Every waiver beside the manifests and in the bundle; unknown ids are input errors.

    `gateways` are the subjects of the drift check's findings (clearance.gateways.drift),
    each in the gateway file it is reported in: a waiver beside the manifest that lists
    the file may name them as workloads.
    """
    problems = ProblemCollector()
    sources: list[tuple[Path, frozenset[str] | None]] = list(
        waiver_files_beside(manifests, gateways)
    )
    for layer_root in bundle.layers or [bundle.path]:
        for file_name in WAIVER_FILE_NAMES:
            if os.path.lexists(layer_root / file_name):  # a pipe or device: refused, named
                sources.append((layer_root / file_name, None))
    workloads = {lm.name: {w.id for w in lm.manifest.workloads} for lm in manifests}
    for files in (gateways or {}).values():
        for file, subjects in files.items():
            workloads.setdefault(file, set()).update(subjects)
    rule_ids = {r.id for r in bundle.all_rules()} | DRIFT_RULES.keys()
    out: list[LoadedWaiver] = []
    for path, scope in sources:
        try:
            loaded = load_kind("waivers", path)
        except InputError as exc:  # collected, so every bad file is reported at once
            problems.extend(exc.problems)
            continue
        for i, entry in enumerate(loaded.value.waivers):
            waiver = _positioned(loaded, i, entry, scope)
            _check_ids(loaded, i, waiver, rule_ids, workloads, problems)
            out.append(waiver)
    problems.raise_if_any()
    return out


def _positioned(
    loaded: Loaded[WaiversFile], i: int, entry: WaiverEntry, scope: frozenset[str] | None
) -> LoadedWaiver:
    from clearance.loading.tree import locate

    line, col = locate(loaded.raw, ("waivers", i))
    if entry.manifest is not None:
        named = display_name(Path(entry.manifest))
        scope = frozenset({named}) if scope is None else scope & {named}
    return LoadedWaiver(entry, loaded.name, line, col, scope)


def _check_ids(
    loaded: Loaded[WaiversFile],
    i: int,
    waiver: LoadedWaiver,
    rule_ids: set[str],
    workloads: dict[str, set[str]],
    problems: ProblemCollector,
) -> None:
    from clearance.loading.tree import locate

    def bad(field: str, message: str, suggestion: str | None) -> None:
        line, col = locate(loaded.raw, ("waivers", i, field))
        problems.add(Problem(loaded.name, line, col, ("waivers", i, field), message, suggestion))

    entry = waiver.entry
    if entry.rule not in rule_ids:
        bad("rule", f"unknown rule {entry.rule!r}", did_you_mean(entry.rule, rule_ids))
    if waiver.manifests is not None:
        known = set().union(*(workloads.get(m, set()) for m in waiver.manifests))
        if entry.workload not in known:
            bad(
                "workload",
                f"no workload {entry.workload!r} in "
                f"{', '.join(sorted(waiver.manifests)) or 'the manifests checked'}",
                did_you_mean(entry.workload, known),
            )
