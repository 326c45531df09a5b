"""Find the first problems of a large manifest, reading it with positions a slice at a time.

When a large manifest fails the fast path, reading it whole with positions
costs about a second per megabyte and several times its size in memory: 2.5
million invalid workloads in 50 MB took minutes and gigabytes, only to show
the first 200 problems. Here the header (everything but the workloads list,
with the list's lines left blank so that line numbers stay true) and the
list, about a megabyte of items at a time, are each read by the positioned
reader and validated by the same models, each slice's positions moved to its
place in the file; reading stops once MAX_PROBLEMS problems are found.

Slices start at the list's item lines (`- ` at the first item's indentation).
Anything that makes a slice unreadable on its own (an alias to an anchor in
another slice, a quoted scalar running across a cut) means the slicing
cannot be trusted: the caller then reads the file whole, as before. So does
a manifest in which no problem is found, since the whole read also builds
the manifest.
"""

from __future__ import annotations

import re
from typing import Any

from clearance.errors import MAX_PROBLEMS, InputError, PathPart, Problem
from clearance.loading.tree import YDict, YList

SLICE_CHARS = 1_000_000
_WORKLOADS_KEY = re.compile(r"^workloads[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
_LONE_CR = re.compile("\r(?!\n)")
_OTHER_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
_FIRST_CONTENT = re.compile(r"^(?P<indent>[ ]*)(?P<first>[^\s#])", re.MULTILINE)


def first_problems(text: str, name: str) -> tuple[list[Problem], bool] | None:
    """(problems, reading stopped early), or None when the file cannot be read in slices."""
    from pydantic import ValidationError

    from clearance.loading.validate import problems_from
    from clearance.model.manifest import Manifest

    if ("\r" in text and _LONE_CR.search(text)) or _OTHER_LINE_BREAK.search(text):
        return None  # YAML breaks lines there too; the line numbers here count line feeds
    key = _WORKLOADS_KEY.search(text)
    if key is None:
        return None
    first = _FIRST_CONTENT.search(text, key.end())
    if first is None or first.group("first") != "-":
        return None
    indent = len(first.group("indent"))
    start = first.start()
    item = re.compile(rf"^[ ]{{{indent}}}-(?:[ \t]|$)", re.MULTILINE)
    ending = _ending_line(indent).search(text, start)
    end = ending.start() if ending is not None else len(text)

    problems: list[Problem] = []
    header = _read(text[:start] + "\n" * text.count("\n", start, end) + text[end:], name, 0)
    if not isinstance(header, YDict) or "workloads" not in header or header["workloads"]:
        return None
    header["workloads"] = YList(header.value_pos.get("workloads", header.pos))
    try:
        Manifest.model_validate(header)
    except ValidationError as exc:
        problems.extend(problems_from(exc, Manifest, header, name))

    lines_before = text.count("\n", 0, start)
    index = 0
    at = start
    while at < end:
        cut = item.search(text, min(at + SLICE_CHARS, end), end)
        stop = cut.start() if cut is not None else end
        items = _read(text[at:stop], name, lines_before)
        if not isinstance(items, YList):
            return None
        wrapper = YDict(items.pos)
        wrapper["version"], wrapper["workloads"] = 1, items
        wrapper.key_pos["workloads"] = wrapper.value_pos["workloads"] = items.pos
        try:
            Manifest.model_validate(wrapper)
        except ValidationError as exc:
            for p in problems_from(exc, Manifest, wrapper, name):
                problems.append(_renumbered(p, index))
        if len(problems) >= MAX_PROBLEMS:
            return problems, stop < end
        lines_before += text.count("\n", at, stop)
        index += len(items)
        at = stop
    return problems, False


def _ending_line(indent: int) -> re.Pattern[str]:
    """The first line after the workloads list: less indented than its items, or as
    indented but not an item (comments and blank lines are neither)."""
    not_an_item = r"(?!-(?:[ \t]|$))[^\s#]"
    if indent == 0:
        return re.compile(rf"^{not_an_item}", re.MULTILINE)
    return re.compile(
        rf"^(?:[ ]{{0,{indent - 1}}}[^\s#]|[ ]{{{indent}}}{not_an_item})", re.MULTILINE
    )


def _read(text: str, name: str, lines_before: int) -> Any:
    """`text` read with positions, moved down by `lines_before` lines; None if unreadable."""
    from clearance.loading.yaml_source import load_yaml_text

    try:
        tree = load_yaml_text(text, name)
    except InputError:
        return None
    if lines_before:
        _shift(tree, lines_before)
    return tree


def _shift(node: Any, lines: int) -> None:
    stack = [node]
    seen: set[int] = set()  # an aliased node is one object reached twice: move it once
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, YDict):
            n.pos = (n.pos[0] + lines, n.pos[1])
            for k in n:
                kp, vp = n.key_pos[k], n.value_pos[k]
                n.key_pos[k] = (kp[0] + lines, kp[1])
                n.value_pos[k] = (vp[0] + lines, vp[1])
                stack.append(n[k])
        elif isinstance(n, YList):
            n.pos = (n.pos[0] + lines, n.pos[1])
            n.item_pos = [(p[0] + lines, p[1]) for p in n.item_pos]
            stack.extend(n)


def _renumbered(p: Problem, offset: int) -> Problem:
    """A problem in a slice's list, its path pointing into the whole list."""
    path: tuple[PathPart, ...] = p.path
    if len(path) >= 2 and path[0] == "workloads" and isinstance(path[1], int):
        path = ("workloads", path[1] + offset, *path[2:])
    return Problem(p.file, p.line, p.column, path, p.message, p.suggestion)
