"""Judge each audited repository by its own bundle, and keep going past the ones that are broken.

Without `--policy`, a repository is judged by the `.clearance/` bundle at its
root (`bundle.discover.repository_bundle`), by the shipped bundle where it has
none: what `clearance check` run at that root would use. A plain folder (no
git around it) is its own root, so the audit never depends on the directory it
is started from. With `--policy`, that one bundle judges every repository.
Each distinct bundle is loaded once (from its snapshot, as the check loads it),
and its repositories are checked together in one run of the engine.

A repository whose input is bad (a manifest that does not parse or names an
unknown model, a `.clearance` that is not a bundle, a file that cannot be read)
is set aside with its problems, and the others are still judged: one broken
repository among a thousand must not leave an officer with no report at all.
The check reports every problem of every manifest it was given at once, so the
owners of those problems are set aside and the rest checked again; only a
problem that names no file of theirs makes each repository be tried alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from clearance.audit.discover import FoundRepository
from clearance.bundle.discover import bundle_in, repository_root
from clearance.bundle.load import Bundle
from clearance.errors import MAX_PROBLEMS, ClearanceError, InputError, Problem
from clearance.loading.files import display_name
from clearance.pipeline.check import Checked, CheckOptions, check
from clearance.pipeline.judge import load_bundle_snapshot

# the shipped bundle's name, as `extends:` writes it (bundle.layers.SHIPPED; not imported
# from there: that module loads pydantic, which the audit's snapshot path never needs)
SHIPPED = "clearance:default"
# per repository: a thousand problems in one manifest are counted past this many, not listed
MAX_SHOWN = 50


@dataclass
class Judged:
    """The repositories one bundle judged, and what the check found in them."""

    label: str  # the bundle's folder as the user would write it, or "clearance:default"
    bundle: Bundle
    repositories: list[FoundRepository]
    checked: Checked


@dataclass
class Judgement:
    groups: list[Judged] = field(default_factory=list)
    problems: dict[Path, tuple[str, ...]] = field(default_factory=dict)  # by repository root
    labels: dict[Path, str] = field(default_factory=dict)  # the bundle meant for each root


def bundle_label(folder: Path | None) -> str:
    return SHIPPED if folder is None else display_name(folder)


def judge(found: Sequence[FoundRepository], policy: Path | None, today: date) -> Judgement:
    out = Judgement()
    by_bundle: dict[Path | None, list[FoundRepository]] = {}
    for repo in found:
        if not repo.manifests:
            continue
        try:
            folder = policy if policy is not None else bundle_in(_root(repo))
        except InputError as exc:  # named as the user would write them, like every other file
            named = (replace(p, file=display_name(Path(p.file))) for p in exc.problems)
            out.problems[repo.root] = _shown(str(p) for p in named)
            continue
        out.labels[repo.root] = bundle_label(folder)
        by_bundle.setdefault(folder, []).append(repo)
    for folder, repos in by_bundle.items():
        try:
            bundle = load_bundle_snapshot(folder)
        except ClearanceError as exc:
            if policy is not None:  # the audit's own judge is broken: nothing can be judged
                raise
            shown = _shown(_lines(exc))
            out.problems.update((r.root, shown) for r in repos)
            continue
        good, problems = _check_apart(repos, bundle, today)
        out.problems.update(problems)
        if good is not None:
            checked, judged = good
            out.groups.append(Judged(bundle_label(folder), bundle, judged, checked))
    return out


def _root(repo: FoundRepository) -> Path:
    """Where `repository_bundle(repo.root, cwd=repo.root)` looks, without walking up from
    each of a thousand repositories: discovery knows whether git lies at or above it."""
    if repo.has_git_dir or not repo.in_git_tree:
        return repo.root
    return repository_root(repo.root) or repo.root  # a plain folder inside a work tree


def _check_apart(
    repos: list[FoundRepository], bundle: Bundle, today: date
) -> tuple[tuple[Checked, list[FoundRepository]] | None, dict[Path, tuple[str, ...]]]:
    """Check `repos` together; set aside each one with bad input, with its problems."""
    problems: dict[Path, tuple[str, ...]] = {}
    pending = list(repos)
    while pending:
        try:
            return (_check(pending, bundle, today), pending), problems
        except InputError as exc:
            owned = _owners(exc.problems, pending)
        except ClearanceError:
            owned = None
        if owned is None:  # a problem that names none of their files: each one alone
            owned = {}
            for repo in pending:
                try:
                    _check([repo], bundle, today)
                except ClearanceError as exc:
                    owned[repo.root] = list(_lines(exc))
            if not owned:  # together they fail, apart each passes: a bug, not bad input
                raise RuntimeError("the audit's repositories fail together but pass apart")
        problems.update((root, _shown(lines)) for root, lines in owned.items())
        pending = [r for r in pending if r.root not in owned]
    return None, problems


def _check(repos: list[FoundRepository], bundle: Bundle, today: date) -> Checked:
    return check([m for r in repos for m in r.manifests], CheckOptions(today=today), bundle)


def _owners(
    problems: Sequence[Problem], repos: list[FoundRepository]
) -> dict[Path, list[str]] | None:
    """Each problem's lines by the repository whose file it names; None if one names none."""
    owner = {display_name(p): r.root for r in repos for p in (*r.manifests, *r.waiver_files)}
    owned: dict[Path, list[str]] = {}
    for problem in problems:
        root = owner.get(problem.file)
        if root is None:
            return None
        owned.setdefault(root, []).append(str(problem))
    return owned


def _lines(exc: ClearanceError) -> list[str]:
    if isinstance(exc, InputError):
        return [str(p) for p in exc.problems[:MAX_PROBLEMS]]
    return str(exc).splitlines()


def _shown(lines: Iterable[str]) -> tuple[str, ...]:
    items = list(lines)
    if len(items) <= MAX_SHOWN:
        return tuple(items)
    return (*items[:MAX_SHOWN], f"… and {len(items) - MAX_SHOWN} more problems")
