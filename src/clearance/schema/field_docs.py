"""What each field of the hand-written file formats means: the JSON Schemas' descriptions.

Editors show a schema's `description` on hover. The models keep their lines short
(several helpers edit them at once), so the words live here, keyed by model and
field, and `pipeline/json_schemas.py` puts them into the schemas it builds. The
generated formats' words live in sibling modules (catalogue, report, audit), merged
here into the one FIELD_DOCS. A test holds every property of every schema to having one.
"""

from __future__ import annotations

from clearance.schema.field_docs_audit import AUDIT_DOCS
from clearance.schema.field_docs_catalogue import CATALOGUE_DOCS
from clearance.schema.field_docs_report import REPORT_DOCS

_SCORE = "1 (favours a closed API) to 5 (favours open weights run by the organisation)"

HAND_WRITTEN_DOCS: dict[str, dict[str, str]] = {
    "Manifest": {
        "version": "Format version of this file; always 1.",
        "system": "What this repository is (a product or service name), shown in reports.",
        "owner": "Who answers for this repository's model use (a team or an address).",
        "workloads": "Every use of a model in this repository, one entry each.",
        "models": "Models the catalogue does not list, declared here with their licence; "
        "workloads name them by id like catalogue models.",
        "gateways": "Gateway configs this manifest answers for (LiteLLM, LibreChat, ...): "
        "`clearance check` reports each deployment in them that no workload declares.",
    },
    "DeclaredModel": {
        "id": "The id workloads name in `model:` (e.g. acme/support-llama); it may not be "
        "an id or alias the catalogue already holds.",
        "licence": "Its licence: a licence id or alias, an SPDX id, or a Hugging Face "
        "licence keyword (llama3.1, apache-2.0, ...).",
        "weights": "open (weights the organisation may run) or closed (only through an API).",
        "base_model": "The model or models it derives from (catalogue or declared ids); "
        "their licences govern it too.",
        "family": "Its model family (e.g. llama); defaults to its catalogued base's.",
        "modalities": "What it takes in and puts out; unknown when left out.",
    },
    "Modalities": {
        "input": "What the model takes in: text, image, audio, video, code or embedding.",
        "output": "What the model puts out: text, image, audio, video, code or embedding.",
    },
    "Gateway": {
        "format": "The config's format: litellm, librechat, promptfoo, mlflow or continue.",
        "path": "The config file, relative to this manifest's folder and inside its repository.",
    },
    "Workload": {
        "id": "Unique id in the manifest (lowercase); waivers and baselines key on it.",
        "description": "What the workload does, in a sentence.",
        "owner": "Who answers for this workload; defaults to the manifest's owner.",
        "data": "Data classes it handles: ids from the bundle's taxonomy "
        "(data-classes.yaml), e.g. public, internal, confidential, pii, phi, gdpr.",
        "purpose": "What the model is used for: inference, fine-tuning, distillation, "
        "evaluation, embedding or training-data-generation.",
        "audience": "Who sees its output: internal (staff) or external (customers, public).",
        "commercial": "Whether it is part of a commercial product or service.",
        "residency": "Where its data may be processed: ISO 3166-1 alpha-2 country codes "
        "or groups (EU, EEA, GDPR-ADEQUATE, ...). Omit when there is no such limit.",
        "model": "The model: a catalogue id or alias (Hugging Face id, Ollama tag, "
        "Bedrock id, ...), or one declared under the manifest's models.",
        "trains": "For fine-tuning, distillation or training-data-generation: the id of "
        "the model being produced.",
        "trains_family": "The family of the model being produced (e.g. llama), when known.",
        "deployment": "Where and how the model runs.",
        "volume": "How much it is used; read by `clearance advise` for cost.",
        "profile": "The advisor's dimensions for this workload, each " + _SCORE + ".",
        "data_subjects": "Where the people whose data it handles are: countries or groups "
        "(e.g. [EU]). Personal data of data subjects in the EEA brings the GDPR into "
        "reach (Art. 3(2)) whatever the organisation's establishment.",
    },
    "Deployment": {
        "mode": "api (the vendor's or a reseller's API), hosted-open (open weights served "
        "by an inference provider) or self-hosted (the organisation runs the weights).",
        "provider": "Catalogue provider id (`clearance providers`); on-prem for the "
        "organisation's own sites.",
        "region": "That provider's region id, or global (may process anywhere); for "
        "on-prem, one of the organisation's sites.",
        "network": "How it is reached: public, private or air-gapped.",
        "agreements": "Agreements in place with the provider: baa, dpa, scc, zdr, or one "
        "the bundle defines.",
    },
    "Volume": {
        "requests_per_day": "Requests a day, on average.",
        "input_tokens_per_request": "Input (prompt) tokens per request, on average.",
        "output_tokens_per_request": "Output (completion) tokens per request, on average.",
    },
    "Profile": {
        "capability": "How much the workload needs the strongest models; " + _SCORE + ".",
        "privacy": "How sensitive its data is; " + _SCORE + ".",
        "scale": "How large its volume is; " + _SCORE + ".",
        "ops": "How much operations capacity the team has; " + _SCORE + ".",
        "customization": "How much it needs to adapt the model; " + _SCORE + ".",
        "latency": "How tight its latency needs are; " + _SCORE + ".",
    },
    "OrganisationFile": {
        "name": "The organisation's name, as findings name it.",
        "monthly_active_users": "Monthly active users of all its products and affiliates, "
        "as licences with a user threshold count them (Llama: 700 million). Unset: "
        "rules with a threshold warn that they cannot be judged.",
        "annual_revenue_usd": "Annual revenue in US dollars, for licences with a revenue "
        "threshold.",
        "domicile": "ISO 3166-1 alpha-2 code of the country of its principal place of "
        "business. Unset: rules that depend on it (the Llama 3.2 EU clause, the GDPR's "
        "reach by establishment) warn that they cannot be judged.",
        "licences_held": "Licence ids under which it holds a separate grant from the "
        "licensor (e.g. a commercial licence for a research-only model).",
        "sites": "Its own data centres: the regions of the on-prem provider, and places it "
        "is established in.",
        "advice": "Defaults and prices for `clearance advise`; nothing else reads them.",
        "agreements": "Agreements it has signed with providers, recorded once for every "
        "repository.",
    },
    "Site": {
        "id": "Site id, used as the region of on-prem workloads.",
        "country": "ISO 3166-1 alpha-2 code of the country the site is in.",
        "description": "What the site is.",
    },
    "SignedAgreement": {
        "provider": "Catalogue provider id the agreement is with.",
        "kind": "baa, dpa, scc, zdr, or one the bundle defines.",
        "reference": "Where the signed agreement is: a contract id, a file or a URL.",
        "signed": "Date signed, YYYY-MM-DD.",
        "expires": "Date its term ends, YYYY-MM-DD; omit for no end.",
    },
    "AdviceSettings": {
        "profile": "The organisation's usual answers for dimensions a workload leaves out.",
        "prices": "The organisation's own prices (negotiated rates), overriding the catalogue's.",
    },
    "ProfileDefaults": {
        "capability": "Default capability score; " + _SCORE + ".",
        "ops": "Default operations score; " + _SCORE + ".",
        "customization": "Default customization score; " + _SCORE + ".",
        "latency": "Default latency score; " + _SCORE + ".",
    },
    "BundlePrice": {
        "provider": "Catalogue provider id.",
        "model": "Catalogue model id or alias.",
        "input_usd_per_million_tokens": "Price of a million input tokens, in US dollars.",
        "output_usd_per_million_tokens": "Price of a million output tokens, in US dollars.",
        "source": "Where the price comes from (a contract, a quote).",
    },
    "DataClassesFile": {
        "data_classes": "The taxonomy: every data class a manifest's `data` may name.",
    },
    "DataClass": {
        "id": "Data class id (lowercase), as manifests name it.",
        "description": "What data belongs to the class.",
        "references": "The regulations or standards that define it.",
        "personal": "Whether it is personal data (GDPR Art. 4(1)); the GDPR rules apply to "
        "it where the law reaches (Art. 3).",
        "special": "Whether it is a special category of personal data (GDPR Art. 9: "
        "health, biometric, genetic, ...); special data counts as personal too.",
    },
    "BundleFile": {
        "name": "Bundle name (lowercase), shown in reports.",
        "version": "Bundle version, shown in reports.",
        "description": "What the bundle is for.",
        "requires_clearance": "PEP 440 specifier of the clearance versions that may load it.",
        "licences": "Directories (relative to the bundle) of licence files that add to or "
        "override the shipped ones.",
        "catalog": "Directories (relative to the bundle) of catalogue files that add to or "
        "override the shipped ones.",
        "policies": "Rule files, relative to the bundle; by default every other *.yaml in it.",
        "waivers": "Who may approve waivers, and for how long.",
        "extends": "A parent bundle this one builds on: a path inside this repository, "
        "clearance:default for the shipped bundle, or {git: REF, path: DIR}.",
        "overrides": "Changes to inherited rules: a new severity, or disabled.",
        "agreements": "Agreement kinds beyond baa, dpa, scc and zdr that manifests may "
        "name, each with its description.",
    },
    "ExtendsGit": {
        "git": "The git ref to read the parent bundle from (e.g. origin/main).",
        "path": "The parent bundle's directory at that ref.",
    },
    "RuleOverride": {
        "rule": "Id of the inherited rule.",
        "severity": "Its new severity: error, warning or info (a locked rule may only rise).",
        "disabled": "Turn the rule off (not allowed for a locked rule).",
    },
    "WaiverSettings": {
        "approvers": "Who may approve a waiver: addresses, or patterns such as "
        "*@compliance.acme.example. Empty: anyone.",
        "max_days": "Longest term of a waiver, in days, from today.",
        "require_ticket": "Whether every waiver must name a ticket.",
    },
    "WaiversFile": {"waivers": "Deliberate, expiring exceptions to rules."},
    "WaiverEntry": {
        "rule": "Id of the rule waived.",
        "workload": "Id of the workload it is waived for.",
        "manifest": "Limit the waiver to the manifest at this path.",
        "reason": "Why the exception is acceptable.",
        "approved_by": "Who approved it (an address the bundle's approvers allow).",
        "ticket": "The ticket that records the decision.",
        "expires": "Last day the waiver holds, YYYY-MM-DD.",
    },
    "RulesFile": {"rules": "The rules of this file."},
    "RuleSpec": {
        "id": "Unique, stable rule id (SARIF, waivers and baselines key on it).",
        "title": "What the rule requires, in one line.",
        "description": "Why, and what it covers, at more length.",
        "severity": "error, warning or info.",
        "when": "Where the rule applies: a condition over fact paths; omit for every workload.",
        "require": "What must hold where it applies; omit to forbid outright what `when` "
        "describes.",
        "message": "The finding's message; {fact.path} placeholders are filled in.",
        "remediation": "How to fix it; {fact.path} placeholders are filled in.",
        "references": "Where the requirement comes from (a law, a licence section).",
        "waivable": "Whether a waiver may except a workload from it.",
        "locked": "A child bundle may not redefine, disable or weaken it.",
        "supersedes": "Rules reporting the same cause: where this rule and one of them "
        "fire on one workload, only this one is reported, with the other's references.",
    },
    "PolicyTestFile": {
        "organisation": "Organisation facts every case of the file judges for (a case's "
        "own organisation overrides them field by field).",
        "cases": "The test cases.",
    },
    "PolicyCase": {
        "name": "What the case shows.",
        "organisation": "Organisation facts for this case, over the bundle's.",
        "providers": "Changes to catalogue providers for this case, by provider id.",
        "models": "Models added to the catalogue for this case.",
        "workload": "One workload, as a manifest would write it.",
        "manifest": "A whole manifest, instead of one workload.",
        "fires": "Rules that must report a finding.",
        "not_fires": "Rules that must not.",
    },
}


# Two formats may name a model alike (the waiver file's WaiverEntry and the audit's):
# their docs merge field by field, so a field both use must mean one thing in both
# (a test holds that no field is described twice).
GENERATED_DOCS = (CATALOGUE_DOCS, REPORT_DOCS, AUDIT_DOCS)
FIELD_DOCS: dict[str, dict[str, str]] = {m: dict(f) for m, f in HAND_WRITTEN_DOCS.items()}
for _docs in GENERATED_DOCS:
    for _model, _fields in _docs.items():
        FIELD_DOCS.setdefault(_model, {}).update(_fields)


def fill_descriptions(schema: dict[str, object]) -> None:
    """Give each property of the schema's models its description from FIELD_DOCS."""
    defs = schema.get("$defs")
    models = [(schema.get("title"), schema)]
    if isinstance(defs, dict):
        models += list(defs.items())
    for name, model in models:
        docs = FIELD_DOCS.get(str(name))
        properties = model.get("properties") if isinstance(model, dict) else None
        if not docs or not isinstance(properties, dict):
            continue
        for field, prop in properties.items():
            if isinstance(prop, dict) and not prop.get("description") and field in docs:
                prop["description"] = docs[field]
