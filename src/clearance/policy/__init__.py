"""Rules: parsing, compiling and evaluating the policy language."""
