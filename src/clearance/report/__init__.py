"""Output formats: one module per format, each with `render(result, options) -> str`.

`REPORTERS` is the only list of formats; a module is imported only when its
format is chosen, so the pre-commit path never pays for the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, cast

from clearance.evaluate.findings import CheckResult


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    generated_at: str = ""
    tool_version: str = ""


class Reporter(Protocol):
    def render(self, result: CheckResult, options: RenderOptions) -> str: ...


# format name -> module under clearance.report
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "markdown": "markdown",
}
# Formats that report every rule that applied, passed or not (a JUnit case each);
# a check records those (about three per workload) only when one of these is asked for.
REPORTS_APPLIED: frozenset[str] = frozenset({"junit"})


def reporter(name: str) -> Reporter:
    module = importlib.import_module(f"clearance.report.{REPORTERS[name]}")
    return cast(Reporter, module)
