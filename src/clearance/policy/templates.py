"""Message and remediation templates: `{fact.path}` placeholders, checked at load.

Templates are parsed here, never handed to `str.format`, so a hostile
template cannot reach attributes or format specs; only known fact paths may
appear between braces (`{{` and `}}` are literal braces).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clearance.errors import did_you_mean
from clearance.schema.facts import FACT_SPECS, FACTS, SLOT


@dataclass(frozen=True)
class Template:
    parts: tuple[tuple[str, int | None], ...]  # literal text, then a slot or None

    def paths(self) -> set[str]:
        return {FACT_SPECS[slot].path for _, slot in self.parts if slot is not None}

    def render(self, record: Sequence[Any]) -> str:
        out = []
        for text, slot in self.parts:
            out.append(text)
            if slot is not None:
                value = record[slot]
                out.append(value if type(value) is str else show(value))
        return "".join(out)


def show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value) if value else "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class TemplateError(ValueError):
    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def parse_template(text: str) -> Template:
    """Parse `text`, raising TemplateError for an unknown or malformed placeholder."""
    parts: list[tuple[str, int | None]] = []
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"malformed placeholder in {text!r}: {exc}") from None
    for literal, field, spec, conversion in pieces:
        if field is None:
            parts.append((literal, None))
            continue
        if spec or conversion:
            raise TemplateError(f"placeholder {{{field}}} may not carry a format or conversion")
        if field not in FACTS:
            raise TemplateError(f"unknown placeholder {{{field}}}", did_you_mean(field, FACTS))
        parts.append((literal, SLOT[field]))
    return Template(tuple(parts))


def template_text(template: Template) -> str:
    """The template as written (placeholders restored)."""
    return "".join(
        text.replace("{", "{{").replace("}", "}}")
        + (f"{{{FACT_SPECS[slot].path}}}" if slot is not None else "")
        for text, slot in template.parts
    )
