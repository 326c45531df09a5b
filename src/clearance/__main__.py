"""`python -m clearance` runs the command-line interface."""

from clearance.cli.main import main

raise SystemExit(main())
