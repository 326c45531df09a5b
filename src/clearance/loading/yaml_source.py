"""Safe YAML reading that remembers where every node came from.

PyYAML's C parser does the reading (the fastest well-kept option that refuses
object-constructing tags). Mappings become `YDict` and sequences `YList`:
ordinary dicts and lists that also carry the 1-based line and column of every
key and value, so any later validator can point at `file:line:column`.

Guards against hostile files: a size limit, duplicate keys, a bound on how far
aliases may expand (the "billion laughs"), recursion depth, and a clear
message for every encoding or syntax problem instead of a traceback.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import InputError, PathPart, Problem

try:  # the C loader is ~10x faster; the pure-Python one is a correct fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader

Pos = tuple[int, int]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# An alias expansion may multiply the document at most this much (plus slack),
# enough for ordinary anchors and far short of exponential blow-ups.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_SLACK = 10_000
# No clearance file needs more than a few levels; a bound keeps every later
# recursive step (validation, the parse cache, rule digests) far from Python's limit.
MAX_DEPTH = 64


def max_bytes() -> int:
    raw = os.environ.get("CLEARANCE_MAX_FILE_BYTES")
    return int(raw) if raw and raw.isdigit() else DEFAULT_MAX_BYTES


class YDict(dict[Any, Any]):
    """A mapping with the position of itself, each key and each value."""

    __slots__ = ("key_pos", "pos", "value_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Pos] = {}
        self.value_pos: dict[Any, Pos] = {}


class YList(list[Any]):
    """A sequence with the position of itself and of each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


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

# YAML 1.2 core schema, as the fast reader (yaml-rs) resolves plain scalars, so that
# both readers agree on every document: `NO`, `yes` and `on` are strings (no
# "Norway problem"), `0755` is decimal 755, `12:30` is a string, `1e3` a float.
# yaml-rs, like YAML 1.2 with Rust's digit separators, allows `_` among the digits
_INT = re.compile(
    r"^[-+]?(?:0b[01_]*[01][01_]*|0o[0-7_]*[0-7][0-7_]*|0x[0-9a-fA-F_]*[0-9a-fA-F][0-9a-fA-F_]*"
    r"|[0-9_]*[0-9][0-9_]*)$"
)
_FLOAT = re.compile(
    r"^(?:[-+]?(?=[0-9_.]*[0-9])(?:[0-9_]*\.[0-9_]*|[0-9_]+)(?:[eE][-+]?[0-9_]*[0-9][0-9_]*)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_TIMESTAMP = re.compile(
    r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
    r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"
)
_PositionLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    ("int", _INT, list("-+_0123456789")),
    ("float", _FLOAT, list("-+._0123456789")),
    ("timestamp", _TIMESTAMP, list("0123456789")),
    ("merge", re.compile(r"^(?:<<)$"), ["<"]),
):
    _PositionLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", _regexp, _first)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
        if text.startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text, 10)  # a leading zero is still decimal in YAML 1.2


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


_PositionLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_PositionLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _expanded_size(node: yaml.Node) -> int:
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


def _unique_size(node: yaml.Node) -> int:
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return len(seen)


def decode_text(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (a BOM allowed) or UTF-16 with a BOM; else a positioned error."""
    if len(data) > max_bytes():
        raise _problem(name, 1, 1, f"file is {len(data)} bytes, over the limit of {max_bytes()}")
    return _decode(data, name)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _problem(name, 1, 1, f"not valid UTF-16 text ({exc.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        # the column in characters, as an editor shows it, not in bytes
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise _problem(
            name, line, column, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded"
        ) from None


def _problem(name: str, line: int, column: int, message: str) -> InputError:
    return InputError([Problem(name, line, column, (), message)])


def load_yaml_text(text: str, name: str) -> Any:
    """Parse one YAML document from `text`; `name` is how errors refer to the file."""
    loader = _PositionLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # only documents with aliases can expand
            unique = _unique_size(node)
            expanded = _expanded_size(node)
            if expanded > unique * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_SLACK:
                raise _problem(
                    name,
                    1,
                    1,
                    f"aliases expand this document to {expanded} nodes from {unique}; "
                    "refusing it (possible 'billion laughs' attack)",
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
        raise _problem(name, 1, 1, "YAML nested too deeply") from None
    finally:
        loader.dispose()


def read_input_bytes(path: Path, shown: str) -> bytes:
    """A regular file's bytes, refused before reading when it is over the size limit.

    Devices, pipes and sockets are refused too: `/dev/zero` or a FIFO named like a
    manifest must end in a message, not in memory exhaustion or a hang.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _problem(shown, 1, 1, "not a regular file")
        limit = max_bytes()
        if info.st_size > limit:
            raise _problem(
                shown,
                1,
                1,
                f"file is {info.st_size} bytes, over the limit of {limit} "
                "(set CLEARANCE_MAX_FILE_BYTES to raise it)",
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file that grew since stat() is still bounded
    except OSError as exc:
        raise _problem(shown, 1, 1, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _problem(shown, 1, 1, f"file is over the limit of {limit} bytes")
    return data


def read_yaml_file(path: Path, name: str | None = None) -> Any:
    """Read and parse a YAML file, with a size limit and decoding checks."""
    shown = name or str(path)
    return load_yaml_text(_decode(read_input_bytes(path, shown), shown), shown)


def parse_yaml_bytes(data: bytes, name: str) -> Any:
    """Parse YAML from bytes (e.g. a file read from git) with the same checks."""
    if len(data) > max_bytes():
        raise _problem(name, 1, 1, f"file is {len(data)} bytes, over the limit of {max_bytes()}")
    return load_yaml_text(_decode(data, name), name)


def locate(root: Any, path: Sequence[PathPart], *, key: bool = False) -> Pos:
    """The position of the node at `path`, or of its nearest existing ancestor.

    With `key=True` the position of the last key itself (e.g. an unknown field)
    rather than of its value.
    """
    node = root
    pos: Pos = getattr(root, "pos", (1, 1))
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, YDict) and part in node:
            pos = node.key_pos[part] if (last and key) else node.value_pos[part]
            node = node[part]
        elif isinstance(node, YList) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.item_pos[part]
            node = node[part]
        else:
            break
    return pos
