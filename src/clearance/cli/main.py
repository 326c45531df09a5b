"""Entry point: one click group, one error boundary mapping errors to exit codes.

0 no unwaived error; 1 findings that fail the run; 2 bad input or command
line; 3 a bug in clearance (a short message, the full traceback with --debug
or CLEARANCE_DEBUG=1).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from clearance import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

# Each command, and where it is defined: a command's module (and everything it
# imports) is loaded only when that command runs, so `clearance check` in a
# pre-commit hook never pays for audit, schema or browsing code.
COMMANDS: dict[str, str] = {
    "check": "clearance.cli.check:check_cmd",
    "explain": "clearance.cli.explain:explain_cmd",
    "schema": "clearance.cli.schema:schema_cmd",
    "policy": "clearance.cli.policy:policy_group",
    "waive": "clearance.cli.waive:waive_cmd",
    "audit": "clearance.cli.audit:audit_cmd",
    "models": "clearance.cli.models:models_cmd",
    "licences": "clearance.cli.browse:licences_cmd",
    "providers": "clearance.cli.browse:providers_cmd",
    "import": "clearance.cli.import_:import_cmd",
    "advise": "clearance.cli.advise:advise_cmd",
    "init": "clearance.cli.init:init_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, name = target.split(":")
        command: Any = getattr(importlib.import_module(module), name)
        return command  # type: ignore[no-any-return]


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="clearance")
@click.option(
    "--debug",
    is_flag=True,
    envvar="CLEARANCE_DEBUG",
    help="Show full tracebacks for internal errors.",
)
def cli(debug: bool) -> None:
    """Check the AI models a repository uses against data, residency and licence policy."""


def run() -> int:
    """The `clearance` command: `main` in a process of its own, without the cyclic collector.

    A run is short and builds many small objects that reference counting frees;
    the collector's passes over them freed nothing and cost 50 ms at 10,000
    workloads (after the pipeline resumed it, over everything the run had
    built), and Python skips its final collection at exit when it is off.
    """
    import gc

    gc.disable()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    from clearance.errors import ClearanceError
    from clearance.safe_text import neutralise

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("CLEARANCE_DEBUG") == "1"
    try:
        result = cli.main(args=args, prog_name="clearance", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_INPUT
    except ClearanceError as exc:
        for line in str(exc).splitlines():
            click.echo(f"error: {neutralise(line)}", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a crash must never look like a finding or bad input
        import traceback

        if debug:
            traceback.print_exc()
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(
                f"clearance: internal error: {type(exc).__name__}: {exc} "
                f"({os.path.basename(where.filename)}:{where.lineno}); "
                "rerun with --debug for the traceback and please report it",
                err=True,
            )
        return EXIT_BUG
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
