"""Text from manifests, waivers and bundles made safe to print: no raw control characters.

Every report shows strings someone else wrote (a `trains:` value, a waiver's
reason, a rule's message). Printed raw, `\\x1b[2J` clears the reader's
terminal, a carriage return overwrites a line of the verdict, U+202E reverses
what a reviewer sees (Trojan Source), and a line break followed by
`::error file=…::` becomes a workflow command in a GitHub Actions log. So every
format passes such strings through `neutralise`, which shows each of these
characters as a visible escape (`\\x1b`, `\\r`, `\\n`, `\\u202e`); the only
escape sequences a report holds are clearance's own colours.

JSON formats keep every value exact: `json_text` writes the characters JSON
leaves raw (DEL, C1 controls, line separators, bidirectional controls) as
`\\uXXXX` escapes, which decode to the same string.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL and the C1 controls (U+009B alone is a CSI to some
# terminals), the line and paragraph separators, and the bidirectional formatting
# characters that reorder what a reader sees (CVE-2021-42574)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
# what JSON's encoder leaves raw of the above (it escapes C0 itself)
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """`text` with every control character shown as a visible escape."""
    # almost always printable (a C loop, and every character above is non-printable)
    if text.isprintable() or _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_shown, text)


def json_text(text: str) -> str:
    """Serialised JSON with the control characters its encoder left raw escaped."""
    if _RAW_IN_JSON.search(text) is None:
        return text
    # such a character can only be inside a JSON string, where \\uXXXX means the same
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
