"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

Owns the annotation lines (`::error file=…,line=…,col=…,title=…::message`) and
their escaping, which is exactly that of GitHub's toolkit (@actions/core
`command.ts`) and undone by the runner (`ActionCommand.cs`).

GitHub shows at most ten error and ten warning annotations per step; the rest
stay in the log. The SARIF and Markdown formats carry every finding.
"""

from __future__ import annotations

from clearance.evaluate.findings import CheckResult, Finding
from clearance.report import RenderOptions
from clearance.report.report_data import detail_lines, summary
from clearance.safe_text import neutralise as n

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message after `::`: one physical line, with `%` kept unambiguous."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as data, and `:`/`,` too, which end the property list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(f: Finding) -> str:
    # Waived and pre-existing findings do not fail the run, so they must not
    # read as errors on the diff; they stay visible as notices.
    name, prefix = _COMMAND[f.severity], ""
    if f.waiver is not None:
        name, prefix = "notice", "waived: "
    elif f.baseline is not None:
        name, prefix = "notice", f"{f.baseline}: "
    # neutralised before escaping: the runner would undo %0A, and a log shows ANSI codes
    return command(
        name,
        "\n".join([n(f.message.strip()), *detail_lines(f)]),
        file=n(f.manifest.replace("\\", "/")),
        line=f.line,
        col=f.column,
        title=n(f"{prefix}{f.rule} ({f.workload}): {f.title}"),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def _policy(result: CheckResult) -> str:
    """Which bundle judged the run, or, with several, which judged each manifest."""
    bundles = result.bundles()
    if len(bundles) > 1:
        return "policies: " + "; ".join(
            f"{n(b.name)} {n(b.version)} from {n(b.path)} for "
            + ", ".join(n(m.path) for m in result.manifests if m.bundle == b)
            for b in bundles
        )
    where = f" from {n(result.policy_path)}" if result.policy_path else ""
    return f"policy {n(result.policy_name)} {n(result.policy_version)}{where}"


def _summary(result: CheckResult) -> str:
    """A last notice with the counts: a command GitHub parses, not stray text."""
    c = summary(result)
    mark = "✗" if any(f.counts_as_error for f in result.findings) else "✓"
    counts = ", ".join(_plural(c[k], k.rstrip("s")) for k in ("errors", "warnings", "info"))
    return command(
        "notice",
        f"{mark} {counts}, {c['waived']} waived in {_plural(c['workloads'], 'workload')} "
        f"({_policy(result)})",
        title="clearance",
    )


def render(result: CheckResult, options: RenderOptions) -> str:
    lines = [_annotation(f) for f in result.findings]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"
