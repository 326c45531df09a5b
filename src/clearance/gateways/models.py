"""Model strings to catalogue models, and provider kinds to deployment modes.

`resolve_model` is the one place a gateway's model string meets the
catalogue (its id and alias index: Hugging Face ids, Ollama tags, Bedrock ids);
the drift check can repoint it (e.g. to add a manifest's own `models:`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

# Route suffixes providers add to a model id that do not change the model:
# OpenRouter's `:free`/`:nitro` variants, Vertex's `@version` written as `-version` in aliases.
_VARIANT_SUFFIXES = (":free", ":nitro", ":beta", ":extended", ":floor", ":online", ":thinking")


def candidates(served: str) -> list[str]:
    """Spellings of one served model id to look up, most literal first."""
    out = [served]
    if "@" in served:  # vertex_ai/claude-3-5-sonnet@20240620 is claude-3-5-sonnet-20240620
        out.append(served.replace("@", "-"))
    if served.endswith(_VARIANT_SUFFIXES):  # one test for the usual id that has none
        for suffix in _VARIANT_SUFFIXES:
            if served.endswith(suffix):
                out.append(served[: -len(suffix)])
    if served.endswith(":latest"):  # an Ollama tag's default
        out.append(served[: -len(":latest")])
    return out


def resolve_model(catalogue: Catalogue | None, served: str | None) -> str | None:
    """The catalogue model id `served` names (by id or alias, case-insensitively), or None."""
    if catalogue is None or not served:
        return None
    model = catalogue.model(served)  # the id as written: most routes, without the spellings
    if model is not None:
        return model.id
    for name in candidates(served)[1:]:
        model = catalogue.model(name)
        if model is not None:
            return model.id
    return None


def deployment_mode(
    catalogue: Catalogue | None, provider: str | None, model_id: str | None
) -> str | None:
    """The manifest's `deployment.mode` for a model at a provider, from the provider's kind.

    api: a vendor API; hosted-open: an inference provider (or a vendor API) serving
    open weights; self-hosted: a cloud or the organisation's own sites running it.
    """
    if catalogue is None or provider is None or provider not in catalogue.providers:
        return None
    kind = catalogue.providers[provider].kind
    if kind in ("cloud", "on-prem"):
        return "self-hosted"
    if kind == "hosted-open":
        return "hosted-open"
    model = catalogue.model(model_id) if model_id else None
    return "hosted-open" if model is not None and model.weights == "open" else "api"


def provider_regions(catalogue: Catalogue | None, provider: str | None) -> tuple[str, ...] | None:
    """The region ids the catalogue lists for a provider (None when it does not know it)."""
    if catalogue is None or provider is None or provider not in catalogue.providers:
        return None
    return tuple(r.id for r in catalogue.providers[provider].regions)
