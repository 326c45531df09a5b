"""A folder of repositories for the audit tests: three git repositories (one dirty) and a plain folder.

- alpha: the healthcare-startup example, committed and clean (all compliant);
- beta: the risky-team example with two waivers, one expiring soon and one
  expired, committed, then edited (uncommitted changes);
- gamma: the internal-tools example, committed and clean;
- delta: a plain folder, not a git repository (commit null).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import EXAMPLES

TODAY = "2027-01-10"
EXPIRING = {  # 21 days left on TODAY: inside the default 30-day window
    "rule": "hipaa.phi-needs-baa", "workload": "symptom-checker",
    "reason": "BAA signed, vendor registry update pending",
    "approved_by": "jane.doe@acme.example", "ticket": "COMP-123", "expires": "2027-01-31",
}  # fmt: skip
EXPIRED = {
    "rule": "licensing.non-commercial-use", "workload": "premium-summaries",
    "reason": "commercial licence being negotiated",
    "approved_by": "jane.doe@acme.example", "ticket": "COMP-77", "expires": "2027-01-01",
}  # fmt: skip
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]  # fmt: skip
NEW_WORKLOAD = """
  - id: ward-notes
    description: <script>alert('hostile')</script> summaries of ward notes
    data: [phi]
    purpose: inference
    audience: internal
    commercial: false
    model: mistralai/Mistral-7B-Instruct-v0.3
    deployment:
      mode: self-hosted
      provider: aws
      region: us-east-1
"""


def organisation_policy(where: Path) -> Path:
    """The bundle the audit tests judge by: the shipped rules, for the tests' example
    organisation (the shipped bundle states no organisation fact, not even a site)."""
    from helpers import shipped_copy

    target = where / "org-policy"
    return target if target.exists() else shipped_copy(target)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def write_waivers(repo: Path, *entries: dict[str, str]) -> None:
    lines = ["waivers:"]
    for entry in entries:
        for i, (key, value) in enumerate(entry.items()):
            lines.append(f"  {'- ' if i == 0 else '  '}{key}: {json.dumps(value)}")
    (repo / "waivers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def commit_all(repo: Path) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "manifests")
    return git(repo, "rev-parse", "HEAD")


def make_repos(root: Path) -> dict[str, str]:
    """Build the folder under `root`; the commit of each git repository by name."""
    commits = {}
    for name, example in (("alpha", "healthcare-startup"), ("beta", "risky-team"),
                          ("gamma", "internal-tools")):  # fmt: skip
        repo = root / name
        shutil.copytree(EXAMPLES / example, repo)
        subprocess.run([*GIT, "init", "-q", str(repo)], check=True)
        if name == "beta":
            write_waivers(repo, EXPIRING, EXPIRED)
        commits[name] = commit_all(repo)
    with (root / "beta" / "model-usage.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# an edit not yet committed\n")
    shutil.copytree(EXAMPLES / "internal-tools", root / "delta")
    return commits


def add_workload(repo: Path, text: str = NEW_WORKLOAD) -> None:
    with (repo / "model-usage.yaml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def add_agreement(repo: Path, workload: str, agreement: str) -> None:
    """Give `workload` an agreement in its deployment (the examples list none for eu-coaching)."""
    path = repo / "model-usage.yaml"
    text = path.read_text(encoding="utf-8")
    head, tail = text.split(f"  - id: {workload}\n", 1)
    body, sep, rest = tail.partition("\n\n")
    body += f"\n      agreements: [{agreement}]"
    path.write_text(f"{head}  - id: {workload}\n{body}{sep}{rest}", encoding="utf-8")
