"""Manifests: find, read (fast path, positioned path, sliced), check and build records."""
