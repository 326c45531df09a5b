"""Shared fixtures: run the CLI in-process, write manifests and bundles to tmp dirs."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from clearance.cli.main import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the tests' parse cache out of the user's home directory."""
    import os

    os.environ["CLEARANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("parse-cache"))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run `clearance ARGS...` in this process and capture what it prints."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for var in ("CLEARANCE_POLICY", "CLEARANCE_FORMAT", "CLEARANCE_STRICT", "CLEARANCE_COLOR"):
        monkeypatch.delenv(var, raising=False)

    def _run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented text to tmp_path/NAME and return the path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped default bundle, judging for the tests' example
    organisation (the shipped bundle states no organisation fact)."""
    from helpers import with_example_organisation

    target = tmp_path / "bundle"
    shutil.copytree(REPO / "policies", target)
    return with_example_organisation(target)


WORKLOAD = """\
version: 1
workloads:
  - id: w1
    data: [internal]
    commercial: false
    model: meta-llama/Llama-3.1-70B-Instruct
    deployment:
      mode: self-hosted
      provider: aws
      region: us-east-1
"""
