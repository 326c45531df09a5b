"""Where one LiteLLM deployment runs: its provider, region or geography, and endpoint.

Region fields by provider: Bedrock and SageMaker `aws_region_name` (or the
Region in the host of `aws_bedrock_runtime_endpoint`, or in a model ARN),
Vertex AI `vertex_location` (`vertex_ai_location` is the older spelling),
OpenAI the data-residency host of `api_base`, Anthropic `inference_geo`. A
value from the environment is unknown, and so is a region the config does
not write.

Anthropic's `inference_geo` reaches Anthropic from a LiteLLM config: the proxy
passes `litellm_params` to `litellm.completion()` ("all params accepted by
litellm.completion()", https://docs.litellm.ai/docs/proxy/configs, 2026-10-13),
which "treats any non-openai param, as a provider-specific param, and passes it
to the provider in the request body"
(https://docs.litellm.ai/docs/completion/provider_specific_params, 2026-10-09).
Anthropic documents two values: "global", the default ("Inference may run in any
available geography"), and "us" ("Inference runs only in US-based
infrastructure"; https://platform.claude.com/docs/en/manage-claude/data-residency,
read 2026-11-30). Without the field a workspace default may narrow it to the US;
`global`, which includes it, is what the config can say.
"""

from __future__ import annotations

import re
from typing import Any

from clearance.errors import PathPart
from clearance.gateways import bedrock
from clearance.gateways.interface import Unknown, UnknownKind
from clearance.gateways.litellm_providers import (
    CATALOGUED,
    OPENAI_HOSTS,
    REGION_HOSTS,
    SELF_HOSTED,
)
from clearance.gateways.source import Doc, env_name, host_of, is_local_host, is_template, text

_VERTEX_PATH = r"/locations/([a-z0-9-]+)/"  # compiled on first use
_VERTEX_HOST = r"^([a-z]+-[a-z]+\d+)-aiplatform\.googleapis\.com$"


class Placement:
    """What `placement` finds, filled in step by step (a plain class: cheap to import)."""

    def __init__(self, served: str | None) -> None:
        self.served = served
        self.provider: str | None = None
        self.region: str | None = None
        self.geography: str | None = None
        self.endpoint: str | None = None
        self.self_hosted = False
        self.unknown: list[Unknown] = []

    def note(self, kind: UnknownKind, what: str, detail: str) -> None:
        self.unknown.append(Unknown(kind, what, detail))

    def unknown_of_region(self) -> bool:
        return any(u.field == "region" for u in self.unknown)


def placement(
    doc: Doc,
    params: dict[Any, Any],
    pp: tuple[PathPart, ...],
    prefix: str | None,
    served: str | None,
) -> Placement:
    place = Placement(served)
    api_base = _field(doc, params, pp, "api_base", "endpoint", place)
    place.endpoint = api_base
    if prefix is None:
        return place
    host = host_of(api_base) if api_base is not None else None
    if host is not None and host.endswith("aiplatform.googleapis.com"):
        _vertex_endpoint(place, api_base or "", host)
    elif prefix in SELF_HOSTED:
        _self_hosted(place, prefix, host, api_base)
    elif prefix in ("bedrock", "sagemaker", "sagemaker_chat", "sagemaker_nova"):
        _aws(doc, params, pp, prefix, place)
    elif prefix in ("vertex_ai", "vertex_ai_beta"):
        place.provider = CATALOGUED[prefix]
        for key in ("vertex_location", "vertex_ai_location"):
            if (region := _field(doc, params, pp, key, "region", place)) is not None:
                place.region = region
                break
        else:
            if not place.unknown_of_region():
                place.note(
                    "missing", "region", "no vertex_location: the Region comes from the environment"
                )
    elif prefix in ("openai", "text-completion-openai"):
        _openai(place, prefix, host, api_base)
    elif prefix in ("azure", "azure_text"):
        place.provider = CATALOGUED[prefix]
        where = f" at {host}" if host else ""
        place.note(
            "missing", "region", f"the Region of the Azure resource{where} is not in the config"
        )
    elif prefix in CATALOGUED:
        place.provider = CATALOGUED[prefix]
        _by_host(place, place.provider, host)
        if place.provider == "anthropic" and "inference_geo" in params:
            _inference_geo(doc, params, pp, place)
    else:
        place.note(
            "not-catalogued",
            "provider",
            f"LiteLLM provider {prefix!r} is not in clearance's catalogue",
        )
    if api_base is not None and is_template(api_base):
        place.note("template", "endpoint", f"{api_base!r} is a template to fill in")
    return place


def _field(
    doc: Doc,
    params: dict[Any, Any],
    pp: tuple[PathPart, ...],
    key: str,
    what: str,
    place: Placement,
) -> str | None:
    value = params.get(key)
    if value is None:  # the usual answer, without a call
        return None
    if type(value) is not str:
        value = text(doc, params, key, pp)  # words a list or mapping as an error
        assert value is not None
    if not value.strip():
        return None
    if (var := env_name(value)) is not None:
        place.note("env", what, f"{key} is read from the environment variable {var}")
        return None
    return value.strip()


def _aws(
    doc: Doc, params: dict[Any, Any], pp: tuple[PathPart, ...], prefix: str, place: Placement
) -> None:
    place.provider = CATALOGUED[prefix]
    place.self_hosted = prefix != "bedrock"  # a SageMaker endpoint runs the organisation's model
    served = place.served
    if served is not None and prefix == "bedrock":
        served = bedrock.split_route(served)
        place.geography, served = bedrock.split_profile(served)
        place.served = served
    region = _field(doc, params, pp, "aws_region_name", "region", place)
    runtime = _field(doc, params, pp, "aws_bedrock_runtime_endpoint", "endpoint", place)
    others: list[str] = []  # the Region an endpoint host or a model ARN names, if any
    if runtime is not None:
        place.endpoint = runtime
        if (from_host := bedrock.region_of_host(host_of(runtime))) is not None:
            others.append(from_host)
    if served is not None and (from_arn := bedrock.region_of_arn(served)) is not None:
        others.append(from_arn)
    if region is None and others:
        region = others[0]
    if region is not None and others and any(r != region for r in others):
        place.note(
            "conflict",
            "region",
            f"aws_region_name {region!r} but the endpoint or ARN says {others[0]!r}",
        )
    place.region = region
    if region is None and not (place.unknown and place.unknown_of_region()):
        place.note(
            "missing", "region", "no aws_region_name: the Region comes from the AWS environment"
        )


def _vertex_endpoint(place: Placement, api_base: str, host: str) -> None:
    """Vertex AI reached through an OpenAI-compatible or publisher URL."""
    place.provider = "google-vertex"
    m = re.match(_VERTEX_HOST, host)
    where = m.group(1) if m else None
    if where is None and (p := re.search(_VERTEX_PATH, api_base)) is not None:
        where = p.group(1)
    if where == "global" or (where is None and host == "aiplatform.googleapis.com"):
        place.geography = "global"  # Vertex's global endpoint: any Region Google chooses
    elif where is not None:
        place.region = where


def _self_hosted(place: Placement, prefix: str, host: str | None, api_base: str | None) -> None:
    place.self_hosted = True
    if any(u.field == "endpoint" for u in place.unknown):
        place.note("env", "provider", f"where the {prefix} server runs comes from the environment")
    elif is_local_host(host):
        place.provider = "on-prem"
    else:
        place.note(
            "missing",
            "provider",
            f"a {prefix} server at {host}: which site or cloud runs it is not in the config",
        )


def _openai(place: Placement, prefix: str, host: str | None, api_base: str | None) -> None:
    if any(u.field == "endpoint" for u in place.unknown):
        place.note(
            "env", "provider", "an OpenAI-compatible endpoint from the environment: any provider"
        )
        return
    if host is None or host in OPENAI_HOSTS:
        place.provider = CATALOGUED[prefix]
        place.region = OPENAI_HOSTS.get(host or "api.openai.com")
        if place.region is None:
            place.note(
                "missing",
                "region",
                "api.openai.com without data residency: processed wherever OpenAI runs it",
            )
        return
    place.note(
        "not-catalogued", "provider", f"an OpenAI-compatible endpoint at {host}, not OpenAI's API"
    )


# Anthropic's documented `inference_geo` values, as catalogue regions of `anthropic`
_ANTHROPIC_GEOS = {"global": "global", "us": "us"}


def _inference_geo(
    doc: Doc, params: dict[Any, Any], pp: tuple[PathPart, ...], place: Placement
) -> None:
    """Where an Anthropic route's inference runs: its `inference_geo`, at Anthropic's own
    endpoint (another host's region is already unknown)."""
    if place.region is None:
        return
    geo = _field(doc, params, pp, "inference_geo", "region", place)
    if geo is None:  # from the environment (noted) or empty: global or US, not written
        place.region = None
    elif geo in _ANTHROPIC_GEOS:
        place.region = _ANTHROPIC_GEOS[geo]
    else:
        place.region = None
        place.note("missing", "region", f"inference_geo {geo!r} is not a value Anthropic documents")


def _by_host(place: Placement, provider: str, host: str | None) -> None:
    """The region an API's host decides (`REGION_HOSTS`): its default endpoint's when no
    `api_base` is set. A host whose region is not documented leaves the region unknown."""
    hosts = REGION_HOSTS.get(provider)
    if hosts is None or any(u.field == "endpoint" for u in place.unknown):
        return
    if host is None:
        place.region = next(iter(hosts.values()))
    elif host in hosts:
        place.region = hosts[host]
    else:
        place.note(
            "missing", "region", f"{host}: not an endpoint of {provider} whose region is known"
        )
