"""Layered bundles: a team bundle `extends` its organisation's without weakening it.

A child may add rules, data classes, catalogue and licence directories and
waivers, and may raise severities. It may redefine, lower or disable an
inherited rule only where the parent has not marked it `locked: true`; any
attempt on a locked rule is an error naming both files. Where a parent may
live: a path inside the child's repository (outside git, beside the child),
the shipped bundle (`clearance:default`), or a git ref of the same repository.
"""

from __future__ import annotations

import atexit
import dataclasses
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clearance.bundle.settings import bundle_settings, check_version
from clearance.errors import InputError, Problem, ProblemCollector, did_you_mean
from clearance.loading import inputs
from clearance.loading.files import Loaded
from clearance.loading.tree import locate
from clearance.policy.rules import Rule
from clearance.resources import default_bundle
from clearance.schema.bundle import BundleFile, ExtendsGit

SHIPPED = "clearance:default"
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Layer:
    root: Path
    settings: Loaded[BundleFile]


def chain(
    root: Path,
    shown: str,
    seen: Sequence[Path] = (),
    fence: Path | None = None,
    repo: Path | None = None,
) -> list[Layer]:
    """The bundle at `root` and its ancestors, the furthest ancestor first."""
    settings = bundle_settings(root, shown)
    check_version(settings)
    extends = settings.value.extends
    if extends is None:
        return [Layer(root, settings)]
    line, col = locate(settings.raw, ("extends",))

    def refuse(message: str) -> InputError:
        return InputError([Problem(settings.name, line, col, ("extends",), message)])

    parent = _parent_root(root, extends, refuse, fence, repo)
    if parent in (*seen, root):
        raise refuse(f"bundles extend each other in a loop through {parent}")
    return [*chain(parent, str(parent), (*seen, root), fence, repo), Layer(root, settings)]


Refuse = Callable[[str], InputError]


def _parent_root(
    root: Path, extends: str | ExtendsGit, refuse: Refuse, fence: Path | None, repo: Path | None
) -> Path:
    if isinstance(extends, ExtendsGit):
        return _from_git(repo or root, extends, refuse)
    if extends == SHIPPED:
        return inputs.real(default_bundle())
    if Path(extends).is_absolute():
        raise refuse(
            f"extends {extends!r}: give a path relative to the bundle, "
            f"{SHIPPED!r} or {{git: REF, path: DIR}}"
        )
    parent = inputs.real(root / extends)
    fence = (fence or _fence(root)).resolve()
    if not parent.is_relative_to(fence):
        raise refuse(
            f"extends {extends!r} lies outside {fence}; a parent bundle must sit in "
            "the same repository"
        )
    if not inputs.is_file(parent / "bundle.yaml"):
        raise refuse(f"extends {extends!r}: no bundle.yaml in {parent}")
    return parent


def _fence(root: Path) -> Path:
    """How far `extends` may reach: the git repository, else the bundle's parent directory."""
    from clearance.errors import UsageError
    from clearance.loading import git as gitrepo

    try:
        return gitrepo.repo_root(root).resolve()
    except UsageError:
        return root.parent


def _from_git(where: Path, extends: ExtendsGit, refuse: Refuse) -> Path:
    from clearance.loading import git as gitrepo

    repo = gitrepo.repo_root(where)
    commit = gitrepo.resolve_ref(repo, extends.git)
    target = Path(tempfile.mkdtemp(prefix="clearance-extends-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    export = gitrepo.export_dir(repo, commit, "", target, suffixes=(".yaml", ".yml"))
    if not export.wrote:
        raise refuse(f"nothing to read at {extends.git}")
    link = export.refused_on(posixpath.normpath(extends.path))
    if link is not None:
        raise refuse(
            f"at {extends.git}, {extends.path!r} goes through the link {link}, "
            "which leaves the repository"
        )
    parent = (target / extends.path).resolve()
    if not parent.is_relative_to(target) or not (parent / "bundle.yaml").is_file():
        raise refuse(f"no bundle at {extends.path!r} in {extends.git}")
    return parent


def merge_rules(
    merged: dict[str, Rule], layer_rules: list[Rule], problems: ProblemCollector
) -> None:
    """Add one layer's rules; redefining a locked inherited rule is an error."""
    for rule in layer_rules:
        old = merged.get(rule.id)
        if old is not None and old.locked:
            problems.add(
                Problem(
                    rule.file,
                    rule.line,
                    1,
                    (),
                    f"rule {rule.id!r} is locked by {old.file}:{old.line} and may not be redefined",
                )
            )
            continue
        merged[rule.id] = rule


def apply_overrides(
    layer: Layer,
    rules: dict[str, Rule],
    licence_rules: dict[str, list[Rule]],
    problems: ProblemCollector,
) -> None:
    """A layer's `overrides`: raise any severity; lower or disable only unlocked rules."""
    by_id = {**{r.id: r for rs in licence_rules.values() for r in rs}, **rules}
    settings = layer.settings
    for i, override in enumerate(settings.value.overrides):
        line, col = locate(settings.raw, ("overrides", i, "rule"))
        where = f"{settings.name}:{line}"
        rule = by_id.get(override.rule)
        if rule is None:
            problems.add(
                Problem(
                    settings.name,
                    line,
                    col,
                    ("overrides", i, "rule"),
                    f"unknown rule {override.rule!r}",
                    did_you_mean(override.rule, by_id),
                )
            )
            continue
        weaker = override.disabled or (
            override.severity is not None
            and SEVERITY_RANK[override.severity] < SEVERITY_RANK[rule.severity]
        )
        if weaker and rule.locked:
            what = "disable" if override.disabled else f"lower to {override.severity}"
            problems.add(
                Problem(
                    settings.name,
                    line,
                    col,
                    ("overrides", i),
                    f"may not {what} rule {rule.id!r}: it is locked by {rule.file}:{rule.line}",
                )
            )
            continue
        if override.disabled:
            _replace(rule, None, rules, licence_rules)
        elif override.severity is not None:
            _replace(
                rule,
                dataclasses.replace(rule, severity=override.severity, changed_by=where),
                rules,
                licence_rules,
            )


def _replace(
    rule: Rule, new: Rule | None, rules: dict[str, Rule], licence_rules: dict[str, list[Rule]]
) -> None:
    if rule.licence is None:
        if new is None:
            del rules[rule.id]
        else:
            rules[rule.id] = new
        return
    kept = [r for r in licence_rules[rule.licence] if r.id != rule.id]
    licence_rules[rule.licence] = kept if new is None else [*kept, new]
