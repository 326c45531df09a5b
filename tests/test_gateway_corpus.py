"""Golden imports of every real gateway config in the shared corpus.

Each file either imports (its deployments and the manifest `clearance import`
writes are compared with tests/golden/gateways/) or fails with a located
exit-2 message, never a traceback. CLEARANCE_UPDATE_GOLDEN=1 rewrites the
golden files; review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clearance.cli.main import main
from clearance.errors import InputError
from clearance.gateways import READERS, reader
from clearance.gateways.importer import merge, plan

CORPUS = Path(os.environ.get("CLEARANCE_CORPUS", "/work/shared/corpus"))
GOLDEN = Path(__file__).parent / "golden" / "gateways"
# corpus directory of each format
DIRS = {
    "litellm": "litellm",
    "librechat": "librechat",
    "promptfoo": "promptfoo",
    "mlflow": "mlflow-gateway",
    "continue": "continue",
}
CASES = sorted(
    (fmt, p.name) for fmt, d in DIRS.items() for p in (CORPUS / d).glob("*") if p.is_file()
)
pytestmark = pytest.mark.skipif(not CASES, reason="the shared corpus is not on this machine")


@pytest.fixture(scope="module")
def catalogue() -> object:
    from clearance.bundle.load import load_bundle

    return load_bundle().catalogue


def test_every_format_has_a_corpus_directory() -> None:
    assert set(DIRS) == set(READERS)


def _render(fmt: str, name: str, catalogue: object) -> str:
    path = Path(name)
    try:
        found = reader(fmt).read(path, catalogue)  # type: ignore[arg-type]
    except InputError as exc:
        return f"# exit 2\n{exc}\n"
    lines = ["# deployments"]
    for d in found:
        unknown = "; ".join(f"{u.kind}: {u}" for u in d.unknown)
        lines.append(
            f"{d.line}:{d.column} {d.model} -> model={d.model_id or d.served} "
            f"provider={d.provider} region={d.region} geography={d.geography}"
            + (f" [{unknown}]" if unknown else "")
        )
    text, _ = merge(None, "model-usage.yaml", plan(found, catalogue), catalogue)  # type: ignore[arg-type]
    return "\n".join(lines) + "\n# manifest\n" + text


@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_corpus_file_imports_as_golden(
    fmt: str, name: str, catalogue: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS / DIRS[fmt])
    got = _render(fmt, name, catalogue)
    golden = GOLDEN / fmt / f"{name}.txt"
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_corpus_file_through_the_cli_exits_0_or_2_with_a_position(
    fmt: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model-usage.yaml"
    code = main(["import", fmt, str(CORPUS / DIRS[fmt] / name), "--output", str(out)])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith(f"error: {CORPUS / DIRS[fmt] / name}:"), err
        assert "Traceback" not in err
    else:
        assert out.exists() == (": 0 workload(s)" not in err)
