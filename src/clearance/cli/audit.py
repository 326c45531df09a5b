"""`clearance audit`: the compliance officer's export over one or many repositories."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from clearance.audit.formats import FORMATS, MULTI_FILE
from clearance.cli.options import (
    Chunks,
    emit,
    parse_targets,
    policy_option,
    today_from,
    today_option,
    write_all_atomic,
)
from clearance.errors import UsageError

if TYPE_CHECKING:  # imported at start-up by every command: the audit itself loads lazily
    from clearance.audit.build import AuditOptions
    from clearance.audit.progress import Progress
    from clearance.audit.records import AuditResult


def audit_targets(values: tuple[str, ...], output: Path | None) -> list[tuple[str, Path | None]]:
    """As check's --format, but a format of several files (csv) needs a place on disk."""
    targets = parse_targets(values, output, FORMATS, default="html", what="audit format")
    for name, path in targets:
        if path is None and name in MULTI_FILE:
            raise UsageError(
                f"{name} writes several files: give it a directory (--format {name}=DIR) "
                f"or a name to prefix (--format {name}=audit.{name})"
            )
    return targets


def command_line(ctx: click.Context, paths: tuple[Path, ...]) -> str:
    """The command as given, for the evidence (rebuilt, so it is the same in-process and out)."""
    words = ["clearance", "audit", *(str(p) for p in paths)]
    for param in ctx.command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        if ctx.get_parameter_source(param.name) not in (
            ParameterSource.COMMANDLINE,
            ParameterSource.ENVIRONMENT,
        ):
            continue
        value = ctx.params[param.name]
        flag = max(param.opts, key=len)
        for item in value if isinstance(value, tuple) else (value,):
            words += [flag, str(item)]
    return shlex.join(words)


@click.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@policy_option
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="NAME[=PATH]",
    help=f"Audit format, repeatable: {', '.join(FORMATS)} (default html). NAME=PATH writes it "
    "there; csv writes inventory.csv, findings.csv, … into a directory, or beside "
    "NAME.csv as NAME-inventory.csv, … when PATH ends in .csv.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Where the one format without its own =PATH goes (default: standard output).",
)
@click.option(
    "--history",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="CLEARANCE_HISTORY",
    help="SQLite file keeping every audit; the report says what changed since the last one.",
)
@click.option(
    "--expiring-days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    envvar="CLEARANCE_EXPIRING_DAYS",
    help="Flag waivers that expire within this many days.",
)
@today_option("waivers are")
@click.option(
    "--progress",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Progress bar on standard error (auto: when it is a terminal).",
)
def audit_cmd(
    paths: tuple[Path, ...],
    policy: Path | None,
    formats: tuple[str, ...],
    output: Path | None,
    history: Path | None,
    expiring_days: int,
    today: str | None,
    progress: str,
) -> int:
    """Audit repositories or folders of them: inventory, findings, obligations, waivers."""
    from clearance.audit.build import AuditOptions
    from clearance.audit.progress import Progress
    from clearance.pipeline.check import paused_gc
    from clearance.safe_text import neutralise

    targets = audit_targets(formats, output)
    options = AuditOptions(
        policy=policy,
        today=today_from(today),
        expiring_days=expiring_days,
        command=command_line(click.get_current_context(), paths),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    bar = Progress(enabled=None if progress == "auto" else progress == "always")
    # the check's own pause, held over rendering too: a large audit's rows all live to the end
    with paused_gc():
        audit, rendered = _run(paths, options, history, targets, bar)
    for path, text in rendered:
        if path is None:
            emit(text)
    for line in (p for r in audit.repositories for p in r.problems):  # as every command says one
        click.echo(f"error: {neutralise(line)}", err=True)
    click.echo(_summary(audit, [p for p, _ in rendered if p is not None]), err=True)
    if audit.input_errors:  # bad input is exit 2 as in the check, once every report is written
        return 2
    return 1 if audit.failing else 0


def _run(
    paths: tuple[Path, ...],
    options: AuditOptions,
    history: Path | None,
    targets: list[tuple[str, Path | None]],
    bar: Progress,
) -> tuple[AuditResult, list[tuple[Path | None, Chunks]]]:
    """Audit, render every format, then write every file; the history records it last."""
    from clearance.audit.build import run_audit
    from clearance.audit.formats import audit_format, destinations

    try:
        audit = run_audit(list(paths), options, bar)
        if history is not None:
            from clearance.audit import history as audit_history  # sqlite3: only when asked

            audit.history = str(history)
            audit.changes = audit_history.compare(history, audit)
        rendered: list[tuple[Path | None, Chunks]] = []
        for name, target in targets:
            parts = audit_format(name).render(audit)  # lazily: rendered as it is written
            places = destinations(name, target, list(parts))
            rendered.extend((places[part], text) for part, text in parts.items())
        bar.stage("rendering and writing")
        # every file to a temporary one first, renamed into place when all are written
        write_all_atomic([(path, text) for path, text in rendered if path is not None])
        if history is not None:
            audit_history.record(history, audit)
    finally:
        bar.close()
    return audit, rendered


def _summary(audit: AuditResult, written: list[Path]) -> str:
    from clearance.report.report_data import summary

    s, st = summary(audit.check), audit.status_counts()
    expiring = sum(w.state == "expiring" for w in audit.waivers)
    expired = sum(w.state == "expired" for w in audit.waivers)
    line = (
        f"audit: {len(audit.repositories)} repositories, {s['workloads']} workloads "
        f"({st['compliant']} compliant, {st['violating']} violating, {st['waived']} waived); "
        f"{s['errors']} errors, {s['warnings']} warnings, {s['waived']} waived findings; "
        f"{len(audit.waivers)} waivers ({expiring} expiring within {audit.expiring_days} days, "
        f"{expired} expired)"
    )
    broken = audit.repository_status_counts()["error"]
    if broken:
        line += f"; {broken} repositories not judged (bad input, above)"
    if written:
        line += "\nwrote " + ", ".join(str(p) for p in written)
    return line
