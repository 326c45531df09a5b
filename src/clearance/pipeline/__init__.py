"""The commands' pipelines: check, policy test cases, baselines; what the CLI calls."""
