"""Resolution: which terms govern each deployment path, lineage, regions, names."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from clearance.bundle.load import Bundle, load_bundle
from clearance.manifest.load import load_manifest
from clearance.resolve.resolver import (
    ResolvedWorkload,
    Resolver,
    governing_terms,
)
from helpers import EU_SITE, shipped_copy


@functools.cache
def shipped() -> Bundle:
    """The shipped bundle, judging for the tests' example organisation (its sites)."""
    target = Path(tempfile.mkdtemp(prefix="clearance-test-")) / "b"
    return load_bundle(shipped_copy(target, EU_SITE))


def resolve_one(
    tmp_path: Path, bundle: Bundle | None = None, **workload: object
) -> ResolvedWorkload:
    doc = {
        "version": 1,
        "workloads": [{"id": "w", "data": ["internal"], "commercial": True, **workload}],
    }
    path = tmp_path / "model-usage.yaml"
    path.write_text(yaml.safe_dump(doc))
    [rw] = Resolver(bundle or shipped()).resolve(load_manifest(path))
    return rw


def governing(rw: ResolvedWorkload) -> list[tuple[str, str, str]]:
    return [(g.licence, g.via, g.governs_as) for g in rw.governing]


def dep(mode: str, provider: str, region: str) -> dict[str, str]:
    return {"mode": mode, "provider": provider, "region": region}


def test_self_hosted_weights_are_governed_by_the_model_licence(tmp_path: Path) -> None:
    rw = resolve_one(
        tmp_path,
        model="meta-llama/Llama-3.1-70B-Instruct",
        deployment=dep("self-hosted", "aws", "us-east-1"),
    )
    assert governing(rw)[0] == ("llama-3.1", "meta-llama/Llama-3.1-70B-Instruct", "model-licence")
    assert {g[0] for g in governing(rw)} == {"llama-3.1"}


def test_vendor_api_serving_its_own_model_is_governed_by_its_terms_only(tmp_path: Path) -> None:
    rw = resolve_one(tmp_path, model="openai/gpt-4o", deployment=dep("api", "openai", "us"))
    assert governing(rw) == [("openai-api", "openai", "provider-terms")]


def test_vendor_api_serving_its_own_open_weights_ignores_the_weights_licence() -> None:
    # Mistral Large's weights are under the research-only MRL, but Mistral's own API
    # serves it under Mistral's commercial terms (the catalogue lists no API region,
    # so this path is checked on the resolver's rule directly)
    cat = shipped().catalogue
    model = cat.model("mistralai/Mistral-Large-Instruct-2411")
    assert model is not None and model.licence == "mistral-research"
    terms = governing_terms(model, cat.providers["mistral"], "api", shipped())
    assert [(g.licence, g.via, g.governs_as) for g in terms] == [
        ("mistral-api", "mistral", "provider-terms")
    ]
    self_hosted = governing_terms(model, cat.providers["aws"], "self-hosted", shipped())
    assert [g.licence for g in self_hosted] == ["mistral-research"]


def _has_region(provider: str, region: str) -> bool:
    return any(r.id == region for r in shipped().catalogue.providers[provider].regions)


def test_third_party_serving_open_weights_adds_its_terms(tmp_path: Path) -> None:
    rw = resolve_one(
        tmp_path,
        model="meta-llama/Llama-3.1-70B-Instruct",
        deployment=dep("hosted-open", "aws-bedrock", "us-east-1"),
    )
    assert [g[0] for g in governing(rw)] == ["llama-3.1", "aws-bedrock"]
    assert governing(rw)[1] == ("aws-bedrock", "aws-bedrock", "provider-terms")


def test_third_party_serving_a_closed_model_is_governed_by_its_terms(tmp_path: Path) -> None:
    rw = resolve_one(tmp_path, model="openai/gpt-4o",
                     deployment=dep("api", "azure-openai", "eastus"))
    assert governing(rw) == [("azure-openai", "azure-openai", "provider-terms")]


def test_a_reseller_that_passes_on_vendor_terms_adds_them(tmp_path: Path) -> None:
    # Bedrock sells Claude under Anthropic's end user licence: Claude keeps Anthropic's terms
    rw = resolve_one(tmp_path, model="anthropic/claude-3-5-sonnet",
                     deployment=dep("api", "aws-bedrock", "us-east-1"))
    assert governing(rw) == [
        ("anthropic-api", "anthropic/claude-3-5-sonnet", "model-licence"),
        ("aws-bedrock", "aws-bedrock", "provider-terms"),
    ]


def test_distillation_inherits_the_ancestors_licence(tmp_path: Path) -> None:
    rw = resolve_one(
        tmp_path,
        model="deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
        deployment=dep("self-hosted", "aws", "us-east-1"),
    )
    assert governing(rw)[:2] == [
        ("mit", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "model-licence"),
        ("llama-3.3", "meta-llama/Llama-3.3-70B-Instruct", "model-licence"),
    ]


@pytest.fixture
def bundle_with_private_finetune(bundle_copy: Path) -> Bundle:
    """An organisation bundle that adds its own fine-tune of an R1 distill."""
    private = bundle_copy / "catalog"
    private.mkdir()
    (private / "models.yaml").write_text(
        yaml.safe_dump(
            {
                "models": [
                    {
                        "id": "acme/triage-r1-70b",
                        "name": "Acme triage",
                        "vendor": "acme",
                        "family": "llama",
                        "licence": "mit",
                        "weights": "open",
                        "modalities": {"input": ["text"], "output": ["text"]},
                        "base_model": ["deepseek-ai/DeepSeek-R1-Distill-Llama-70B"],
                        "lineage": "fine-tune",
                        "aliases": ["triage:70b"],
                        "source": {
                            "url": "https://git.acme.example/ml/triage",
                            "as_of": "2026-11-01",
                        },
                    }
                ]
            }
        )
    )
    (bundle_copy / "bundle.yaml").write_text(
        (bundle_copy / "bundle.yaml").read_text() + "catalog: [catalog]\n"
    )
    return load_bundle(bundle_copy)


def test_lineage_through_two_generations(
    tmp_path: Path, bundle_with_private_finetune: Bundle
) -> None:
    rw = resolve_one(
        tmp_path,
        bundle_with_private_finetune,
        model="Triage:70B",
        deployment=dep("self-hosted", "aws", "us-east-1"),
    )
    assert [(g[0], g[1]) for g in governing(rw)][:2] == [
        ("mit", "acme/triage-r1-70b"),
        ("llama-3.3", "meta-llama/Llama-3.3-70B-Instruct"),
    ]
    assert "deepseek-ai/DeepSeek-R1-Distill-Llama-70B" in rw.model.base_model


def test_lineage_finding_names_the_ancestor(
    tmp_path: Path, bundle_with_private_finetune: Bundle
) -> None:
    import dataclasses

    from clearance.evaluate.evaluate import evaluate

    big = dataclasses.replace(
        bundle_with_private_finetune,
        organisation=bundle_with_private_finetune.organisation.model_copy(
            update={"monthly_active_users": 800_000_000}
        ),
    )
    rw = resolve_one(
        tmp_path, big, model="acme/triage-r1-70b", deployment=dep("self-hosted", "aws", "us-east-1")
    )
    [finding] = [f for f in evaluate([rw], big) if f.rule == "llama-3.3.mau-threshold"]
    assert finding.licence == "llama-3.3"
    assert finding.via == "meta-llama/Llama-3.3-70B-Instruct"


def test_model_ids_match_case_insensitively_and_through_aliases(tmp_path: Path) -> None:
    for name in ["META-LLAMA/llama-3.1-70b-instruct", "llama3.1:70b"]:
        rw = resolve_one(tmp_path, model=name, deployment=dep("self-hosted", "aws", "us-east-1"))
        assert rw.model.id == "meta-llama/Llama-3.1-70B-Instruct"


@pytest.mark.parametrize(
    ("deployment", "country", "within"),
    [
        (dep("self-hosted", "aws", "eu-central-1"), "DE", {"DE", "EU", "EEA"}),
        (dep("self-hosted", "aws", "us-east-1"), "US", {"US", "GDPR-ADEQUATE-PARTIAL"}),
        (dep("self-hosted", "on-prem", "dc-frankfurt"), "DE", {"DE", "EU", "EEA"}),
        (dep("api", "openai", "eu"), None, {"EEA-CH"}),
    ],
)
def test_region_facts(
    tmp_path: Path, deployment: dict[str, str], country: str | None, within: set[str]
) -> None:
    from clearance.schema.facts import SLOT

    model = "openai/gpt-4o" if deployment["mode"] == "api" else "meta-llama/Llama-3.1-8B-Instruct"
    rw = resolve_one(tmp_path, model=model, deployment=deployment)
    record = rw.records[0]
    assert record[SLOT["region.country"]] == country
    assert within <= set(record[SLOT["region.within"]])
    assert "GDPR-ADEQUATE" not in record[SLOT["region.within"]] or country not in ("US", None)


def test_organisation_can_override_a_provider(
    bundle_copy: Path, tmp_path: Path, run: Callable[..., object]
) -> None:
    """A negotiated agreement: the organisation's catalogue replaces the shipped entry."""
    shipped_provider = shipped().catalogue.providers["together"].model_dump(exclude_none=True)
    shipped_provider["regions"] = [{"id": "us", "country": "US"}]
    (bundle_copy / "catalog").mkdir()
    (bundle_copy / "catalog" / "providers.yaml").write_text(
        yaml.safe_dump({"providers": [shipped_provider]}, sort_keys=False, default_style=None)
    )
    (bundle_copy / "bundle.yaml").write_text(
        (bundle_copy / "bundle.yaml").read_text() + "catalog: [catalog]\n"
    )
    bundle = load_bundle(bundle_copy)
    rw = resolve_one(
        tmp_path,
        bundle,
        model="meta-llama/Llama-3.1-70B-Instruct",
        deployment=dep("hosted-open", "together", "us"),
    )
    assert rw.provider.regions[0].id == "us"


def test_norway_is_a_country_not_false(tmp_path: Path) -> None:
    """YAML 1.2 core schema: an unquoted NO is the string "NO" (no Norway problem)."""
    rw = resolve_one(
        tmp_path,
        model="meta-llama/Llama-3.1-8B-Instruct",
        residency=["NO"],
        deployment=dep("self-hosted", "aws", "eu-north-1")
        if _has_region("aws", "eu-north-1")
        else dep("self-hosted", "aws", "eu-central-1"),
    )
    assert rw.workload.residency == ["NO"]


def test_the_workload_facts_are_the_first_slots_of_a_record() -> None:
    # a record is the workload's own facts followed by a tail shared across workloads
    from clearance.resolve.records import WORKLOAD_SLOTS as _WORKLOAD_SLOTS

    assert tuple(range(len(_WORKLOAD_SLOTS))) == _WORKLOAD_SLOTS
