"""The shipped knowledge base holds together, and an organisation's additions are checked alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from clearance.bundle.load import load_bundle
from clearance.schema.licence import LicenceFile
from conftest import REPO, WORKLOAD, Run


def test_shipped_knowledge_base_loads() -> None:
    cat = load_bundle().catalogue
    assert len(cat.models) >= 50 and len(cat.licences) >= 20
    assert {
        "openai",
        "anthropic",
        "google-gemini",
        "google-vertex",
        "azure-openai",
        "aws-bedrock",
        "mistral",
        "together",
        "fireworks",
        "groq",
        "aws",
        "gcp",
        "azure",
        "on-prem",
    } <= set(cat.providers)


@pytest.mark.parametrize("path", sorted((REPO / "licences").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_licence_fact_has_a_source_and_date(path: Path) -> None:
    lic = LicenceFile.model_validate(yaml.safe_load(path.read_text()))
    assert lic.sources, "a licence needs at least one source"
    for name, term in lic.terms:
        if term is not None:
            assert term.source in lic.sources, f"{name} cites unknown source {term.source}"
            assert lic.sources[term.source].as_of is not None
    for ob in lic.obligations:
        assert ob.source in lic.sources
    assert lic.url.startswith("https://")


def test_every_model_and_provider_reference_resolves() -> None:
    cat = load_bundle().catalogue
    for model in cat.models.values():
        assert model.licence in cat.licences
        assert all(cat.model(b) is not None for b in model.base_model)
        assert model.source.as_of is not None
    places = cat.places()
    for provider in cat.providers.values():
        assert provider.terms is None or provider.terms in cat.licences
        for region in provider.regions:
            # `global` alone has no place: it may process anywhere
            assert (region.country or region.area) in places or region.id == "global"
        covered = {c for s in provider.sources for c in s.covers}
        for field in ("agreements", "agreements_not_offered", "retention_days",
                      "trains_on_customer_data", "regions", "inference_profiles",
                      "carries_vendor_terms"):
            value = getattr(provider, field)
            if value not in (None, []):
                assert field in covered, f"{provider.id}.{field} has no source"


def test_aliases_are_unique_across_models_and_licences() -> None:
    cat = load_bundle().catalogue
    names: dict[str, str] = {}
    for model in cat.models.values():
        for name in [model.id, *model.aliases]:
            assert names.setdefault(name.lower(), model.id) == model.id, name
    names = {}
    for lid, loaded in cat.licences.items():
        for name in [lid, *loaded.value.aliases]:
            assert names.setdefault(name.lower(), lid) == lid, name


def test_adequacy_groups_follow_the_decisions() -> None:
    cat = load_bundle().catalogue
    assert cat.jurisdictions is not None
    full = {a.country for a in cat.jurisdictions.adequacy if not a.partial}
    assert full, "no full adequacy decision recorded"
    for country in full:
        assert "GDPR-ADEQUATE" in cat.groups_of[country], country
    assert "GDPR-ADEQUATE" not in cat.groups_of["US"]
    assert {"EU", "EEA"} <= cat.groups_of["DE"]
    assert "EU" not in cat.groups_of["NO"] and "EEA" in cat.groups_of["NO"]


def _bundle_with(bundle_copy: Path, kind: str, name: str, doc: object) -> Path:
    (bundle_copy / kind).mkdir(exist_ok=True)
    (bundle_copy / kind / name).write_text(yaml.safe_dump(doc, sort_keys=False))
    (bundle_copy / "bundle.yaml").write_text(
        (bundle_copy / "bundle.yaml").read_text() + f"{kind}: [{kind}]\n"
    )
    return bundle_copy


MODEL = {
    "id": "acme/m",
    "name": "m",
    "vendor": "acme",
    "family": "acme",
    "licence": "mit",
    "weights": "open",
    "modalities": {"input": ["text"], "output": ["text"]},
    "source": {"url": "https://acme.example", "as_of": "2026-01-01"},
}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"licence": "mitt"}, "unknown licence 'mitt' (did you mean mit?)"),
        ({"base_model": ["acme/nope"]}, "unknown base model 'acme/nope'"),
        ({"aliases": ["llama3.1:70b"]}, "alias 'llama3.1:70b' already names"),
        ({"base_model": ["acme/m"]}, "loops back on itself"),
        ({"weights": "half-open"}, "input should be 'open' or 'closed'"),
    ],
)
def test_bad_organisation_model_is_positioned(
    change: dict[str, object],
    fragment: str,
    bundle_copy: Path,
    run: Callable[..., Run],
    write: Callable[[str, str], Path],
) -> None:
    bundle = _bundle_with(bundle_copy, "catalog", "models.yaml", {"models": [{**MODEL, **change}]})
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle)
    assert result.code == 2, result.out
    assert "catalog/models.yaml:" in result.err and fragment in result.err, result.err


def test_bad_organisation_licence_is_positioned(
    bundle_copy: Path, run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    licence = {
        "id": "acme-negotiated",
        "name": "n",
        "kind": "proprietary-api",
        "url": "https://acme.example",
        "as_of": "2026-01-01",
        "sources": {"contract": {"url": "https://acme.example/c", "as_of": "2026-01-01"}},
        "terms": {"commercial_use": {"value": True, "source": "contrakt"}},
    }
    bundle = _bundle_with(bundle_copy, "licences", "acme-negotiated.yaml", licence)
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle)
    assert result.code == 2
    assert "licences/acme-negotiated.yaml:" in result.err
    assert "unknown source 'contrakt' (did you mean contract?)" in result.err


def test_licence_id_must_match_file_name(
    bundle_copy: Path, run: Callable[..., Run], write: Callable[[str, str], Path]
) -> None:
    licence = {
        "id": "other-id",
        "name": "n",
        "kind": "permissive",
        "url": "https://x.example",
        "as_of": "2026-01-01",
        "sources": {"t": {"url": "https://x.example", "as_of": "2026-01-01"}},
    }
    bundle = _bundle_with(bundle_copy, "licences", "acme.yaml", licence)
    result = run("check", write("m/model-usage.yaml", WORKLOAD), "--policy", bundle)
    assert result.code == 2 and "must match the file name 'acme'" in result.err
