"""The parse cache returns exactly what parsing would, and a bad entry is only a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.loading import cache
from clearance.loading.files import load_kind
from clearance.loading.yaml_source import locate
from clearance.schema.bundle import OrganisationFile

ORG = """\
name: Acme
monthly_active_users: 5
domicile: DE
sites:
  - {id: dc-1, country: DE}
"""


def test_cached_tree_keeps_values_and_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG)
    first = load_kind("organisation", path)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    second = load_kind("organisation", path)
    assert second.raw == first.raw and second.value == first.value
    for where in [("sites", 0, "country"), ("domicile",), ("sites", 0)]:
        assert locate(second.raw, where) == locate(first.raw, where)


def test_corrupt_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG)
    load_kind("organisation", path)
    [entry] = (tmp_path / "cache").glob("*.json")
    entry.write_text('{"m": [[1]]')
    assert cache.get(entry.stem) is None
    assert load_kind("organisation", path).value.name == "Acme"


def test_dates_survive_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from clearance.loading.yaml_source import load_yaml_text

    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path))
    tree = load_yaml_text("d: 2024-07-23\nn: [1, 2.5, true, null]\n", "f.yaml")
    cache.put("k", tree)
    again = cache.get("k")
    assert again == {"d": date(2024, 7, 23), "n": [1, 2.5, True, None]}


def test_cache_can_be_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLEARANCE_NO_CACHE", "1")
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG)
    load_kind("organisation", path)
    assert not (tmp_path / "cache").exists()


def _shipped_files() -> list[tuple[Path, type]]:
    from clearance.schema.bundle import BundleFile, DataClassesFile, RulesFile
    from clearance.schema.catalog import JurisdictionsFile, ModelsFile, ProvidersFile
    from clearance.schema.licence import LicenceFile
    from conftest import REPO

    files: list[tuple[Path, type]] = [
        (p, LicenceFile) for p in sorted((REPO / "licences").glob("*.yaml"))
    ]
    files += [
        (REPO / "catalog" / f"{n}.yaml", m)
        for n, m in (
            ("models", ModelsFile),
            ("providers", ProvidersFile),
            ("jurisdictions", JurisdictionsFile),
        )
    ]
    special = {
        "bundle.yaml": BundleFile,
        "organisation.yaml": OrganisationFile,
        "data-classes.yaml": DataClassesFile,
    }
    files += [
        (p, special.get(p.name, RulesFile)) for p in sorted((REPO / "policies").glob("*.yaml"))
    ]
    return files


@pytest.mark.parametrize(("path", "model"), _shipped_files(), ids=lambda x: getattr(x, "name", ""))
def test_rebuilt_models_equal_validated_ones(path: Path, model: type) -> None:
    """A cache hit rebuilds with model_construct; the result must be what validation gives."""
    from clearance.loading.construct import construct
    from clearance.loading.validate import validate
    from clearance.loading.yaml_source import read_yaml_file

    raw = read_yaml_file(path)
    assert construct(model, raw) == validate(model, raw, path.name)


def test_a_cached_tree_is_validated_until_it_has_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG.replace("monthly_active_users: 5", "monthly_active_users: many"))
    from clearance.errors import InputError

    for _ in range(2):  # the second read hits the cache and must still be refused
        with pytest.raises(InputError):
            load_kind("organisation", path)


def test_every_kind_of_file_names_a_schema_model_that_exists() -> None:
    # the table is the one way in: a typo in it would surface only when that kind is read
    from pydantic import BaseModel

    from clearance.loading.kinds import KINDS

    for kind, spec in KINDS.items():
        model = spec.schema()
        assert issubclass(model, BaseModel), kind
        assert model.__name__ == spec.model, kind
