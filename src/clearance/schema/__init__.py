"""Pydantic models of every file format clearance reads (the shapes, not the meaning)."""
