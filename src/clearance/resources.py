"""Where the shipped bundle, licences, catalogue and schemas are.

In a wheel they sit in `clearance/_data/`; in a source checkout (editable
install, tests) at the top of the repository, as DESIGN.md lays them out.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    packaged = _PACKAGE / "_data"
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent
    if (checkout / "policies" / "bundle.yaml").is_file():
        return checkout
    raise RuntimeError(f"clearance's data files are missing (looked in {packaged} and {checkout})")


def default_bundle() -> Path:
    return data_root() / "policies"


def shipped_licences() -> Path:
    return data_root() / "licences"


def shipped_catalog() -> Path:
    return data_root() / "catalog"


def schemas_dir() -> Path:
    return data_root() / "schemas"
