"""YAML 1.2 core-schema scalars for PyYAML, so that both readers agree on every document.

PyYAML resolves plain scalars by YAML 1.1 (`NO` is false, `0755` octal, `12:30`
sexagesimal); the fast reader (yaml-rs) by YAML 1.2. `install` gives a PyYAML
loader class the 1.2 resolution, so a manifest means the same whichever reader
read it.
"""

from __future__ import annotations

import re

import yaml

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


def install(loader: type[yaml.SafeLoader]) -> None:
    """Replace `loader`'s implicit scalar resolution with YAML 1.2's core schema."""
    # YAML 1.2 core schema, as the fast reader (yaml-rs) resolves plain scalars, so that
    # both readers agree on every document: `NO`, `yes` and `on` are strings (no
    # "Norway problem"), `0755` is decimal 755, `12:30` is a string, `1e3` a float.
    # yaml-rs, like YAML 1.2 with Rust's digit separators, allows `_` among the digits
    loader.yaml_implicit_resolvers = {}
    for tag, regexp, first in (
        ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
        ("null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
        ("int", _INT, list("-+_0123456789")),
        ("float", _FLOAT, list("-+._0123456789")),
        ("timestamp", _TIMESTAMP, list("0123456789")),
        ("merge", re.compile(r"^(?:<<)$"), ["<"]),
    ):
        loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", regexp, first)
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
