"""Options shared by several commands, and how output reaches its destination."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from clearance.errors import UsageError, suggestion_suffix

F = TypeVar("F", bound=Callable[..., Any])

policy_option = click.option(
    "--policy",
    "policy",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="CLEARANCE_POLICY",
    help="Policy bundle directory (default: .clearance/ at the root of the repository, "
    "else the shipped bundle).",
)
# every command that judges or shows a bundle takes it, with the same meaning
policy_ref_option = click.option(
    "--policy-ref",
    metavar="GIT_REF",
    envvar="CLEARANCE_POLICY_REF",
    help="Use the bundle as it is at this git ref (e.g. origin/main), not the working tree's.",
)
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=False))
color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    envvar="CLEARANCE_COLOR",
    show_default=True,
    help="Colour in text output.",
)


def use_color(choice: str, stream: Any = None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


Chunks = Iterable[str]


def write_atomic(path: Path, text: str | Chunks) -> None:
    """Write the whole file or nothing: a temporary file renamed into place."""
    write_all_atomic([(path, text)])


def create_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet: an existing one (even one that appeared
    since it was looked for) is never overwritten, but named, exit 2."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{path} exists; it is never overwritten") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def write_all_atomic(targets: Sequence[tuple[Path, str | Chunks]]) -> None:
    """Write every file or none: each to a temporary file beside it, renamed into place
    only once all are written. A text may come in chunks (a large audit is written as
    it is rendered, never held whole).

    A path that cannot be written (a folder, a read-only place, `/proc/…`, a full
    disk) is bad input, exit 2 naming it and the system's reason, never a crash; no
    temporary file is left behind. A device or pipe (`/dev/stdout`, `/dev/full`, a
    process substitution) is written directly: renaming a file over it would replace
    the device itself.
    """
    staged: list[tuple[str, Path]] = []
    current = targets[0][0] if targets else Path()
    try:
        for path, text in targets:
            current = path
            tmp = _stage(path, text)
            if tmp is not None:
                staged.append((tmp, path))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"{current}: cannot write: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _stage(path: Path, text: str | Chunks) -> str | None:
    """Write `text` to a temporary file beside `path` (its name), or straight to a
    device or pipe at `path` (None). The temporary file's name holds the writer's
    process id, so that the next write of the same target can remove what a killed
    write left behind."""
    try:
        info = path.stat()
    except OSError:
        info = None  # not there yet (or not reachable: the write below says why)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if info is not None and not stat.S_ISREG(info.st_mode):
        with path.open("w", encoding="utf-8", newline="\n") as stream:
            _write_chunks(stream, text)
        return None
    if path.parent.exists() and not path.parent.is_dir():  # mkdir would say "File exists"
        raise NotADirectoryError(errno.ENOTDIR, f"{os.strerror(errno.ENOTDIR)}: {path.parent}")
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    _remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            _write_chunks(handle, text)
        # mkstemp makes the file private (0600); a report gets the usual umask's mode
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


# how much of a chunked text is gathered for one write: few writes, little held at once
BATCH_CHARS = 1 << 20


def _write_chunks(stream: Any, text: str | Chunks) -> None:
    for piece in batched(text, BATCH_CHARS):
        stream.write(piece)


def batched(text: str | Chunks, size: int = 1 << 20) -> Iterator[str]:
    """`text` in pieces of about `size` characters: few writes, little held at once."""
    if isinstance(text, str):
        yield text
        return
    pending: list[str] = []
    held = 0
    for chunk in text:
        pending.append(chunk)
        held += len(chunk)
        if held >= size:
            yield "".join(pending)
            pending, held = [], 0
    if pending:
        yield "".join(pending)


def emit(text: str | Chunks, *, color: bool = False) -> None:
    """Print a report on standard output; one it cannot take (a full disk, `/dev/full`) is
    exit 2 with the system's reason, not a crash."""
    try:
        for piece in batched(text):
            click.echo(piece, nl=False, color=color)
    except BrokenPipeError:
        raise  # the reader left (`| head`): main ends quietly
    except OSError as exc:
        raise UsageError(f"standard output: cannot write: {exc.strerror or exc}") from None


def _remove_leftovers(path: Path) -> None:
    """Remove the temporary files of earlier writes of `path` whose writer has gone."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return  # the write itself will say what is wrong with the folder
    for name in names:
        pid, dot, random = name[len(prefix) : -len(".tmp")].partition(".")
        # exactly what write_atomic names (mkstemp adds 8 characters): nobody else's file
        if not (dot and pid.isascii() and pid.isdigit() and _is_mkstemp_name(random)):
            continue
        if _is_running(int(pid)):
            continue  # a write of the same target under way: its file is not ours to take
        leftover = path.parent / name
        try:
            if stat.S_ISREG(leftover.lstat().st_mode):
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: it costs only disk space


def _is_mkstemp_name(text: str) -> bool:
    return len(text) == 8 and all(c in "abcdefghijklmnopqrstuvwxyz0123456789_" for c in text)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or a pid this system cannot check: keep
    return True


def parse_targets(
    values: tuple[str, ...],
    output: Path | None,
    choices: Collection[str],
    default: str,
    what: str = "format",
) -> list[tuple[str, Path | None]]:
    """`--format text --format sarif=out.sarif` -> [(text, None), (sarif, out.sarif)].

    `--output FILE` places the one format given without its own `=FILE`; at most
    one format may go to standard output.
    """
    targets: list[tuple[str, Path | None]] = []
    for value in values or (default,):
        name, _, path = value.partition("=")
        if name not in choices:
            raise UsageError(
                f"unknown {what} {name!r} (choose from {', '.join(sorted(choices))})"
                + suggestion_suffix(name, choices)
            )
        targets.append((name, Path(path) if path else None))
    unplaced = [name for name, path in targets if path is None]
    if output is not None:
        if len(unplaced) != 1:
            raise UsageError("--output takes the one format without its own =FILE")
        return [(name, path or output) for name, path in targets]
    if len(unplaced) > 1:
        raise UsageError(
            f"only one format can go to standard output ({', '.join(unplaced)}); "
            "give the others a file: --format NAME=FILE"
        )
    return targets


def today_option(what: str = "waivers are") -> Callable[[F], F]:
    """`--today YYYY-MM-DD` (CLEARANCE_TODAY): one definition for every command."""
    return click.option(
        "--today",
        metavar="YYYY-MM-DD",
        envvar="CLEARANCE_TODAY",
        help=f"The date {what} judged against (default: today).",
    )


def today_from(value: str | None) -> date:
    """`--today`, else CLEARANCE_TODAY, else the real date (injectable for tests and CI)."""
    raw = value or os.environ.get("CLEARANCE_TODAY")
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UsageError(
            f"invalid date {raw!r} for --today / CLEARANCE_TODAY (expected YYYY-MM-DD)"
        ) from None
