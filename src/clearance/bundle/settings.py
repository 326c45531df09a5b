"""A bundle's settings file, read first: `bundle.yaml`, and the clearance it requires.

The version requirement is checked before anything else of the bundle is read,
so an incompatible clearance says which version the bundle needs instead of
failing on a field it does not know.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from clearance import __version__
from clearance.errors import InputError, Problem
from clearance.loading import inputs
from clearance.loading.files import Loaded, load_kind
from clearance.loading.tree import locate
from clearance.schema.bundle import BundleFile


def bundle_settings(root: Path, shown: str) -> Loaded[BundleFile]:
    if not inputs.is_file(root / "bundle.yaml"):
        raise InputError(
            [Problem(shown, 1, 1, (), "not a policy bundle: no bundle.yaml in this directory")]
        )
    return load_kind("bundle", root / "bundle.yaml")


def check_version(settings: Loaded[BundleFile]) -> None:
    spec_text = settings.value.requires_clearance
    if spec_text is None:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    line, col = locate(settings.raw, ("requires_clearance",))

    def refuse(message: str) -> NoReturn:
        path = ("requires_clearance",)
        raise InputError([Problem(settings.name, line, col, path, message)])

    try:
        spec = SpecifierSet(spec_text)
    except InvalidSpecifier:
        refuse(f"invalid PEP 440 version specifier {spec_text!r}")
    if Version(__version__) not in spec:
        refuse(f"this bundle needs clearance {spec_text}, but this is clearance {__version__}")
