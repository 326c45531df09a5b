"""What each field of the JSON check report and the JSON advice means (`clearance check
--format json`, `clearance advise --format json`). `field_docs.FIELD_DOCS` merges these in."""

from __future__ import annotations

_SEVERITY = "error, warning or info"

REPORT_DOCS: dict[str, dict[str, str]] = {
    "Report": {
        "report_version": "Format version of the report; always 1.",
        "tool": "The program that wrote the report.",
        "policy": "The policy bundle that judged the run.",
        "generated_at": "When the report was written: UTC, YYYY-MM-DDTHH:MM:SSZ.",
        "manifests": "Every manifest judged.",
        "summary": "Counts of workloads and findings.",
        "findings": "Every finding, waived ones included, ordered by manifest, line and rule.",
        "policy_changes": "With --policy-ref: how the working tree's bundle differs from the "
        "one at that ref, which judged this run; null otherwise.",
        "notes": "What the reader should know about the run that is not a finding.",
    },
    "ToolInfo": {
        "name": "Always clearance.",
        "version": "clearance's version.",
    },
    "PolicyInfo": {
        "name": "The bundle's name (bundle.yaml `name`); with several bundles, all of "
        "them, comma-separated.",
        "version": "The bundle's version (bundle.yaml `version`); with several bundles, "
        "all of them, comma-separated.",
        "digest": "sha256:<hex> over every file the bundle was loaded from; with several "
        "bundles, over their paths and digests.",
    },
    "ManifestEntry": {
        "path": "The manifest, as the user would write it (relative to the working "
        "directory when inside it); findings name it the same way.",
        "digest": "sha256:<hex> of the manifest file's bytes.",
        "workloads": "Number of workloads it declares.",
    },
    "Summary": {
        "workloads": "Workloads judged.",
        "errors": "Error findings not waived (baselined ones included).",
        "warnings": "Warning findings not waived.",
        "info": "Info findings not waived.",
        "waived": "Findings a valid waiver covers, of any severity.",
    },
    "FindingEntry": {
        "rule": "Id of the rule that fired.",
        "title": "The rule's title.",
        "severity": _SEVERITY + ".",
        "manifest": "Path of the manifest (or waiver file) the finding is about.",
        "line": "Line of the workload (or waiver) in that file, from 1.",
        "column": "Column of the workload (or waiver) in that file, from 1.",
        "workload": "Id of the workload.",
        "licence": "Id of the licence or terms the rule comes from; null for a bundle rule.",
        "via": "The model, ancestor or provider that brings that licence in; null for a "
        "bundle rule.",
        "message": "What is wrong, with the workload's facts filled in.",
        "remediation": "How to fix it; null when the rule gives no remediation.",
        "references": "Where the requirement comes from (laws, licence sections).",
        "explanation": "The clauses that decided the finding: why the rule applies and "
        "what failed.",
        "waiver": "The waiver that covers it; null when none does.",
        "baseline": "pre-existing when the --baseline report already had this finding "
        "(it then fails nothing); null otherwise.",
    },
    "ExplanationEntry": {
        "clause": "when (why the rule applies) or require (what failed).",
        "fact": "The fact path the clause tests (e.g. model.licence.kind).",
        "expected": 'What the clause asks of the fact, as text (e.g. in ["pii"]).',
        "actual": "The fact's value for the workload; null when it is not set.",
    },
    "WaiverInfo": {
        "reason": "Why the exception is acceptable.",
        "approved_by": "Who approved it.",
        "ticket": "The ticket that records the decision; null when none is named.",
        "expires": "Last day the waiver holds, YYYY-MM-DD.",
        "file": "The waiver file.",
        "line": "Line of the waiver in that file, from 1.",
    },
    "PolicyChangesEntry": {
        "ref": "The git ref whose bundle judged this run (--policy-ref).",
        "added": "Ids of rules the working tree's bundle has and the ref's lacks.",
        "removed": "Ids of rules the ref's bundle has and the working tree's lacks.",
        "changed": "Ids of rules defined differently in the two.",
        "other_files_changed": "true when no rule differs but other bundle files do "
        "(catalogue, licences, settings).",
        "loads": "false when the working tree's bundle does not load at all.",
    },
    # `clearance advise --format json`
    "AdviceReport": {
        "advice_version": "Format version of the advice; always 1.",
        "policy": "The bundle that judged the options: its name and version.",
        "assumptions": "The cost model's fixed figures.",
        "workloads": "Advice for each workload judged (one with --workload).",
    },
    "AdviceAssumptions": {
        "days_per_month": "Days in a month of cost (30).",
        "always_on_gpu_hours": "Hours a month each GPU of a self-hosted replica is paid "
        "for at least (720: always on).",
        "setup_amortised_months": "Months a self-hosting set-up cost is spread over (12).",
    },
    "AdviceWorkload": {
        "manifest": "Path of the manifest that declares the workload.",
        "workload": "Id of the workload.",
        "current": "The workload's deployment as declared, judged and costed.",
        "score": "The workload's score on the advisor's dimensions.",
        "volume": "Its volume, from the manifest; null when the manifest leaves out any of "
        "its three figures.",
        "break_even_tokens_per_day": "Tokens a day at which the API option and the "
        "self-hosted one in break_even_between cost the same; null when there is none.",
        "break_even_between": "Indexes into options of the API option and the self-hosted "
        "one the break-even compares; null when there is no such pair.",
        "notes": "What the advice could not take into account.",
        "options": "Other deployments, compliant ones first, then by fewest blocking rules, "
        "the mode the band favours and monthly cost.",
    },
    "AdviceOption": {
        "model": "Catalogue model id.",
        "mode": "api, hosted-open or self-hosted.",
        "provider": "Catalogue provider id.",
        "region": "The provider's region id.",
        "network": "public, private or air-gapped.",
        "agreements": "Agreements the deployment uses (held and assumed).",
        "assumed_agreements": "Agreements not yet held: to be signed with the provider for "
        "the verdict to hold.",
        "weights": "open or closed.",
        "compliant": "Whether the bundle's rules find no error for it (for current: no "
        "unwaived error finding in the check).",
        "blocking": "Ids of the rules whose error findings block it (unwaived ones for "
        "current), or invalid: <why> for a combination that cannot be resolved.",
        "warnings": "Ids of the rules that warn about it; empty for current.",
        "monthly_cost_usd": "Estimated cost a month, in US dollars; null when unknown.",
        "cost_basis": "The price or hardware the cost is worked from, or why it is unknown.",
    },
    "AdviceScore": {
        "dimensions": "Each dimension (capability, privacy, scale, ops, customization, "
        "latency) with its score, 1 (favours a closed API) to 5 (favours open weights run "
        "by the organisation).",
        "sources": "Where each dimension's score came from: workload profile, data "
        "classes, volume, organisation advice or default.",
        "total": "Sum of the dimension scores (6 to 30).",
        "band": "closed-apis, hybrid, open-primary or open-only, by total; open-only "
        "under a hard constraint.",
        "hard_constraint": "What forces open weights on the organisation's own sites "
        "(classified data, an air-gapped network); null when nothing does.",
        "decision_flow": "The decision flow's answer for the workload, as a phrase.",
        "notes": "Which scores were defaulted or guessed, and why.",
    },
    "AdviceVolume": {
        "requests_per_day": "Requests a day, on average.",
        "input_tokens_per_request": "Input tokens per request, on average.",
        "output_tokens_per_request": "Output tokens per request, on average.",
        "tokens_per_day": "Input and output tokens a day, together.",
    },
}
