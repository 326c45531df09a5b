"""What each field of the catalogue formats means: licences, models, providers,
jurisdictions and prices. `field_docs.FIELD_DOCS` merges these in (one lookup)."""

from __future__ import annotations

_TERM = {
    "source": "Key into the licence's `sources`: the document the term is read from.",
    "section": "The section of that document that states it (e.g. 1.b.v).",
    "quote": "The words of that section, verbatim.",
    "note": "How the term was read, where the text leaves room.",
}
_SOURCE = {
    "url": "Address of the document the fact was read from.",
    "as_of": "Date the document was read, YYYY-MM-DD.",
    "commit": "The commit the document was read at, for a document in a git repository.",
    "path": "The file in that repository.",
    "section": "The section of the document that states the fact.",
    "quote": "The words that state it, verbatim.",
    "level": "How direct the source is: PRIMARY (the publisher's own document), SECONDARY "
    "(someone quoting it) or COPY (the publisher's text read through a copy).",
}
_PLACE = "ISO 3166-1 alpha-2 country code"

CATALOGUE_DOCS: dict[str, dict[str, str]] = {
    "Source": _SOURCE,
    "ProviderSource": {
        **_SOURCE,
        "covers": "The provider fields this source backs (e.g. agreements, retention_days).",
    },
    "BoolTerm": {**_TERM, "value": "true or false."},
    "IntTerm": {**_TERM, "value": "The number (0 or more)."},
    "StrTerm": {**_TERM, "value": "The text, as the licence gives it (a phrase or a URL)."},
    "ListTerm": {**_TERM, "value": "The values, as the licence gives them."},
    "OutputTrainingTerm": {
        **_TERM,
        "value": "allowed, no-competing-models (not models that compete with the licensor's), "
        "no-other-llms (not any other large language model), licence-follows (a model "
        "trained on outputs is a derivative under this licence) or research-only.",
    },
    "LicenceTerms": {
        "commercial_use": "Whether the licence allows commercial use.",
        "mau_threshold": "Monthly active users above which a separate grant from the "
        "licensor is needed (Llama: 700 million).",
        "revenue_threshold_usd": "Annual revenue, in US dollars, above which a separate "
        "grant from the licensor is needed.",
        "output_training": "What the model's outputs may be used to train.",
        "excluded_domiciles": "Places (" + _PLACE + "s or groups such as EU) whose "
        "organisations the licence excludes from its grant.",
        "excluded_modalities": "The input modalities the domicile exclusion applies to "
        "(Llama 3.2: image).",
        "attribution": "The attribution the licence requires shown (e.g. Built with Llama).",
        "notice": "The notice the licence requires kept with copies.",
        "naming_prefix": "The word a derived model's name must begin with (e.g. Llama).",
        "licence_copy_required": "Whether a copy of the licence must go with the model "
        "when it is distributed.",
        "hosting_is_distribution": "Whether making the model available as a service counts "
        "as distribution under the licence.",
        "use_policy": "The acceptable use policy the licence binds users to (a URL or its name).",
    },
    "Obligation": {
        "id": "Obligation id (lowercase), unique in the licence.",
        "title": "The duty, in one line.",
        "when": "Where the duty applies: a condition over fact paths; omit for every use.",
        "text": "What must be done, at more length.",
        "source": "Key into the licence's `sources`: the document the duty comes from.",
    },
    "LicenceFile": {
        "id": "Licence id (lowercase), as models and providers name it.",
        "name": "The licence's full name.",
        "kind": "permissive, community, non-commercial, research or proprietary-api "
        "(a provider's API terms).",
        "spdx": "Its SPDX licence id, where SPDX lists it.",
        "aliases": "Other names that resolve to it (Hugging Face licence keywords, spellings).",
        "url": "Where the licence text is published.",
        "as_of": "Date the licence text was read, YYYY-MM-DD.",
        "summary": "What the licence allows and requires, in a few sentences.",
        "sources": "The documents its terms are read from, by key.",
        "terms": "Structured facts read from the licence text (licence.terms.* in rules).",
        "rules": "Rules that come with the licence; they judge each workload it governs.",
        "obligations": "Duties that follow from the licence even where nothing is broken, "
        "listed in the audit's obligations register.",
    },
    "ModelEntry": {
        "id": "Model id (the Hugging Face repo id for open weights, vendor/model for "
        "closed ones), as manifests name it.",
        "name": "The model's name.",
        "vendor": "The organisation that publishes it (lowercase id).",
        "family": "Its model family (e.g. llama).",
        "licence": "Licence id of the licence its weights or API come under.",
        "weights": "open (weights the organisation may run) or closed (only through an API).",
        "modalities": "What it takes in and puts out.",
        "released": "Release date, YYYY-MM-DD.",
        "parameters": "Parameter count as the vendor gives it (e.g. 8B).",
        "base_model": "The models it derives from, by catalogue id; their licences govern it too.",
        "lineage": "How it derives from its base: fine-tune, quantisation, merge, "
        "distillation, adapter or continued-pretraining.",
        "aliases": "Other ids that resolve to it (Ollama tags, Bedrock ids, ...).",
        "source": "Where the model's facts were read.",
    },
    "ModelsFile": {"models": "The catalogue's models."},
    "Region": {
        "id": "Region id, as the provider writes it (e.g. eu-west-1), or global.",
        "name": "The region's name.",
        "country": "The " + _PLACE + " the region is in.",
        "area": "The group (e.g. EU) the region is in, for an API that offers only "
        "jurisdictions. Neither country nor area: it may process anywhere.",
    },
    "InferenceProfile": {
        "prefix": "The model-id prefix, ending in a dot (Bedrock's eu.).",
        "name": "The profile's name.",
        "country": "The " + _PLACE + " it routes within.",
        "area": "The group (e.g. EU) it routes within. Neither: it may route anywhere.",
    },
    "ProviderEntry": {
        "id": "Provider id (lowercase), as manifests' deployment.provider name it.",
        "name": "The provider's name.",
        "kind": "api (serves models through its API), hosted-open (an inference provider "
        "serving open weights), cloud (hosts the organisation's own deployment) or on-prem "
        "(the organisation's own sites).",
        "vendor": "The vendor whose models it serves as their own vendor, if any.",
        "terms": "Licence id of its terms of service.",
        "trains_on_customer_data": "Whether it trains on customer data by default. Unset: unknown.",
        "retention_days": "Days it keeps prompts and outputs by default. Unset: unknown.",
        "agreements": "Agreements it offers (baa, dpa, scc, zdr, ...), each sourced.",
        "agreements_not_offered": "Agreements a source says it does not offer; one in "
        "neither list is unknown.",
        "regions": "Where it processes data.",
        "inference_profiles": "Model-id prefixes that route requests across a geography.",
        "carries_vendor_terms": "Vendors whose own terms for their closed models come "
        "with them through this provider, where a source says so.",
        "notes": "What else a reader should know.",
        "sources": "The documents its facts are read from.",
    },
    "ProvidersFile": {"providers": "The catalogue's providers."},
    "Country": {
        "id": "The " + _PLACE + ".",
        "name": "Its ISO short name.",
        "alpha3": "Its ISO 3166-1 alpha-3 code, read only to suggest the alpha-2 code to "
        "a manifest that wrote this one.",
    },
    "Group": {
        "id": "Group id (upper case, e.g. EU, EEA).",
        "name": "The group's name.",
        "members": "Its member countries (" + _PLACE + "s).",
        "includes": "Other groups whose members are its members too.",
        "source": "Where its membership was read.",
    },
    "Adequacy": {
        "country": "The " + _PLACE + " of the country the decision is about.",
        "decided": "Date of the decision, YYYY-MM-DD.",
        "scope": "What the decision covers.",
        "partial": "true: it covers only some recipients, so the country is not GDPR-ADEQUATE.",
        "source": "Where the decision was read.",
    },
    "JurisdictionsFile": {
        "countries": "Every country manifests may name.",
        "groups": "Groups of countries (EU, EEA, ...).",
        "adequacy": "The European Commission's GDPR adequacy decisions.",
    },
    "ApiPrice": {
        "provider": "Catalogue provider id.",
        "model": "Catalogue model id or alias.",
        "input_usd_per_million_tokens": "Price of a million input tokens, in US dollars.",
        "output_usd_per_million_tokens": "Price of a million output tokens, in US dollars.",
        "notes": "What the price assumes (tier, region, ...).",
        "source": "Where the price was read.",
    },
    "SelfHosting": {
        "size_class": "Model size the figure is for: small, medium, large or very-large.",
        "where": "cloud or on-prem.",
        "gpu": "The GPU model.",
        "gpus": "GPUs in one replica.",
        "gpu_hourly_usd": "Cost of one GPU for an hour, in US dollars.",
        "throughput_tokens_per_day": "Tokens (input and output together) one replica "
        "serves in a day at full use.",
        "setup_usd": "One-off set-up cost, in US dollars (amortised over 12 months).",
        "seed_default": "true: a figure from the seed articles, kept as the documented "
        "default where no better source was found.",
        "notes": "What the figure assumes.",
        "source": "Where the figure was read.",
    },
    "PricesFile": {
        "api": "What providers charge per million tokens, per model; read only by "
        "`clearance advise`.",
        "self_hosting": "What a replica costs to run, per size class and hardware; read "
        "only by `clearance advise`.",
    },
}
