"""Provider regions from the providers' own documents: where each may process, per region id.

`global` is "may process anywhere": outside every country and group, for every
provider. A region spanning several countries belongs to its group only. Bedrock's
cross-Region inference profiles (a prefix of the model id) carry their geography.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from clearance.bundle.load import Bundle, load_bundle
from clearance.errors import InputError
from clearance.evaluate.evaluate import evaluate
from clearance.manifest.load import load_manifest
from clearance.resolve.resolver import ResolvedWorkload, Resolver
from clearance.schema.facts import SLOT


@functools.cache
def shipped() -> Bundle:
    return load_bundle()


def resolve(tmp_path: Path, model: str, provider: str, region: str, mode: str = "api",
            **workload: object) -> ResolvedWorkload:
    doc = {"version": 1, "workloads": [{
        "id": "w", "data": ["internal"], "commercial": True, "model": model,
        "deployment": {"mode": mode, "provider": provider, "region": region}, **workload}]}
    path = tmp_path / "model-usage.yaml"
    path.write_text(yaml.safe_dump(doc))
    [rw] = Resolver(shipped()).resolve(load_manifest(path))
    return rw


def place(rw: ResolvedWorkload) -> tuple[str | None, tuple[str, ...]]:
    rec = rw.records[0]
    return rec[SLOT["region.country"]], rec[SLOT["region.within"]]


def rules_fired(tmp_path: Path, **kw: object) -> set[str]:
    rw = resolve(tmp_path, **kw)  # type: ignore[arg-type]
    return {f.rule for f in evaluate([rw], shipped())}


MISTRAL = "mistralai/Mistral-7B-Instruct-v0.3"
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.mark.parametrize(
    ("provider", "model", "region", "country", "inside", "outside"),
    [
        # Mistral: "Multiple data centers in EU/EFTA countries" is the EEA and Switzerland
        ("mistral", MISTRAL, "eu", None, {"EEA-CH", "EEA-OR-ADEQUATE"}, {"EU", "EEA", "DE"}),
        ("mistral", MISTRAL, "us", "US", {"US"}, {"EEA"}),
        ("together", LLAMA, "us", "US", {"US"}, {"CA"}),
        ("together", LLAMA, "ca", "CA", {"CA"}, {"US"}),
        ("fireworks", LLAMA, "us", "US", {"US"}, {"EU"}),
    ],
)
def test_documented_regions_place_the_processing(
    tmp_path: Path, provider: str, model: str, region: str, country: str | None,
    inside: set[str], outside: set[str],
) -> None:
    rw = resolve(tmp_path, model, provider, region,
                 mode="api" if provider == "mistral" else "hosted-open")
    got_country, within = place(rw)
    assert got_country == country
    assert inside <= set(within)
    assert not outside & set(within)


@pytest.mark.parametrize(
    ("provider", "model", "mode"),
    [
        ("mistral", MISTRAL, "api"),
        ("together", LLAMA, "hosted-open"),
        ("fireworks", LLAMA, "hosted-open"),
        ("google-gemini", "google/gemini-2.5-pro", "api"),
        ("groq", LLAMA, "hosted-open"),  # lists no regions: global is still accepted
        ("openai", "openai/gpt-4o", "api"),  # a project without data residency
    ],
)
def test_global_is_outside_every_jurisdiction(tmp_path: Path, provider: str, model: str,
                                              mode: str) -> None:
    rw = resolve(tmp_path, model, provider, "global", mode=mode)
    assert place(rw) == (None, ())


def test_a_multi_country_region_satisfies_its_group_never_one_country(tmp_path: Path) -> None:
    # a region that spans several countries satisfies its group, never one country
    assert "residency.region-outside-declared" in rules_fired(
        tmp_path, model=MISTRAL, provider="mistral", region="eu", residency=["FR"])
    assert "residency.region-outside-declared" not in rules_fired(
        tmp_path, model=MISTRAL, provider="mistral", region="eu", residency=["EEA-CH"])
    assert "residency.region-outside-declared" in rules_fired(
        tmp_path, model=MISTRAL, provider="mistral", region="global", residency=["EEA-CH"])


def test_gdpr_data_on_mistral_eu_needs_no_transfer_safeguard(tmp_path: Path) -> None:
    fired = rules_fired(tmp_path, model=MISTRAL, provider="mistral", region="eu",
                        data=["gdpr"])
    assert "gdpr.transfer-needs-safeguard" not in fired
    fired = rules_fired(tmp_path, model=MISTRAL, provider="mistral", region="global",
                        data=["gdpr"])
    assert "gdpr.transfer-needs-safeguard" in fired


def test_unspecified_is_refused_with_a_pointer_to_global(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve(tmp_path, LLAMA, "groq", "unspecified", mode="hosted-open")
    [problem] = err.value.problems
    assert "'global'" in problem.message and problem.suggestion == "global"


def test_an_unknown_region_names_the_documented_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve(tmp_path, MISTRAL, "mistral", "europe")
    [problem] = err.value.problems
    assert "eu, us, global" in problem.message


BEDROCK_CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0"


@pytest.mark.parametrize(
    ("prefix", "country", "inside", "outside"),
    [
        ("eu.", None, {"EU", "EEA"}, {"DE", "US"}),
        ("us.", "US", {"US"}, {"EU"}),
        ("us-gov.", "US", {"US"}, {"EU"}),
        ("jp.", "JP", {"JP"}, {"US"}),
        ("au.", "AU", {"AU"}, {"US"}),
        ("apac.", None, set(), {"JP", "AU", "SG"}),
        ("global.", None, set(), {"EU", "US", "DE"}),
    ],
)
def test_bedrock_inference_profiles_carry_their_geography(
    tmp_path: Path, prefix: str, country: str | None, inside: set[str], outside: set[str]
) -> None:
    rw = resolve(tmp_path, prefix + BEDROCK_CLAUDE, "aws-bedrock", "eu-central-1")
    assert rw.model.id == "anthropic/claude-3-5-haiku"
    got_country, within = place(rw)
    assert got_country == country
    assert inside <= set(within)
    assert not outside & set(within)
    assert rw.records[0][SLOT["region.id"]] == f"eu-central-1 via {prefix}"


def test_an_in_region_bedrock_id_stays_in_its_region(tmp_path: Path) -> None:
    rw = resolve(tmp_path, BEDROCK_CLAUDE, "aws-bedrock", "eu-central-1")
    assert place(rw)[0] == "DE"


def test_profiles_and_plain_ids_in_one_run_do_not_share_a_place(tmp_path: Path) -> None:
    # the resolver caches per (model, provider, region, mode): the profile is part of the key
    doc = {"version": 1, "workloads": [
        {"id": f"w{i}", "data": ["internal"], "commercial": True, "model": m,
         "deployment": {"mode": "api", "provider": "aws-bedrock", "region": "eu-central-1"}}
        for i, m in enumerate([BEDROCK_CLAUDE, "global." + BEDROCK_CLAUDE])]}
    path = tmp_path / "model-usage.yaml"
    path.write_text(yaml.safe_dump(doc))
    plain, profiled = Resolver(shipped()).resolve(load_manifest(path))
    assert place(plain)[0] == "DE" and place(profiled) == (None, ())


def test_a_bedrock_eu_profile_satisfies_eu_residency(tmp_path: Path) -> None:
    fired = rules_fired(tmp_path, model="eu." + BEDROCK_CLAUDE, provider="aws-bedrock",
                        region="eu-central-1", residency=["EU"])
    assert "residency.region-outside-declared" not in fired
    fired = rules_fired(tmp_path, model="eu." + BEDROCK_CLAUDE, provider="aws-bedrock",
                        region="eu-central-1", residency=["DE"])
    assert "residency.region-outside-declared" in fired


def test_a_profile_prefix_on_another_provider_is_just_an_unknown_model(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve(tmp_path, "eu." + BEDROCK_CLAUDE, "anthropic", "us")
    assert "unknown model" in err.value.problems[0].message
