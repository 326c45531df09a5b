"""Safe YAML reading that remembers where every node came from.

PyYAML's C parser does the reading (the fastest well-kept option that refuses
object-constructing tags). Mappings become `YDict` and sequences `YList`:
ordinary dicts and lists that also carry the 1-based line and column of every
key and value, so any later validator can point at `file:line:column`.

Guards against hostile files: a size limit, duplicate keys, a bound on how far
aliases may expand (the "billion laughs", `yaml_guards`), recursion depth, and a
clear message for every encoding or syntax problem instead of a traceback.
Plain scalars resolve by YAML 1.2 (`yaml_scalars`), as the fast reader's do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from clearance.loading.merge_keys import merged_pairs
from clearance.loading.tree import (  # noqa: F401  (re-exported: where readers find them)
    MAX_DEPTH,
    Pos,
    YDict,
    YList,
    _decode,
    _problem,
    alias_budget,
    decode_text,
    locate,
    max_bytes,
    read_input_bytes,
)
from clearance.loading.yaml_guards import depth_problem, expanded_size
from clearance.loading.yaml_scalars import install as install_core_schema

try:  # the C loader is ~10x faster; the pure-Python one is a correct fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: Pos, second: Pos) -> None:
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


class _PositionLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader whose containers keep positions and refuse duplicate keys."""

    _depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # a value no constructor can make (a 13th month, `!!int one`, a 5,000-digit
        # number) is bad input at this node, never a crash
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError) as exc:
            shown = repr(node.value)[:60] if isinstance(node, yaml.ScalarNode) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {shown} ({exc})", node.start_mark
            ) from None

    def _enter(self, node: yaml.Node) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
            )

    def construct_positioned_map(self, node: yaml.MappingNode) -> YDict:
        self._enter(node)
        try:
            return self._positioned_map(node)
        finally:
            self._depth -= 1

    def _positioned_map(self, node: yaml.MappingNode) -> YDict:
        seen: dict[Any, Pos] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list, set)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a scalar", key_node.start_mark
                )
            if key in seen:
                raise _DuplicateKey(key, seen[key], _mark(key_node))
            seen[key] = _mark(key_node)
        self.flatten_mapping(node)
        out = YDict(_mark(node))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            out[key] = self.construct_object(value_node, deep=True)
            out.key_pos[key] = _mark(key_node)
            out.value_pos[key] = _mark(value_node)
        return out

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge keys (`<<`) as the YAML spec has them, whatever PyYAML's release does
        (see `merge_keys`)."""
        pairs = merged_pairs(self, node)
        if pairs is not None:
            node.value = pairs

    def construct_positioned_seq(self, node: yaml.SequenceNode) -> YList:
        self._enter(node)
        try:
            out = YList(_mark(node))
            for child in node.value:
                out.append(self.construct_object(child, deep=True))
                out.item_pos.append(_mark(child))
            return out
        finally:
            self._depth -= 1


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.construct_positioned_map)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.construct_positioned_seq)

install_core_schema(_PositionLoader)


def load_yaml_text(text: str, name: str) -> Any:
    """Parse one YAML document from `text`; `name` is how errors refer to the file."""
    loader = _PositionLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # only documents with aliases can expand
            expanded = expanded_size(node)
            budget = alias_budget(len(text))
            if expanded > budget:
                raise _problem(
                    name,
                    1,
                    1,
                    f"aliases expand this document to {expanded} nodes, over the "
                    f"{budget} its {len(text)} characters allow; refusing it "
                    "(possible 'billion laughs' attack)",
                )
        return loader.construct_document(node)
    except _DuplicateKey as dup:
        raise _problem(
            name,
            dup.second[0],
            dup.second[1],
            f"duplicate key {dup.key!r} (first defined at line {dup.first[0]})",
        ) from None
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # the parser's own limit: report clearance's
            problem = depth_problem(name, text)
            if problem is not None:
                raise problem from None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in what:
            what = f"YAML tag {what.split('tag ', 1)[-1]} is not allowed (only plain data is read)"
        elif "another document" in what or "single document" in (exc.context or ""):
            what = "several YAML documents in one file; expected exactly one"
        raise _problem(name, line, column, f"invalid YAML: {what}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise _problem(
            name,
            line,
            column,
            f"invalid YAML: unacceptable character #x{code:04x}: control and special "
            "characters are not allowed",
        ) from None
    except yaml.YAMLError as exc:
        raise _problem(name, 1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise depth_problem(name, text) or _problem(name, 1, 1, "YAML nested too deeply") from None
    finally:
        loader.dispose()


def read_yaml_file(path: Path, name: str | None = None) -> Any:
    """Read and parse a YAML file, with a size limit and decoding checks."""
    shown = name or str(path)
    return load_yaml_text(_decode(read_input_bytes(path, shown), shown), shown)


def parse_yaml_bytes(data: bytes, name: str) -> Any:
    """Parse YAML from bytes (e.g. a file read from git) with the same checks."""
    if len(data) > max_bytes():
        raise _problem(name, 1, 1, f"file is {len(data)} bytes, over the limit of {max_bytes()}")
    return load_yaml_text(_decode(data, name), name)
