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
from typing import Any

from clearance.loading.yaml_source import ALIAS_EXPANSION_FACTOR, ALIAS_EXPANSION_SLACK, MAX_DEPTH

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
    if re.search(r"[\"']<<[\"']", text):
        return False
    lines = text.split("\n")
    sizes: dict[str, int] = {}
    expanded = len(text)
    aliases = 0
    for i, line in enumerate(lines):
        for m in re.finditer(_ALIAS, line, re.M):
            aliases += 1
            if m.group(1) not in sizes or aliases > MAX_ALIASES:
                return False
            expanded += sizes[m.group(1)]
        for m in re.finditer(_ANCHOR, line, re.M):
            if m.group(1) in sizes:
                return False
            sizes[m.group(1)] = _node_size(lines, i, m.end(), sizes)
        if expanded > ALIAS_EXPANSION_FACTOR * len(text) + ALIAS_EXPANSION_SLACK:
            return False
    return True


def _node_size(lines: list[str], i: int, start: int, sizes: dict[str, int]) -> int:
    indent = len(lines[i]) - len(lines[i].lstrip(" "))
    block = [lines[i][start:]]
    for line in lines[i + 1 :]:
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        block.append(line)
    size = 0
    for part in block:
        size += len(part) + 1
        for m in re.finditer(_ALIAS, part, re.M):
            size += sizes.get(m.group(1), 0)
    return size


def merged(value: Any, depth: int = 0) -> Any:
    """`value` with every `<<` merge applied as PyYAML's SafeLoader applies it."""
    if depth > MAX_DEPTH:
        raise Unsure
    if type(value) is dict:
        out: dict[Any, Any] = {}
        if "<<" in value:
            parts = value["<<"] if type(value["<<"]) is list else [value["<<"]]
            if not parts or any(type(p) is not dict for p in parts):
                raise Unsure  # PyYAML refuses it: the positioned reader says where
            for part in reversed(parts):
                out.update(merged(part, depth + 1))
        for key, item in value.items():
            if key != "<<":
                out[key] = merged(item, depth + 1)
        return out
    if type(value) is list:
        return [merged(item, depth + 1) for item in value]
    return value
