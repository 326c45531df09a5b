"""The one way every command obtains the bundle that judges it.

`load_policy` is what `check` and `audit` use: the bundle from its snapshot when
its inputs are unchanged (bundle/snapshot.py), or, with `--policy-ref`, the
bundle as the base ref has it, compared with the working tree's. `judge_full`
is for the commands that need the validated models themselves (explain, waive,
policy test and show, browsing, import): always a full load, never a snapshot.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from clearance.bundle.load import Bundle, load_bundle
from clearance.errors import InputError, UsageError
from clearance.evaluate.findings import PolicyChanges


def judge_full(policy: Path | None) -> Bundle:
    """The bundle at `policy` (the shipped one when None), loaded and validated in full."""
    return load_bundle(policy)


def load_policy(policy: Path | None, policy_ref: str | None) -> tuple[Bundle, PolicyChanges | None]:
    """The bundle that judges this run: the working tree's, or the one at `policy_ref`."""
    if policy_ref is None:
        return load_bundle_snapshot(policy), None
    if policy is None:
        raise UsageError(
            "--policy-ref needs --policy DIR: the bundle's directory in the repository"
        )
    from clearance.loading import git as gitrepo

    given = Path(os.path.normpath(os.path.abspath(policy)))
    # the repository around the path as written: a link at the path may lead anywhere
    root = gitrepo.repo_root(given.parent if given.is_symlink() else given)
    commit = gitrepo.resolve_ref(root, policy_ref)
    rel = _inside_repository(policy, root)
    exported = Path(tempfile.mkdtemp(prefix="clearance-policy-"))
    atexit.register(shutil.rmtree, exported, ignore_errors=True)
    # every YAML file of the repository at the ref, so that a bundle extending
    # another one in the same repository finds its parent as the ref has it too;
    # links as the ref has them, so the path is resolved in the ref's tree alone
    export = gitrepo.export_dir(root, commit, "", exported, suffixes=(".yaml", ".yml"))
    link = export.refused_on(rel)
    if link is not None:
        raise UsageError(
            f"at {policy_ref}, the bundle path {rel} goes through the link {link} -> "
            f"{export.refused_links[link]}, which leaves the repository; refused"
        )
    base_root = exported / rel if rel != "." else exported
    if not (base_root / "bundle.yaml").is_file() or not base_root.resolve().is_relative_to(
        exported.resolve()
    ):
        raise UsageError(f"the bundle {rel} does not exist at {policy_ref}")
    base = load_bundle(base_root, fence=exported, repo=root)
    try:
        head = load_bundle(policy)
    except InputError:
        return base, PolicyChanges(policy_ref, (), (), (), True, loads=False)
    return base, compare_bundles(base, head, policy_ref)


def _inside_repository(policy: Path, root: Path) -> str:
    """The bundle's path in the repository, as written: never through the working
    tree's links, which a pull request may have re-pointed to choose its own judge."""
    given = Path(os.path.normpath(os.path.abspath(policy)))
    for base in (root, root.resolve()):
        if given.is_relative_to(base):
            return given.relative_to(base).as_posix()
    # the repository reached through a linked directory: resolve only the part
    # above the repository, never a link inside it
    for parent in given.parents:
        if parent.resolve() == root.resolve():
            return given.relative_to(parent).as_posix()
    raise UsageError(f"--policy {policy} is not inside the repository {root}")


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
