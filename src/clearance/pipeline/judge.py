"""The one way every command obtains the bundle that judges it.

Which bundle: the one `--policy` (or CLEARANCE_POLICY) names; else the
`.clearance/` bundle at the root of the repository holding what is judged
(bundle/discover.py); else the shipped one. With `--policy-ref`, that bundle as
the base ref has it, compared with the working tree's, so a pull request cannot
choose its own judge (nor escape it by deleting or adding `.clearance/`).

How it is loaded: `load_policy` is what `check` and `audit` use, the bundle from
its snapshot when its inputs are unchanged (bundle/snapshot.py). `judge_full` is
for the commands that need the validated models themselves (explain, waive,
policy test and show, browsing, import, advise): always a full load, never a
snapshot. Both take the same three answers (policy, policy-ref, where), so no
command finds its bundle another way.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clearance.bundle.discover import BUNDLE_DIR, repository_bundle, repository_root
from clearance.bundle.load import Bundle, load_bundle
from clearance.errors import InputError, UsageError
from clearance.evaluate.findings import BundleInfo, PolicyChanges

SHIPPED_NAME = "clearance:default"


def judging_bundle(policy: Path | None, start: Path | None = None) -> Path | None:
    """The bundle directory that judges what lies at `start` (default: the working
    directory): `policy` when given, else the repository's `.clearance/`, else None
    (the shipped bundle)."""
    if policy is not None:
        return policy
    return repository_bundle(start or Path("."), Path.cwd())


@dataclass(frozen=True)
class Judge:
    """How to obtain the bundle that judges a group of manifests."""

    policy: Path | None  # --policy, or the bundle already found (None: the shipped one)
    start: Path | None  # where to look from, when it is still to be found (--policy-ref)
    found: bool  # `policy` is the answer of discovery, not to be looked for again

    def load(self, policy_ref: str | None) -> tuple[Bundle, PolicyChanges | None]:
        if self.found:
            return load_bundle_snapshot(self.policy), None
        return load_policy(self.policy, policy_ref, self.start)


def judged_groups(
    manifests: Sequence[Path], policy: Path | None, policy_ref: str | None
) -> list[tuple[Judge, list[Path]]]:
    """The manifests grouped by the bundle that judges them, in the order first met."""
    if policy is not None:
        return [(Judge(policy, None, False), list(manifests))]
    cwd = Path.cwd()
    groups: dict[str, tuple[Judge, list[Path]]] = {}
    seen: dict[str, tuple[str, Judge]] = {}  # by folder: many manifests share a few
    for path in manifests:
        folder = os.path.dirname(os.path.abspath(path))
        known = seen.get(folder)
        if known is None:
            if policy_ref is not None:  # the judge is the repository's, as the ref has it
                root = repository_root(Path(folder)) or cwd
                known = (str(root), Judge(None, root, False))
            else:
                found = repository_bundle(Path(folder), cwd)
                key = str(found.resolve()) if found is not None else ""
                known = (key, Judge(found, None, True))
            seen[folder] = known
        key, judge = known
        groups.setdefault(key, (judge, []))[1].append(path)
    return list(groups.values())


def merge_changes(changes: Sequence[PolicyChanges | None]) -> PolicyChanges | None:
    """One account of how the working tree's bundles differ from the ref's."""
    found = [c for c in changes if c is not None]
    if len(found) <= 1:
        return found[0] if found else None

    def union(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(set(ids)))

    return PolicyChanges(
        found[0].ref,
        union(i for c in found for i in c.added),
        union(i for c in found for i in c.removed),
        union(i for c in found for i in c.changed),
        any(c.other_files_changed for c in found),
        loads=all(c.loads for c in found),
    )


def judge_full(
    policy: Path | None, policy_ref: str | None = None, start: Path | None = None
) -> Bundle:
    """The bundle judging `start` (see `judging_bundle`), loaded and validated in full;
    with `policy_ref`, as that git ref has it."""
    if policy_ref is not None:
        return _at_ref(policy, policy_ref, start, snapshot=False)[0]
    return load_bundle(judging_bundle(policy, start))


def load_policy(
    policy: Path | None, policy_ref: str | None, start: Path | None = None
) -> tuple[Bundle, PolicyChanges | None]:
    """The bundle that judges this run: the working tree's, or the one at `policy_ref`."""
    if policy_ref is None:
        return load_bundle_snapshot(judging_bundle(policy, start)), None
    return _at_ref(policy, policy_ref, start, snapshot=True)


def bundle_info(bundle: Bundle) -> BundleInfo:
    """How a report names the bundle that judged a manifest."""
    from clearance.loading.files import display_name

    shipped = os.path.abspath(bundle.path) == _shipped_root()
    where = SHIPPED_NAME if shipped else display_name(bundle.path)
    return BundleInfo(bundle.name, bundle.version, bundle.digest, where)


@cache
def _shipped_root() -> str:
    from clearance.resources import default_bundle

    return os.path.abspath(default_bundle().resolve())


def _at_ref(
    policy: Path | None, policy_ref: str, start: Path | None, *, snapshot: bool
) -> tuple[Bundle, PolicyChanges | None]:
    from clearance.loading import git as gitrepo

    if policy is None:
        # the repository's bundle as the ref has it, whether or not the working tree
        # still (or already) has one: deleting .clearance/ must not change the judge
        where = Path(os.path.abspath(start or Path(".")))
        if repository_root(where) is None:
            raise UsageError(
                f"--policy-ref reads the bundle from git history, but {where} is not in a "
                "git repository; give --policy DIR"
            )
        root = gitrepo.repo_root(where)
        given = root / BUNDLE_DIR
        required = False
    else:
        given = Path(os.path.normpath(os.path.abspath(policy)))
        # the repository around the path as written: a link at the path may lead anywhere
        root = gitrepo.repo_root(given.parent if given.is_symlink() else given)
        required = True
    commit = gitrepo.resolve_ref(root, policy_ref)
    rel = _inside_repository(given, root)
    base = _bundle_at(root, commit, rel, policy_ref, required)
    try:
        if policy is None:
            head_path = repository_bundle(given.parent, root)
            head = load_bundle_snapshot(head_path) if snapshot else load_bundle(head_path)
        else:
            head = load_bundle(policy)
    except InputError:
        return base, PolicyChanges(policy_ref, (), (), (), True, loads=False)
    return base, compare_bundles(base, head, policy_ref)


def _bundle_at(root: Path, commit: str, rel: str, ref: str, required: bool) -> Bundle:
    """The bundle at `rel` in the repository as `commit` has it; when it is not there and
    not `required` (the repository's own `.clearance/`), the shipped bundle."""
    from clearance.loading import git as gitrepo

    exported = Path(tempfile.mkdtemp(prefix="clearance-policy-"))
    atexit.register(shutil.rmtree, exported, ignore_errors=True)
    # every YAML file of the repository at the ref, so that a bundle extending
    # another one in the same repository finds its parent as the ref has it too;
    # links as the ref has them, so the path is resolved in the ref's tree alone
    export = gitrepo.export_dir(root, commit, "", exported, suffixes=(".yaml", ".yml"))
    link = export.refused_on(rel)
    if link is not None:
        raise UsageError(
            f"at {ref}, the bundle path {rel} goes through the link {link} -> "
            f"{export.refused_links[link]}, which leaves the repository; refused"
        )
    base_root = exported / rel if rel != "." else exported
    present = (base_root / "bundle.yaml").is_file() and base_root.resolve().is_relative_to(
        exported.resolve()
    )
    if not present:
        if required:
            raise UsageError(f"the bundle {rel} does not exist at {ref}")
        if os.path.lexists(base_root):
            raise UsageError(f"at {ref}, {rel} holds no bundle.yaml")
        return load_bundle(None)
    return load_bundle(base_root, fence=exported, repo=root)


def _inside_repository(given: Path, root: Path) -> str:
    """The bundle's path in the repository, as written: never through the working
    tree's links, which a pull request may have re-pointed to choose its own judge."""
    for base in (root, root.resolve()):
        if given.is_relative_to(base):
            return given.relative_to(base).as_posix()
    # the repository reached through a linked directory: resolve only the part
    # above the repository, never a link inside it
    for parent in given.parents:
        if parent.resolve() == root.resolve():
            return given.relative_to(parent).as_posix()
    raise UsageError(f"--policy {given} is not inside the repository {root}")


def load_bundle_snapshot(policy: Path | None) -> Bundle:
    """The bundle, from its snapshot when its files have not changed since (see snapshot.py)."""
    from clearance.bundle import snapshot

    bundle = snapshot.load(policy)
    if bundle is None:
        bundle = load_bundle(policy)
        snapshot.save(bundle, policy)
    return bundle


def compare_bundles(base: Bundle, head: Bundle, ref: str) -> PolicyChanges | None:
    if base.digest == head.digest:
        return None
    old = {r.id: r.digest for r in base.all_rules()}
    new = {r.id: r.digest for r in head.all_rules()}
    changed = tuple(sorted(i for i in old.keys() & new.keys() if old[i] != new[i]))
    added = tuple(sorted(new.keys() - old.keys()))
    removed = tuple(sorted(old.keys() - new.keys()))
    return PolicyChanges(
        ref, added, removed, changed, other_files_changed=not (added or removed or changed)
    )
