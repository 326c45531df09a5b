"""The positioned tree every reader produces, and reading a file's bytes safely.

`YDict` and `YList` are ordinary dicts and lists that also carry the 1-based
line and column of every key and value, so any later validator can point at
`file:line:column`. They live apart from the YAML reader so that what only
walks a tree (a policy snapshot, `locate`) does not import PyYAML.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clearance.errors import InputError, PathPart, Problem, UsageError

Pos = tuple[int, int]
# YAML ends a line at a carriage return not followed by a line feed; line numbers
# counted by line feeds (the fast reader's, the sliced check's) would drift there.
_LONE_CR = re.compile("\r(?!\n)")


def has_lone_carriage_return(text: str) -> bool:
    return "\r" in text and _LONE_CR.search(text) is not None


# No clearance file needs more than a few levels; a bound keeps every later
# recursive step (validation, the parse cache, rule digests) far from Python's limit.
MAX_DEPTH = 64
# Aliases may expand a document of N characters to at most ALIAS_NODES_PER_CHAR * N +
# ALIAS_SLACK nodes: a plain document has at most 2 nodes a character, so this leaves
# hand-written anchors and merges plenty and stops an exponential "billion laughs".
# Counted from the text, not from the parsed document, so that both readers (the
# fast one cannot count unique nodes) apply the same budget.
ALIAS_NODES_PER_CHAR = 4
ALIAS_SLACK = 10_000


def alias_budget(chars: int) -> int:
    return ALIAS_NODES_PER_CHAR * chars + ALIAS_SLACK


DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# The largest CLEARANCE_MAX_FILE_BYTES taken: far beyond any file clearance reads, and a
# number every read and comparison can take (10**30 overflowed a read and crashed).
LARGEST_MAX_BYTES = 2**40
_WHOLE_NUMBER = re.compile(r"[0-9]{1,20}")


def max_bytes() -> int:
    """The size limit of every input file: CLEARANCE_MAX_FILE_BYTES, else 64 MiB.

    A value that is not a whole number of bytes from 1 to 1 TiB is a usage error, said
    as such: ignoring it would read with a limit the user did not choose.
    """
    raw = os.environ.get("CLEARANCE_MAX_FILE_BYTES")
    if raw is None or not raw.strip():
        return DEFAULT_MAX_BYTES
    text = raw.strip()
    value = int(text) if _WHOLE_NUMBER.fullmatch(text) else None
    if value is None or not 1 <= value <= LARGEST_MAX_BYTES:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise UsageError(
            f"CLEARANCE_MAX_FILE_BYTES={shown!r}: expected a whole number of bytes "
            f"from 1 to {LARGEST_MAX_BYTES} (1 TiB)"
        )
    return value


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
        # opened without blocking and checked again: a pipe swapped in since stat() must
        # not hang the run in open() or read()
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise _problem(shown, 1, 1, "not a regular file")
            # as much as stat() saw (a buffer of `limit` bytes would be allocated whole),
            # then what a file that grew since holds, still bounded by the limit
            data = handle.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size and len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise _problem(shown, 1, 1, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _problem(shown, 1, 1, f"file is over the limit of {limit} bytes")
    return data


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
