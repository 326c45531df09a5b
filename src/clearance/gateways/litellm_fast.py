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
from typing import Any

from clearance.gateways import litellm_merge
from clearance.gateways.source import Doc
from clearance.loading.tree import (
    decode_text,
    has_lone_carriage_return,
    read_input_bytes,
)
from clearance.manifest.fast_reader import _UNUSUAL as _UNUSUAL_MANIFEST
from clearance.manifest.fast_reader import yaml_rs

# Larger files go the positioned way (yaml-rs's whole-document tree is unbounded).
MAX_CHARS = 1_000_000
_MODEL = (  # `(?m)`: `$` ends the line
    r"(?m)[ \t]*(?:-[ \t]+)?(?P<key>model):[ \t]*"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#'\"][^\n#]*?)[ \t]*(?:#.*)?$"
)
# What the fast path leaves to the positioned reader: fast_reader's unusual characters
# (tags, escapes, control characters) except `*` and `&`, which gateway configs write in
# wildcards (`openai/*`, `"*"`) and URLs; anchors, aliases and merge keys are bounded and
# merged apart (litellm_merge).
# (Patterns are compiled on first use, through re's own cache: importing stays cheap.)
# (no `^` alternative: it kept the pattern from skipping ahead, four times slower)
_ANCHORS = r"[\s\[{,][&*][^\s,\]}]"


def plain_doc(path: Path, shown: str) -> Doc | None:
    """The file read by yaml-rs, each model's position found by a scan; None: go positioned."""
    text = decode_text(read_input_bytes(path, shown), shown)
    if yaml_rs is None or len(text) > MAX_CHARS:
        return None
    anchors = "<<" in text or text.startswith(("&", "*")) or re.search(_ANCHORS, text) is not None
    if anchors and not litellm_merge.expansion_is_bounded(text):
        return None
    if _UNUSUAL_MANIFEST.search(text.replace("*", " ").replace("&", " ")):
        return None
    if has_lone_carriage_return(text):
        return None
    try:
        tree = yaml_rs.loads(text)
        if anchors:
            tree = litellm_merge.merged_config(tree)
    except Exception:  # any complaint from yaml-rs, or doubt: the positioned reader words it
        return None
    if type(tree) is not dict or "include" in tree or type(tree.get("model_list")) is not list:
        return None
    positions = _positions(text, tree["model_list"])
    return None if positions is None else Doc(tree, shown, path, positions)


def _model_lines(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every `model: value` line's value (unquoted), with its line and column.

    One literal search for `model:`, a match only at the start of a line where it is
    found (a multi-line regular expression over the whole text took five times as long).
    """
    out: dict[str, list[tuple[int, int]]] = {}
    find, rfind, match = text.find, text.rfind, re.compile(_MODEL).match
    line, counted = 1, 0
    at = find("model:")
    while at != -1:
        start = rfind("\n", 0, at) + 1
        m = match(text, start)
        if m is not None and m.start("key") == at:
            value = m.group("value")
            if value[:1] in "\"'":
                value = value[1:-1]
            line += text.count("\n", counted, start)
            counted = start
            out.setdefault(value, []).append((line, m.start("value") - start + 1))
        at = find("model:", at + 6)
    return out


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
