"""Every field a person writes by hand is described: in the JSON Schema and the README.

Editors show a schema property's `description` on hover. The formats people edit
(manifest, bundle, organisation, taxonomy, rules, waivers, policy tests) describe
every property; the README's manifest section names every manifest field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from clearance.pipeline.json_schemas import build_schema
from clearance.schema.manifest import Manifest
from conftest import REPO

HAND_WRITTEN = (
    "manifest",
    "bundle",
    "organisation",
    "data-classes",
    "policy",
    "waivers",
    "policy-test",
)


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    models = [(str(schema.get("title")), schema), *schema.get("$defs", {}).items()]
    for model, definition in models:
        for name, prop in definition.get("properties", {}).items():
            yield model, name, prop


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_every_property_has_a_description(name: str) -> None:
    schema = build_schema(name)
    missing = [
        f"{model}.{prop_name}"
        for model, prop_name, prop in _properties(schema)
        if not str(prop.get("description", "")).strip()
    ]
    assert missing == []
    assert sum(1 for _ in _properties(schema)) > 3  # the walk found the properties


def _manifest_fields(model: type[BaseModel] = Manifest) -> set[str]:
    out = set()
    for name, field in model.model_fields.items():
        out.add(name)
        for arg in _types(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out |= _manifest_fields(arg)
    return out


def _types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _types(arg)


def test_the_readme_names_every_manifest_field() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## The manifest")
    section = readme[start : readme.index("\n## ", start + 1)]
    fields = _manifest_fields()
    assert {"trains", "trains_family", "volume", "profile", "data_subjects"} <= fields
    missing = sorted(f for f in fields if f"`{f}`" not in section and f"{f}:" not in section)
    assert missing == []


def test_the_readme_pins_no_tag_that_does_not_exist() -> None:
    """There is no release tag: the pre-commit snippet pins a commit, not `v0.1.0`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = readme[readme.index("## pre-commit") :]
    assert "rev: <commit sha>" in snippet
    assert "rev: v0.1.0" not in readme
