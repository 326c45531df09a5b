"""`--format text`: findings grouped by manifest and workload, for people at a terminal."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from clearance.evaluate.findings import CheckResult, Finding
from clearance.evaluate.gateway_rules import DRIFT_RULES
from clearance.report import RenderOptions
from clearance.report.report_data import detail_parts, summary
from clearance.safe_text import neutralise as n

_STYLE = {"error": "1;31", "warning": "1;33", "info": "1;36", "dim": "2", "bold": "1", "ok": "1;32"}


def _styler(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda style, text: text
    return lambda style, text: f"\033[{_STYLE[style]}m{text}\033[0m"


def _finding(f: Finding, s: Callable[[str, str], str]) -> list[str]:
    label = f.severity if f.waiver is None else f"{f.severity} (waived)"
    # every string from a manifest or a bundle is neutralised: the colours are ours alone
    head = f"  {s(f.severity, label)} {s('bold', n(f.rule))}: {n(f.message.strip())}"
    if f.baseline:
        head += s("dim", f" [{n(f.baseline)}]")
    lines = [head]
    for label, text in detail_parts(f, baseline=False):  # the baseline is in the head line
        lines.append(f"    {s('dim', label + ':')} {text}")
    return lines


def render(result: CheckResult, options: RenderOptions) -> str:
    s = _styler(options.color)
    out: list[str] = []
    by_workload = groupby(result.findings, key=lambda f: (f.manifest, f.line, f.column, f.workload))
    for (manifest, line, column, workload), grouped in by_workload:
        where = f"{n(manifest)}:{line}:{column}"
        group = list(grouped)
        # a gateway's deployment (the drift check) is not a workload the advisor knows
        deployment = all(f.rule in DRIFT_RULES for f in group)
        kind = "deployment" if deployment else "workload"
        out.append(f"{s('bold', where)}: {kind} {s('bold', n(workload))}")
        for f in group:
            out.extend(_finding(f, s))
        if not deployment and any(f.severity == "error" and f.waiver is None for f in group):
            hint = s("dim", "compliant alternatives:")
            out.append(f"    {hint} clearance advise --workload {n(workload)}")
        out.append("")
    out.extend(_policy_changes(result, s))
    out.extend(f"{s('dim', 'note:')} {n(note)}" for note in result.notes)
    out.extend(_judged_by(result, s))
    out.append(_summary_line(result, s))
    return "\n".join(out) + "\n"


def _policy_changes(result: CheckResult, s: Callable[[str, str], str]) -> list[str]:
    c = result.policy_changes
    if c is None:
        return []
    lines = [
        s(
            "warning",
            f"policy changed: the bundle in the working tree differs from {n(c.ref)}, "
            f"which judged this run; its owners should review:",
        )
    ]
    if not c.loads:
        lines.append("  the working tree's bundle does not load")
    for label, ids in (("added", c.added), ("removed", c.removed), ("changed", c.changed)):
        if ids:
            lines.append(f"  {label}: {n(', '.join(ids))}")
    if c.other_files_changed:
        lines.append(
            "  rules unchanged; organisation, taxonomy, catalogue or licence files changed"
        )
    return [*lines, ""]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary_line(result: CheckResult, s: Callable[[str, str], str]) -> str:
    c = summary(result)
    scope = f"{_plural(c['workloads'], 'workload')} in {_plural(len(result.manifests), 'manifest')}"
    counts = (
        f"{_plural(c['errors'], 'error')}, {_plural(c['warnings'], 'warning')}, "
        f"{c['info']} info, {c['waived']} waived"
    )
    mark = s("error", "✗") if c["errors"] else s("ok", "✓")
    bundles = result.bundles()
    if len(bundles) > 1:
        return f"{mark} {counts} — {scope} ({len(bundles)} policy bundles, listed above)"
    policy = n(f"{result.policy_name} {result.policy_version}")
    where = f" from {n(result.policy_path)}" if result.policy_path else ""
    return f"{mark} {counts} — {scope} (policy {policy}{where})"


def _judged_by(result: CheckResult, s: Callable[[str, str], str]) -> list[str]:
    """With several bundles, which judged which manifests: one line per bundle."""
    bundles = result.bundles()
    if len(bundles) < 2:
        return []
    lines = []
    for b in bundles:
        judged = [m.path for m in result.manifests if m.bundle == b]
        lines.append(
            f"{s('dim', 'policy:')} {n(b.name)} {n(b.version)} from {n(b.path)} judged "
            + n(", ".join(judged))
        )
    return lines
