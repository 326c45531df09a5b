"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF readers.

Owns the mapping of a `CheckResult` onto one SARIF run: every rule of the bundle
as a `reportingDescriptor`, every finding as a `result` located at its workload
in the manifest. Shaped to GitHub's documented subset ("SARIF support for code
scanning"): rule ids, `shortDescription`/`fullDescription` of at most 1024
characters, `help`, one run for the one tool, `partialFingerprints`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from clearance.evaluate.findings import CheckResult, Finding, RuleInfo
from clearance.report import RenderOptions
from clearance.report.report_data import bundle_dict, finding_dict
from clearance.safe_text import json_text
from clearance.safe_text import neutralise as n

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
# Versioned so that a change in what identifies a finding can never be mistaken
# for the old identity; the parts are those `--baseline` matches on.
FINGERPRINT_KEY = "clearance/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# GitHub's non-security display ranking; "recommendation" is its name for info.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
_DESCRIPTION_LIMIT = 1024  # GitHub rejects longer short/full descriptions
# GitHub code scanning rejects a run with more results than this ("Analysis SARIF file
# rejected due to result limits"; docs.github.com, "SARIF results exceed limits").
MAX_RESULTS = 25_000
# which findings a capped run keeps first: what fails the check, most severe first
_KEEP_ORDER = {"error": 0, "warning": 1, "info": 2}
_NAME_LIMIT = 255


def fingerprint(f: Finding) -> str:
    """Rule, manifest, workload and licence: never the line, so moving a workload keeps it."""
    parts = (f.rule, f.manifest, f.workload, f.licence or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def artifact_location(path: str) -> dict[str, str]:
    """The manifest as a URI: relative paths under %SRCROOT% (the directory clearance ran in)."""
    if path.startswith("clearance:"):  # a file shipped with clearance, not in the repository
        return {"uri": path}
    if os.sep == "\\":
        path = path.replace("\\", "/")
    if PurePath(path).is_absolute():
        return {"uri": PurePath(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _help(remediation: str | None, references: tuple[str, ...]) -> dict[str, str]:
    remediation = n(remediation) if remediation else remediation
    references = tuple(n(r) for r in references)
    text, markdown = [], []
    if remediation:
        text.append(f"Remediation: {remediation}")
        markdown.append(f"**Remediation:** {remediation}")
    if references:
        text.append("References:\n" + "\n".join(f"- {r}" for r in references))
        markdown.append("**References:**\n\n" + "\n".join(f"- {r}" for r in references))
    if not text:  # GitHub requires help.text, and an empty string counts as missing
        text = markdown = ["No remediation is recorded for this rule."]
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    tags = ["compliance", "licence" if rule.licence else "policy"]
    return {
        "id": rule.id,
        "name": _clip(rule.id, _NAME_LIMIT),
        "shortDescription": {"text": _clip(n(rule.title), _DESCRIPTION_LIMIT)},
        "fullDescription": {
            "text": _clip(n((rule.description or rule.title).strip()), _DESCRIPTION_LIMIT)
        },
        "help": _help(rule.remediation, rule.references),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
            "waivable": rule.waivable,
            "source": f"{rule.file}:{rule.line}",
        },
    }


def _rules(result: CheckResult) -> list[RuleInfo]:
    """The bundle's rules, then any rule a finding names that the bundle does not list.

    Checks outside the bundle (on waivers, say) still need a descriptor for
    `ruleIndex` to point at; they are described from the finding itself.
    """
    rules = list(result.rules)
    known = {r.id for r in rules}
    extra: dict[str, RuleInfo] = {}
    for f in result.findings:
        if f.rule not in known and f.rule not in extra:
            extra[f.rule] = RuleInfo(
                id=f.rule,
                title=f.title,
                description=None,
                severity=f.severity,
                remediation=f.remediation,
                references=f.references,
                waivable=False,
                licence=f.licence,
                file=f.manifest,
                line=f.line,
            )
    return rules + [extra[k] for k in sorted(extra)]


def _suppression(f: Finding) -> dict[str, str]:
    assert f.waiver is not None
    w = f.waiver
    justification = n(
        f"{w.reason.strip()} (approved by {w.approved_by}, {w.ticket or 'no ticket'}, "
        f"expires {w.expires.isoformat()}; {w.file}:{w.line})"
    )
    return {"kind": "external", "status": "accepted", "justification": justification}


def _result(f: Finding, index: int, with_baseline: bool) -> dict[str, Any]:
    detail = finding_dict(f)
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVEL[f.severity],
        # shown to people by code scanning: neutralised, like every format's messages
        "message": {"text": n(f.message.strip())},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(f.manifest),
                    # no endColumn: SARIF then means "to the end of the line"
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.line},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        "properties": {
            k: detail[k]
            for k in ("workload", "licence", "via", "remediation", "references", "explanation")
        },
    }
    if f.waiver is not None:
        out["suppressions"] = [_suppression(f)]
    if with_baseline:
        out["baselineState"] = "unchanged" if f.baseline == "pre-existing" else "new"
    return out


def build(
    result: CheckResult, options: RenderOptions, max_results: int = MAX_RESULTS
) -> dict[str, Any]:
    rules = _rules(result)
    findings = result.findings
    left_out = len(findings) - max_results
    if left_out > 0:  # keep what matters most: unwaived, new, then by severity
        ranked = sorted(
            findings,
            key=lambda f: (
                f.waiver is not None,
                f.baseline is not None,
                _KEEP_ORDER.get(f.severity, 3),
            ),
        )
        kept = set(map(id, ranked[:max_results]))
        findings = [f for f in findings if id(f) in kept]
    index = {r.id: i for i, r in enumerate(rules)}
    # A baseline leaves its mark only on the findings it already had; without
    # one, "new" would be a claim the run never checked.
    with_baseline = any(f.baseline is not None for f in result.findings)
    driver: dict[str, Any] = {"name": "clearance"}
    if options.tool_version:
        driver["version"] = options.tool_version
    driver["rules"] = [_descriptor(r) for r in rules]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            # no uri: the absolute root differs per machine and would make the report vary
            SRCROOT: {"description": {"text": "The directory clearance was run from."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule], with_baseline) for f in findings],
        "properties": {
            "policy": {
                "name": result.policy_name,
                "version": result.policy_version,
                "digest": result.policy_digest,
                "path": result.policy_path,
            },
            # which bundle judged each manifest (several when manifests of several
            # repositories were checked together)
            "bundles": [
                {
                    **bundle_dict(b),
                    "manifests": [m.path for m in result.manifests if m.bundle == b],
                }
                for b in result.bundles()
            ],
        },
    }
    notifications = [{"level": "note", "message": {"text": n(note)}} for note in result.notes]
    if left_out > 0:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} of {len(result.findings)} findings are not in this "
                    f"run: GitHub code scanning accepts at most {max_results} results per "
                    "run. Kept first: unwaived, then new, then the most severe. "
                    "`--format text` or `--format json` lists them all."
                },
            }
        )
    if notifications:
        run["invocations"] = [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: CheckResult, options: RenderOptions) -> str:
    return json_text(json.dumps(build(result, options), indent=2, ensure_ascii=False)) + "\n"
