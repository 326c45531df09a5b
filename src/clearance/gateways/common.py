"""What the simpler readers share: building a deployment and naming a provider from a host."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clearance.errors import PathPart
from clearance.gateways import bedrock
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.gateways.models import resolve_model
from clearance.gateways.source import Doc, env_inside, env_name, host_of, is_local_host, is_template

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

# API hosts whose operator the catalogue lists (each the provider's own documented API host).
HOST_PROVIDERS: dict[str, str] = {
    "api.openai.com": "openai",
    "us.api.openai.com": "openai",
    "eu.api.openai.com": "openai",
    "api.anthropic.com": "anthropic",
    "api.mistral.ai": "mistral",
    "codestral.mistral.ai": "mistral",
    "api.groq.com": "groq",
    "api.together.xyz": "together",
    "api.together.ai": "together",
    "api.fireworks.ai": "fireworks",
    "generativelanguage.googleapis.com": "google-gemini",
}
OPENAI_REGIONS = {"us.api.openai.com": "us", "eu.api.openai.com": "eu"}


def endpoint_unknowns(url: str | None, field: str = "endpoint") -> list[Unknown]:
    """Why an endpoint URL cannot be known: taken from the environment, or a template."""
    if url is None:
        return []
    var = env_name(url) or env_inside(url)
    if var is not None:
        return [Unknown("env", field, f"{url!r} is read from the environment variable {var}")]
    if is_template(url):
        return [Unknown("template", field, f"{url!r} is a template to fill in")]
    return []


def provider_of_url(url: str | None, what: str) -> tuple[str | None, str | None, list[Unknown]]:
    """(catalogue provider, region, unknowns) for an API at `url`, judged by its host."""
    host = host_of(url)
    if url is not None and (env_name(url) or env_inside(url)):
        return None, None, [Unknown("env", "provider", f"{what}'s URL comes from the environment")]
    if host in HOST_PROVIDERS:
        return HOST_PROVIDERS[host], OPENAI_REGIONS.get(host), []
    if url is not None and is_local_host(host):
        return "on-prem", None, []
    return None, None, [Unknown("not-catalogued", "provider", f"{what} at {host or url}")]


def build(
    doc: Doc,
    at: tuple[PathPart, ...],
    catalogue: Catalogue | None,
    *,
    model: str,
    served: str | None,
    provider: str | None,
    region: str | None = None,
    endpoint: str | None = None,
    self_hosted: bool = False,
    unknown: list[Unknown] | tuple[Unknown, ...] = (),
    alias: str | None = None,
    key: bool = False,
) -> GatewayDeployment:
    """One deployment positioned at `at` (its key with `key=True`); Bedrock profiles split."""
    geography = None
    if provider == "aws-bedrock" and served is not None:
        geography, served = bedrock.split_profile(bedrock.split_route(served))
    line, col = doc.pos(*at) if not key else _key_pos(doc, at)
    return GatewayDeployment(
        model=model,
        served=served,
        model_id=resolve_model(catalogue, served),
        provider=provider,
        region=region,
        geography=geography,
        endpoint=endpoint,
        self_hosted=self_hosted,
        unknown=tuple(unknown),
        alias=alias,
        file=doc.name,
        line=line,
        column=col,
    )


def _key_pos(doc: Doc, at: tuple[PathPart, ...]) -> tuple[int, int]:
    from clearance.loading.tree import locate

    return locate(doc.tree, at, key=True)


def model_unknowns(served: str | None, model: str) -> list[Unknown]:
    if served is None:
        return []
    if (var := env_name(served) or env_inside(served)) is not None:
        return [Unknown("env", "model", f"read from the environment variable {var}")]
    if "*" in served:
        return [Unknown("wildcard", "model", f"{model!r} matches any model")]
    return []
