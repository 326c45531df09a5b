"""The policy digest (audit evidence, and what `--policy-ref` compares) covers every
file the bundle load read, whatever its name or folder, and nothing it did not read."""

from __future__ import annotations

import shutil
from pathlib import Path

from clearance.bundle.load import load_bundle
from conftest import REPO


def _bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    shutil.copytree(REPO / "policies", root, ignore=shutil.ignore_patterns("tests"))
    (root / "rules").mkdir()
    (root / "tests").mkdir()
    shutil.move(root / "hipaa.yaml", root / "rules" / "hipaa.yml")
    shutil.move(root / "gdpr.yaml", root / "tests" / "gdpr.yaml")
    names = sorted(p.name for p in root.glob("*.yaml"))
    names = [n for n in names if n not in {"bundle.yaml", "organisation.yaml", "data-classes.yaml"}]
    policies = ", ".join([*names, "rules/hipaa.yml", "tests/gdpr.yaml"])
    with (root / "bundle.yaml").open("a") as f:
        f.write(f"policies: [{policies}]\n")
    (root / "tests" / "case.yaml").write_text("cases: []\n")
    return root


def _edit(path: Path) -> None:
    path.write_text(path.read_text().replace("severity: error", "severity: warning", 1))


def test_edits_to_rule_files_of_any_name_or_folder_change_the_digest(tmp_path: Path) -> None:
    # regression: `.yml` rule files and rule files under tests/ escaped the digest, so
    # --fail-on-policy-change missed their edits
    root = _bundle(tmp_path)
    first = load_bundle(root).digest
    _edit(root / "rules" / "hipaa.yml")
    second = load_bundle(root).digest
    assert second != first
    _edit(root / "tests" / "gdpr.yaml")
    assert load_bundle(root).digest not in (first, second)


def test_files_the_load_does_not_read_leave_the_digest_alone(tmp_path: Path) -> None:
    root = _bundle(tmp_path)
    first = load_bundle(root).digest
    (root / "tests" / "case.yaml").write_text("cases: [changed]\n")
    (root / "notes.txt").write_text("not a bundle file\n")
    assert load_bundle(root).digest == first


def test_the_bundle_s_own_waivers_are_in_the_digest(tmp_path: Path) -> None:
    root = _bundle(tmp_path)
    first = load_bundle(root).digest
    (root / "waivers.yaml").write_text("waivers: []\n")
    assert load_bundle(root).digest != first


def test_the_digest_does_not_depend_on_where_the_bundle_lies(tmp_path: Path) -> None:
    a = _bundle(tmp_path / "a")
    b = tmp_path / "elsewhere" / "b"
    shutil.copytree(a, b)
    assert load_bundle(a).digest == load_bundle(b).digest
