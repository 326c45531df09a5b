"""A policy snapshot holds rules compiled against the fact layout (a fact's slot in a
record); a snapshot built on another layout, even by the same version, is never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.bundle import snapshot
from clearance.bundle.load import load_bundle


def test_a_snapshot_built_on_another_fact_layout_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    bundle = load_bundle()
    snapshot.save(bundle, None)
    assert snapshot.load(None) is not None  # the same layout: read
    # a fact added before others (as `model.declared_by` was) moves their slots
    moved = {"model.declared_by": 0, **{k: v + 1 for k, v in snapshot.SLOT.items()}}
    monkeypatch.setattr(snapshot, "SLOT", moved)
    assert snapshot.load(None) is None
