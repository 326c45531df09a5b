"""Caches never change a verdict: after any sequence of edits to a layered bundle
(content with the modification time kept, renames, new files, a parent link
re-pointed), a check using the caches says exactly what a check without them says."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, Run

RISKY = REPO / "examples" / "risky-team"


def _verdict(run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, root: Path,
             cache: Path | None) -> tuple[int, list[tuple[str, str, str]]]:
    if cache is None:
        monkeypatch.setenv("CLEARANCE_NO_CACHE", "1")
    else:
        monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
        monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(cache))
    result = run("check", root / "app", "--policy", root / "team", "--format", "json")
    if result.code == 2:
        return 2, [("error", line, "") for line in sorted(result.err.splitlines())]
    findings = json.loads(result.out)["findings"]
    return result.code, sorted((f["rule"], f["workload"], f["severity"]) for f in findings)


def _keep_mtime(path: Path, edit: Callable[[str], str]) -> None:
    """Edit as `cp -p` would: new bytes, the old modification time."""
    before = path.stat()
    path.write_text(edit(path.read_text()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _setup(root: Path) -> None:
    for name in ("org-a", "org-b"):
        shutil.copytree(REPO / "policies", root / name, ignore=shutil.ignore_patterns("tests"))
    _keep_mtime(root / "org-b" / "hipaa.yaml", lambda t: t.replace("severity: error", "severity: info"))
    (root / "org").symlink_to("org-a")
    (root / "team").mkdir()
    (root / "team" / "bundle.yaml").write_text("name: team\nversion: 1.0.0\nextends: ../org\n")
    shutil.copytree(RISKY, root / "app")


EXTRA_RULE = """\
rules:
  - id: team.extra
    title: t
    severity: error
    when: {workload.commercial: {equals: true}}
    message: m
"""

EDITS: dict[str, Callable[[Path], None]] = {
    "lower a rule, mtime kept": lambda r: _keep_mtime(
        r / "org-a" / "gdpr.yaml", lambda t: t.replace("severity: error", "severity: warning", 1)),
    "raise it again, mtime kept": lambda r: _keep_mtime(
        r / "org-a" / "gdpr.yaml", lambda t: t.replace("severity: warning", "severity: error", 1)),
    "rename a rule file away": lambda r: (r / "org-a" / "hipaa.yaml").rename(r / "org-a" / "hipaa.yml")
    if (r / "org-a" / "hipaa.yaml").exists() else None,
    "rename it back": lambda r: (r / "org-a" / "hipaa.yml").rename(r / "org-a" / "hipaa.yaml")
    if (r / "org-a" / "hipaa.yml").exists() else None,
    "add a rule file": lambda r: (r / "team" / "extra.yaml").write_text(EXTRA_RULE),
    "remove it": lambda r: (r / "team" / "extra.yaml").unlink(missing_ok=True),
    "point the parent at org-b": lambda r: _repoint(r, "org-b"),
    "point the parent at org-a": lambda r: _repoint(r, "org-a"),
    "name a rule file of another suffix": lambda r: _name_policies(r),
    "change the organisation, mtime kept": lambda r: _keep_mtime(
        r / "org-a" / "organisation.yaml", lambda t: t.replace("domicile: US", "domicile: DE", 1)),
}


def _repoint(root: Path, target: str) -> None:
    (root / "org").unlink()
    (root / "org").symlink_to(target)


def _name_policies(root: Path) -> None:
    (root / "team" / "extra.rules").write_text(EXTRA_RULE.replace("team.extra", "team.other"))
    settings_file = root / "team" / "bundle.yaml"
    if "policies:" not in settings_file.read_text():
        settings_file.write_text(settings_file.read_text() + "policies: [extra.rules]\n")


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=4))
def test_the_cached_verdict_is_the_uncached_verdict(
    run: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch, edits: list[str]
) -> None:
    root = tmp_path_factory.mktemp("edits")
    cache = root / "cache"
    _setup(root)
    monkeypatch.chdir(root)
    assert _verdict(run, monkeypatch, root, cache) == _verdict(run, monkeypatch, root, None)
    _verdict(run, monkeypatch, root, cache)  # now from the snapshot
    for edit in edits:
        EDITS[edit](root)
        cached = _verdict(run, monkeypatch, root, cache)
        assert cached == _verdict(run, monkeypatch, root, None), edit
