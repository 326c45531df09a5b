"""Every field is described: in every JSON Schema, and the manifest's in the README.

Editors show a schema property's `description` on hover. Every format, the ones people
edit (manifest, bundle, rules, waivers, ...) and the ones clearance writes or ships
(report, audit, advice, catalogue, licences, prices), describes every property; the
README's manifest section names every manifest field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from clearance.pipeline.json_schemas import SCHEMA_MODELS, build_schema
from clearance.schema.field_docs import GENERATED_DOCS, HAND_WRITTEN_DOCS
from clearance.schema.manifest import Manifest
from conftest import REPO


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    models = [(str(schema.get("title")), schema), *schema.get("$defs", {}).items()]
    for model, definition in models:
        for name, prop in definition.get("properties", {}).items():
            yield model, name, prop


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_every_property_has_a_description(name: str) -> None:
    schema = build_schema(name)
    missing = [
        f"{model}.{prop_name}"
        for model, prop_name, prop in _properties(schema)
        if not str(prop.get("description", "")).strip()
    ]
    assert missing == []
    assert sum(1 for _ in _properties(schema)) > 3  # the walk found the properties


def test_no_field_is_described_twice() -> None:
    """Docs of models named alike in two formats merge: one field, one meaning."""
    seen: dict[tuple[str, str], int] = {}
    for docs in (HAND_WRITTEN_DOCS, *GENERATED_DOCS):
        for model, fields in docs.items():
            for field in fields:
                seen[model, field] = seen.get((model, field), 0) + 1
    assert [key for key, count in seen.items() if count > 1] == []
    assert ("WaiverEntry", "days_left") in seen  # the audit's waivers were walked too


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
