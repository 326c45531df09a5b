"""YAML merge keys (`<<`) as the spec has them, for the positioned reader.

Keys of a mapping itself override every merged key; with a sequence of mappings,
an earlier mapping's key overrides a later one's (https://yaml.org/type/merge.html).
PyYAML 6.0.4 lets the later one win, so `<<: [{data: [phi]}, *base]` read as
`base`'s data and a HIPAA finding was missed. The fast reader resolves yaml-rs's
plain `<<` keys the same way (`fast_reader.merges`); a property test holds the two
readers to one reading.
"""

from __future__ import annotations

from typing import Any

import yaml

MERGE_TAG = "tag:yaml.org,2002:merge"
Pair = tuple[yaml.Node, yaml.Node]


def merged_pairs(loader: Any, node: yaml.MappingNode) -> list[Pair] | None:
    """`node`'s pairs with its merges resolved, or None when it has no merge key.

    The merged pairs come first and the mapping's own after them, each key once, so
    that constructing them in order gives the spec's mapping; the merged mappings are
    read, never changed (an anchored mapping is merged in many places). `loader` is
    the positioned loader: it constructs keys and counts nesting.
    """
    if not any(key.tag == MERGE_TAG for key, _ in node.value):
        return None
    merged: list[Pair] = []
    seen: set[Any] = set()
    own: list[Pair] = []
    for key_node, value_node in node.value:
        if key_node.tag != MERGE_TAG:
            own.append((key_node, value_node))
            continue
        for source in _sources(node, value_node):
            loader._enter(source)  # a chain of merges nests like mappings do
            try:
                source_pairs = merged_pairs(loader, source) or source.value
            finally:
                loader._depth -= 1
            for pair in source_pairs:
                key = _key(loader, pair[0])
                if key not in seen:  # an earlier mapping's key wins
                    seen.add(key)
                    merged.append(pair)
    if merged:  # a merged key the mapping has itself is its own (found by a property test)
        mine = {_key(loader, key) for key, _ in own}
        merged = [pair for pair in merged if _key(loader, pair[0]) not in mine]
    return merged + own


def _sources(node: yaml.MappingNode, value: Any) -> list[yaml.MappingNode]:
    if isinstance(value, yaml.MappingNode):
        return [value]
    if not isinstance(value, yaml.SequenceNode):
        raise yaml.constructor.ConstructorError(
            "while constructing a mapping",
            node.start_mark,
            f"expected a mapping or list of mappings for merging, but found {value.id}",
            value.start_mark,
        )
    for source in value.value:
        if not isinstance(source, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"expected a mapping for merging, but found {source.id}",
                source.start_mark,
            )
    return list(value.value)


def _key(loader: Any, node: yaml.Node) -> Any:
    """A scalar key's value; any other key stands for itself alone (mapping keys that are
    not scalars are refused where the mapping is built)."""
    if not isinstance(node, yaml.ScalarNode):
        return object()
    return loader.construct_object(node, deep=True)
