"""clearance: policy-as-code checks for the AI models a repository uses."""

__version__ = "0.1.0"
