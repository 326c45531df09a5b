"""Evaluate: every rule on every fact record, producing findings with explanations."""
