"""`clearance models import`: Hugging Face model cards into the catalogue of a bundle.

The bundle is `--bundle`, else the repository's `.clearance/`; its catalogue (as it
judges, every layer loaded) is what the cards' licences and base models must name.
The reading and the edits are `gateways/card_import.py`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from clearance.bundle.discover import repository_bundle
from clearance.errors import UsageError
from clearance.gateways.card_import import Imported, import_cards
from clearance.pipeline.judge import judge_full


def import_model_cards(
    paths: Sequence[Path], given_id: str | None, bundle: Path | None, today: date
) -> Imported:
    """Read the cards against the bundle's catalogue (`bundle`, else the repository's
    `.clearance/`): what to write, and what changes."""
    if bundle is None:
        bundle = repository_bundle(Path.cwd())
        if bundle is None:
            raise UsageError(
                "no bundle to import into: give --bundle DIR, or run inside a repository "
                "with a .clearance/ bundle"
            )
    if not (bundle / "bundle.yaml").is_file():
        raise UsageError(f"{bundle}: not a bundle (no bundle.yaml); give --bundle DIR")
    return import_cards(paths, given_id, bundle, judge_full(bundle).catalogue, today)
