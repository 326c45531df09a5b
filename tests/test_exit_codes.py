"""Exit 3 only for real bugs: each input here once ended in an internal error.

Every case must end in a verdict (exit 0 or 1) or in exit 2 naming what is wrong,
never in a traceback. Tests run as root, whom permissions do not stop, so an
unreadable folder is made by making its listing fail, and a full disk by making
the write fail; the device cases use real devices.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from audit_repos import GIT
from conftest import REPO, WORKLOAD, Run

CLOSED_MODEL = """\
version: 1
workloads:
  - id: w1
    data: [internal]
    commercial: false
    model: openai/gpt-4o
    deployment: {mode: api, provider: acme-api, region: acme-1}
"""


def bundle_with(root: Path, catalogue: dict[str, str]) -> Path:
    """A copy of the shipped bundle with extra catalogue files."""
    import shutil

    bundle = root / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    (bundle / "extra").mkdir()
    for name, text in catalogue.items():
        (bundle / "extra" / name).write_text(text, encoding="utf-8")
    with (bundle / "bundle.yaml").open("a", encoding="utf-8") as handle:
        handle.write("catalog: [extra]\n")
    return bundle


# -- a closed model that no known terms govern -----------------------------------------


@pytest.mark.parametrize("vendor", ["", "    vendor: openai\n"], ids=["no-vendor", "own-vendor"])
def test_a_closed_model_through_a_provider_without_terms_fails_closed(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vendor: str
) -> None:
    providers = (
        "providers:\n  - id: acme-api\n    name: Acme API\n    kind: hosted-open\n"
        f"{vendor}    regions:\n      - {{id: acme-1, country: DE}}\n"
    )
    bundle = bundle_with(tmp_path, {"providers.yaml": providers})
    (tmp_path / "model-usage.yaml").write_text(CLOSED_MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", "model-usage.yaml", "--policy", bundle, "--format", "json")
    assert result.code == 1, result.err
    import json

    [finding] = json.loads(result.out)["findings"]
    assert finding["rule"] == "terms.none-known"
    assert finding["severity"] == "error"
    assert finding["message"].startswith("no terms known to govern openai/gpt-4o")
    explained = run("explain", "--workload", "w1", "model-usage.yaml", "--policy", bundle)
    assert explained.code == 0, explained.err
    assert "no terms known" in explained.out


def test_a_policy_case_removing_a_providers_terms_is_judged(
    run: Callable[..., Run], bundle_copy: Path
) -> None:
    for old in (bundle_copy / "tests").glob("*.yaml"):
        old.unlink()
    (bundle_copy / "tests" / "no-terms.yaml").write_text(
        "cases:\n"
        "  - name: OpenAI's own model with OpenAI's terms removed\n"
        "    providers: {openai: {terms: null}}\n"
        "    workload:\n"
        "      id: w\n"
        "      data: [internal]\n"
        "      commercial: true\n"
        "      model: openai/gpt-4o\n"
        "      deployment: {mode: api, provider: openai, region: us}\n"
        "    fires: [terms.none-known]\n",
        encoding="utf-8",
    )
    result = run("policy", "test", bundle_copy)
    assert result.code == 1, result.err  # the shipped rules are untested here, nothing else
    assert "1 passed, 0 failed" in result.out
    assert "internal error" not in result.err


# -- outputs that cannot be written ----------------------------------------------------


@pytest.fixture
def manifest_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "model-usage.yaml").write_text(WORKLOAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _no_temporary_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("a-folder", "Is a directory"),
        ("/proc/clearance-report.json", "No such file or directory"),
        ("a-file/report.json", "Not a directory"),
    ],
)
def test_an_output_that_cannot_be_written_is_exit_2(
    run: Callable[..., Run], manifest_dir: Path, target: str, reason: str
) -> None:
    (manifest_dir / "a-folder").mkdir()
    (manifest_dir / "a-file").write_text("", encoding="utf-8")
    result = run("check", "model-usage.yaml", "--format", f"json={target}")
    assert result.code == 2, result.err
    assert f"error: {target}: cannot write: {reason}" in result.err
    result = run("check", "model-usage.yaml", "--output", target)
    assert result.code == 2, result.err  # (click itself refuses a folder given to --output)
    assert target in result.err and "internal error" not in result.err
    assert _no_temporary_files(manifest_dir) == []


def test_a_full_disk_leaves_no_partial_file(
    run: Callable[..., Run], manifest_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.cli import options

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int) -> None:
            self.handle = real_fdopen(fd, "w")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[:10])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, mode: str = "r", *args: object, **kwargs: object) -> object:
        report = mode == "w" and kwargs.get("newline") == "\n"  # write_atomic's, not a cache's
        return Full(fd) if report else real_fdopen(fd, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(options.os, "fdopen", fdopen)
    result = run("check", "model-usage.yaml", "--output", "report.txt")
    assert result.code == 2, result.err
    assert "error: report.txt: cannot write: No space left on device" in result.err
    assert sorted(p.name for p in manifest_dir.iterdir()) == ["model-usage.yaml"]


def test_a_device_is_written_not_replaced(run: Callable[..., Run], manifest_dir: Path) -> None:
    """`--output /dev/full` once replaced the device with a regular file (as root)."""
    full = manifest_dir / "full"
    try:
        os.mknod(full, 0o666 | 0o020000, os.makedev(1, 7))  # the /dev/full device
    except PermissionError:
        pytest.skip("making a device needs root")
    result = run("check", "model-usage.yaml", "--output", "full")
    assert result.code == 2, result.err
    assert "error: full: cannot write: No space left on device" in result.err
    assert full.is_char_device()
    null = manifest_dir / "null"
    os.mknod(null, 0o666 | 0o020000, os.makedev(1, 3))  # /dev/null
    assert run("check", "model-usage.yaml", "--output", "null").code == 0
    assert null.is_char_device()


@pytest.mark.parametrize("command", ["check", "audit"])
def test_standard_output_on_a_full_device_is_exit_2(manifest_dir: Path, command: str) -> None:
    args = ["check", "model-usage.yaml"] if command == "check" else ["audit", ".", "--format", "json"]
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "clearance", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=manifest_dir,
            check=False,
        )
    assert proc.returncode == 2, proc.stderr
    assert "error: standard output: cannot write: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- --baseline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"findings": "\xff"}', "baseline.json:1:15: not UTF-8 text: byte 0xff"),
        (b"[" * 200_000 + b"]" * 200_000, "baseline.json:1:1: baseline is nested too deeply"),
        (b"x" * 3_000_000, "baseline.json:1:1: file is 3000000 bytes, over the limit of 2000000"),
    ],
    ids=["not-utf8", "nested-200000-deep", "over-the-size-limit"],
)
def test_a_bad_baseline_is_exit_2(
    run: Callable[..., Run],
    manifest_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    message: str,
) -> None:
    (manifest_dir / "baseline.json").write_bytes(content)
    monkeypatch.setenv("CLEARANCE_MAX_FILE_BYTES", "2000000")
    result = run("check", "model-usage.yaml", "--baseline", "baseline.json")
    assert result.code == 2, result.err
    assert f"error: {message}" in result.err


def test_an_endless_baseline_is_refused_unread(run: Callable[..., Run], manifest_dir: Path) -> None:
    os.mkfifo(manifest_dir / "pipe.json")  # nobody writes: reading it would wait forever
    for endless in ("/dev/zero", "pipe.json"):
        result = run("check", "model-usage.yaml", "--baseline", endless)
        assert result.code == 2, result.err
        assert f"error: {endless}:1:1: not a regular file" in result.err


# -- --history -------------------------------------------------------------------------


def _history(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (["UPDATE audits SET today = 'someday'"], "audit 1: today is 'someday', not a date"),
        (
            ["INSERT INTO waivers VALUES (1, 'f', 'r', 'w', 'a', NULL, x'00', 'valid')"],
            "audit 1: a waiver's expiry is b'\\x00', not text",
        ),
        (["UPDATE audits SET generated_at = x'00ff'"], "audit 1: generated_at is b'\\x00\\xff'"),
        (["DROP TABLE findings", "CREATE TABLE findings (x)"], "no such column"),
    ],
    ids=["bad-date", "null-expiry", "blob", "another-schema"],
)
def test_a_bad_history_is_exit_2(
    run: Callable[..., Run], manifest_dir: Path, statements: list[str], message: str
) -> None:
    first = run("audit", ".", "--format", "json", "--output", "a.json", "--history", "h.db")
    assert first.code == 0, first.err
    _history(manifest_dir / "h.db", *statements)
    result = run("audit", ".", "--format", "json", "--output", "b.json", "--history", "h.db")
    assert result.code == 2, result.err
    assert "error: h.db: not a usable clearance history file" in result.err
    assert message in result.err


def test_a_history_of_another_tool_is_exit_2(run: Callable[..., Run], manifest_dir: Path) -> None:
    _history(manifest_dir / "other.db", "CREATE TABLE audits (x)", "INSERT INTO audits VALUES (1)")
    result = run("audit", ".", "--format", "json", "--output", "b.json", "--history", "other.db")
    assert result.code == 2, result.err
    assert "error: other.db: not a usable clearance history file (no such column: id)" in result.err


# -- --since, base_model chains, the size limit, unreadable folders ---------------------


def test_since_on_a_manifest_linked_out_of_the_repository_is_exit_2(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "model-usage.yaml").write_text(WORKLOAD, encoding="utf-8")
    repo = tmp_path / "repo"
    subprocess.run([*GIT, "init", "-q", str(repo)], check=True)
    (repo / "model-usage.yaml").symlink_to(tmp_path / "outside" / "model-usage.yaml")
    subprocess.run([*GIT, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(repo), "commit", "-qm", "link"], check=True)
    monkeypatch.chdir(repo)
    result = run("check", "model-usage.yaml", "--since", "HEAD")
    assert result.code == 2, result.err
    assert "error: model-usage.yaml: a link to " in result.err
    assert "outside the repository" in result.err


def _chain(depth: int, loop: bool = False) -> str:
    """Models acme/m0 … based on one another, the deepest listed first (so a walk of the
    catalogue meets the whole chain at once); with `loop`, m0 is based on the last."""
    lines = ["models:"]
    for i in reversed(range(depth)):
        first = f"acme/m{depth - 1}" if loop else "meta-llama/Llama-3.1-8B-Instruct"
        base = f"acme/m{i - 1}" if i else first
        lines += [
            f"  - id: acme/m{i}",
            f"    name: m{i}",
            "    vendor: acme",
            "    family: acme",
            "    licence: mit",
            "    weights: open",
            "    modalities: {input: [text], output: [text]}",
            f"    base_model: [{base}]",
            '    source: {url: "https://acme.example", as_of: 2026-01-01}',
        ]
    return "\n".join(lines) + "\n"


def test_a_base_model_chain_3000_deep_is_judged(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = bundle_with(tmp_path, {"models.yaml": _chain(3000)})
    (tmp_path / "model-usage.yaml").write_text(
        WORKLOAD.replace("meta-llama/Llama-3.1-70B-Instruct", "acme/m2999"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run("check", "model-usage.yaml", "--policy", bundle)
    assert result.code == 0, result.err
    looped = bundle_with(tmp_path / "loop", {"models.yaml": _chain(3000, loop=True)})
    result = run("check", "model-usage.yaml", "--policy", looped)
    assert result.code == 2, result.err
    assert "base_model chain of acme/m0 loops back on itself" in result.err


@pytest.mark.parametrize(
    "value", ["1" + "0" * 30, "-5", "0", "64MB", "1e9", "١٢٣"], ids=str.isascii
)
def test_a_bad_size_limit_is_said_not_ignored(
    run: Callable[..., Run], manifest_dir: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CLEARANCE_MAX_FILE_BYTES", value)
    result = run("check", "model-usage.yaml")
    assert result.code == 2, result.err
    assert "error: CLEARANCE_MAX_FILE_BYTES=" in result.err
    assert "expected a whole number of bytes from 1 to 1099511627776" in result.err


def test_a_large_size_limit_is_taken(
    run: Callable[..., Run], manifest_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_MAX_FILE_BYTES", str(2**40))  # no buffer that size is made
    assert run("check", "model-usage.yaml").code == 0


def _locked(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make `folder` behave as a folder that cannot be listed or entered."""
    real_stat, real_scandir = os.stat, os.scandir
    locked = str(folder.resolve())

    def inside(path: object) -> bool:
        if isinstance(path, int):
            return False
        return os.path.abspath(os.fsdecode(path)).startswith(locked)  # type: ignore[call-overload]

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if inside(path) and os.path.abspath(os.fsdecode(path)) != locked:  # type: ignore[call-overload]
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def scandir(path: object = ".") -> object:
        if inside(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)


def test_a_manifest_named_inside_an_unreadable_folder_is_exit_2(
    run: Callable[..., Run], manifest_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (manifest_dir / "locked").mkdir()
    (manifest_dir / "locked" / "model-usage.yaml").write_text(WORKLOAD, encoding="utf-8")
    _locked(monkeypatch, manifest_dir / "locked")
    result = run("check", "locked/model-usage.yaml")
    assert result.code == 2, result.err
    assert "error: locked/model-usage.yaml: cannot read: Permission denied" in result.err
