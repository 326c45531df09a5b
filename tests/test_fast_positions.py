"""Errors in a fast-read manifest are placed exactly where the positioned reader places them.

The fast reader keeps no positions; an error inside a workload is placed by
reading that workload's lines alone (a 50 MB manifest is never read again
whole to word one unknown model).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.bundle.load import load_bundle
from clearance.errors import InputError
from clearance.manifest.load import load_manifest
from clearance.resolve.resolver import Resolver

BUNDLE = load_bundle()

ITEM = """\
  - id: w{i}
    data: [internal]
    commercial: false
    model: gpt-4o  # a comment
    deployment:
      mode: api
      provider: openai
      region: us
      agreements: [dpa]
"""
BROKEN = """\
  - id: broken
    description: >
      a folded
      description
    data: [internal, secrett]
    commercial: false
    model: "gpt-4o-nope"
    deployment: {mode: api, provider: openai, region: us, agreements: [dpa, zdrr]}
"""


def problems(path: Path, *, fast: bool) -> list[str]:
    manifest = load_manifest(path, "m.yaml", fast=fast)
    assert manifest.fast == fast
    with pytest.raises(InputError) as caught:
        Resolver(BUNDLE).resolve(manifest)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    "tail",
    ["", "owner: platform-team\n", "# trailing comment\n"],
    ids=["last", "before-a-top-level-key", "before-a-comment"],
)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_errors_inside_a_workload_are_placed_as_the_positioned_reader_places_them(
    tmp_path: Path, where: str, tail: str
) -> None:
    items = [ITEM.format(i=i) for i in range(40)]
    at = {"first": 0, "middle": 20, "last": 40}[where]
    items.insert(at, BROKEN)
    path = tmp_path / "model-usage.yaml"
    path.write_text("version: 1\nworkloads:\n" + "".join(items) + tail, encoding="utf-8")
    shown = problems(path, fast=True)
    assert shown == problems(path, fast=False)
    assert len(shown) == 3 and all(":" in p for p in shown)


def test_a_workload_that_does_not_read_alone_is_placed_by_the_whole_file(tmp_path: Path) -> None:
    # the item's dash stands on a line of its own, so its lines from `id:` on are not a
    # list item: the error inside it is placed by reading the whole file with positions
    path = tmp_path / "model-usage.yaml"
    dash_alone = BROKEN.replace("  - id: broken", "  -\n    id: broken")
    path.write_text("version: 1\nworkloads:\n" + ITEM.format(i=0) + dash_alone, encoding="utf-8")
    fast = problems(path, fast=True)
    assert fast == problems(path, fast=False)
    assert any("model" in p and ":19:12:" in p for p in fast), fast


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028"], ids=["cr", "nel", "ls"])
def test_line_breaks_other_than_line_feeds_are_counted_as_yaml_counts_them(
    tmp_path: Path, brk: str
) -> None:
    # a carriage return alone ends a line in YAML: found by fuzzing (the fast reader
    # counted line feeds only, and placed every later error a line too high)
    path = tmp_path / "model-usage.yaml"
    path.write_text(
        f"# one{brk}# two\nversion: 1\nworkloads:\n" + BROKEN, encoding="utf-8", newline=""
    )
    manifest = load_manifest(path, "m.yaml")
    with pytest.raises(InputError) as caught:
        Resolver(BUNDLE).resolve(manifest)
    assert [str(p) for p in caught.value.problems] == problems(path, fast=False)
