"""Bounded memory: an audit's formats are written as they are rendered, never held whole.

The full-size figure (a 50 MB manifest of about 210,000 workloads under 1 GB peak
in every format) is `bench/audit.py --big`; here a small audit guards the shape:
rendering and writing each format allocates a small fraction of what it writes,
and CycloneDX written a workload at a time is the very text the library writes.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from clearance.audit.build import AuditOptions, run_audit
from clearance.audit.formats import audit_format, destinations
from clearance.audit.records import AuditResult
from clearance.cli.options import write_all_atomic
from conftest import EXAMPLES

FORMATS = ("json", "csv", "html", "cyclonedx")


def _needs(name: str) -> None:
    if name == "cyclonedx":
        pytest.importorskip("cyclonedx", reason="cyclonedx-python-lib is the optional extra")


@pytest.fixture(scope="module")
def large_audit(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """One manifest of 3,000 workloads (the example's, repeated under new ids)."""
    import yaml

    root = tmp_path_factory.mktemp("large")
    example = yaml.safe_load((EXAMPLES / "healthcare-startup" / "model-usage.yaml").read_text())
    workloads = [
        {**w, "id": f"{w['id']}-{i}"} for i in range(3000 // len(example["workloads"]))
        for w in example["workloads"]
    ]
    (root / "model-usage.yaml").write_text(
        yaml.safe_dump({**example, "workloads": workloads}, sort_keys=False), encoding="utf-8"
    )
    return run_audit([root], AuditOptions(generated_at="2026-11-29T00:00:00Z"))


@pytest.mark.parametrize("name", FORMATS)
def test_writing_a_format_holds_a_small_part_of_it(
    large_audit: AuditResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _needs(name)
    from clearance.audit import audit_data as document
    from clearance.audit.formats import csv, html_parts

    # the memos of distinct values, bounded at 100,000 entries, are kept small here: at
    # this size they would hold as much as the rows themselves
    for memo in (document._Memo, csv._Cells, html_parts._Escaped):
        monkeypatch.setattr(memo, "LIMIT", 1000)
    html_parts._ESCAPED.clear()
    from clearance.cli import options

    monkeypatch.setattr(options, "BATCH_CHARS", 1 << 16)  # a write's batch: 1 MB at full size
    parts = audit_format(name).render(large_audit)
    target = tmp_path / ("out" if name == "csv" else f"out.{name}")
    places = destinations(name, target, list(parts))
    tracemalloc.start()
    try:
        write_all_atomic([(places[part], text) for part, text in parts.items() if places[part]])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    written = sum(p.stat().st_size for p in places.values() if p is not None)
    assert written > 2_000_000, written  # large enough for the ratio to mean something
    # held whole, a format took 2-3x what it wrote (its rows, then their join); the HTML
    # page holds one row at a time, and one obligation's row lists every workload it
    # binds (at this size, a large part of the page: at full size, a small one)
    limit = written * 1.5 if name == "html" else written / 2
    assert peak < limit, f"{name}: peak {peak} bytes while writing {written}"


def _without_serial(text: str) -> str:
    return re.sub(r'"serialNumber": "[^"]*"', '"serialNumber": ""', text)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_cyclonedx_written_a_workload_at_a_time_is_what_the_library_writes(example: str) -> None:
    _needs("cyclonedx")
    from clearance.audit.formats import cyclonedx
    from clearance.audit.formats.json import dumps

    audit = run_audit([EXAMPLES / example], AuditOptions(generated_at="2026-11-29T00:00:00Z"))
    streamed = "".join(cyclonedx.render(audit)[""])
    whole = dumps(cyclonedx.library_document(audit, nested=True))
    assert _without_serial(streamed) == _without_serial(whole)
    assert json.loads(streamed)["services"][0]["services"], "no workload services"


def test_cyclonedx_workloads_with_odd_values_read_as_the_library_writes(large_audit: AuditResult) -> None:
    _needs("cyclonedx")
    import dataclasses

    from clearance.audit.formats import cyclonedx
    from clearance.audit.formats.json import dumps

    rows = large_audit.inventory[:5]
    odd = [
        dataclasses.replace(rows[0], description=None, data=("phi", "phi", "internal")),
        dataclasses.replace(rows[1], description="é \u202e <b> \"quoted\"", agreements=()),
        dataclasses.replace(rows[2], owner=None, country=None, workload="a-first"),
        *rows[3:],
    ]
    audit = dataclasses.replace(large_audit, inventory=odd)
    streamed = "".join(cyclonedx.render(audit)[""])
    whole = dumps(cyclonedx.library_document(audit, nested=True))
    assert _without_serial(streamed) == _without_serial(whole)
