"""`--format json`: the report of DESIGN.md, deterministic (sorted findings, fixed key order)."""

from __future__ import annotations

import json

from clearance.evaluate.findings import CheckResult
from clearance.report import RenderOptions
from clearance.report.report_data import build
from clearance.safe_text import json_text


def render(result: CheckResult, options: RenderOptions) -> str:
    # values stay exact; the C1 and bidirectional controls JSON leaves raw are escaped
    return json_text(json.dumps(build(result, options), indent=2, ensure_ascii=False)) + "\n"
