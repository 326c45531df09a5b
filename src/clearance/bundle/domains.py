"""The known values of closed-vocabulary facts, so that a typo in a rule is caught at load."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import Catalogue

if TYPE_CHECKING:
    from clearance.schema.bundle import DataClass


def _literals(model: Any, name: str) -> frozenset[str]:
    return frozenset(typing.get_args(getattr(model, name)))


def build_domains(
    cat: Catalogue, data_classes: dict[str, DataClass], agreements: dict[str, str]
) -> dict[str, frozenset[str]]:
    """The known values of closed-vocabulary facts, so a typo in a rule is caught at load."""
    from clearance.schema import catalog as catalog_model
    from clearance.schema import licence as licence_model
    from clearance.schema import manifest as manifest_model

    places = frozenset(cat.places())
    licences = frozenset(cat.licences)
    providers = frozenset(cat.providers)
    return {
        "workload.data": frozenset(data_classes),
        "workload.purpose": _literals(manifest_model, "Purpose"),
        "workload.audience": _literals(manifest_model, "Audience"),
        "workload.residency": places,
        "deployment.mode": _literals(manifest_model, "DeploymentMode"),
        "deployment.network": _literals(manifest_model, "Network"),
        "deployment.provider": providers,
        "deployment.agreements": frozenset(agreements),
        "deployment.agreements_attested": frozenset(agreements),
        "deployment.agreements_recorded": frozenset(agreements),
        "deployment.agreements_expired": frozenset(agreements),
        "model.weights": _literals(catalog_model, "Weights"),
        "model.licence": licences,
        "model.family": frozenset(m.family for m in cat.models.values()),
        "model.vendor": frozenset(m.vendor for m in cat.models.values()),
        "model.input_modalities": _literals(catalog_model, "Modality"),
        "model.output_modalities": _literals(catalog_model, "Modality"),
        "model.lineage": _literals(catalog_model, "Lineage"),
        "model.declared_by": frozenset({"catalogue", "manifest"}),
        "licence.id": licences,
        "licence.kind": _literals(licence_model, "LicenceKind"),
        "licence.governs_as": frozenset({"model-licence", "provider-terms"}),
        "licence.terms.output_training": _literals(licence_model, "OutputTraining"),
        "provider.id": providers,
        "provider.kind": _literals(catalog_model, "ProviderKind"),
        "provider.terms": licences,
        "provider.agreements": frozenset(agreements),
        "provider.agreements_not_offered": frozenset(agreements),
        "region.country": frozenset(cat.countries),
        "region.groups": places,
        "region.within": places,
        "organisation.domicile": frozenset(cat.countries),
        "organisation.domicile_groups": places,
        "organisation.established_in": places,
        "workload.data_subjects": places,
        "workload.data_subjects_within": places,
        "organisation.licences_held": licences,
    }
