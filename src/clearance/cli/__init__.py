"""The command line: parses arguments, calls the engine, picks the exit code."""
