"""`--format markdown`: a summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.

Owns the GitHub-flavoured Markdown page: a verdict heading, the counts, a table
of findings, and each finding's explanation in a collapsible `<details>`.
Every piece of text that comes from a manifest or a policy is escaped, so a
workload id or a message can neither break the table nor inject markup.
"""

from __future__ import annotations

import html
import re

from clearance.evaluate.findings import UNKNOWN_EXPECTED, CheckResult, Finding
from clearance.report import RenderOptions
from clearance.report.report_data import json_value, summary
from clearance.safe_text import neutralise

_ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
# Characters that start inline Markdown or HTML, or end a table cell; a
# backslash makes each literal. `(` and `!` need none once `[` is escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
# What would open a list at the start of a paragraph (`#`, `*`, `_` are escaped anyway).
_LIST_START = re.compile(r"^([-+])|^(\d+)([.)])(?=\s|$)")
# A URL ends before whitespace or a character that closes the prose around it.
_URL = re.compile(r"https?://[^\s<>\"'`|]+[^\s<>\"'`|.,;:!?)\]]")


def escape(text: str) -> str:
    """Literal text for one line of Markdown (table cells included)."""
    text = neutralise(" ".join(text.splitlines()))  # what is left of control characters shows
    return _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def paragraph(text: str) -> str:
    """Escaped, linked text that starts a paragraph and so must not open a list."""
    text = neutralise(" ".join(text.splitlines()))  # before a URL is cut out of it
    return _LIST_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", linked(text))


def linked(text: str) -> str:
    """Escaped text in which each URL becomes an autolink."""
    text = neutralise(" ".join(text.splitlines()))
    out, pos = [], 0
    for m in _URL.finditer(text):
        out += [escape(text[pos : m.start()]), f"<{m.group(0)}>"]
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _code(value: str, in_table: bool = False) -> str:
    """An inline code span that survives backticks (and, in a table, pipes) in the value."""
    value = neutralise(" ".join(value.splitlines()))
    if in_table:  # GFM splits cells before it parses code spans
        value = value.replace("|", "\\|")
    fence = "`" * (max((len(r) for r in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _label(f: Finding) -> str:
    state = " (waived)" if f.waiver else f" ({f.baseline})" if f.baseline else ""
    return f"{_ICON.get(f.severity, '')} {f.severity}{state}"


def _table(findings: list[Finding]) -> list[str]:
    rows = ["| Severity | Rule | Workload | Location | Message |", "|---|---|---|---|---|"]
    for f in findings:
        cells = [
            _label(f),
            _code(f.rule, in_table=True),
            escape(f.workload),
            escape(f"{f.manifest}:{f.line}"),
            escape(f.message),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _explanation(f: Finding) -> list[str]:
    items = []
    if f.licence:
        via = f" via {_code(f.via)}" if f.via else ""
        items.append(f"**Terms:** {_code(f.licence)}{via}")
    for e in f.explanation:
        if e.expected == UNKNOWN_EXPECTED:
            items.append(f"**Cannot be decided:** {_code(e.fact)} is not set")
            continue
        actual = _code(json_value(e.actual))
        verb = "Applies because" if e.clause == "when" else "Fails because"
        items.append(f"**{verb}** {_code(e.fact)} is {actual} (expected {escape(e.expected)})")
    if f.remediation:
        items.append(f"**Fix:** {linked(f.remediation)}")
    if f.references:
        items.append("**References:** " + "; ".join(linked(r) for r in f.references))
    if f.waiver:
        w = f.waiver
        items.append(
            f"**Waived:** {escape(w.reason)} (approved by {escape(w.approved_by)}, "
            f"{escape(w.ticket or 'no ticket')}, expires {w.expires.isoformat()})"
        )
    return [f"- {item}" for item in items]


def _details(f: Finding) -> list[str]:
    # <summary> is HTML, where Markdown is not rendered: escape for HTML instead
    where = f"{f.manifest}:{f.line}"
    head = (
        f"{_label(f)} <code>{_html(f.rule)}</code> in "
        f"<strong>{_html(f.workload)}</strong> ({_html(where)})"
    )
    # the blank lines let GitHub render the Markdown inside the HTML block
    return [
        "<details>",
        f"<summary>{head}</summary>",
        "",
        paragraph(f.message),
        "",
        *_explanation(f),
        "",
        "</details>",
        "",
    ]


def _html(text: str) -> str:
    return html.escape(neutralise(text))


def _counts(result: CheckResult) -> str:
    c = summary(result)
    files = len(result.manifests)
    parts = [
        f"**{c['workloads']}** workloads in **{files}** manifest{'' if files == 1 else 's'}",
        *(f"**{c[k]}** {k}" for k in ("errors", "warnings", "info", "waived")),
    ]
    old = sum(f.baseline is not None for f in result.findings)
    if old:
        parts.append(f"**{old}** pre-existing")
    return " · ".join(parts)


def _policy_changes(result: CheckResult) -> list[str]:
    """A changed bundle goes to its owners' review, so say so where reviewers look."""
    c = result.policy_changes
    if c is None:
        return []
    out = [
        "### ⚠ Policy changed",
        "",
        f"This run was judged by the bundle at {_code(c.ref)}; the pull request changes it:",
        "",
    ]
    if not c.loads:
        out.append("- the changed bundle does not load")
    for label, ids in (("added", c.added), ("removed", c.removed), ("changed", c.changed)):
        if ids:
            out.append(f"- {label}: {', '.join(_code(i) for i in ids)}")
    if c.other_files_changed:
        out.append("- no rule changed; organisation, taxonomy, catalogue or licence files did")
    return [*out, ""]


# GitHub refuses a comment longer than 65,536 characters ("Body is too long", HTTP 422),
# and then a CI job that posts the report posts nothing. A margin covers characters
# GitHub may count twice (emoji are two UTF-16 units).
MAX_CHARS = 64_000


def _policy_lines(result: CheckResult) -> list[str]:
    """Which bundle judged the run; with several, which judged each manifest."""
    bundles = result.bundles()
    if len(bundles) < 2:
        where = f" from {_code(result.policy_path)}" if result.policy_path else ""
        return [
            f"Policy {_code(result.policy_name)} {escape(result.policy_version)} "
            f"({_code(result.policy_digest)}){where}"
        ]
    lines = ["Policies:", ""]
    for b in bundles:
        judged = ", ".join(_code(m.path) for m in result.manifests if m.bundle == b)
        lines.append(
            f"- {_code(b.name)} {escape(b.version)} ({_code(b.digest)}) "
            f"from {_code(b.path)}: {judged}"
        )
    return lines


def render(result: CheckResult, options: RenderOptions, limit: int = MAX_CHARS) -> str:
    # the verdict is the exit code's (without --strict): pre-existing and waived errors pass
    fails = any(f.counts_as_error for f in result.findings)
    verdict = "✗ clearance: the check fails" if fails else "✓ clearance: the check passes"
    head = [
        f"## {verdict}",
        "",
        _counts(result),
        "",
        *_policy_lines(result),
        "",
    ]
    tail = _policy_changes(result)
    if result.notes:
        tail += [*(f"- {escape(n)}" for n in result.notes), ""]
    version = f" {escape(options.tool_version)}" if options.tool_version else ""
    tail.append(f"<sub>clearance{version}</sub>")
    if not result.findings:
        return "\n".join([*head, "No findings.", "", *tail]) + "\n"
    # the verdict, counts, policy changes and notes always show; findings as many as fit,
    # the table first, then the details, and a line saying what was left out
    budget = limit - _size(head) - _size(tail) - 400  # 400: the line saying so
    table = _table(result.findings)
    # when not all fits, the table takes at most half, so that details show too
    rows = _fitting(table, budget if _size(table) <= budget else budget // 2)
    if rows < 3:  # a header without a row is no table
        rows = 0
    budget -= _size(table[:rows]) + _size(["", "### Details", ""])
    details: list[str] = []
    shown_details = 0
    for f in result.findings:
        block = _details(f)
        if _size(block) > budget:
            break
        details += block
        budget -= _size(block)
        shown_details += 1
    body = [*table[:rows], ""] if rows else []
    total, in_table = len(result.findings), max(0, rows - 2)
    if in_table < total or shown_details < total:
        body += [
            f"**Not shown:** {total - in_table} of {total} findings in the table and "
            f"{total - shown_details} of {total} in the details, to keep this report within "
            "the 65,536 characters GitHub allows a comment; `--format text` and SARIF list "
            "them all.",
            "",
        ]
    if details:
        body += ["### Details", "", *details]
    return "\n".join([*head, *body, *tail]) + "\n"


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _fitting(lines: list[str], budget: int) -> int:
    """How many of `lines` fit in `budget` characters."""
    used = 0
    for i, line in enumerate(lines):
        used += len(line) + 1
        if used > budget:
            return i
    return len(lines)
