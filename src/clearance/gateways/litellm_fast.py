"""The fast path for plain LiteLLM configs: yaml-rs reads, one scan finds each model's line.

The positioned PyYAML reader takes about 15 ms for a 200-deployment config
here; yaml-rs reads it in under 1 ms. Deployments need only the position of
their `model:` value, which one scan of the text finds. Whenever anything
could make the two readers differ or the scan doubt (anchors, aliases and
merge keys, tags, escapes, a model string written on two `model:` lines, an
entry in flow style, any error at all), the caller takes the positioned path,
which alone words errors; so the path taken never changes the result.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from clearance.gateways.source import Doc
from clearance.loading.tree import (
    decode_text,
    has_lone_carriage_return,
    read_input_bytes,
)
from clearance.manifest.fast_reader import has_unusual, yaml_rs

# Larger files go the positioned way (yaml-rs's whole-document tree is unbounded).
MAX_CHARS = 1_000_000
# One `model: value` line, from its start: the definition `_model_value` reads by hand
# (never compiled on the way of a check; tests hold the two equal).
_MODEL = (  # `(?m)`: `$` ends the line
    r"(?m)[ \t]*(?:-[ \t]+)?(?P<key>model):[ \t]*"
    # a plain value runs to a comment or the line's end; its trailing blanks are
    # stripped after
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#'\"][^\n#]*)[ \t]*(?:#.*)?$"
)
# What the fast path leaves to the positioned reader: fast_reader's unusual characters
# (tags, escapes, control characters). `*` and `&` are not among them: configs write
# them in wildcards (`openai/*`, `"*"`) and URLs, and anchors, aliases and merge keys
# are bounded and merged apart (litellm_merge).
# (Patterns are compiled on first use, through re's own cache: importing stays cheap.)
# (no `^` alternative: it kept the pattern from skipping ahead, four times slower)
_ANCHORS = r"[\s\[{,][&*][^\s,\]}]"
# where `_ANCHORS` may match in ASCII text: whitespace or a flow indicator before, ...
_BEFORE = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f[{,")
# ... and after, anything but whitespace, a separator or a closing bracket
_NOT_AFTER = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f,]}")


def plain_doc(path: Path, shown: str) -> Doc | None:
    """The file read by yaml-rs, each model's position found by a scan; None: go positioned."""
    text = decode_text(read_input_bytes(path, shown), shown)
    if yaml_rs is None or len(text) > MAX_CHARS:
        return None
    anchors = "<<" in text or text.startswith(("&", "*")) or _may_anchor(text)
    if anchors and not _merging().expansion_is_bounded(text):
        return None
    if has_unusual(text):
        return None
    if has_lone_carriage_return(text):
        return None
    try:
        tree = yaml_rs.loads(text)
        if anchors:
            tree = _merging().merged_config(tree)
    except Exception:  # any complaint from yaml-rs, or doubt: the positioned reader words it
        return None
    if type(tree) is not dict or "include" in tree or type(tree.get("model_list")) is not list:
        return None
    positions = _positions(text, tree["model_list"])
    return None if positions is None else Doc(tree, shown, path, positions)


def _merging() -> ModuleType:
    """litellm_merge, imported only for a config that anchors or merges."""
    from clearance.gateways import litellm_merge

    return litellm_merge


def _may_anchor(text: str) -> bool:
    """Whether `_ANCHORS` matches: an `&` or `*` that may start an anchor or an alias.

    Searched for literally: a configuration holds few of either, and the character
    class before them made the expression scan every character (0.4 ms in 24 kB).
    Text beyond ASCII keeps the expression, whose `\\s` knows every Unicode space.
    """
    if not text.isascii():
        return re.search(_ANCHORS, text) is not None
    last = len(text) - 1
    for mark in "&*":
        at = text.find(mark, 1)
        while at != -1:
            if at < last and text[at - 1] in _BEFORE and text[at + 1] not in _NOT_AFTER:
                return True
            at = text.find(mark, at + 1)
    return False


def _model_lines(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every `model: value` line's value (unquoted), with its line and column.

    One literal search for `model:`, each hit read by `_model_value`, which reads
    the line as `_MODEL` would match it from the line's start (the expression, kept
    as its definition and tested against this, cost 0.5 ms to compile and 3 µs a
    line; a multi-line expression over the whole text took five times as long).
    """
    out: dict[str, list[tuple[int, int]]] = {}
    find, rfind = text.find, text.rfind
    line, counted = 1, 0
    at = find("model:")
    while at != -1:
        start = rfind("\n", 0, at) + 1
        found = _model_value(text, start, at)
        if found is not None:
            value, column = found
            line += text.count("\n", counted, start)
            counted = start
            out.setdefault(value, []).append((line, column - start + 1))
        at = find("model:", at + 6)
    return out


def _model_value(text: str, start: int, at: int) -> tuple[str, int] | None:
    """The value of the `model:` key at `at` (unquoted) and where it starts, when the
    line from `start` matches `_MODEL` with the key there; else None."""
    lead = text[start:at].lstrip(" \t")
    if lead and (lead[0] != "-" or len(lead) < 2 or lead[1:].strip(" \t")):
        return None  # not `[ \t]*(?:-[ \t]+)?` before the key
    eol = _line_end(text, at)
    i = at + 6
    while i < eol and text[i] in " \t":
        i += 1
    if i == eol or text[i] == "#" or text[i].isspace():  # re's `\s` is str.isspace
        return None
    quote = text[i]
    if quote in "\"'":
        close = text.find(quote, i + 1, eol)
        rest = text[close + 1 : eol].lstrip(" \t") if close != -1 else "#"
        if close == -1 or (rest and rest[0] != "#"):
            return None
        return text[i + 1 : close], i
    comment = text.find("#", i, eol)
    return text[i : eol if comment == -1 else comment].rstrip(" \t"), i


def _line_end(text: str, at: int) -> int:
    """Where the line holding `at` ends: its newline, or the end of the text."""
    eol = text.find("\n", at)
    return len(text) if eol == -1 else eol


def _positions(text: str, entries: list[Any]) -> dict[tuple[Any, ...], tuple[int, int]] | None:
    """Where each entry's `litellm_params.model` value is, or None when unsure.

    Each model string must sit on exactly as many `model:` lines as entries name it,
    in the same order: then the n-th such line is the n-th entry's.
    """
    models: list[str] = []
    for entry in entries:
        params = entry.get("litellm_params") if type(entry) is dict else None
        model = params.get("model") if type(params) is dict else None
        if type(model) is not str:
            return None  # the positioned path reports what is wrong with it
        models.append(model)
    lines = _model_lines(text)
    wanted = Counter(models)
    if any(len(lines.get(model, ())) != n for model, n in wanted.items()):
        return None
    out: dict[tuple[Any, ...], tuple[int, int]] = {}
    taken: dict[str, int] = {}
    last = (0, 0)
    for i, model in enumerate(models):
        at = lines[model][taken.get(model, 0)]
        taken[model] = taken.get(model, 0) + 1
        if at <= last:
            return None
        last = out[("model_list", i, "litellm_params", "model")] = at
    return out
