"""Where a deployment's region puts the data: its id, country and groups.

A cloud region is a country (and the groups it belongs to); a region spanning
several countries (Mistral's `eu`) is its area alone, so residency in the group
passes and residency in one of its countries does not; an on-prem region is one
of the organisation's sites; `global` is outside every jurisdiction; a
cross-Region inference profile (`eu.` on Bedrock) reaches as far as its profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import GLOBAL_REGION
from clearance.errors import did_you_mean

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue
    from clearance.schema.catalog import InferenceProfile, ProviderEntry

# The region id that meant "processing location unknown" before `global` replaced it.
# Refused with a pointer to `global` rather than kept as an alias: the two meant the
# same, so the fix is one word, and an alias would keep a second spelling alive in
# every manifest, report and baseline key (region.id) for no gain.
UNSPECIFIED_REGION = "unspecified"

Place = tuple[Any, ...]  # (id, country or None, groups)


class Places:
    """Resolves region ids against the catalogue and the organisation's sites."""

    def __init__(self, catalogue: Catalogue, sites: dict[str, str]) -> None:
        self.cat = catalogue
        self.sites = sites

    def region(
        self,
        provider: ProviderEntry,
        region_id: str,
        bad: Any,
        profile: InferenceProfile | None = None,
    ) -> tuple[Any, ...] | None:
        """(id, country, groups) of the region, or None after reporting it unknown."""
        if provider.kind == "on-prem":
            country = self.sites.get(region_id)
            if country is None:
                hint = (
                    "; on-prem regions are the organisation's sites"
                    if self.sites
                    else "; organisation.yaml lists no sites"
                )
                bad(
                    ("deployment", "region"),
                    f"{region_id!r} is not a site of the organisation{hint}",
                    did_you_mean(region_id, self.sites),
                )
                return None
            return (region_id, country, self.cat.groups_of.get(country, frozenset()))
        if region_id == GLOBAL_REGION:
            # "may process anywhere" is true of every third party, so any provider may
            # be given it: outside every country and group, residency and transfer
            # rules fail closed rather than assume somewhere safe
            return (GLOBAL_REGION, None, frozenset())
        if region_id == UNSPECIFIED_REGION:
            bad(
                ("deployment", "region"),
                f"'{UNSPECIFIED_REGION}' is no longer a region id: write '{GLOBAL_REGION}' "
                "(may process anywhere, outside every jurisdiction)",
                GLOBAL_REGION,
            )
            return None
        for region in provider.regions:
            if region.id == region_id:
                if profile is not None:
                    return self._profile_place(region.id, profile)
                place = region.country or region.area
                assert place is not None
                groups = self.cat.groups_of.get(place, frozenset())
                if region.area is not None:
                    groups = groups | {region.area}
                return (region.id, region.country, groups)
        listed = [r.id for r in provider.regions]
        if not listed:
            bad(
                ("deployment", "region"),
                f"the catalogue lists no regions for {provider.id}: write "
                f"'{GLOBAL_REGION}' (may process anywhere, outside every jurisdiction), or "
                "add the provider's regions through the bundle's catalogue",
                GLOBAL_REGION if region_id.lower() == GLOBAL_REGION else None,
            )
            return None
        # a short list is worth reading in full; a cloud's thirty regions are not
        shown = (
            f" (its regions: {', '.join(listed)}, or '{GLOBAL_REGION}')" if len(listed) <= 8 else ""
        )
        bad(
            ("deployment", "region"),
            f"{region_id!r} is not a region of {provider.id}{shown}",
            did_you_mean(region_id, [*listed, GLOBAL_REGION]),
        )
        return None

    def _profile_place(self, region_id: str, profile: InferenceProfile) -> tuple[Any, ...]:
        """The geography a cross-Region inference profile may route to, from its source region."""
        place = profile.country or profile.area
        groups = self.cat.groups_of.get(place, frozenset()) if place else frozenset()
        if profile.area is not None:
            groups = groups | {profile.area}
        # the id names both, so a message says where the request starts and how far it may go
        return (f"{region_id} via {profile.prefix}", profile.country, groups)


def established_in(
    domicile: str | None, sites: dict[str, str], groups_of: dict[str, frozenset[str]]
) -> tuple[str, ...] | None:
    """The countries and groups the organisation is established in (GDPR Art. 3(1)).

    Its domicile and the country of each of its own sites (a data centre is an
    establishment: a stable arrangement through which it carries on activity). With
    the domicile unknown, a site in a place proves an establishment there, but no
    list of sites proves one absent elsewhere: unknown (None) unless a site exists.
    """
    countries = {c for c in (domicile, *sites.values()) if c is not None}
    if domicile is None and not countries:
        return None
    places = set(countries)
    for country in countries:
        places |= groups_of.get(country, frozenset())
    return tuple(sorted(places))


# Names people write for a place that are not its ISO 3166-1 alpha-2 code: the
# United Kingdom's exceptionally reserved code and the EU's own code for Greece.
PLACE_ALIASES = {"UK": "GB", "EL": "GR"}


def place_hint(word: str, catalogue: Catalogue) -> str | None:
    """The place code meant by `word`: a code in the wrong case, a country's name,
    an alias (UK), an alpha-3 code (DEU), or a near spelling."""
    places = catalogue.places()
    upper = word.upper()
    if upper in places:
        return upper
    if upper in PLACE_ALIASES:
        return PLACE_ALIASES[upper]
    by_name = {name.lower(): code for code, name in catalogue.countries.items()}
    by_name.update({name.lower(): code for code, name in catalogue.group_names.items()})
    if word.lower() in by_name:
        return by_name[word.lower()]
    if catalogue.jurisdictions is not None:
        for country in catalogue.jurisdictions.countries:  # DEU, FRA, ...
            if country.alpha3 == upper:
                return country.id
    named = did_you_mean(word.lower(), by_name, cutoff=0.75)
    return by_name[named] if named else did_you_mean(word, places)
