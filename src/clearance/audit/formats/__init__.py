"""Audit formats: one module per format, each with `render(audit) -> dict[part, text]`.

A text is a string or an iterable of string chunks, produced as it is written: an
audit of a 50 MB manifest renders hundreds of megabytes that are never held whole.

A format returns its files as parts: `""` is the one file the user named;
a format of several files (csv) names each part, and `destinations` says where
each goes. `FORMATS` is the only list of formats; a module is imported only
when its format is chosen, so cyclonedx-python-lib is needed only for
`--format cyclonedx`. No format evaluates anything: they all read `AuditResult`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from clearance.errors import UsageError

if TYPE_CHECKING:  # the CLI imports this module at start-up: keep it light
    from clearance.audit.records import AuditResult

# format name -> module under clearance.audit.formats
FORMATS: dict[str, str] = {
    "html": "html",
    "csv": "csv",
    "json": "json",
    "cyclonedx": "cyclonedx",
}
# formats whose parts are several files: they need a place on disk, never standard output
MULTI_FILE = frozenset({"csv"})


class AuditFormat(Protocol):
    def render(self, audit: AuditResult) -> dict[str, str | Iterable[str]]: ...


def audit_format(name: str) -> AuditFormat:
    module = importlib.import_module(f"clearance.audit.formats.{FORMATS[name]}")
    return cast(AuditFormat, module)


def destinations(name: str, target: Path | None, parts: list[str]) -> dict[str, Path | None]:
    """Where each part goes: None is standard output.

    `csv=DIR` writes DIR/inventory.csv, DIR/findings.csv, …; `csv=NAME.csv`
    writes NAME-inventory.csv, NAME-findings.csv, … beside it, so that both
    a folder and a file-like name do what they look like.
    """
    if name not in MULTI_FILE:
        return {part: target for part in parts}
    if target is None:
        raise UsageError(
            f"{name} writes several files: give it a directory (--format {name}=DIR) "
            f"or a name to prefix (--format {name}=audit.{name})"
        )
    if target.suffix.lower() == f".{name}":
        return {part: target.with_name(f"{target.stem}-{part}") for part in parts}
    return {part: target / part for part in parts}
