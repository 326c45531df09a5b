"""The commented files `clearance init` writes: bundle.yaml, organisation.yaml, a starter manifest.

Every field carries a comment saying what it means, so that the files explain
themselves to whoever opens them next. A fact the organisation did not give is
written commented out, never with a made-up value: unknown stays unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clearance import __version__

if TYPE_CHECKING:
    from clearance.pipeline.init import Answers

PLACEHOLDER = "FILL-ME"  # what `clearance check` refuses, at its position, until filled in


def bundle_text(name: str) -> str:
    major_minor = ".".join(__version__.split(".")[:2])
    return f"""\
# This repository's clearance policy bundle, written by `clearance init`.
# Every clearance command uses it for the manifests in this repository without
# --policy; `clearance policy show` prints the rules in force. Any other *.yaml
# file in this folder is a rule file (a list of `rules:`, as in the shipped bundle).

# The bundle's name, as reports show it beside each manifest it judged.
name: {name}
# Its own version: raise it when you change a rule.
version: 0.1.0

# The clearance versions this bundle is written for (a PEP 440 specifier).
requires_clearance: ">={major_minor}"

# Build on the rules, licences and catalogue that ship with clearance. This bundle
# may add rules and raise severities; it cannot weaken a rule marked `locked`.
extends: clearance:default

# Folders (inside this one) of extra licence files and catalogue entries
# (models.yaml, providers.yaml) that add to or override the shipped ones:
# licences: [licences]
# catalog: [catalog]

# Changes to inherited rules: raise (or, if not locked, lower) a severity, or disable:
# overrides:
#   - {{rule: agreements.unverified, severity: error}}

# What a waiver (waivers.yaml beside a manifest, written by `clearance waive`)
# must satisfy to be accepted; these are the shipped bundle's settings.
waivers:
  # who may approve one: addresses or patterns such as "*@compliance.example.com";
  # an empty list lets anyone approve
  approvers: []
  # the longest a waiver may run, in days from today
  max_days: 180
  # whether every waiver must name the ticket that records its approval
  require_ticket: true
"""


def organisation_text(answers: Answers) -> str:
    def fact(key: str, value: object, comment: str, example: str) -> str:
        if value is None:
            return f"# {comment}\n# {key}: {example}\n"
        return f"# {comment}\n{key}: {value}\n"

    name = None if answers.name is None else _quoted(answers.name)
    if answers.sites:
        sites = "sites:\n" + "".join(
            f"  - {{id: {ident}, country: {where}}}\n" for ident, where in answers.sites
        )
    else:
        sites = "# sites:\n#   - {id: dc-frankfurt, country: DE}\n"
    return (
        "# Facts about the organisation that licence terms depend on, written by\n"
        "# `clearance init`. A fact left out (commented) is unknown: a licence term that\n"
        "# depends on it says so, and none is assumed. Fill them in as you learn them.\n"
        "\n"
        + fact("name", name, "The organisation's name, as findings show it.", "Example Ltd")
        + "\n"
        + fact(
            "domicile",
            answers.domicile,
            "Country of its principal place of business (ISO 3166-1 alpha-2), e.g. for\n"
            "# the Llama 3.2 multimodal terms, which grant no rights to EU-domiciled companies.",
            "DE",
        )
        + "\n"
        + fact(
            "monthly_active_users",
            answers.monthly_active_users,
            "Monthly active users of all its products and affiliates, as licences count\n"
            "# them (Llama: above 700 million needs Meta's grant; Qwen: 100 million).",
            "250000",
        )
        + "\n"
        + "# Annual revenue in US dollars, for licences with a revenue threshold.\n"
        + "# annual_revenue_usd: 1000000\n"
        + "\n"
        + "# Licence ids for which it holds a separate grant from the licensor.\n"
        + "licences_held: []\n"
        + "\n"
        + "# Its own data centres (id, country): the regions of the `on-prem` provider.\n"
        + sites
        + "\n"
        + "# Agreements it has signed with providers, recorded once for every repository:\n"
        + "# agreements:\n"
        + "#   - {provider: openai, kind: dpa, reference: CONTRACT-123, signed: 2026-01-15}\n"
    )


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: a name may hold `:`, `#` or quotes."""
    import json

    return json.dumps(text, ensure_ascii=False)


def starter_manifest_text(data_classes: tuple[str, ...]) -> str:
    classes = ", ".join(data_classes)
    p = PLACEHOLDER
    return f"""\
# The AI models this repository uses, one workload per use, written by
# `clearance init`. Replace every {p}: `clearance check` names each one it finds
# and refuses the file until none is left. `clearance schema manifest` prints
# every field; `clearance import litellm CONFIG` adds workloads from a gateway config.
version: 1
# system: what this repository is
# owner: who answers for it, e.g. team@example.com
workloads:
  # a short id, unique in this file, e.g. support-chat
  - id: {p}
    description: {p}
    # the data classes it handles, from the bundle's taxonomy: {classes}
    data: [{p}]
    # inference | fine-tuning | distillation | evaluation | embedding | training-data-generation
    purpose: {p}
    # internal | external: who sees its output
    audience: {p}
    # true if it is part of a commercial product or service
    commercial: {p}
    # a catalogue model id or alias (`clearance models` lists them)
    model: {p}
    deployment:
      # api (the vendor's own API) | hosted-open (an inference provider) | self-hosted
      mode: {p}
      # a catalogue provider id (`clearance providers` lists them and their regions)
      provider: {p}
      # that provider's region id, or global
      region: {p}
      # agreements in place with the provider: baa, dpa, scc, zdr
      agreements: []
"""
