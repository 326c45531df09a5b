"""`clearance init`: writes a commented `.clearance/` that loads and judges, asks on a
terminal, takes flags otherwise, checks answers with "did you mean", never overwrites,
and never waits for an answer that cannot come."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import Run
from test_discovery import INTERNAL

FLAGS = ["--domicile", "DE", "--monthly-active-users", "2000000", "--name", "Acme GmbH"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "acme-app"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def organisation(root: Path) -> dict[str, object]:
    data = yaml.safe_load((root / ".clearance" / "organisation.yaml").read_text())
    assert isinstance(data, dict)
    return data


def test_flags_and_yes_write_a_bundle_that_judges(run: Callable[..., Run], repo: Path) -> None:
    shutil.copy(INTERNAL, repo / "model-usage.yaml")
    result = run("init", "--yes", *FLAGS, "--site", "dc-fra=DE", "--site", "dc-par=fr")
    assert result.code == 0, result.err
    assert "Next:" in result.out and "clearance check" in result.out
    assert not (repo / "waivers.yaml").exists()
    settings = yaml.safe_load((repo / ".clearance" / "bundle.yaml").read_text())
    assert settings["extends"] == "clearance:default" and settings["name"] == "acme-app"
    assert settings["waivers"] == {"approvers": [], "max_days": 180, "require_ticket": True}
    assert organisation(repo) == {
        "name": "Acme GmbH",
        "domicile": "DE",
        "monthly_active_users": 2000000,
        "licences_held": [],
        "sites": [{"id": "dc-fra", "country": "DE"}, {"id": "dc-par", "country": "FR"}],
    }
    checked = run("check", "--format", "json")
    assert checked.code == 0, checked.err
    assert '"path": ".clearance"' in checked.out and '"name": "acme-app"' in checked.out
    # every field written is explained by a comment above it
    for name in ("bundle.yaml", "organisation.yaml"):
        lines = (repo / ".clearance" / name).read_text().splitlines()
        for i, line in enumerate(lines):
            if line and not line.startswith((" ", "#")):
                assert lines[i - 1].startswith("#"), f"{name}: {line!r} has no comment"


def test_unknown_facts_stay_out_and_the_starter_fails_only_on_placeholders(
    run: Callable[..., Run], repo: Path
) -> None:
    result = run("init", "--yes")
    assert result.code == 0, result.err
    facts = organisation(repo)
    assert "domicile" not in facts and "monthly_active_users" not in facts and "name" not in facts
    assert "domicile, monthly_active_users, name" in result.out  # named as what to fill in
    starter = (repo / "model-usage.yaml").read_text()
    assert "FILL-ME" in starter
    checked = run("check")
    assert checked.code == 2
    errors = checked.err.strip().splitlines()
    assert len(errors) == starter.count(": FILL-ME") + starter.count("[FILL-ME]")
    assert all("FILL-ME is a placeholder" in line for line in errors), errors


def test_the_filled_in_starter_passes(run: Callable[..., Run], repo: Path) -> None:
    assert run("init", "--yes", *FLAGS).code == 0
    path = repo / "model-usage.yaml"
    text = path.read_text().replace("data: [FILL-ME]", "data: [internal]")
    for key, value in [
        ("id", "chat"),
        ("description", "support chat"),
        ("purpose", "inference"),
        ("audience", "internal"),
        ("commercial", "false"),
        ("model", "openai/gpt-4o-mini"),
        ("mode", "api"),
        ("provider", "openai"),
        ("region", "us"),
    ]:
        text = text.replace(f"{key}: FILL-ME", f"{key}: {value}", 1)
    path.write_text(text)
    result = run("check", "--color", "never")
    assert result.code == 0, result.err + result.out
    assert "(policy acme-app 0.1.0 from .clearance)" in result.out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--domicile", "UK"], "did you mean GB, United Kingdom"),
        (["--domicile", "Germny"], "did you mean DE, Germany"),
        (["--domicile", "Atlantis"], "unknown country 'Atlantis'"),
        (["--site", "Frankfurt=DE"], "must be lower-case"),
        (["--site", "dc-fra"], "expected ID=CC"),
        (["--site", "dc-fra=DEU"], "--site dc-fra: unknown country 'DEU'"),
        (["--site", "a=DE", "--site", "a=FR"], "'a' is given twice"),
        (["--monthly-active-users", "lots"], "expected a whole number"),
        (["--monthly-active-users", "-5"], "expected a whole number"),
    ],
)
def test_bad_answers_are_refused_with_a_suggestion(
    run: Callable[..., Run], repo: Path, flags: list[str], message: str
) -> None:
    result = run("init", "--yes", *flags)
    assert result.code == 2 and message in result.err, result.err
    assert not (repo / ".clearance").exists()


def test_a_country_name_is_read_as_its_code(run: Callable[..., Run], repo: Path) -> None:
    assert run("init", "--yes", "--domicile", "germany", "--site", "x=france").code == 0
    assert organisation(repo)["domicile"] == "DE"
    assert organisation(repo)["sites"] == [{"id": "x", "country": "FR"}]


def test_it_never_overwrites(run: Callable[..., Run], repo: Path) -> None:
    (repo / ".clearance").mkdir()
    (repo / ".clearance" / "organisation.yaml").write_text("name: mine\n")
    result = run("init", "--yes", *FLAGS)
    assert result.code == 2
    assert "never overwrites" in result.err and "organisation.yaml" in result.err
    assert (repo / ".clearance" / "organisation.yaml").read_text() == "name: mine\n"
    assert not (repo / ".clearance" / "bundle.yaml").exists()  # nothing half-written


def test_an_existing_manifest_is_kept_and_no_starter_written(
    run: Callable[..., Run], repo: Path
) -> None:
    (repo / "svc").mkdir()
    shutil.copy(INTERNAL, repo / "svc" / "model-usage.yaml")
    assert run("init", "--yes").code == 0
    assert not (repo / "model-usage.yaml").exists()


def test_from_a_subdirectory_it_writes_at_the_repository_root(
    run: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(repo / "deep" / "er")
    assert run("init", "--yes", *FLAGS).code == 0
    assert (repo / ".clearance" / "bundle.yaml").is_file()


def test_without_a_terminal_or_yes_it_stops_naming_the_flags(
    run: Callable[..., Run], repo: Path
) -> None:
    result = run("init", *FLAGS)  # pytest's standard input is no terminal
    assert result.code == 2
    assert "--domicile CC" in result.err and "--yes" in result.err
    assert not (repo / ".clearance").exists()


def _converse(cwd: Path, answers: list[str], timeout: float = 60.0) -> tuple[int, str]:
    """Run `clearance init` on a pseudo-terminal, answering each prompt as it appears."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clearance", "init"],
        cwd=cwd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    mark = 0  # where the output after the last answer begins
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
                # a prompt waits at the end of the output with ": " after its question
                if pending and seen[mark:].endswith(b": "):
                    os.write(master, pending.pop(0).encode() + b"\n")
                    mark = len(seen)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_it_asks_on_a_terminal(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    (root / ".git").mkdir(parents=True)
    answers = ["Acme GmbH", "Germny", "Germany", "two million", "2,000,000", "dc-fra=DE", "", "y"]
    code, transcript = _converse(root, answers)
    assert code == 0, transcript
    assert "did you mean DE, Germany" in transcript  # asked again after the typo
    assert "expected a whole number" in transcript
    assert "write a starter?" in transcript and "Next:" in transcript
    facts = organisation(root)
    assert facts["domicile"] == "DE" and facts["monthly_active_users"] == 2000000
    assert facts["name"] == "Acme GmbH"
    assert facts["sites"] == [{"id": "dc-fra", "country": "DE"}]
    assert (root / "model-usage.yaml").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_empty_answers_leave_facts_unknown(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    (root / ".git").mkdir(parents=True)
    shutil.copy(INTERNAL, root / "model-usage.yaml")
    code, transcript = _converse(root, ["", "", "", ""])
    assert code == 0, transcript
    assert set(organisation(root)) == {"licences_held"}
