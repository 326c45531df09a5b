"""Anchors, aliases and merge keys on the LiteLLM fast path, as PyYAML reads them.

yaml-rs expands aliases but keeps `<<` as an ordinary key; LiteLLM reads its
config with PyYAML, which merges (`<<: *defaults`, `<<: [*a, *b]`: explicit
keys win, then earlier mappings over later ones). Before yaml-rs expands
anything, the text's aliases are bounded the way the positioned reader bounds
them: what every alias would expand to, nested anchors included, may be at
most ten times the document; past that, or for anything unusual (an anchor
defined twice, a quoted `<<` key, a merge of something not a mapping), the
positioned reader decides.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

# the positioned reader's own bounds, from the module both readers share (no PyYAML)
from clearance.loading.tree import MAX_DEPTH, alias_budget

# `&name` / `*name` where YAML allows them: at a line start, after a space or a flow indicator
_ANCHOR = r"(?:(?<=[\s\[{,])|^)&([^\s,\[\]{}]+)"
_ALIAS = r"(?:(?<=[\s\[{,])|^)\*([^\s,\[\]{}]+)"
MAX_ALIASES = 10_000


class Unsure(Exception):
    """Leave this document to the positioned reader."""


def expansion_is_bounded(text: str) -> bool:
    """Whether every alias expanded stays within the positioned reader's bound.

    An anchor's node is taken to be the rest of its line and every following line
    indented deeper than that line: an over-estimate, so the bound holds.
    """
    if '"<<"' in text or "'<<'" in text:
        return False
    aliases = marks(text, "*")
    if len(aliases) > MAX_ALIASES:
        return False
    anchors: dict[str, tuple[int, int]] = {}
    for start, name in marks(text, "&"):
        if name in anchors:
            return False
        end = start + 1 + len(name)
        anchors[name] = (end, _node_end(text, start, end))
    positions = [at for at, _ in aliases]
    sizes: dict[str, int] = {}

    def size(name: str, seen: frozenset[str]) -> int:
        if name in sizes:
            return sizes[name]
        if name in seen:
            raise Unsure  # an alias inside its own anchor's node
        start, end = anchors[name]
        total = end - start
        for k in range(bisect_left(positions, start), bisect_left(positions, end)):
            total += _target(aliases[k], anchors, size, seen | {name})
        sizes[name] = total
        return total

    # characters expanded bound the nodes expanded (a node takes at least one), so a
    # count of characters within the nodes' budget keeps the positioned reader's bound
    budget = alias_budget(len(text))
    expanded = len(text)
    try:
        for alias in aliases:
            expanded += _target(alias, anchors, size, frozenset())
            if expanded > budget:
                return False
    except (Unsure, RecursionError):
        return False
    return True


# what `\s` is among ASCII characters, and what else ends a name
_SPACE = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_BEFORE = _SPACE | frozenset("[{,")
_NAME_ENDS = _SPACE | frozenset(",[]{}")


def marks(text: str, mark: str) -> list[tuple[int, str]]:
    """(where, name) of every anchor (`&`) or alias (`*`), as `_ANCHOR`/`_ALIAS` find them.

    ASCII text is searched literally: the expressions' lookbehind made them try every
    character, 2 ms in a 27 kB config. Other text keeps them (`\\s` is Unicode's).
    """
    if not text.isascii():
        pattern = _ANCHOR if mark == "&" else _ALIAS
        return [(m.start(), m.group(1)) for m in re.finditer(pattern, text, re.M)]
    out: list[tuple[int, str]] = []
    at = text.find(mark)
    while at != -1:
        end = at + 1
        if at == 0 or text[at - 1] in _BEFORE:
            while end < len(text) and text[end] not in _NAME_ENDS:
                end += 1
            if end > at + 1:
                out.append((at, text[at + 1 : end]))
            else:
                end = at + 1
        at = text.find(mark, end)
    return out


def _target(
    alias: tuple[int, str], anchors: dict[str, tuple[int, int]], size: Any, seen: frozenset[str]
) -> int:
    at, name = alias
    if name not in anchors or anchors[name][0] > at:
        raise Unsure  # an alias before its anchor: YAML refuses it, the positioned reader says so
    return int(size(name, seen))


def _node_end(text: str, line_start_hint: int, after: int) -> int:
    """Where the node anchored at `after` ends at the latest: before the first following
    non-blank line indented no deeper than the anchor's line."""
    line_start = text.rfind("\n", 0, line_start_hint) + 1
    line = text[
        line_start : text.find("\n", line_start) if "\n" in text[line_start:] else len(text)
    ]
    indent = len(line) - len(line.lstrip(" "))
    at = text.find("\n", after)
    while at != -1:
        nxt = text.find("\n", at + 1)
        body = text[at + 1 : nxt if nxt != -1 else len(text)]
        if body.strip() and len(body) - len(body.lstrip(" ")) <= indent:
            return at
        at = nxt
    return len(text)


def merged_config(tree: Any) -> Any:
    """The config with merges applied where the reader looks: each `model_list` entry (the
    other settings are never read, so never walked), or everything under a top-level merge."""
    if type(tree) is not dict:
        return tree
    if "<<" in tree:  # rare: a merge at the top may bring model_list itself
        return merged(tree)
    root = dict(tree)
    if type(root.get("model_list")) is list:
        root["model_list"] = [merged(entry, 1) for entry in root["model_list"]]
    return root


def merged(value: Any, depth: int = 0) -> Any:
    """`value` with every `<<` merge applied as PyYAML's SafeLoader applies it."""
    if depth > MAX_DEPTH or (depth == MAX_DEPTH and type(value) in _NESTED and value):
        raise Unsure  # (its children, scalars too, would be a level deeper)
    if type(value) is dict:
        out: dict[Any, Any] = {}
        if "<<" in value:
            parts = value["<<"] if type(value["<<"]) is list else [value["<<"]]
            if not parts or any(type(p) is not dict for p in parts):
                raise Unsure  # PyYAML refuses it: the positioned reader says where
            for part in reversed(parts):
                out.update(merged(part, depth + 1))
        for key, item in value.items():
            if key != "<<":  # scalars as they are: a call for each cost a third of the walk
                out[key] = merged(item, depth + 1) if type(item) in _NESTED else item
        return out
    if type(value) is list:
        return [merged(item, depth + 1) if type(item) in _NESTED else item for item in value]
    return value


_NESTED = (dict, list)
