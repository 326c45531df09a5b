"""`clearance waive`: appends exactly one entry, keeps everything else, refuses bad waivers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

TODAY = "2026-11-22"
ARGS = [
    "--workload",
    "symptom-checker",
    "--reason",
    "BAA signed 2026-10-01",
    "--approved-by",
    "jane.doe@acme.example",
    "--ticket",
    "COMP-9",
    "--expires",
    "2027-02-01",
    "--today",
    TODAY,
]
EXISTING = """\
# Waivers for the wellness coach.
# Owner: compliance@acme.example

waivers:
    # granted after the DPA review
    -   rule: gdpr.processor-needs-dpa
        workload: eu-coaching
        reason: "DPA in signature, see legal thread"
        approved_by: 'jane.doe@acme.example'
        ticket: COMP-7
        expires: 2027-01-15   # renew before then
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "risky-team", target)
    monkeypatch.chdir(target)
    return target


def test_appends_and_keeps_the_rest_byte_for_byte(run: Callable[..., Run], repo: Path) -> None:
    (repo / "waivers.yaml").write_text(EXISTING)
    result = run("waive", "hipaa.phi-needs-baa", *ARGS)
    assert result.code == 0, result.err
    after = (repo / "waivers.yaml").read_text()
    assert after.startswith(EXISTING)
    assert after[len(EXISTING) :] == (
        "    -   rule: hipaa.phi-needs-baa\n"
        "        workload: symptom-checker\n"
        "        reason: BAA signed 2026-10-01\n"
        "        approved_by: jane.doe@acme.example\n"
        "        ticket: COMP-9\n"
        "        expires: 2027-02-01\n"
    )
    check = run("check", "--today", TODAY, "--format", "json")
    assert '"ticket": "COMP-9"' in check.out


def test_creates_the_file_beside_the_manifest(run: Callable[..., Run], repo: Path) -> None:
    assert run("waive", "hipaa.phi-needs-baa", *ARGS).code == 0
    text = (repo / "waivers.yaml").read_text()
    assert text.startswith("waivers:\n  - rule: hipaa.phi-needs-baa\n")
    assert run("check", "--today", TODAY).out.count("error (waived)") == 1


@pytest.mark.parametrize(
    ("rule", "change", "fragment"),
    [
        ("hipaa.phi-needs-baa", ["--expires", "2026-11-01"], "expired on 2026-11-01"),
        ("hipaa.phi-needs-baa", ["--expires", "2028-01-01"], "more than 180 days"),
        ("hipaa.phi-needs-baa", ["--ticket", ""], "names no ticket"),
        ("hipaa.phi-provider-offers-no-baa", [], "marked waivable: false"),
        (
            "hipaa.phi-need-baa",
            [],
            "unknown rule 'hipaa.phi-need-baa' (did you mean hipaa.phi-needs-baa?)",
        ),
        ("hipaa.phi-needs-baa", ["--workload", "symptom-checkr"], "did you mean symptom-checker"),
        ("hipaa.phi-needs-baa", ["--expires", "next week"], "invalid date 'next week'"),
    ],
)
def test_refuses_what_the_bundle_would_reject(
    rule: str, change: list[str], fragment: str, run: Callable[..., Run], repo: Path
) -> None:
    (repo / "waivers.yaml").write_text(EXISTING)
    args = list(ARGS)
    for i in range(0, len(change), 2):
        args[args.index(change[i]) + 1] = change[i + 1]
    result = run("waive", rule, *args)
    assert result.code == 2
    assert fragment in result.err, result.err
    assert (repo / "waivers.yaml").read_text() == EXISTING
