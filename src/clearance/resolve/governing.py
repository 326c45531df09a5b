"""Which terms govern a workload: the model's licence chain, the provider's terms, or both.

- self-hosted weights: the model's licence and the licence of every ancestor
  it declares through `base_model`;
- a provider serving a model of its own vendor (OpenAI serving GPT-4o,
  Mistral serving Mistral Large): the provider's terms only;
- anyone else serving open weights (an inference provider, a cloud's model
  API): the model's licence chain and the provider's terms;
- anyone else serving a closed model (Claude on Bedrock): the provider's terms,
  and the vendor's where a source says the reseller passes them on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clearance.bundle.load import Bundle
    from clearance.schema.catalog import InferenceProfile, ModelEntry, ProviderEntry


@dataclass(frozen=True)
class Governing:
    licence: str
    via: str  # the model, ancestor or provider that brings these terms in
    governs_as: str  # "model-licence" or "provider-terms"


def governing_terms(
    model: ModelEntry,
    provider: ProviderEntry,
    mode: str,
    bundle: Bundle,
    ancestors: list[ModelEntry] | None = None,
    via: Callable[[ModelEntry], str] | None = None,
) -> list[Governing]:
    """`ancestors` and `via` are given for a model a manifest declares (`resolve/declared`):
    its lineage may run through the manifest's own models, and its licence is shown as the
    manifest's word."""
    if ancestors is None:
        ancestors = bundle.catalogue.ancestors(model)
    name = via or (lambda m: m.id)
    # (a vendor's provider without terms falls through: its open weights are still
    # governed by their licence; a closed model is then governed by nothing known, which
    # evaluation reports as a finding of its own rather than passing)
    own_vendor = provider.vendor is not None and provider.vendor == model.vendor
    if mode != "self-hosted" and own_vendor and provider.terms is not None:
        return [Governing(provider.terms, provider.id, "provider-terms")]
    out: list[Governing] = []
    # A closed model a reseller sells carries its vendor's terms where a source says
    # the reseller passes them on (Bedrock: the seller's end user licence).
    if mode == "self-hosted" or model.weights == "open" or carries_vendor_terms(provider, model):
        out.append(Governing(model.licence, name(model), "model-licence"))
        out.extend(Governing(a.licence, name(a), "model-licence") for a in ancestors)
    if mode != "self-hosted" and provider.terms is not None:
        out.append(Governing(provider.terms, provider.id, "provider-terms"))
    seen: set[str] = set()
    return [g for g in out if not (g.licence in seen or seen.add(g.licence))]  # type: ignore[func-returns-value]


def carries_vendor_terms(provider: ProviderEntry, model: ModelEntry) -> bool:
    return model.vendor in provider.carries_vendor_terms


def split_profile(provider: ProviderEntry | None, name: str) -> tuple[InferenceProfile | None, str]:
    """The cross-Region inference profile a model id names by its prefix, and the rest."""
    for profile in provider.inference_profiles if provider is not None else ():
        if name.startswith(profile.prefix) and len(name) > len(profile.prefix):
            return profile, name[len(profile.prefix) :]
    return None, name
