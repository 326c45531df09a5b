"""One finding per broken fact: a rule that supersedes another speaks for both.

Two rules may report one cause (a research licence's own commercial-use clause
and the general non-commercial rule; a provider known to offer no BAA and the
claim of one it does not offer). A rule names those it supersedes
(`supersedes:`); where both fire on the same workload (and, for licence rules,
the same terms), only the superseding finding is kept and it carries the other's
references, so nothing it cited is lost.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

from clearance.evaluate.findings import Finding

if TYPE_CHECKING:
    from clearance.bundle.load import Bundle


def supersede(findings: list[Finding], bundle: Bundle) -> list[Finding]:
    """The findings with every superseded one folded into the finding that supersedes it."""
    targets = {r.id: r.supersedes for r in bundle.all_rules() if r.supersedes}
    if not targets or not findings:
        return findings
    by_workload: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        by_workload[(f.manifest, f.line, f.workload)].append(i)
    dropped: set[int] = set()
    replaced: dict[int, Finding] = {}
    for indices in by_workload.values():
        for i in indices:
            f = findings[i]
            over = targets.get(f.rule)
            if not over:
                continue
            for j in indices:
                g = findings[j]
                if j == i or j in dropped or g.rule not in over:
                    continue
                if f.licence and g.licence and f.licence != g.licence:
                    continue  # another licence's finding: a cause of its own
                dropped.add(j)
                kept = replaced.get(i, f)
                references = list(kept.references)
                references += [r for r in g.references if r not in references]
                references.append(f"{g.rule} (reported once, here): {g.message}")
                replaced[i] = dataclasses.replace(kept, references=tuple(references))
    return [replaced.get(i, f) for i, f in enumerate(findings) if i not in dropped]
