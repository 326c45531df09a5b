"""What evaluation produces: findings with their explanations (plain data, and `explain_leaf`).

`Finding` and `Explanation` are built thousands of times a check, so they are
slotted rather than frozen: a frozen dataclass sets each field through
`object.__setattr__` (20 ms of evaluation at 10,000 workloads). Nothing
changes them once made; waived and pre-existing copies come from
`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from clearance.schema.facts import SLOT

if TYPE_CHECKING:
    from clearance.policy.clauses import LeafResult

# What an explanation expects of an organisation fact nobody set (evaluate/unknown.py):
# renderers word such an item as "cannot be decided" rather than as a failed clause.
UNKNOWN_EXPECTED = "a value set in the policy bundle's organisation.yaml"


@dataclass(slots=True)
class Explanation:
    """One clause that made a rule apply (`when`) or that failed (`require`)."""

    clause: str  # "when" or "require"
    fact: str
    expected: str
    actual: Any


@dataclass(frozen=True)
class Waiver:
    rule: str
    workload: str
    reason: str
    approved_by: str
    ticket: str | None
    expires: date
    file: str
    line: int


@dataclass(slots=True)
class Finding:
    rule: str
    title: str
    severity: str
    manifest: str
    line: int
    column: int
    workload: str
    message: str
    remediation: str | None
    references: tuple[str, ...]
    explanation: tuple[Explanation, ...]
    # the licence or terms the rule comes from, and the model or provider that
    # brought it in (an ancestor's licence names that ancestor)
    licence: str | None = None
    via: str | None = None
    waiver: Waiver | None = None
    baseline: str | None = None  # "pre-existing" when a baseline already had it

    @property
    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.manifest, self.line, self.rule, self.workload, self.licence or "")

    @property
    def counts_as_error(self) -> bool:
        return self.severity == "error" and self.waiver is None and self.baseline is None


@dataclass(frozen=True)
class RuleInfo:
    """What reporters may say about a rule (SARIF's rule metadata, help texts)."""

    id: str
    title: str
    description: str | None
    severity: str
    remediation: str | None  # the template as written, placeholders unrendered
    references: tuple[str, ...]
    waivable: bool
    licence: str | None
    file: str
    line: int


@dataclass(frozen=True)
class Applied:
    """A rule that applied to a workload (its `when` held), and whether it passed."""

    manifest: str
    line: int
    workload: str
    rule: str
    licence: str | None
    passed: bool


@dataclass(frozen=True)
class PolicyChanges:
    """How the working tree's bundle differs from the one at `ref` that judged this run."""

    ref: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    other_files_changed: bool
    loads: bool = True  # False: the working tree's bundle does not even load


@dataclass(frozen=True)
class BundleInfo:
    """The bundle that judged a manifest, as reports name it: `path` is where it lies
    (relative to the working directory) or `clearance:default` for the shipped one."""

    name: str
    version: str
    digest: str
    path: str


@dataclass
class ManifestInfo:
    path: str
    digest: str
    workloads: int
    bundle: BundleInfo | None = None  # None only where no bundle was recorded


@dataclass
class CheckResult:
    """Everything a reporter needs: no reporter evaluates anything itself."""

    findings: list[Finding]
    manifests: list[ManifestInfo]
    policy_name: str
    policy_version: str
    policy_digest: str
    workload_count: int
    rules: list[RuleInfo] = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)
    policy_changes: PolicyChanges | None = None
    notes: list[str] = field(default_factory=list)
    # where the judging bundle lies (`clearance:default` for the shipped one); with
    # several, each manifest's `bundle` says which judged it
    policy_path: str = ""

    def bundles(self) -> list[BundleInfo]:
        """Every bundle that judged a manifest of this run, each once, in manifest order."""
        seen = {m.bundle: None for m in self.manifests if m.bundle is not None}
        return list(seen)


def explain_leaf(clause: str, result: LeafResult, record: Sequence[Any]) -> Explanation:
    """One condition's result as an explanation item: the fact, what was expected, and
    the value the record held (a list where the record keeps a tuple)."""
    actual = record[SLOT[result.leaf.path]]
    if isinstance(actual, (tuple, frozenset)):
        actual = list(actual)
    return Explanation(
        clause, result.leaf.path, result.leaf.expected(record, result.negated), actual
    )
