"""`--format junit`: JUnit XML for GitLab, Jenkins, Azure DevOps and other test report readers.

Owns the mapping: a `<testsuite>` per manifest, a `<testcase>` per rule that
applied to a workload (`CheckResult.applied`), named `<rule> (<licence>)` in the
class `<manifest>::<workload>`. Only what all three readers parse is relied on:
GitLab shows the classname and the *text* of `<failure>`/`<skipped>`, Jenkins
and Azure DevOps the `message` attribute, so both carry the explanation.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict, deque

from clearance.evaluate.findings import Applied, BundleInfo, CheckResult, Finding
from clearance.report import RenderOptions
from clearance.report.report_data import detail_lines
from clearance.safe_text import neutralise

# XML 1.0 forbids most control characters even when escaped; a manifest value
# could still carry one through a YAML "\x01" escape.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Key = tuple[str, str, str, str]


def _clean(text: str) -> str:
    # neutralised first: CI logs print these messages to terminals (see safe_text)
    return _NOT_XML.sub("\ufffd", neutralise(text))


def _key(manifest: str, workload: str, rule: str, licence: str | None) -> Key:
    return (manifest, workload, rule, licence or "")


def _cases(result: CheckResult) -> dict[str, list[tuple[Applied | Finding, Finding | None]]]:
    """Per file: every applied rule with its finding if it failed, then unmatched findings.

    Findings on files that are not manifests (a waivers file) or recorded
    without an `applied` entry still get a test case, so none is lost.
    """
    pending: dict[Key, deque[Finding]] = defaultdict(deque)
    for f in result.findings:
        pending[_key(f.manifest, f.workload, f.rule, f.licence)].append(f)
    by_file: dict[str, list[tuple[Applied | Finding, Finding | None]]] = {
        m.path: [] for m in result.manifests
    }
    for a in result.applied:
        queue = pending.get(_key(a.manifest, a.workload, a.rule, a.licence))
        finding = queue.popleft() if queue and not a.passed else None
        by_file.setdefault(a.manifest, []).append((a, finding))
    for queue in pending.values():
        for f in queue:
            by_file.setdefault(f.manifest, []).append((f, f))
    return by_file


def _outcome(case: ET.Element, f: Finding) -> str:
    """Add the child that says how the case went; return which counter it raises."""
    text = "\n".join(_clean(line) for line in [f.message.strip(), *detail_lines(f)])
    if f.waiver is not None:
        w = f.waiver
        reason = _clean(
            f"waived: {w.reason} (approved by {w.approved_by}, "
            f"{w.ticket or 'no ticket'}, expires {w.expires.isoformat()})"
        )
        ET.SubElement(case, "skipped", message=reason).text = text
        return "skipped"
    if f.baseline is not None:
        # the gate does not fail on it, so neither should the test report
        message = _clean(f"{f.baseline}: {f.message}")
        ET.SubElement(case, "skipped", message=message).text = text
        return "skipped"
    if f.severity == "info":
        ET.SubElement(case, "system-out").text = text
        return "passed"
    ET.SubElement(case, "failure", message=_clean(f.message), type=f.severity).text = text
    return "failures"


def _suite(path: str, cases: list[tuple[Applied | Finding, Finding | None]]) -> ET.Element:
    suite = ET.Element("testsuite", name=_clean(path))
    counts = {"tests": 0, "failures": 0, "skipped": 0, "passed": 0}
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for item, finding in cases:
        classname = _clean(f"{path}::{item.workload}")
        name = _clean(item.rule + (f" ({item.licence})" if item.licence else ""))
        # GitLab keeps only the first of two cases with the same name
        seen[(classname, name)] += 1
        if seen[(classname, name)] > 1:
            name += f" #{seen[(classname, name)]}"
        case = ET.SubElement(
            suite, "testcase", classname=classname, name=name, file=_clean(path), time="0"
        )
        counts["tests"] += 1
        if finding is not None:
            counts[_outcome(case, finding)] += 1
    for key in ("tests", "failures", "skipped"):
        suite.set(key, str(counts[key]))
    suite.set("errors", "0")
    suite.set("time", "0")
    return suite


def _properties(result: CheckResult, options: RenderOptions, path: str) -> ET.Element:
    """What judged the manifest: for an audit trail, since readers show none of it."""
    props = ET.Element("properties")
    judged = next((m.bundle for m in result.manifests if m.path == path), None)
    if judged is None:
        judged = BundleInfo(
            result.policy_name, result.policy_version, result.policy_digest, result.policy_path
        )
    for name, value in (
        ("clearance.version", options.tool_version),
        ("policy.name", judged.name),
        ("policy.version", judged.version),
        ("policy.digest", judged.digest),
        ("policy.path", judged.path),
    ):
        ET.SubElement(props, "property", name=name, value=_clean(value))
    return props


def build(result: CheckResult, options: RenderOptions) -> ET.Element:
    root = ET.Element("testsuites", name="clearance")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path, cases in _cases(result).items():
        suite = _suite(path, cases)
        suite.insert(0, _properties(result, options, path))  # the schema wants them first
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, total in totals.items():
        root.set(key, str(total))
    root.set("errors", "0")
    root.set("time", "0")
    return root


def render(result: CheckResult, options: RenderOptions) -> str:
    root = build(result, options)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
