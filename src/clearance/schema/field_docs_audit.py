"""What each field of the audit JSON means (`clearance audit --format json`): the check
report's fields plus the registers. `field_docs.FIELD_DOCS` merges these in."""

from __future__ import annotations

from clearance.schema.field_docs_report import REPORT_DOCS

_REPOSITORY = "The repository the row comes from, as given to `clearance audit`."
_MANIFEST = "Path of the manifest, as findings name it."
_WORKLOAD = "Id of the workload."
_DATE_OR_NULL = "YYYY-MM-DD; null when not known."

AUDIT_DOCS: dict[str, dict[str, str]] = {
    "AuditReport": {
        **REPORT_DOCS["Report"],  # the audit JSON is the check report with more beside it
        "audit": "The audit's own settings and counts.",
        "repositories": "Every repository audited, judged or not.",
        "inventory": "A row per workload: what model it uses, under which licences, "
        "where, and its status.",
        "models": "Catalogue facts for every model used and each of its ancestors.",
        "obligations": "A row per duty a licence puts on a workload (attribution, notices, "
        "...), even where nothing is broken.",
        "agreements": "A row per agreement a workload claims with its provider, and what "
        "backs the claim.",
        "waivers": "Every waiver, with its state.",
        "evidence": "What was judged, against what, when and by which command: enough to "
        "reproduce the audit.",
        "changes": "With --history: what changed since the previous audit in that file; "
        "null otherwise or for the first audit.",
    },
    "AuditInfo": {
        "audit_version": "Format version of the audit's parts; always 1.",
        "expiring_days": "Days before its expiry from which a waiver counts as expiring "
        "(--expiring-days).",
        "statuses": "Workloads by status: compliant, violating or waived.",
        "licence_kinds": "Workloads by the kind of licence that governs them; a workload "
        "under two kinds counts under both.",
        "history": "The --history file; null when none was used.",
    },
    "RepositoryEntry": {
        "path": "The repository's path, as given to `clearance audit`.",
        "git": "false for a plain folder, or when git was not available.",
        "commit": "The commit checked out; null outside git or before the first commit.",
        "branch": "The branch checked out; null when detached or outside git.",
        "dirty": "Whether there are uncommitted changes under the audited path; null outside git.",
        "manifests": "Its manifests, as findings name them.",
        "waiver_files": "Its waiver files, as findings name them.",
    },
    "InventoryEntry": {
        "repository": _REPOSITORY,
        "manifest": _MANIFEST,
        "line": "Line of the workload in the manifest, from 1.",
        "workload": _WORKLOAD,
        "description": "The workload's description; null when it has none.",
        "owner": "Who answers for it (the workload's owner, else the manifest's); null "
        "when neither is set.",
        "data": "Data classes it handles.",
        "purpose": "What the model is used for (inference, fine-tuning, ...).",
        "audience": "internal or external.",
        "commercial": "Whether it is part of a commercial product or service.",
        "model": "Model id.",
        "model_name": "The model's name.",
        "model_family": "The model's family.",
        "vendor": "The model's vendor.",
        "weights": "open or closed.",
        "licences": "Every licence and terms document that governs it.",
        "mode": "api, hosted-open or self-hosted.",
        "provider": "Provider id.",
        "provider_name": "The provider's name.",
        "region": "The provider's region id.",
        "country": "ISO 3166-1 alpha-2 code of the region's country; null when the "
        "region has none (a group, or global).",
        "agreements": "Agreements the workload claims with the provider.",
        "status": "violating (an unwaived error or warning), waived (only waived "
        "findings) or compliant.",
        "errors": "Unwaived error findings.",
        "warnings": "Unwaived warning findings.",
        "waived": "Waived findings.",
    },
    "LicenceUseEntry": {
        "id": "Licence id.",
        "name": "The licence's name.",
        "kind": "permissive, community, non-commercial, research or proprietary-api.",
        "spdx": "Its SPDX id; null when SPDX lists none.",
        "url": "Where the licence text is published.",
        "via": "The model, ancestor or provider that brings these terms in.",
        "governs_as": "model-licence (the model's or an ancestor's licence) or "
        "provider-terms (the provider's terms of service).",
    },
    "ModelInfoEntry": {
        "id": "Model id.",
        "name": "The model's name.",
        "vendor": "Its vendor.",
        "family": "Its family.",
        "licence": "Id of its licence.",
        "weights": "open or closed.",
        "input_modalities": "What it takes in.",
        "output_modalities": "What it puts out.",
        "released": "Release date, " + _DATE_OR_NULL,
        "parameters": "Parameter count as the vendor gives it; null when not known.",
        "lineage": "How it derives from its base (fine-tune, quantisation, ...); null "
        "for a base model.",
        "base_models": "Every ancestor, nearest first.",
    },
    "ObligationEntry": {
        "repository": _REPOSITORY,
        "manifest": _MANIFEST,
        "workload": _WORKLOAD,
        "licence": "Id of the licence the duty comes from.",
        "licence_name": "That licence's name.",
        "via": "The model, ancestor or provider that brings the licence in.",
        "obligation": "The obligation's id in the licence.",
        "title": "The duty, in one line.",
        "text": "What must be done.",
        "source_url": "Where the licence states the duty.",
    },
    "AgreementEntry": {
        "repository": _REPOSITORY,
        "manifest": _MANIFEST,
        "workload": _WORKLOAD,
        "provider": "Provider id.",
        "provider_name": "The provider's name.",
        "kind": "The agreement: baa, dpa, scc, zdr, or one the bundle defines.",
        "status": "recorded (the organisation holds a signed, unexpired copy), verified (the "
        "catalogue knows the provider offers it; nobody recorded a copy), attested (only "
        "the repository says so), expired (the organisation's only record has expired) or "
        "not-offered (the catalogue knows the provider does not offer it).",
        "reference": "The organisation's record of it (contract id, file, URL); null "
        "when there is none.",
        "signed": "Date signed, from the organisation's record; " + _DATE_OR_NULL,
        "expires": "End of its term, from the organisation's record; " + _DATE_OR_NULL,
        "source_url": "The catalogue's source, for a verified one; null otherwise.",
    },
    # the waiver file's own fields share WaiverEntry's docs in field_docs.py
    "WaiverEntry": {
        "repository": "The repository whose waiver file holds it; null for a waiver in "
        "the policy bundle.",
        "file": "The waiver file, as findings name it.",
        "line": "Line of the waiver in that file, from 1.",
        "days_left": "Days from the audit's date to its expiry; negative once expired.",
        "state": "active, expiring (within expiring_days of its expiry), expired, invalid "
        "(the engine rejects it) or stale (it matches no finding); expired and invalid "
        "ones waive nothing.",
        "expiring": "Whether it expires within expiring_days (and has not yet).",
        "problems": "What the engine found wrong with it.",
    },
    "FileDigestEntry": {
        "path": "The file, as findings name it.",
        "digest": "sha256:<hex> of the file's bytes.",
        "repository": "The repository it belongs to; null when it belongs to none (a bundle's "
        "file).",
    },
    "RepositoryCommit": {
        "path": "The repository, as given to `clearance audit`.",
        "commit": "The commit checked out; null outside git or before the first commit.",
    },
    "EvidenceEntry": {
        "tool": "The program that made the audit.",
        "policy": "The bundle that judged it; with several, the set of them.",
        "generated_at": "When the audit was made: UTC, YYYY-MM-DDTHH:MM:SSZ.",
        "today": "The date waivers were judged against, YYYY-MM-DD.",
        "command": "The command line that made the audit.",
        "manifests": "Every manifest judged, with its digest.",
        "waiver_files": "Every waiver file read, with its digest.",
        "repositories": "Every repository audited, with its commit.",
    },
    "FindingKeyEntry": {
        "rule": "Id of the rule.",
        "manifest": _MANIFEST,
        "workload": _WORKLOAD,
        "licence": "Id of the licence the rule comes from; empty for a bundle rule.",
        "severity": "error, warning or info.",
    },
    "WaiverKeyEntry": {
        "rule": "Id of the rule waived.",
        "workload": "Id of the workload it was waived for.",
        "file": "The waiver file.",
        "expires": "Last day the waiver held, YYYY-MM-DD.",
    },
    "ChangesEntry": {
        "previous_at": "When the previous audit was made: UTC, YYYY-MM-DDTHH:MM:SSZ.",
        "previous_id": "The previous audit's id in the history file.",
        "new_findings": "Findings this audit has and the previous one had not.",
        "resolved_findings": "Findings the previous audit had and this one has not (not "
        "counting repositories that could not be judged this time).",
        "new_models": "Ids of models used now and not at the previous audit.",
        "new_licences": "Ids of licences governing a workload now and not at the previous audit.",
        "expired_waivers": "Waivers valid on the day of the previous audit and past their "
        "date on this one's.",
    },
}
