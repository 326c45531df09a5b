"""Entry point: one click group, one error boundary mapping errors to exit codes.

0 no unwaived error; 1 findings that fail the run; 2 bad input or command
line; 3 a bug in clearance (a short message, the full traceback with --debug
or CLEARANCE_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click

from clearance import __version__
from clearance.cli.audit import audit_cmd
from clearance.cli.browse import browse_group
from clearance.cli.check import check_cmd
from clearance.cli.explain import explain_cmd
from clearance.cli.policy import policy_group
from clearance.cli.schema import schema_cmd
from clearance.cli.waive import waive_cmd

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="clearance")
@click.option(
    "--debug",
    is_flag=True,
    envvar="CLEARANCE_DEBUG",
    help="Show full tracebacks for internal errors.",
)
def cli(debug: bool) -> None:
    """Check the AI models a repository uses against data, residency and licence policy."""


cli.add_command(check_cmd)
cli.add_command(explain_cmd)
cli.add_command(schema_cmd)
cli.add_command(policy_group)
cli.add_command(waive_cmd)
cli.add_command(audit_cmd)
for command in browse_group:
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    from clearance.errors import ClearanceError

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
            click.echo(f"error: {line}", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a crash must never look like a finding or bad input
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
