"""Reading a gateway file: positioned YAML, bounded includes, and the value forms configs use.

Gateway configs are foreign files read the way their tools read them: LiteLLM
reads with PyYAML's safe loader, which honours merge keys (`<<: *defaults`).
clearance's positioned loader is that same PyYAML (C) safe loader plus
positions, merge keys and the house guards (size, alias expansion, depth);
it also refuses duplicate keys, where PyYAML would keep the last silently: a
gateway file with two `model:` keys in one entry is reported, not guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clearance.errors import InputError, PathPart, Problem, did_you_mean
from clearance.loading.tree import locate

# A config may include at most this many files: enough for any real layout, and
# a bound on what one import reads.
MAX_INCLUDES = 64

# Values left for someone to fill in: `{your_resource_name}`, `YOUR_PROJECT_ID`, `CHANGE_ME`.
# [scheme://][userinfo@]host, where host stops at a port, path, query or fragment
_HOST = r"(?:[A-Za-z][A-Za-z0-9+.-]*://|//)?(?:[^@/?#\s]*@)?(\[[^\]/]*\]|[^:/?#\s\[\]]*)"
_TEMPLATE = r"(?i)\{[^}]*\}|YOUR_[A-Z_]+|CHANGE_?ME|<[^>]+>|\.\.\.|xxxxx"
# (patterns are compiled on first use, through re's own cache: importing stays cheap)


class Doc:
    """One parsed file: its tree and the name errors use."""

    def __init__(
        self,
        tree: Any,
        name: str,
        path: Path,
        positions: dict[tuple[Any, ...], tuple[int, int]] | None = None,
    ) -> None:
        self.tree, self.name, self.path = tree, name, path
        # positions found by the fast path's scan (a plain tree has none of its own)
        self.positions = positions

    def pos(self, *path: PathPart) -> tuple[int, int]:
        if self.positions is not None:
            return self.positions.get(path, (1, 1))
        return locate(self.tree, path)

    def problem(
        self,
        path: tuple[PathPart, ...],
        message: str,
        suggestion: str | None = None,
        *,
        key: bool = False,
    ) -> InputError:
        line, col = locate(self.tree, path, key=key)
        return InputError([Problem(self.name, line, col, path, message, suggestion)])


def read_doc(path: Path, name: str | None = None) -> Doc:
    # PyYAML is imported only when a file needs it: plain LiteLLM configs take yaml-rs
    from clearance.loading.yaml_source import read_yaml_file

    shown = name or str(path)
    return Doc(read_yaml_file(path, shown), shown, path)


def mapping_root(doc: Doc, fmt: str) -> dict[Any, Any]:
    if not isinstance(doc.tree, dict):
        kind = "empty" if doc.tree is None else f"a {type(doc.tree).__name__}"
        raise doc.problem((), f"not a {fmt} config: expected a mapping at the top, found {kind}")
    return doc.tree


def env_name(value: Any) -> str | None:
    """The variable a value is read from (`os.environ/X`, `${X}`, `$X`), else None."""
    if not isinstance(value, str) or ("$" not in value and "os.environ/" not in value):
        return None
    v = value.strip()
    if v.startswith("os.environ/") and len(v) > 11:
        return v[11:]
    if v.startswith("${") and v.endswith("}") and len(v) > 3 and "}" not in v[2:-1]:
        return v[2:-1]
    if v.startswith("$") and v[1:].isascii() and v[1:].isidentifier():
        return v[1:]
    return None


def env_inside(value: str) -> str | None:
    """A `${X}` anywhere in a string (LibreChat writes `https://${HOST}/v1`)."""
    start = value.find("${")
    end = value.find("}", start + 2)
    return value[start + 2 : end] if start != -1 and end > start + 2 else None


def is_template(value: str) -> bool:
    """Whether `value` holds a placeholder (`_TEMPLATE`).

    ASCII values are searched literally: compiling `_TEMPLATE` costs 0.6 ms, more
    than a tenth of a whole gateway config's read. Other text keeps the expression,
    whose case-insensitive classes also fold letters such as the Kelvin sign.
    """
    if not value.isascii():
        return re.search(_TEMPLATE, value) is not None
    v = value.lower()
    if "..." in v or "xxxxx" in v or "changeme" in v or "change_me" in v:
        return True
    brace = v.find("{")
    if brace != -1 and v.find("}", brace + 1) != -1:  # \{[^}]*\}
        return True
    return _after(v, "your_", _YOUR_TAIL) or _angle_pair(v)


_YOUR_TAIL = frozenset("abcdefghijklmnopqrstuvwxyz_")


def _after(v: str, mark: str, tail: frozenset[str]) -> bool:
    """Whether `mark` occurs followed by a character of `tail`."""
    at = v.find(mark)
    while at != -1:
        end = at + len(mark)
        if end < len(v) and v[end] in tail:
            return True
        at = v.find(mark, at + 1)
    return False


def _angle_pair(v: str) -> bool:
    """`<[^>]+>`: some `<` whose next `>` is not the very next character."""
    at = v.find("<")
    while at != -1:
        close = v.find(">", at + 1)
        if close == -1:
            return False
        if close > at + 1:
            return True
        at = v.find("<", at + 1)
    return False


def text(doc: Doc, node: dict[Any, Any], key: str, path: tuple[PathPart, ...]) -> str | None:
    """A scalar field as text: None when absent or null; a located error for a list or mapping."""
    value = node.get(key)
    if value is None or type(value) is str:  # the usual answers first: called for every field
        return value
    if isinstance(value, (dict, list)):
        kind = "mapping" if isinstance(value, dict) else "list"
        raise doc.problem((*path, key), f"{key!r} should be text, found a {kind}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def host_of(url: str | None) -> str | None:
    """The host name of a URL (scheme optional), lowercase; None when it names none.

    A regular expression rather than urllib.parse, whose import alone cost more than
    reading a 200-deployment config on the fast path.
    """
    if not url or env_name(url):
        return None
    text = url.strip()
    if not text.isascii():
        m = re.match(_HOST, text)
        host = m.group(1).lower() if m else ""
        return host or None
    return _ascii_host(text).lower() or None


_SCHEME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_NOT_USER = frozenset("@/?# \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_NOT_HOST = frozenset(":/?#[] \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")


def _ascii_host(text: str) -> str:
    """`_HOST`'s group, read left to right: compiling the expression cost 0.4 ms."""
    scheme = text.find("://")
    if scheme > 0 and text[0].isalpha() and all(c in _SCHEME for c in text[1:scheme]):
        text = text[scheme + 3 :]
    elif text.startswith("//"):
        text = text[2:]
    user = _run(text, 0, _NOT_USER)
    if user < len(text) and text[user] == "@":
        text = text[user + 1 :]
    if text.startswith("["):
        close = text.find("]")
        if close != -1 and "/" not in text[:close]:
            return text[: close + 1]
    return text[: _run(text, 0, _NOT_HOST)]


def _run(text: str, start: int, stop: frozenset[str]) -> int:
    """The index of the first character from `start` on that is in `stop` (else the end)."""
    for i in range(start, len(text)):
        if text[i] in stop:
            return i
    return len(text)


def is_local_host(host: str | None) -> bool:
    """A host of the organisation's own network: loopback, private, or a bare service name."""
    if host is None:
        return True  # a self-hosted runtime's default is localhost
    if host in ("localhost", "host.docker.internal", "[::1]") or host.endswith(
        (".local", ".internal")
    ):
        return True
    if "." not in host:  # a container or Kubernetes service name (`ollama-gpu`)
        return True
    octets = host.split(".")
    if len(octets) == 4 and all(o.isdigit() for o in octets):
        a, b = int(octets[0]), int(octets[1])
        return a in (10, 127) or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168)
    return False


def include_path(doc: Doc, raw: Any, at: tuple[PathPart, ...]) -> Path:
    """The file an `include:` entry names, refused unless it stays inside the config's tree.

    Relative to the including file, as LiteLLM resolves it; absolute paths, `..`
    escapes and symbolic links that lead outside the directory are refused, so an
    import never reads a file the config's owner did not put beside it.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise doc.problem(at, "an include is a file path relative to this config")
    if "\x00" in raw:  # no file name holds one, and the path functions raise on it
        raise doc.problem(at, "an include path cannot hold a NUL character")
    root = doc.path.resolve().parent
    candidate = Path(raw)
    if candidate.is_absolute():
        raise doc.problem(
            at, f"include {raw!r} is an absolute path; only files beside the config are read"
        )
    target = (doc.path.parent / candidate).resolve()
    if not target.is_relative_to(root):
        raise doc.problem(at, f"include {raw!r} leads outside the config's directory; not read")
    if not target.is_file():
        siblings = [p.name for p in root.iterdir() if p.is_file()] if root.is_dir() else []
        raise doc.problem(
            at, f"include {raw!r} does not exist", did_you_mean(candidate.name, siblings)
        )
    return target


def items(node: Any) -> list[tuple[int, Any]]:
    return list(enumerate(node)) if isinstance(node, list) else []
