"""The regular expressions of rules (`matches`): RE2 syntax, matched in linear time.

Python's `re` backtracks: `^([a-z]+-?)+$` against a 37-character id that fails
at its last character takes longer than anyone waits, so one rule could hang
every check that reads it. Patterns are compiled by RE2 (google-re2), whose
matching time is linear in the text. RE2 has no backreferences or lookaround
(they need backtracking); a pattern using them is refused when the bundle
loads, with the rule's position, rather than compiled by another engine.

Where RE2 reads a brace as literal text and Python's `re` as a repeat count
(`a{,3}`, `a{4294967296}`), the pattern is refused too: the author meant one of
them, and a silently different meaning is how a rule stops firing.

`re2` is imported only when a bundle has a `matches` clause (a few ms).
"""

from __future__ import annotations

from collections.abc import Callable

# RE2's largest repeat count; a larger one is an error in RE2, not a literal
_MAX_REPEAT = 1000
# RE2 lacks them because they need backtracking, which is what can hang a check
_UNSUPPORTED_HINT = " (patterns are RE2 syntax: no backreferences or lookaround)"


class PatternError(Exception):
    """A pattern clearance refuses (the message says why)."""


def compile_search(pattern: str) -> Callable[[str], bool]:
    """A predicate: does `pattern` match anywhere in a text. Raises PatternError."""
    import re2  # type: ignore[import-untyped]  # imported only for `matches` clauses

    brace = _literal_brace(pattern)
    if brace is not None:
        raise PatternError(
            f"the brace at offset {brace} is not a repeat count RE2 understands"
            f" ({{n}}, {{n,}} or {{n,m}}, n and m at most {_MAX_REPEAT});"
            " write \\{ for a literal brace"
        )
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not absl's on stderr
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(_reason(exc)) from None
    except UnicodeEncodeError:
        raise PatternError("a pattern cannot hold a lone UTF-16 surrogate") from None
    search = compiled.search

    def matches(text: str) -> bool:
        try:
            return search(text) is not None
        except UnicodeEncodeError:
            # RE2 reads UTF-8; a lone surrogate (YAML's "\ud800") has none, so
            # it is matched as U+FFFD, the character that stands for it
            return search(_without_surrogates(text)) is not None

    return matches


def _reason(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    kind, _, fragment = text.partition(": ")
    if len(fragment) > 60:  # RE2 quotes the rest of the pattern, which may be megabytes
        fragment = fragment[:60] + "…"
    reason = f"{kind}: {fragment}" if fragment else kind
    if kind in ("invalid perl operator", "invalid escape sequence", "invalid named capture group"):
        reason += _UNSUPPORTED_HINT
    return reason


def _without_surrogates(text: str) -> str:
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _literal_brace(pattern: str) -> int | None:
    """Offset of an unescaped `{` outside a class that is no valid RE2 repeat, or None."""
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            end = pattern.find(":]", i + 2, i + 12) if pattern.startswith("[:", i) else -1
            if end >= 0:  # a POSIX class such as [:alpha:]: its `]` ends nothing
                i = end + 2
                continue
            # `]` first in a class (after an optional `^`) is a member, not the end
            if c == "]" and not _opens_class_at(pattern, i):
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "{" and not _is_repeat(pattern, i):
            return i
        i += 1
    return None


def _opens_class_at(pattern: str, i: int) -> bool:
    """Is the `]` at `i` the first member of the class (so literal)?"""
    j = i - 1
    if j >= 0 and pattern[j] == "^":
        j -= 1
    return j >= 0 and pattern[j] == "[" and (j == 0 or pattern[j - 1] != "\\")


def _is_repeat(pattern: str, i: int) -> bool:
    end = pattern.find("}", i, i + 12)  # a count has at most four digits on each side
    if end < 0:
        return False
    low, comma, high = pattern[i + 1 : end].partition(",")
    if not low.isascii() or not low.isdigit() or int(low) > _MAX_REPEAT:
        return False
    if comma and high:
        return high.isascii() and high.isdigit() and int(low) <= int(high) <= _MAX_REPEAT
    return True


def deferred_search(pattern: str) -> Callable[[str], bool]:
    """`compile_search` at the first text, for a pattern checked when its bundle loaded.

    A policy snapshot rebuilds every test when a check starts; most checks never
    reach a `matches` clause, and they should not pay for importing RE2.
    """
    compiled: list[Callable[[str], bool]] = []

    def matches(text: str) -> bool:
        if not compiled:
            compiled.append(compile_search(pattern))
        return compiled[0](text)

    return matches
