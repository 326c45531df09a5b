"""The policy snapshot: a second check reads the bundle back without pydantic, and only
ever a bundle whose files are byte for byte what they were."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clearance import snapshot
from clearance.bundle import load_bundle
from clearance.engine import load_bundle_snapshot
from conftest import REPO

EXAMPLES = sorted((REPO / "examples").glob("*/model-usage.yaml"))
MANIFEST = """\
version: 1
workloads:
  - id: notes
    data: [phi]
    commercial: true
    model: gpt-4o
    deployment: {mode: api, provider: openai, region: us}
"""
WAIVERS = """\
waivers:
  - rule: hipaa.phi-needs-baa
    workload: notes
    reason: the BAA is being signed
    approved_by: jane.doe@acme.example
    ticket: COMP-1
    expires: 2026-12-31
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(directory))
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    return directory


def settle(root: Path) -> None:
    """Date every file and directory under `root` an hour back, as if edited long ago."""
    past = time.time() - 3600
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def copy_bundle(root: Path) -> Path:
    bundle = root / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    settle(bundle)
    return bundle


def snapshots(cache: Path) -> list[Path]:
    return sorted(cache.glob("bundle-*.pickle"))


def clearance(*args: str, env: dict[str, str], code: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code or "from clearance.cli.main import main; raise SystemExit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_a_second_check_reads_the_snapshot_and_never_imports_pydantic(
    cache: Path, tmp_path: Path
) -> None:
    manifest = tmp_path / "model-usage.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    env = {"CLEARANCE_CACHE_DIR": str(cache), "CLEARANCE_TODAY": "2026-06-01"}
    first = clearance("check", str(manifest), env=env)
    assert snapshots(cache), first.stderr
    probe = (
        "import sys\n"
        "from clearance.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    second = clearance("check", str(manifest), env=env, code=probe)
    assert second.returncode == first.returncode == 1
    assert second.stdout == first.stdout
    assert "waived" in second.stdout  # the waiver was read, from the parse cache
    assert "HEAVY []" in second.stderr


@pytest.mark.parametrize("manifest", EXAMPLES, ids=lambda p: p.parent.name)
def test_a_check_from_the_snapshot_reports_what_a_full_load_reports(
    manifest: Path, cache: Path
) -> None:
    env = {"CLEARANCE_CACHE_DIR": str(cache), "CLEARANCE_TODAY": "2026-06-01"}
    args = ("check", str(manifest), "--format", "json")
    full = clearance(*args, env={**env, "CLEARANCE_NO_CACHE": "1"})
    clearance(*args, env=env)  # writes the snapshot
    assert snapshots(cache)
    again = clearance(*args, env=env)
    assert again.returncode == full.returncode
    report, expected = json.loads(again.stdout), json.loads(full.stdout)
    report.pop("generated_at"), expected.pop("generated_at")
    assert report == expected


def test_the_snapshot_holds_the_bundle_as_loaded(cache: Path) -> None:
    loaded = load_bundle()
    assert load_bundle_snapshot(None).digest == loaded.digest  # a full load, then saved
    restored = snapshot.load(None)
    assert restored is not None
    assert restored.digest == loaded.digest
    assert [r.id for r in restored.all_rules()] == [r.id for r in loaded.all_rules()]
    assert [r.line for r in restored.all_rules()] == [r.line for r in loaded.all_rules()]
    model = restored.catalogue.model("gpt-4o")
    assert model is not None and model.licence == "openai-api"
    # a stand-in offers the model's fields by name and as (name, value) pairs
    terms = restored.catalogue.licences["llama-3.1"].value.terms
    assert dict(terms)["mau_threshold"].value == 700_000_000


def test_an_edited_rule_is_read_again(cache: Path, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    assert load_bundle_snapshot(bundle).rule("hipaa.phi-needs-baa").severity == "error"  # type: ignore[union-attr]
    assert snapshots(cache)
    hipaa = bundle / "hipaa.yaml"
    hipaa.write_text(
        hipaa.read_text(encoding="utf-8").replace("severity: error", "severity: warning", 1),
        encoding="utf-8",
    )
    settle(bundle)  # even an edit dated in the past is seen: freshness is by content
    assert snapshot.load(bundle) is None
    assert load_bundle_snapshot(bundle).rule("hipaa.phi-needs-baa").severity == "warning"  # type: ignore[union-attr]


def test_a_new_policy_file_is_read(cache: Path, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    load_bundle_snapshot(bundle)
    assert snapshot.load(bundle) is not None
    (bundle / "extra.yaml").write_text(
        "rules:\n"
        "  - id: extra.no-public\n"
        "    title: t\n"
        "    severity: info\n"
        "    when: {workload.data: {contains: public}}\n"
        "    message: m\n",
        encoding="utf-8",
    )
    settle(bundle)
    assert snapshot.load(bundle) is None
    assert load_bundle_snapshot(bundle).rule("extra.no-public") is not None


def test_a_file_replaced_by_a_link_is_read_again(cache: Path, tmp_path: Path) -> None:
    bundle = copy_bundle(tmp_path)
    load_bundle_snapshot(bundle)
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.copy(bundle / "residency.yaml", elsewhere)
    (bundle / "residency.yaml").unlink()
    (bundle / "residency.yaml").symlink_to(elsewhere)
    settle(bundle)
    assert snapshot.load(bundle) is None


def test_files_changed_while_loading_leave_no_snapshot(cache: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(
        REPO / "policies",
        bundle,
        ignore=shutil.ignore_patterns("tests"),
        copy_function=shutil.copy,  # new times, as if just edited
    )
    load_bundle_snapshot(bundle)  # just written: it may still be changing
    assert snapshots(cache) == []
    settle(bundle)
    load_bundle_snapshot(bundle)
    assert snapshots(cache) != []


def test_a_bundle_from_a_git_ref_is_never_snapshot(cache: Path) -> None:
    bundle = load_bundle()
    bundle.reproducible_from_files = False
    snapshot.save(bundle, None, time.time() + 60)
    assert snapshots(cache) == []


class _Boom:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_tampered_snapshot_builds_nothing_and_is_a_miss(cache: Path, tmp_path: Path) -> None:
    load_bundle_snapshot(None)
    (target,) = snapshots(cache)
    with open(target, "rb") as f:
        header = pickle.load(f)  # the freshness header stays valid
    marker = tmp_path / "pwned"
    target.write_bytes(pickle.dumps(header) + pickle.dumps(_Boom(marker)))
    assert snapshot.load(None) is None
    assert not marker.exists()
    assert load_bundle_snapshot(None).name == "default"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_snapshot_is_a_miss(cache: Path, damage: str) -> None:
    load_bundle_snapshot(None)
    (target,) = snapshots(cache)
    data = target.read_bytes()
    target.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"\x80\x05junk" * 100, "empty": b""}[damage]
    )
    assert snapshot.load(None) is None
    assert load_bundle_snapshot(None).rules  # loaded in full, and rewritten
    assert snapshot.load(None) is not None


def test_no_snapshot_without_a_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLEARANCE_NO_CACHE", "1")
    load_bundle_snapshot(None)
    assert not (tmp_path / "cache").exists()
