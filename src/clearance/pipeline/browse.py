"""What `clearance models | licences | providers` show: filters checked, ids looked up.

A filter value the catalogue does not know is an error with "did you mean",
never an empty table: `--licence llama3.1` (an alias) finds the models under
llama-3.1, `--licence lama-3.1` is exit 2.
"""

from __future__ import annotations

from clearance.bundle.catalogue import Catalogue
from clearance.bundle.licence_names import licence_id, licence_words
from clearance.bundle.load import Bundle
from clearance.errors import UsageError, suggestion_suffix
from clearance.report.views.catalogue import licence_detail, licences_view, models_view
from clearance.report.views.catalogue import providers_view as providers_table
from clearance.report.views.catalogue_detail import model_detail, provider_detail
from clearance.resolve.model_hint import ranked, shown


def _unknown(what: str, value: str, known: object) -> UsageError:
    choices = sorted(str(k) for k in known)  # type: ignore[attr-defined]
    return UsageError(f"unknown {what} {value!r}" + suggestion_suffix(value, choices))


def models_text(
    cat: Catalogue, family: str | None, licence: str | None, weights: str | None
) -> str:
    families = {m.family for m in cat.models.values()}
    if family is not None and family not in families:
        lowered = family.lower()
        if lowered not in families:
            raise _unknown("model family", family, families)
        family = lowered
    lid = None
    if licence is not None:
        lid = licence_id(cat, licence)
        if lid is None:
            raise _unknown("licence", licence, set(licence_words(cat)))
    return models_view(cat, family, lid, weights)


def model_detail_text(cat: Catalogue, name: str) -> str:
    model = cat.model(name)
    if model is None:
        near = ranked(list(cat.models.values()), name) if len(name) <= 200 else []
        hint = ", or ".join(shown(n, m) for n, m in near)
        raise UsageError(f"unknown model {name!r}" + (f" (did you mean {hint}?)" if hint else ""))
    return model_detail(cat, model)


def licences_text(cat: Catalogue, kind: str | None) -> str:
    kinds = {loaded.value.kind for loaded in cat.licences.values()}
    if kind is not None and kind not in kinds:
        raise _unknown("licence kind", kind, kinds)
    return licences_view(cat, kind)


def licence_detail_text(cat: Catalogue, name: str) -> str:
    lid = licence_id(cat, name)
    if lid is None:
        raise UsageError(f"unknown licence {name!r}" + suggestion_suffix(name, cat.licences))
    return licence_detail(cat, lid)


def providers_text(cat: Catalogue, kind: str | None) -> str:
    return providers_table(cat, kind)


def provider_detail_text(bundle: Bundle, name: str) -> str:
    cat = bundle.catalogue
    provider = cat.providers.get(name) or cat.providers.get(name.lower())
    if provider is None:
        raise _unknown("provider", name, cat.providers)
    return provider_detail(cat, provider, bundle.agreements)
