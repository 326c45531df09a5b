"""The JSON report of DESIGN.md as plain data, shared by every machine-readable format."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from clearance.evaluate.findings import UNKNOWN_EXPECTED, BundleInfo, CheckResult, Finding
from clearance.report import RenderOptions
from clearance.safe_text import neutralise

REPORT_VERSION = 1


def summary(result: CheckResult) -> dict[str, int]:
    live = [f for f in result.findings if f.waiver is None]
    return {
        "workloads": result.workload_count,
        "errors": sum(f.severity == "error" for f in live),
        "warnings": sum(f.severity == "warning" for f in live),
        "info": sum(f.severity == "info" for f in live),
        "waived": sum(f.waiver is not None for f in result.findings),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_plain(v) for v in value]
    return value


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity,
        "manifest": f.manifest,
        "line": f.line,
        "column": f.column,
        "workload": f.workload,
        "licence": f.licence,
        "via": f.via,
        "message": f.message,
        "remediation": f.remediation,
        "references": list(f.references),
        "explanation": [
            {"clause": e.clause, "fact": e.fact, "expected": e.expected, "actual": _plain(e.actual)}
            for e in f.explanation
        ],
        "waiver": None
        if f.waiver is None
        else {
            "reason": f.waiver.reason,
            "approved_by": f.waiver.approved_by,
            "ticket": f.waiver.ticket,
            "expires": f.waiver.expires.isoformat(),
            "file": f.waiver.file,
            "line": f.waiver.line,
        },
        "baseline": f.baseline,
    }


def bundle_dict(b: BundleInfo) -> dict[str, str]:
    """The bundle that judged a manifest: name, version, digest, and where it lies."""
    return {"name": b.name, "version": b.version, "digest": b.digest, "path": b.path}


def build(result: CheckResult, options: RenderOptions) -> dict[str, Any]:
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "clearance", "version": options.tool_version},
        "policy": {
            "name": result.policy_name,
            "version": result.policy_version,
            "digest": result.policy_digest,
            "path": result.policy_path,
        },
        "generated_at": options.generated_at,
        "manifests": [
            {
                "path": m.path,
                "digest": m.digest,
                "workloads": m.workloads,
                "bundle": None if m.bundle is None else bundle_dict(m.bundle),
            }
            for m in result.manifests
        ],
        "summary": summary(result),
        "findings": [finding_dict(f) for f in result.findings],
        "policy_changes": None
        if result.policy_changes is None
        else {
            "ref": result.policy_changes.ref,
            "added": list(result.policy_changes.added),
            "removed": list(result.policy_changes.removed),
            "changed": list(result.policy_changes.changed),
            "other_files_changed": result.policy_changes.other_files_changed,
            "loads": result.policy_changes.loads,
        },
        "notes": list(result.notes),
    }


_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


def json_value(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, default=str)`, without its cost for the
    plain strings and lists of them that almost every explanation shows."""
    # the same few values recur in thousands of findings: each is shown once
    key: object = None  # text, or a tuple of texts: never equal to each other
    if type(value) is str:
        key = value
    elif type(value) is list and all(type(v) is str for v in value):
        key = tuple(value)
    if key is not None:
        shown = _SHOWN.get(key)
        if shown is not None:
            return shown
    if type(value) is str and not _ESCAPED.search(value):
        shown = f'"{value}"'
    elif type(value) is list and all(type(v) is str and not _ESCAPED.search(v) for v in value):
        shown = "[" + ", ".join(f'"{v}"' for v in value) + "]"
    else:
        shown = json.dumps(value, ensure_ascii=False, default=str)
    if key is not None and len(_SHOWN) < 10_000:
        _SHOWN[key] = shown
    return shown


_SHOWN: dict[object, str] = {}


def explanation_sentence(clause: str, fact: str, expected: str, actual: Any) -> str:
    """One explanation item as a sentence: why the rule applies, or why it fails."""
    if expected == UNKNOWN_EXPECTED:  # a fact nobody set: the rule turns on it
        return f"{fact} is not set, so this cannot be decided (needed: {expected})"
    if clause == "when":
        return f"applies because {fact} is {json_value(actual)} (expected {expected})"
    return f"fails because {fact} is {json_value(actual)} (expected {expected})"


def detail_parts(f: Finding, *, baseline: bool = True) -> list[tuple[str, str]]:
    """A finding's details as (label, text): terms, why, fix, see, waived, baseline.

    Text, annotations and JUnit all show these; each only decides how to lay them out.
    """
    parts: list[tuple[str, str]] = []
    if f.licence:
        parts.append(("terms", f.licence + (f" via {f.via}" if f.via else "")))
    for e in f.explanation:
        parts.append(("why", explanation_sentence(e.clause, e.fact, e.expected, e.actual)))
    if f.remediation:
        parts.append(("fix", f.remediation))
    if f.references:
        parts.append(("see", "; ".join(f.references)))
    if f.waiver:
        w = f.waiver
        parts.append(
            (
                "waived",
                f"{w.reason} (approved by {w.approved_by}, "
                f"{w.ticket or 'no ticket'}, expires {w.expires.isoformat()})",
            )
        )
    if baseline and f.baseline:
        parts.append(("baseline", f"{f.baseline}; does not fail the check"))
    # shown as lines of text: whatever the manifest or bundle put in them stays visible text
    return [(label, neutralise(text.strip())) for label, text in parts]


def detail_lines(f: Finding) -> list[str]:
    """The details as plain `label: text` lines (annotations, JUnit)."""
    return [f"{label}: {text}" for label, text in detail_parts(f)]
