"""Gateway readers: LiteLLM's prefixes, regions, profiles, merge keys, includes, unknowns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.bundle.catalogue import Catalogue
from clearance.bundle.load import load_bundle
from clearance.errors import InputError
from clearance.gateways import litellm, reader
from clearance.gateways.bedrock import GEOGRAPHIES

Write = Callable[[str, str], Path]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_bundle().catalogue


def one(write: Write, params: str, catalogue: Catalogue | None = None) -> litellm.GatewayDeployment:
    path = write(
        "config.yaml", "model_list:\n  - model_name: alias\n    litellm_params:\n" + params
    )
    (found,) = litellm.read(path, catalogue)
    return found


def test_model_name_is_an_alias_and_the_prefix_names_the_provider(
    write: Write, catalogue: Catalogue
) -> None:
    d = one(write, "      model: groq/llama-3.3-70b-versatile\n", catalogue)
    assert (d.alias, d.provider, d.served) == ("alias", "groq", "llama-3.3-70b-versatile")
    assert d.model_id == "meta-llama/Llama-3.3-70B-Instruct"
    assert (d.line, d.column) == (4, 14)


@pytest.mark.parametrize(
    ("model", "provider"),
    [
        ("openai/gpt-4o", "openai"),
        ("azure/my-deployment", "azure-openai"),
        ("bedrock/anthropic.claude-3-5-haiku-20241022-v1:0", "aws-bedrock"),
        ("vertex_ai/gemini-2.5-pro", "google-vertex"),
        ("gemini/gemini-2.0-flash", "google-gemini"),
        ("anthropic/claude-sonnet-4-20250514", "anthropic"),
        ("mistral/mistral-large-latest", "mistral"),
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct", "together"),
        ("fireworks_ai/accounts/fireworks/models/x", "fireworks"),
        ("ollama/llama3.1:8b", "on-prem"),
        ("hosted_vllm/meta-llama/Llama-3.1-8B-Instruct", "on-prem"),
        ("openrouter/meta-llama/llama-3.3-70b-instruct", None),
        ("huggingface/meta-llama/Llama-3.1-8B-Instruct", None),
    ],
)
def test_each_prefix_maps_to_its_catalogue_provider(
    write: Write, catalogue: Catalogue, model: str, provider: str | None
) -> None:
    d = one(write, f"      model: {model}\n", catalogue)
    assert d.provider == provider
    if provider is not None:
        assert provider in catalogue.providers
    else:
        assert [u.kind for u in d.unknown_of("provider")] == ["not-catalogued"]


def test_an_unknown_prefix_is_a_located_error_with_a_suggestion(write: Write) -> None:
    with pytest.raises(InputError) as exc:
        one(write, "      model: bedrok/anthropic.claude-v2\n")
    assert str(exc.value) == (
        f"{write('x', '').parent / 'config.yaml'}:4:14: model_list[0].litellm_params.model: "
        "unknown LiteLLM provider 'bedrok' in 'bedrok/anthropic.claude-v2': LiteLLM would "
        "refuse it (did you mean bedrock?)"
    )


@pytest.mark.parametrize("prefix", sorted(GEOGRAPHIES))
def test_bedrock_profile_prefix_is_a_geography_beside_the_source_region(
    write: Write, catalogue: Catalogue, prefix: str
) -> None:
    d = one(
        write,
        f"      model: bedrock/{prefix}.anthropic.claude-3-5-haiku-20241022-v1:0\n"
        "      aws_region_name: eu-central-1\n",
        catalogue,
    )
    assert (d.region, d.geography) == ("eu-central-1", prefix)
    assert d.model_id == "anthropic/claude-3-5-haiku"
    assert d.key == ("anthropic/claude-3-5-haiku", "aws-bedrock", "eu-central-1", prefix)


def test_bedrock_region_from_the_runtime_endpoint_host_and_conflicts(write: Write) -> None:
    d = one(
        write,
        "      model: bedrock/converse/us.amazon.nova-pro-v1:0\n"
        "      aws_bedrock_runtime_endpoint: https://vpce-1.bedrock-runtime.us-west-2.vpce.amazonaws.com\n",
    )
    assert (d.served, d.region, d.geography) == ("amazon.nova-pro-v1:0", "us-west-2", "us")
    both = one(
        write,
        "      model: bedrock/amazon.nova-pro-v1:0\n      aws_region_name: eu-west-1\n"
        "      aws_bedrock_runtime_endpoint: https://bedrock-runtime.us-east-1.amazonaws.com\n",
    )
    assert both.region == "eu-west-1"
    assert [u.kind for u in both.unknown] == ["conflict"]


@pytest.mark.parametrize("key", ["vertex_location", "vertex_ai_location"])
def test_vertex_location_under_either_spelling(write: Write, key: str) -> None:
    d = one(write, f"      model: vertex_ai/gemini-2.5-pro\n      {key}: europe-west4\n")
    assert (d.provider, d.region) == ("google-vertex", "europe-west4")


def test_openai_residency_host_gives_the_region_and_other_hosts_are_not_openai(
    write: Write,
) -> None:
    eu = one(write, "      model: openai/gpt-4o\n      api_base: https://eu.api.openai.com/v1\n")
    assert (eu.provider, eu.region) == ("openai", "eu")
    other = one(write, "      model: openai/gpt-4o\n      api_base: https://models.github.ai/x\n")
    assert other.provider is None
    assert "models.github.ai" in str(other.unknown_of("provider")[0])


def test_environment_references_are_unknown_never_guessed(write: Write) -> None:
    d = one(
        write,
        "      model: os.environ/MODEL\n      api_base: os.environ/BASE\n"
        "      aws_region_name: os.environ/REGION\n",
    )
    assert (d.served, d.model_id, d.endpoint) == (None, None, None)
    assert {(u.kind, u.field) for u in d.unknown} >= {("env", "model"), ("env", "endpoint")}
    r = one(
        write, "      model: bedrock/amazon.nova-pro-v1:0\n      aws_region_name: os.environ/R\n"
    )
    assert r.region is None
    assert [(u.kind, u.field) for u in r.unknown] == [("env", "region")]


@pytest.mark.parametrize(("model", "provider"), [("openai/*", "openai"), ("*", None)])
def test_wildcards_are_flagged(write: Write, model: str, provider: str | None) -> None:
    d = one(write, f'      model: "{model}"\n')
    assert (d.served, d.provider) == (None, provider)
    assert [u.kind for u in d.unknown_of("model")] == ["wildcard"]


def test_merge_keys_are_honoured_as_pyyaml_does(write: Write) -> None:
    path = write(
        "config.yaml",
        """
        x-aws: &aws
          aws_region_name: eu-west-3
          model: bedrock/amazon.titan-text-express-v1
        x-more: &more
          api_base: https://bedrock-runtime.eu-west-3.amazonaws.com
        model_list:
          - model_name: a
            litellm_params:
              <<: [*aws, *more]
          - model_name: b
            litellm_params:
              <<: *aws
              model: bedrock/eu.amazon.nova-pro-v1:0
        """,
    )
    a, b = litellm.read(path)
    assert (a.region, a.served, a.endpoint) == (
        "eu-west-3",
        "amazon.titan-text-express-v1",
        a.endpoint,
    )
    assert a.line == 3  # the merged model is where its anchor wrote it
    assert (b.region, b.geography, b.line) == ("eu-west-3", "eu", 13)


def test_includes_are_read_relative_and_bounded_to_the_config_tree(
    write: Write, tmp_path: Path
) -> None:
    write(
        "models/extra.yaml",
        "model_list:\n  - model_name: x\n    litellm_params: {model: groq/llama3-8b-8192}\n",
    )
    main = write("config.yaml", "include:\n  - models/extra.yaml\nmodel_list: []\n")
    (d,) = litellm.read(main)
    assert (d.provider, d.file, d.line) == ("groq", f"{tmp_path}/models/extra.yaml", 3)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../outside.yaml", "leads outside the config's directory"),
        ("/etc/passwd", "is an absolute path"),
        ("link.yaml", "leads outside the config's directory"),
        ("extr.yaml", "does not exist (did you mean extra.yaml?)"),
    ],
)
def test_includes_that_escape_or_are_missing_are_located_errors(
    tmp_path: Path, entry: str, message: str
) -> None:
    root = tmp_path / "conf"
    root.mkdir()
    (tmp_path / "outside.yaml").write_text("model_list: []\n")
    (root / "extra.yaml").write_text("model_list: []\n")
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (root / "config.yaml").write_text(f"include:\n  - {entry}\n")
    with pytest.raises(InputError) as exc:
        litellm.read(root / "config.yaml")
    assert f"config.yaml:2:5: include[0]: include {entry!r} " in str(exc.value)
    assert message in str(exc.value)


def test_an_included_file_may_not_include_again(write: Write) -> None:
    write("b.yaml", "include: [c.yaml]\n")
    write("c.yaml", "model_list: []\n")
    main = write("config.yaml", "include: [b.yaml]\n")
    with pytest.raises(InputError, match=r"b\.yaml:1:1: include: an included file cannot include"):
        litellm.read(main)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("general_settings: {}\n", ":1:1: not a LiteLLM config"),
        ("model_list: {a: 1}\n", ":1:13: model_list: 'model_list' is a list"),
        ("model_list:\n  - model_name: a\n", ":2:5: model_list[0].litellm_params: litellm_params"),
        (
            "model_list:\n  - litellm_params: {model: [a]}\n",
            ":2:29: model_list[0].litellm_params.model: 'model' should be text, found a list",
        ),
        ("model_list:\n - a: 1\n  - b: 2\n", ":3:3: invalid YAML"),
    ],
)
def test_bad_litellm_files_are_located_errors(write: Write, text: str, where: str) -> None:
    with pytest.raises(InputError) as exc:
        litellm.read(write("config.yaml", text))
    assert where in str(exc.value)


def test_every_format_reads_through_the_registry(write: Write) -> None:
    path = write(
        "c.yaml", "models:\n  - {name: x, provider: anthropic, model: claude-3-5-haiku-latest}\n"
    )
    (d,) = reader("continue").read(path, load_bundle().catalogue)
    assert (d.provider, d.model_id) == ("anthropic", "anthropic/claude-3-5-haiku")


def test_mlflow_openai_with_azure_api_type_is_azure_openai(write: Write) -> None:
    path = write(
        "m.yaml",
        """
        endpoints:
          - name: chat
            model:
              provider: openai
              name: gpt-4o
              config: {openai_api_type: azuread, openai_api_base: "https://r.openai.azure.com/"}
        """,
    )
    (d,) = reader("mlflow").read(path)
    assert (d.provider, d.endpoint) == ("azure-openai", "https://r.openai.azure.com/")


def test_promptfoo_splits_only_the_first_colon(write: Write) -> None:
    path = write(
        "p.yaml",
        "providers:\n  - id: bedrock:eu.anthropic.claude-3-5-haiku-20241022-v1:0\n    config: {region: eu-west-1}\n  - openai:chat:gpt-4o\n",
    )
    a, b = reader("promptfoo").read(path, load_bundle().catalogue)
    assert (a.served, a.geography, a.region) == (
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "eu",
        "eu-west-1",
    )
    assert (b.provider, b.model_id) == ("openai", "openai/gpt-4o")


def test_a_directory_or_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.yaml:1:1: cannot read file"):
        litellm.read(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match=r":1:1: not a regular file"):
        litellm.read(tmp_path)


@pytest.mark.parametrize(
    ("fmt", "text", "where"),
    [
        ("litellm", "model_list: []\n---\nb: 2\n", ":2:1: invalid YAML: several YAML documents"),
        (
            "litellm",
            "model_list:\n  - {model_name: a, model_name: b}\n",
            ":2:21: duplicate key 'model_name' (first defined at line 2)",
        ),
        (
            "librechat",
            "endpoints:\n  custom: {a: 1}\n",
            ":2:11: endpoints.custom: 'custom' should be a list",
        ),
        ("librechat", "version: 1\n", ":1:1: not a LibreChat config"),
        ("promptfoo", "providers: 3\n", ":1:12: providers: 'providers' should be a list"),
        ("promptfoo", "providers:\n  - [a]\n", ":2:5: providers[0]: a provider should be an id"),
        (
            "mlflow",
            "endpoints:\n  - name: x\n    model: {name: gpt-4o}\n",
            ":3:12: endpoints[0].model.provider",
        ),
        (
            "continue",
            "models:\n  - {name: x, model: y}\n",
            ":2:5: models[0].provider: the model's 'provider'",
        ),
        ("continue", "[1, 2]\n", ":1:1: not a Continue config: expected a mapping"),
    ],
)
def test_bad_files_of_every_format_are_located_errors(
    write: Write, fmt: str, text: str, where: str
) -> None:
    with pytest.raises(InputError) as exc:
        reader(fmt).read(write("config.yaml", text))
    assert where in str(exc.value)


MERGES = [
    "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 9\n",
    "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n",
    "base: &base\n  model: groq/llama3-8b-8192\n  timeout: 1\nl:\n  - <<: *base\n    timeout: 2\n",
]


@pytest.mark.parametrize("text", MERGES)
def test_fast_merge_keys_are_pyyamls(text: str) -> None:
    import yaml
    import yaml_rs

    from clearance.gateways.litellm_merge import expansion_is_bounded, merged

    assert expansion_is_bounded(text)
    assert merged(yaml_rs.loads(text)) == yaml.safe_load(text)


def test_an_alias_bomb_never_reaches_yaml_rs(write: Write) -> None:
    from clearance.gateways.litellm_fast import plain_doc

    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = write("config.yaml", "\n".join(levels) + "\nmodel_list: []\n")
    assert plain_doc(path, "config.yaml") is None
    with pytest.raises(InputError, match="billion laughs"):
        litellm.read(path)


def test_a_merged_model_shared_by_entries_takes_the_positioned_path(write: Write) -> None:
    from clearance.gateways.litellm_fast import plain_doc
    from clearance.gateways.source import read_doc

    path = write(
        "config.yaml",
        "x: &m\n  model: groq/llama3-8b-8192\nmodel_list:\n"
        "  - {model_name: a, litellm_params: {<<: *m}}\n"
        "  - {model_name: b, litellm_params: {<<: *m}}\n",
    )
    assert plain_doc(path, "config.yaml") is None
    assert litellm.read(path) == litellm._read(read_doc(path), None)
    assert [d.line for d in litellm.read(path)] == [2, 2]


def test_the_fast_path_bounds_are_the_positioned_readers() -> None:
    from clearance.gateways import litellm_merge
    from clearance.loading import yaml_source

    assert litellm_merge.alias_budget is yaml_source.alias_budget
    assert litellm_merge.MAX_DEPTH == yaml_source.MAX_DEPTH


@pytest.mark.parametrize(
    ("extra", "region", "unknown"),
    [
        ("", "global", []),  # Anthropic's default endpoint and default geography
        ("      inference_geo: us\n", "us", []),
        ("      inference_geo: global\n", "global", []),
        ("      inference_geo: os.environ/GEO\n", None, [("env", "region")]),
        ("      inference_geo: eu\n", None, [("missing", "region")]),
        ("      inference_geo: ''\n", None, []),
        (  # another host: where it runs is unknown whatever the field says
            "      api_base: https://proxy.example.com\n      inference_geo: us\n",
            None,
            [("missing", "region")],
        ),
    ],
)
def test_an_anthropic_route_runs_where_its_inference_geo_says(
    write: Write,
    catalogue: Catalogue,
    extra: str,
    region: str | None,
    unknown: list[tuple[str, str]],
) -> None:
    d = one(write, "      model: anthropic/claude-sonnet-4-20250514\n" + extra, catalogue)
    assert d.provider == "anthropic"
    assert d.region == region
    assert [(u.kind, u.field) for u in d.unknown] == unknown
    if region is not None:
        regions = {r.id for r in catalogue.providers["anthropic"].regions}
        assert region == "global" or region in regions
