"""`clearance init`: the answers checked, and the files of a repository's `.clearance/` planned.

Owns what init decides: where the bundle goes (the root of the repository around the
working directory, where `check` looks for it; else the working directory), how an
answer is read (a country by code or name with "did you mean", a count, `ID=CC`
sites), which files it writes and that none exists already. The texts themselves
are in init_files.py; nothing here prompts, prints or writes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clearance.bundle.discover import BUNDLE_DIR, repository_root
from clearance.errors import UsageError, did_you_mean
from clearance.manifest.load import find_manifests
from clearance.pipeline.init_files import (
    bundle_text,
    organisation_text,
    starter_manifest_text,
)

MANIFEST = "model-usage.yaml"
# codes people write that ISO 3166-1 spells otherwise: offered, never silently taken
_NEAR_CODES = {"UK": "GB", "EL": "GR"}
_SITE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass
class Answers:
    """What the organisation told init; None is unknown and stays out of the files."""

    name: str | None = None
    domicile: str | None = None
    monthly_active_users: int | None = None
    sites: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Places:
    """The catalogue's countries, by code, for reading answers."""

    countries: dict[str, str]  # code -> name
    data_classes: tuple[str, ...]


def shipped_places() -> Places:
    """From the shipped bundle, which the bundle init writes extends."""
    from clearance.bundle.load import load_bundle

    shipped = load_bundle(None)
    return Places(dict(shipped.catalogue.countries), tuple(shipped.data_classes))


def init_root(cwd: Path) -> Path:
    """Where `.clearance/` goes: the repository's root, where every command looks for it."""
    return repository_root(cwd) or Path(os.path.abspath(cwd))


def country(value: str, places: Places, what: str = "--domicile") -> str:
    """A country code from a code or a name: `de`, `DE`, `Germany` -> DE; else a
    usage error with the nearest code."""
    text = value.strip()
    code = text.upper()
    if code in places.countries:
        return code
    by_name = {name.lower(): c for c, name in places.countries.items()}
    if text.lower() in by_name:
        return by_name[text.lower()]
    hint = _NEAR_CODES.get(code)
    if hint is None:
        near_name = did_you_mean(text, places.countries.values())
        hint = by_name[near_name.lower()] if near_name else did_you_mean(code, places.countries)
    suggestion = f" (did you mean {hint}, {places.countries[hint]}?)" if hint else ""
    raise UsageError(
        f"{what}: unknown country {value!r}{suggestion}; give an ISO 3166-1 alpha-2 code "
        "such as DE or US, or a country's name"
    )


def count(value: str, what: str = "--monthly-active-users") -> int:
    """A non-negative whole number; `2,000,000` and `2_000_000` read as 2000000."""
    digits = value.strip().replace(",", "").replace("_", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 15:
        raise UsageError(f"{what}: expected a whole number of users, such as 250000; got {value!r}")
    return int(digits)


def site(value: str, places: Places, taken: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """`ID=CC`: one of the organisation's own data centres and its country."""
    ident, sep, where = value.partition("=")
    ident = ident.strip()
    if not sep or not ident or not where.strip():
        raise UsageError(f"--site: expected ID=CC, such as dc-frankfurt=DE; got {value!r}")
    if not _SITE_ID.match(ident) or len(ident) > 200:
        raise UsageError(
            f"--site: the id {ident!r} must be lower-case letters, digits, '.', '_' or '-' "
            "(it becomes a region id of the `on-prem` provider)"
        )
    if any(ident == other for other, _ in taken):
        raise UsageError(f"--site: {ident!r} is given twice")
    return ident, country(where, places, f"--site {ident}")


@dataclass(frozen=True)
class Plan:
    """The files init writes, in order, and whether a starter manifest is among them."""

    root: Path
    files: list[tuple[Path, str]]
    starter: Path | None


def needs_starter(root: Path) -> bool:
    """Whether the repository declares no model usage yet."""
    try:
        return not find_manifests([root])
    except UsageError:
        return not (root / MANIFEST).exists()


def plan(root: Path, answers: Answers, places: Places, starter: bool) -> Plan:
    """The files to write; a usage error naming any that exists already (never overwritten)."""
    folder = root / BUNDLE_DIR
    files = [
        (folder / "bundle.yaml", bundle_text(_bundle_name(root))),
        (folder / "organisation.yaml", organisation_text(answers)),
    ]
    manifest = root / MANIFEST if starter else None
    if manifest is not None:
        files.append((manifest, starter_manifest_text(places.data_classes)))
    if os.path.lexists(folder) and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder; clearance init never overwrites")
    existing = [path for path, _ in files if os.path.lexists(path)]
    if existing:
        raise UsageError(
            "clearance init never overwrites a file, and these exist: "
            + ", ".join(str(p) for p in existing)
            + "; edit them, or move them away and run it again"
        )
    return Plan(root, files, manifest)


def _bundle_name(root: Path) -> str:
    """The bundle's name (a lower-case id): the repository folder's name, made one."""
    name = re.sub(r"[^a-z0-9._-]+", "-", root.name.lower()).strip("-._")
    return name[:60] or "repository"


def next_steps(plan: Plan, answers: Answers) -> list[str]:
    """What to do after init, in the order a newcomer does it."""
    unknown = [
        flag
        for flag, value in (
            ("--domicile CC", answers.domicile),
            ("--monthly-active-users N", answers.monthly_active_users),
            ("--name NAME", answers.name),
        )
        if value is None
    ]
    steps = []
    if unknown:
        steps.append(
            "Fill in the facts left unknown in .clearance/organisation.yaml ("
            + ", ".join(f.split()[0].lstrip("-").replace("-", "_") for f in unknown)
            + "): a licence term that depends on one cannot be judged without it."
        )
    if plan.starter is not None:
        steps.append(
            f"Replace every FILL-ME in {MANIFEST}; `clearance models` and "
            "`clearance providers` list the ids it accepts."
        )
    steps += [
        "Run `clearance check`: every command now uses .clearance/ without --policy.",
        "Commit .clearance/ so that the pre-commit hook and CI judge with it; in CI, "
        "`--policy-ref origin/main` keeps a pull request from relaxing it.",
        "`clearance policy show` prints the rules in force; add your own rule files "
        "to .clearance/.",
    ]
    return steps
