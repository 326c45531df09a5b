"""Waivers: read, apply (the finding list's deliberate exceptions) and edit."""
