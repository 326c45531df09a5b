"""`python -m clearance` runs the command-line interface."""

from clearance.cli.main import run

raise SystemExit(run())
