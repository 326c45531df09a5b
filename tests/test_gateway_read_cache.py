"""The gateway read cache never changes what a read returns.

A listed config's deployments are kept between checks (gateways/read_cache.py);
an entry is used only when every file, include, link and existence test the read
consulted answers as it did. These tests edit configs, includes and links in
every way a hit could miss, and compare the cached read with an uncached one
after each edit; then they check what is never stored.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.bundle.load import load_bundle
from clearance.errors import InputError
from clearance.gateways import read_cache, reader
from conftest import Run

BUNDLE = load_bundle()
CATALOGUE = BUNDLE.catalogue

ROUTES = (
    "bedrock/eu.anthropic.claude-3-5-haiku-20241022-v1:0\n      aws_region_name: eu-central-1",
    "bedrock/global.anthropic.claude-sonnet-4-20250514-v1:0\n      aws_region_name: us-east-1",
    "vertex_ai/gemini-2.5-pro\n      vertex_location: europe-west4",
    "openai/gpt-4o-mini\n      api_base: https://eu.api.openai.com/v1",
    "groq/llama-3.3-70b-versatile",
    "anthropic/*",
    "os.environ/MODEL",
    "not-a-provider/x",  # LiteLLM refuses the prefix: an InputError, never stored
)


def config(routes: list[int], include: str | None = None) -> str:
    lines = [f"include: [{include}]"] if include else []
    lines.append("model_list:")
    for i, route in enumerate(routes):
        lines += [f"  - model_name: m{i}", "    litellm_params:", f"      model: {ROUTES[route]}"]
    return "\n".join(lines) + "\n"


def outcome(fmt: str, path: Path, digest: str = BUNDLE.digest, cached: bool = True) -> Any:
    """What a read gives: the deployments, or the error's problems."""
    try:
        if cached:
            found = read_cache.read(fmt, path, CATALOGUE, digest)
        else:
            found = reader(fmt).read(path, CATALOGUE)
    except InputError as exc:
        return ("error", [str(p) for p in exc.problems])
    return [repr(d) for d in found]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(directory))
    return directory


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("gateway-*.json")) if directory.is_dir() else []


def test_an_unchanged_config_is_read_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 1, 2, 3, 4, 5, 6]))
    first = outcome("litellm", path)
    assert len(entries(cache)) == 1
    from clearance.gateways import litellm

    def refuse(*args: Any) -> None:
        raise AssertionError("read again although nothing changed")

    monkeypatch.setattr(litellm, "read", refuse)
    assert outcome("litellm", path) == first


def test_a_hit_imports_no_reader(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 1, 2, 3, 4]))
    outcome("litellm", path)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from clearance.bundle.load import load_bundle\n"
        "from clearance.gateways import read_cache\n"
        "bundle = load_bundle()\n"
        f"found = read_cache.read('litellm', Path({str(path)!r}), bundle.catalogue, bundle.digest)\n"
        "print(len(found), 'clearance.gateways.litellm' in sys.modules)\n"
    )
    env = {**os.environ, "CLEARANCE_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "5 False"


def test_another_bundle_is_a_miss(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 2]))
    outcome("litellm", path)
    outcome("litellm", path, digest="another bundle")
    assert len(entries(cache)) == 2


def test_a_failing_read_is_never_stored(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 7]))
    first = outcome("litellm", path)
    assert first[0] == "error" and "unknown LiteLLM provider" in first[1][0]
    assert outcome("litellm", path) == first
    assert entries(cache) == []


def test_a_bundle_without_a_digest_and_no_cache_store_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0]))
    outcome("litellm", path, digest="")
    monkeypatch.setenv("CLEARANCE_NO_CACHE", "1")
    outcome("litellm", path)
    assert entries(cache) == []


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{",
        '{"observations": [], "deployments": []}',
        '{"observations": [["file", "/nowhere", "0"]], "deployments": []}',
        '{"observations": "x", "deployments": 1}',
    ],
)
def test_a_damaged_entry_is_a_miss(tmp_path: Path, cache: Path, damage: str) -> None:
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 3]))
    first = outcome("litellm", path)
    [entry] = entries(cache)
    entry.write_text(damage)
    assert outcome("litellm", path) == first


def test_an_entry_is_as_the_read_it_stores(tmp_path: Path, cache: Path) -> None:
    """Every field of a deployment comes back, the unknowns too."""
    path = tmp_path / "litellm.yaml"
    path.write_text(config([0, 1, 2, 3, 4, 5, 6]))
    direct = reader("litellm").read(path, CATALOGUE)
    read_cache.read("litellm", path, CATALOGUE, BUNDLE.digest)
    again = read_cache.read("litellm", path, CATALOGUE, BUNDLE.digest)
    assert again == direct
    assert [d.unknown for d in again] == [d.unknown for d in direct]
    assert json.loads(entries(cache)[0].read_text())["observations"]


# Edits a hit could miss: the config's bytes, an included file's bytes (modification
# time kept, as `cp -p` keeps it), an include re-pointed through a link, an include
# removed, the config itself replaced by a link.
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("config"), st.lists(st.integers(0, len(ROUTES) - 1), max_size=5)),
        st.tuples(st.just("include"), st.lists(st.integers(0, len(ROUTES) - 1), max_size=4)),
        st.tuples(st.just("link"), st.sampled_from(["a.yaml", "b.yaml"])),
        st.tuples(st.just("unlink"), st.just([])),
        st.tuples(st.just("uses-include"), st.booleans()),
    ),
    min_size=1,
    max_size=8,
)


def _keep_mtime(path: Path, text: str) -> None:
    if path.exists() and not path.is_symlink():
        before = path.stat()
        path.write_text(text)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    else:
        path.write_text(text)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(EDITS)
def test_after_any_edit_the_cached_read_is_the_uncached_read(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, edits: list[Any]
) -> None:
    root = tmp_path_factory.mktemp("edits")
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(root / "cache"))
    folder = root / "gw"
    folder.mkdir()
    main = folder / "litellm.yaml"
    routes: list[int] = [0, 2]
    uses_include = True
    (folder / "a.yaml").write_text(config([3]))
    (folder / "b.yaml").write_text(config([4, 5]))
    (folder / "extra.yaml").symlink_to("a.yaml")
    main.write_text(config(routes, "extra.yaml"))
    for kind, value in edits:
        if kind == "config":
            routes = value
        elif kind == "include":
            target = (folder / "extra.yaml").resolve()
            if target.parent == folder.resolve() and target.name in ("a.yaml", "b.yaml"):
                _keep_mtime(target, config(value))
        elif kind == "link":
            (folder / "extra.yaml").unlink(missing_ok=True)
            (folder / "extra.yaml").symlink_to(value)
        elif kind == "unlink":
            (folder / "extra.yaml").unlink(missing_ok=True)
        else:
            uses_include = value
        _keep_mtime(main, config(routes, "extra.yaml" if uses_include else None))
        assert outcome("litellm", main) == outcome("litellm", main, cached=False), kind


def test_since_stores_no_entry(
    tmp_path: Path, run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--since` reads configs exported to a tree that lives for one run."""
    cache = tmp_path / "cache"
    monkeypatch.delenv("CLEARANCE_NO_CACHE", raising=False)
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(cache))
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "infra" / "litellm.yaml").write_text(config([0]))
    (root / "model-usage.yaml").write_text(
        "version: 1\nworkloads:\n  - id: w\n    data: [internal]\n    commercial: true\n"
        "    model: eu.anthropic.claude-3-5-haiku-20241022-v1:0\n"
        "    deployment: {mode: api, provider: aws-bedrock, region: eu-central-1}\n"
        "gateways:\n  - {format: litellm, path: infra/litellm.yaml}\n"
    )
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    run("check", root, "--since", "HEAD")
    names = [e.name for e in entries(cache)]
    assert len(names) == 1  # the working tree's config only, not the ref's export


def test_the_same_text_in_another_folder_is_another_read(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: two repositories with the same config text, named alike from their own
    roots, include different files; the second must not get the first's deployments."""
    for name, route in (("a", 3), ("b", 4)):
        (tmp_path / name / "infra").mkdir(parents=True)
        (tmp_path / name / "infra" / "litellm.yaml").write_text(config([0], "extra.yaml"))
        (tmp_path / name / "infra" / "extra.yaml").write_text(config([route]))
    results = {}
    for name in ("a", "b"):
        monkeypatch.chdir(tmp_path / name)
        results[name] = outcome("litellm", Path("infra/litellm.yaml"))
        assert results[name] == outcome("litellm", Path("infra/litellm.yaml"), cached=False)
    assert results["a"] != results["b"]
