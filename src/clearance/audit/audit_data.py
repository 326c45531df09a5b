"""The audit as plain JSON data: the check report of DESIGN.md, with the audit's parts beside it.

`report.document.build` makes the report a check would write for the same
manifests, so a tool reading `clearance check --format json` reads an audit's
JSON too; inventory, obligations, waivers, evidence and changes are added as
keys of their own (schema: `schemas/audit.schema.json`).

The registers are handed over already encoded (`Rows`): a large audit repeats
the same few strings (repository and manifest names, model and licence names,
obligation texts of a paragraph each) tens of thousands of times, and escaping
each once instead of at every occurrence is what makes the JSON cheap.
`row_dict` is the plain reading of a row; `RowEncoder` writes the same text
as `json.dumps(row_dict(row), ensure_ascii=False, separators=(", ", ": "))`.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from json.encoder import encode_basestring  # the C escaper when available, as json.dumps uses
from typing import Any

from clearance.audit.records import AuditResult, Changes
from clearance.report import RenderOptions
from clearance.report.report_data import build, finding_dict, summary

AUDIT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return row_dict(value)
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}


def row_dict(row: Any) -> dict[str, Any]:
    """A dataclass row as a dict; shallow and cached (dataclasses.asdict deep-copies: slow)."""
    names = _FIELDS.get(type(row))
    if names is None:
        names = _FIELDS[type(row)] = tuple(f.name for f in dataclasses.fields(row))
    return {name: _plain(getattr(row, name)) for name in names}


def changes_dict(changes: Changes | None) -> dict[str, Any] | None:
    return None if changes is None else row_dict(changes)


class Rows:
    """A register as JSON text, one row an item, encoded as `formats.json` writes it out:
    a large audit's registers are never held whole."""

    def __init__(self, rows: Iterable[str | Iterable[str]]) -> None:
        self._rows = rows  # a row is its text, or its text in pieces

    def __iter__(self) -> Iterator[str | Iterable[str]]:
        return iter(self._rows)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


class _Memo(dict[Any, str]):
    """Value -> its JSON text, worked out once per distinct value."""

    def __init__(self, encode: Callable[[Any], str]) -> None:
        super().__init__()
        self._encode = encode
        self[None] = "null"

    # cleared when full: the distinct values of a large audit would otherwise grow
    # with the text being written
    LIMIT = 100_000

    def __missing__(self, value: Any) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
            self[None] = "null"
        text = self[value] = self._encode(value)
        return text


class RowEncoder:
    """JSON text of audit rows (dataclasses), each distinct value encoded once.

    Every field gets one encoder chosen from its annotation, so no row pays for
    a type test per value: strings, dates, lists of strings and lists of rows
    are looked up in memos (a dict lookup when seen before), numbers printed
    as `json` prints them, anything else handed to `json` itself. Each row
    type's encoder is one f-string compiled from its fields (as `dataclasses`
    compiles `__init__`): a loop over the fields cost twice as much.
    """

    def __init__(self) -> None:
        self._strings = _Memo(encode_basestring)
        self._dates = _Memo(lambda d: '"' + d.isoformat() + '"')
        self._string_lists = _Memo(self._string_list)
        self._row_lists = _Memo(self._row_list)
        self._encoders: dict[type, Callable[[Any], str]] = {}

    def rows(self, rows: Iterable[Any]) -> Rows:
        return Rows(map(self.row, rows))

    def row(self, row: Any) -> str:
        encode = self._encoders.get(type(row))
        if encode is None:
            encode = self._encoders[type(row)] = self._compile(type(row))
        return encode(row)

    def _compile(self, cls: type) -> Callable[[Any], str]:
        hints = typing.get_type_hints(cls)
        env: dict[str, Any] = {}
        parts = []
        for i, f in enumerate(dataclasses.fields(cls)):  # names are identifiers: safe in source
            env[f"e{i}"] = self._field(hints[f.name])
            parts.append(f'"{f.name}": {{e{i}(row.{f.name})}}')
        source = f"def encode(row):\n    return f'{{{{{', '.join(parts)}}}}}'\n"
        exec(source, env)
        encode: Callable[[Any], str] = env["encode"]
        return encode

    def _field(self, hint: Any) -> Callable[[Any], str]:
        optional = False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            present = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(present) != 1:
                return _fallback
            hint, optional = present[0], True
        origin, args = typing.get_origin(hint), tuple(typing.get_args(hint))
        if hint is str or (origin is typing.Literal and all(type(a) is str for a in args)):
            return self._strings.__getitem__
        if hint is bool:
            return {True: "true", False: "false", None: "null"}.__getitem__
        if hint is int:
            return _int if optional else int.__repr__
        if hint is date:
            return self._dates.__getitem__
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            if args[0] is str:
                return self._string_lists.__getitem__
            if dataclasses.is_dataclass(args[0]):
                return self._row_lists.__getitem__
        return _fallback

    def _string_list(self, values: tuple[str, ...]) -> str:
        return "[" + ", ".join([self._strings[v] for v in values]) + "]"

    def _row_list(self, rows: tuple[Any, ...]) -> str:
        return "[" + ", ".join([self.row(r) for r in rows]) + "]"


def _int(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _fallback(value: Any) -> str:
    return _COMPACT(_plain(value))


def build_audit(audit: AuditResult) -> dict[str, Any]:
    ev = audit.evidence
    check = audit.check
    # the findings are encoded one at a time as they are written, not built as a list
    doc = build(
        dataclasses.replace(check, findings=[]),
        RenderOptions(generated_at=ev.generated_at, tool_version=ev.tool_version),
    )
    doc["summary"] = summary(check)
    doc["findings"] = Rows(_COMPACT(finding_dict(f)) for f in check.findings)
    doc["notes"] = [*doc["notes"], *audit.notes]
    doc["audit"] = {
        "audit_version": AUDIT_VERSION,
        "expiring_days": audit.expiring_days,
        "statuses": audit.status_counts(),
        "licence_kinds": audit.licence_kind_counts(),
        "history": audit.history,
        "repository_statuses": audit.repository_status_counts(),
    }
    encoder = RowEncoder()
    doc["repositories"] = encoder.rows(audit.repositories)
    doc["inventory"] = encoder.rows(audit.inventory)
    doc["models"] = encoder.rows(audit.models.values())
    doc["obligations"] = encoder.rows(audit.obligations)
    doc["agreements"] = encoder.rows(audit.agreements)
    doc["waivers"] = encoder.rows(audit.waivers)
    doc["evidence"] = {
        "tool": {"name": "clearance", "version": ev.tool_version},
        "policy": {
            "name": ev.policy_name,
            "version": ev.policy_version,
            "digest": ev.policy_digest,
        },
        "generated_at": ev.generated_at,
        "today": ev.today.isoformat(),
        "command": ev.command,
        "manifests": [row_dict(m) for m in ev.manifests],
        "waiver_files": [row_dict(m) for m in ev.waiver_files],
        "repositories": [{"path": path, "commit": commit} for path, commit in ev.repositories],
        "bundles": [row_dict(b) for b in ev.bundles],
    }
    doc["changes"] = changes_dict(audit.changes)
    return doc
