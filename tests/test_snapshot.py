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

from clearance.bundle import snapshot
from clearance.bundle.load import load_bundle
from clearance.pipeline.judge import load_bundle_snapshot
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


def test_a_file_replaced_during_the_load_leaves_no_snapshot(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: a rule file replaced with `cp -p` (same size class, old mtime) while
    # the bundle loaded left a snapshot of the old rules under the new bytes' digest
    import clearance.bundle.load as bundle_module

    bundle = copy_bundle(tmp_path)
    rule_file = bundle / "hipaa.yaml"
    before = rule_file.stat()
    original = bundle_module.compile_policy_files

    def compile_then_edit(*args: object) -> object:
        compiled = original(*args)  # type: ignore[arg-type]
        rule_file.write_text(rule_file.read_text().replace("severity: error", "severity: info"))
        os.utime(rule_file, ns=(before.st_atime_ns, before.st_mtime_ns))
        return compiled

    monkeypatch.setattr(bundle_module, "compile_policy_files", compile_then_edit)
    load_bundle_snapshot(bundle)
    assert snapshots(cache) == []
    monkeypatch.setattr(bundle_module, "compile_policy_files", original)
    reloaded = load_bundle_snapshot(bundle)  # a full load of the new bytes, then a snapshot
    assert snapshots(cache) != []
    assert reloaded.rule("hipaa.phi-needs-baa").severity == "info"  # type: ignore[union-attr]
    assert snapshot.load(bundle).rule("hipaa.phi-needs-baa").severity == "info"  # type: ignore[union-attr]


def test_a_rule_file_of_any_name_is_watched(cache: Path, tmp_path: Path) -> None:
    # regression: a rule file named in `policies:` without a .yaml suffix escaped the
    # snapshot's freshness check, so editing it changed nothing
    bundle = copy_bundle(tmp_path)
    (bundle / "hipaa.yaml").rename(bundle / "hipaa.rules")
    settings = (bundle / "bundle.yaml").read_text()
    rule_files = sorted(
        p.name for p in bundle.glob("*.yaml") if p.name not in snapshot_reserved()
    )
    (bundle / "bundle.yaml").write_text(
        settings + "policies: [" + ", ".join([*rule_files, "hipaa.rules"]) + "]\n"
    )
    assert load_bundle_snapshot(bundle).rule("hipaa.phi-needs-baa").severity == "error"  # type: ignore[union-attr]
    assert snapshots(cache) != []
    text = (bundle / "hipaa.rules").read_text()
    (bundle / "hipaa.rules").write_text(text.replace("severity: error", "severity: info"))
    assert load_bundle_snapshot(bundle).rule("hipaa.phi-needs-baa").severity == "info"  # type: ignore[union-attr]


def snapshot_reserved() -> set[str]:
    from clearance.bundle.compile import RESERVED_FILES

    return RESERVED_FILES


def test_a_re_pointed_parent_link_is_noticed(cache: Path, tmp_path: Path) -> None:
    # regression: a parent bundle reached through a symlink kept being read from the
    # snapshot after the link was pointed at another parent
    strict, lenient = copy_bundle(tmp_path / "strict"), copy_bundle(tmp_path / "lenient")
    text = (lenient / "hipaa.yaml").read_text()
    (lenient / "hipaa.yaml").write_text(text.replace("severity: error", "severity: info"))
    (tmp_path / "org").symlink_to(strict)
    team = tmp_path / "team"
    team.mkdir()
    (team / "bundle.yaml").write_text("name: team\nversion: 1.0.0\nextends: ../org\n")
    assert load_bundle_snapshot(team).rule("hipaa.phi-needs-baa").severity == "error"  # type: ignore[union-attr]
    assert load_bundle_snapshot(team).rule("hipaa.phi-needs-baa").severity == "error"  # type: ignore[union-attr]
    (tmp_path / "org").unlink()
    (tmp_path / "org").symlink_to(lenient)
    assert load_bundle_snapshot(team).rule("hipaa.phi-needs-baa").severity == "info"  # type: ignore[union-attr]


def test_a_snapshot_that_asked_nothing_is_never_fresh(cache: Path, tmp_path: Path) -> None:
    # regression: a snapshot planted with a header listing no directories was fresh
    # for any bundle, so it chose the verdict
    load_bundle_snapshot(None)
    (target,) = snapshots(cache)
    with open(target, "rb") as f:
        pickle.load(f)
        body = f.read()
    target.write_bytes(pickle.dumps([]) + body)
    assert snapshot.load(None) is None


def test_a_cache_directory_others_may_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.loading import cache as parse_cache

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(shared))
    monkeypatch.setattr(parse_cache, "_trusted_dirs", {})
    assert parse_cache.cache_dir() is None
    load_bundle_snapshot(None)
    assert list(shared.iterdir()) == []
    private = tmp_path / "private"
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(private))
    assert parse_cache.cache_dir() == private
    assert private.stat().st_mode & 0o077 == 0  # created for the user alone


def test_a_bundle_from_a_git_ref_is_never_snapshot(cache: Path) -> None:
    bundle = load_bundle()
    bundle.reproducible_from_files = False
    snapshot.save(bundle, None)
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
