"""Find the first problems of a large manifest without reading all of it with positions.

When a large manifest fails the fast path, reading it whole with positions
costs about a second per megabyte and several times its size in memory: 2.5
million invalid workloads in 50 MB took minutes and gigabytes, only to show
the first 200 problems. Here the workloads list is read a megabyte of items
at a time, each slice by the positioned reader and validated by the same
models, only to learn where MAX_PROBLEMS problems have been seen. Then the
file up to there (the list cut at that item, what follows the list kept,
the lines between left blank so that line numbers hold) is read and
validated as one document: the problems reported are exactly those the
whole read of that document finds, at the same positions.

Slices start at the list's item lines (`- ` at the first item's indentation),
which in a well-formed document always start an item. Anything that makes
a slice or the cut document unreadable (an alias to an anchor elsewhere, a
syntax error) leaves the file to the whole read, as does a file in which
fewer than MAX_PROBLEMS problems are found: it is read whole anyway.
"""

from __future__ import annotations

import re
from typing import Any

from clearance.errors import MAX_PROBLEMS, InputError, Problem
from clearance.loading.tree import YDict, YList, has_lone_carriage_return

SLICE_CHARS = 1_000_000
_WORKLOADS_KEY = re.compile(r"^workloads[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
_OTHER_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
_FIRST_CONTENT = re.compile(r"^(?P<indent>[ ]*)(?P<first>[^\s#])", re.MULTILINE)


def first_problems(text: str, name: str) -> tuple[list[Problem], int] | None:
    """(the first problems, where reading stopped), or None: read the file whole."""
    from pydantic import ValidationError

    from clearance.loading.validate import problems_from
    from clearance.schema.manifest import Manifest

    if has_lone_carriage_return(text) or _OTHER_LINE_BREAK.search(text):
        return None  # YAML breaks lines there too; the line numbers here count line feeds
    key = _WORKLOADS_KEY.search(text)
    if key is None:
        return None
    first = _FIRST_CONTENT.search(text, key.end())
    if first is None or first.group("first") != "-":
        return None
    indent = len(first.group("indent"))
    item = re.compile(rf"^[ ]{{{indent}}}-(?:[ \t]|$)", re.MULTILINE)
    end = list_end(text, first.start(), indent)

    seen = 0
    at = first.start()
    while seen < MAX_PROBLEMS:
        if at >= end:
            return None  # all read, few problems: the whole read words them
        cut = item.search(text, min(at + SLICE_CHARS, end), end)
        stop = cut.start() if cut is not None else end
        items = _read(text[at:stop], name)
        if not isinstance(items, YList):
            return None
        try:
            Manifest.model_validate({"version": 1, "workloads": items})
        except ValidationError as exc:
            seen += exc.error_count()
        at = stop
    if at >= end:
        return None  # the problems run to the end of the list: nothing is saved
    tree = _read(cut_document(text, at), name)
    if not isinstance(tree, YDict):
        return None
    try:
        Manifest.model_validate(tree)
    except ValidationError as exc:
        return problems_from(exc, Manifest, tree, name), at
    return None


def cut_document(text: str, at: int) -> str:
    """`text` with its workloads list cut at the item line starting at `at`: the rest of
    the list is left blank (so line numbers hold) and what follows the list is kept."""
    indent = len(text) - at - len(text[at:].lstrip(" "))
    end = list_end(text, at, indent)
    return text[:at] + "\n" * text.count("\n", at, end) + text[end:]


def list_end(text: str, start: int, indent: int) -> int:
    """Where the block list holding `start`, its dashes at `indent`, ends: the first line
    less indented than its items, or as indented but not an item (comments and blank
    lines are neither)."""
    ending = _ending_line(indent).search(text, start)
    return ending.start() if ending is not None else len(text)


def _ending_line(indent: int) -> re.Pattern[str]:
    not_an_item = r"(?!-(?:[ \t]|$))[^\s#]"
    if indent == 0:
        return re.compile(rf"^{not_an_item}", re.MULTILINE)
    return re.compile(
        rf"^(?:[ ]{{0,{indent - 1}}}[^\s#]|[ ]{{{indent}}}{not_an_item})", re.MULTILINE
    )


def _read(text: str, name: str) -> Any:
    """`text` read with positions, or None if it does not read."""
    from clearance.loading.yaml_source import load_yaml_text

    try:
        return load_yaml_text(text, name)
    except InputError:
        return None
