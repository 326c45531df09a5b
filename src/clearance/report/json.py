"""`--format json`: the report of DESIGN.md, deterministic (sorted findings, fixed key order)."""

from __future__ import annotations

import json

from clearance.findings import CheckResult
from clearance.report import RenderOptions
from clearance.report.document import build


def render(result: CheckResult, options: RenderOptions) -> str:
    return json.dumps(build(result, options), indent=2, ensure_ascii=False) + "\n"
