"""Compile rule and obligation specs into `Rule` and `Obligation` objects."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clearance.errors import PathPart, Problem, ProblemCollector
from clearance.loading.tree import locate
from clearance.policy.clauses import Condition
from clearance.policy.conditions import ConditionCompiler
from clearance.policy.templates import Template, TemplateError, parse_template
from clearance.schema.facts import is_licence_fact

if TYPE_CHECKING:
    from clearance.schema.bundle import RuleSpec
    from clearance.schema.licence import Obligation as ObligationSpec


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str | None
    severity: str
    when: Condition | None
    require: Condition | None
    message: Template
    remediation: Template | None
    references: tuple[Template, ...]
    waivable: bool
    file: str
    line: int
    licence: str | None  # set for rules that come from a licence file
    reads_licence: bool  # reads licence.* facts: evaluated per governing licence
    digest: str = ""  # of the rule as written, so a changed rule can be told apart
    path: str = ""  # the defining file's absolute path (file is its display name)
    locked: bool = False  # child bundles may not redefine, disable or weaken it
    layer: str = ""  # the bundle that defined it
    changed_by: str = ""  # the override that changed its severity, as file:line
    # rules reporting the same cause: where both fire on a workload only this one is
    # reported, naming their references too (evaluate/supersede.py)
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Obligation:
    id: str
    title: str
    when: Condition | None
    text: str
    licence: str
    source_url: str


class RuleCompiler:
    """Compiles the rules of one file, positioned against its raw YAML tree."""

    def __init__(
        self,
        file: str,
        root: Any,
        problems: ProblemCollector,
        domains: Mapping[str, frozenset[str]],
        path: str = "",
    ) -> None:
        self.file = file
        self.path = path
        self.root = root
        self.problems = problems
        self.conditions = ConditionCompiler(file, root, problems, domains)

    def rule(self, spec: RuleSpec, path: tuple[PathPart, ...], licence: str | None) -> Rule | None:
        before = len(self.problems.problems)
        when = self._condition(spec.when, (*path, "when"))
        require = self._condition(spec.require, (*path, "require"))
        if spec.when is None and spec.require is None:
            self._error(path, "a rule needs 'when', 'require' or both")
        message = self._template(spec.message, (*path, "message"))
        remediation = self._template(spec.remediation, (*path, "remediation"))
        references = [
            self._template(ref, (*path, "references", k)) for k, ref in enumerate(spec.references)
        ]
        if len(self.problems.problems) != before or message is None:
            return None
        paths = (when.paths() if when else set()) | (require.paths() if require else set())
        for template in (message, remediation, *references):
            paths |= template.paths() if template else set()
        return Rule(
            id=spec.id,
            title=spec.title,
            description=spec.description,
            severity=spec.severity,
            when=when,
            require=require,
            message=message,
            remediation=remediation,
            references=tuple(r for r in references if r is not None),
            waivable=spec.waivable,
            file=self.file,
            line=locate(self.root, path)[0],
            licence=licence,
            reads_licence=any(is_licence_fact(p) for p in paths),
            digest=hashlib.sha256(spec.model_dump_json().encode()).hexdigest(),
            path=self.path,
            locked=spec.locked,
            supersedes=tuple(spec.supersedes),
        )

    def obligation(
        self, spec: ObligationSpec, path: tuple[PathPart, ...], licence: str, source_url: str
    ) -> Obligation | None:
        before = len(self.problems.problems)
        when = self._condition(spec.when, (*path, "when"))
        if len(self.problems.problems) != before:
            return None
        return Obligation(spec.id, spec.title, when, spec.text, licence, source_url)

    def _condition(self, node: Any, path: tuple[PathPart, ...]) -> Condition | None:
        if node is None:
            return None
        raw = _raw_at(self.root, path)
        return self.conditions.compile(raw if raw is not None else node, path)

    def _template(self, text: str | None, path: tuple[PathPart, ...]) -> Template | None:
        if text is None:
            return None
        try:
            return parse_template(text)
        except TemplateError as exc:
            self._error(path, str(exc), exc.suggestion)
            return None

    def _error(
        self, path: tuple[PathPart, ...], message: str, suggestion: str | None = None
    ) -> None:
        line, col = locate(self.root, path)
        self.problems.add(Problem(self.file, line, col, path, message, suggestion))


def _raw_at(root: Any, path: tuple[PathPart, ...]) -> Any:
    node = root
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node
