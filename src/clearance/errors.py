"""The errors clearance reports for bad input, and how they are positioned.

Every problem with a file the user gave us (manifest, bundle, licence, catalogue,
waivers) is an `InputError` carrying the file, line, column and the breadcrumb
path of keys that lead to the offending node. The CLI catches `ClearanceError`
and exits 2; anything else is a bug in clearance (exit 3).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clearance.safe_text import neutralise

PathPart = str | int
MAX_MESSAGE = 500
# Past this many problems in one run the rest are counted, not listed: a 50 MB file of
# mistakes would otherwise print hundreds of megabytes.
MAX_PROBLEMS = 200


def format_path(path: Sequence[PathPart]) -> str:
    """Render a key path as `workloads[2].deployment.region`.

    A key that is empty or holds whitespace or unprintable characters is shown
    quoted, `workloads[0][""]` or `["\\t"]`: shown bare it would vanish or break the
    line (a tab key made `file:1:3: <tab>: unknown field`; found by a property test).
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part or not all(c.isprintable() and not c.isspace() for c in str(part)):
            out += f"[{json.dumps(str(part), ensure_ascii=False)}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The closest choice to `word`, if one is close enough to be a likely typo."""
    if len(word) > 200:  # no id is that long; comparing a 10 MB value would take seconds
        return None
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if not matches:
        matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None


def suggestion_suffix(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for a close choice, else '': for messages without a position."""
    hint = did_you_mean(word, choices)
    return f" (did you mean {hint}?)" if hint else ""


@dataclass(frozen=True)
class Problem:
    """One positioned problem in one input file."""

    file: str
    line: int
    column: int
    path: tuple[PathPart, ...]
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        crumb = format_path(self.path)
        message = self.message
        if len(message) > MAX_MESSAGE:  # a hostile 10 MB value is not echoed whole
            # keep the head and the tail: the tail usually says what is wrong
            cut = len(message) - MAX_MESSAGE
            message = f"{message[:300]} …({cut} characters)… {message[-(MAX_MESSAGE - 300) :]}"
        text = f"{where}: {crumb}: {message}" if crumb else f"{where}: {message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion}?)"
        # one line of a terminal or CI log, whatever a file name or value holds
        return neutralise(text)


class ClearanceError(Exception):
    """Base of every error that means 'the input or the command line is wrong' (exit 2)."""


@dataclass
class InputError(ClearanceError):
    """One or more positioned problems found in the user's files."""

    problems: list[Problem] = field(default_factory=list)
    # set when reading stopped once MAX_PROBLEMS were found: more may follow
    stopped_early: bool = False

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        hidden = len(self.problems) - MAX_PROBLEMS
        if hidden > 0 or self.stopped_early:
            # positioned like every line: where the first problem not shown is
            p = self.problems[min(MAX_PROBLEMS, len(self.problems) - 1)]
            where = f"{p.file}:{p.line}:{p.column}"
            more = f"… and {hidden} more problems from here" if hidden > 0 else "…"
            if self.stopped_early:
                more += "; reading stopped after them, so there may be more"
            shown.append(f"{where}: {more}")
        return "\n".join(shown)


class UsageError(ClearanceError):
    """The command line asks for something impossible (no file position to give)."""


class ProblemCollector:
    """Gathers problems so one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self, *, stopped_early: bool = False) -> None:
        if self.problems:
            raise InputError(sorted(set(self.problems), key=_problem_order), stopped_early)

    def __bool__(self) -> bool:
        return bool(self.problems)


def _problem_order(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line, p.column, p.message)
