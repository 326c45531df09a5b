"""Who may approve a waiver: the bundle's approver patterns and the addresses they accept.

A pattern is a whole address (`cso@acme.example`), any one person at a domain
(`*@compliance.acme.example`), or at any of its subdomains
(`*@*.acme.example`). Shell-style globbing, which this replaced, let `*` run
across the `@`: `*@compliance.acme.example` accepted
`mallory@evil.com@compliance.acme.example`. Now an approver is first read as
one valid address (RFC 5321's dot-atom form, which is what a mail system
delivers to), and a pattern matches its parts, never a substring of the text.
Case does not matter (mail domains are case-insensitive, and local parts are
in practice).
"""

from __future__ import annotations

import re

# RFC 5322 atext: what a local part may hold unquoted
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
_MAX_ADDRESS = 254  # RFC 5321's limit on a forward path, less its brackets
_MAX_LOCAL = 64

PATTERN_FORMS = "an address, *@DOMAIN or *@*.DOMAIN"


def split_address(text: str) -> tuple[str, str] | None:
    """(local part, domain) of a valid address, lowercased; None for anything else."""
    if len(text) > _MAX_ADDRESS or not text.isascii():
        return None
    local, at, domain = text.lower().rpartition("@")
    if not at or len(local) > _MAX_LOCAL:
        return None
    if not _LOCAL.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        return None
    return local, domain


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is not an approver pattern, or None."""
    local, at, domain = pattern.rpartition("@")
    if at and local == "*":
        suffix = domain.removeprefix("*.")
        if split_address(f"x@{suffix}") is not None:
            return None
    elif split_address(pattern) is not None and "*" not in pattern:
        return None
    return f"not an approver pattern ({PATTERN_FORMS})"


def is_allowed(approver: str, patterns: list[str]) -> bool:
    """Does one of `patterns` (each valid, see pattern_problem) accept `approver`?"""
    address = split_address(approver)
    if address is None:
        return False
    local, domain = address
    for pattern in patterns:
        want_local, _, want_domain = pattern.lower().rpartition("@")
        if want_local not in ("*", local):
            continue
        if want_domain.startswith("*."):
            if domain.endswith(want_domain[1:]):  # one or more labels, then ".DOMAIN"
                return True
        elif domain == want_domain:
            return True
    return False
