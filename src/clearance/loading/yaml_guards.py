"""Guards for documents PyYAML would read at a cost: alias expansion and nesting depth.

The constructor guards depth for documents the parser composes; these walks
answer for the rest: how far aliases expand a document (the "billion laughs"),
and where the first too-deep container starts in a document the parser itself
refused for depth.
"""

from __future__ import annotations

import yaml

from clearance.loading.tree import MAX_DEPTH, _problem


def expanded_size(node: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        if key in active:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias refers to the node that contains it", n.start_mark
            )
        active.add(key)
        total = 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
        elif isinstance(n, yaml.SequenceNode):
            for v in n.value:
                total += size(v)
        active.discard(key)
        memo[key] = total
        return total

    return size(node)


def _first_too_deep(text: str) -> tuple[int, int] | None:
    """Where the first container nested deeper than MAX_DEPTH starts, if any.

    The constructor's guard finds this node in documents the parser composes; this
    walk of the parser's events finds the same node in documents the parser itself
    refuses for depth (libyaml >= 0.2.6 stops at 1,000 levels, and its position for
    that moved between releases), so the position reported is always clearance's.
    The pure-Python parser is used: libyaml's scanner looks ahead through a whole run
    of `[[[[` before it emits the first event, and so meets its own limit first; this
    path runs only for documents already refused, and stops at the first deep node.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:
                    return (mark.line + 1, mark.column + 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def depth_problem(name: str, text: str) -> Exception | None:
    at = _first_too_deep(text)
    if at is None:
        return None
    return _problem(name, *at, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
