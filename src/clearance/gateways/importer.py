"""`clearance import`: gateway deployments into manifest workloads, keeping the manifest's comments.

One workload per distinct (model, provider, region) deployment, each citing
the gateway file's `file:line`. What a gateway cannot know (data classes,
purpose, audience, commercial use, agreements, and any region or provider the
config leaves to its environment) is written as the placeholder `FILL-ME`,
which `clearance check` refuses, with its position, until a person fills it.
Importing again adds only deployments no workload already declares.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance.bundle.catalogue import GLOBAL_REGION
from clearance.errors import InputError, Problem
from clearance.gateways.bedrock import GEOGRAPHIES
from clearance.gateways.interface import GatewayDeployment
from clearance.gateways.models import deployment_mode, provider_regions
from clearance.loading.tree import YDict, YList, locate

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

PLACEHOLDER = "FILL-ME"
# A workload cites at most this many of the gateway lines it stands for.
MAX_CITED = 5
_HEADER = (
    "Imported by `clearance import` from gateway configs. Replace every FILL-ME:\n"
    "clearance check refuses the manifest until each is filled in."
)


@dataclass
class _Group:
    model: str
    provider: str
    region: str
    mode: str
    sources: list[GatewayDeployment] = field(default_factory=list)


def plan(deployments: Iterable[GatewayDeployment], catalogue: Catalogue | None) -> list[_Group]:
    """The distinct workloads the deployments call for, in order of first appearance."""
    groups: dict[tuple[str, str, str], _Group] = {}
    for d in deployments:
        model = _model(d) or PLACEHOLDER
        provider = d.provider or PLACEHOLDER
        region = _region(d, catalogue)
        key = (model.lower(), provider, region)
        if key not in groups:
            mode = deployment_mode(catalogue, d.provider, d.model_id)
            mode = mode or ("self-hosted" if d.self_hosted else PLACEHOLDER)
            groups[key] = _Group(model, provider, region, mode)
        groups[key].sources.append(d)
    return list(groups.values())


def _model(d: GatewayDeployment) -> str | None:
    """The model as the manifest declares it. A Bedrock cross-Region profile stays in the
    id (`eu.anthropic.…`), as the check reads it: the data is processed across the
    profile's geography, not only in the region, and the drift check holds the
    workload to that."""
    if d.provider == "aws-bedrock" and d.geography and d.model_id and d.served:
        return f"{d.geography}.{d.served}"
    return d.model_id or d.served


def _region(d: GatewayDeployment, catalogue: Catalogue | None) -> str:
    if d.region is not None:
        return d.region
    regions = provider_regions(catalogue, d.provider)
    if regions is not None and not regions and d.provider != "on-prem":
        return GLOBAL_REGION  # the catalogue knows no regions for it: may process anywhere
    if d.geography == "global":
        return "global"
    return PLACEHOLDER


def merge(
    text: str | None, name: str, groups: list[_Group], catalogue: Catalogue | None
) -> tuple[str, int]:
    """The manifest text with a workload added for each group it does not yet declare."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml, data = _load(text, name)
    workloads = data.get("workloads")
    if workloads is None:
        workloads = data["workloads"] = CommentedSeq()
    declared = [_declared(w, catalogue) for w in workloads if isinstance(w, dict)]
    ids = {str(w.get("id")) for w in workloads if isinstance(w, dict)}
    added = 0
    for g in groups:
        if any(_covers(have, g) for have in declared):
            continue
        entry = _workload(g, _unique_id(g, ids), CommentedMap)
        workloads.append(entry)
        declared.append((g.model.lower(), g.provider, g.region))
        added += 1
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), added


def _load(text: str | None, name: str) -> tuple[Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from clearance.loading.yaml_source import load_yaml_text

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    if text is None or not text.strip():
        data = CommentedMap()
        data.yaml_set_start_comment(_HEADER)
        data["version"] = 1
        return yaml, data
    tree = load_yaml_text(text, name)  # clearance's guarded reader first: bombs, tags, duplicates
    if not isinstance(tree, YDict):
        raise InputError([Problem(name, 1, 1, (), "expected a manifest mapping with 'workloads'")])
    if "workloads" in tree and not isinstance(tree["workloads"], YList):
        line, col = locate(tree, ("workloads",))
        raise InputError([Problem(name, line, col, ("workloads",), "'workloads' is not a list")])
    return yaml, yaml.load(text)


def _declared(w: Any, catalogue: Catalogue | None) -> tuple[str, str, str]:
    d = w.get("deployment") if isinstance(w.get("deployment"), dict) else {}
    model = str(w.get("model", ""))
    entry = catalogue.model(model) if catalogue is not None and model else None
    return (
        (entry.id if entry else model).lower(),
        str(d.get("provider", "")),
        str(d.get("region", "")),
    )


def _covers(have: tuple[str, str, str], g: _Group) -> bool:
    """A workload declares a deployment when the model is the same (a placeholder only
    matches a placeholder) and so is each of provider and region the gateway knows."""
    return (
        have[0] == g.model.lower()
        and g.provider in (PLACEHOLDER, have[1])
        and g.region in (PLACEHOLDER, have[2])
    )


def _unique_id(g: _Group, ids: set[str]) -> str:
    first = g.sources[0]
    name = (first.model_id or g.model).split("/")[-1]
    if first.geography and g.model.startswith(f"{first.geography}."):
        name += f"-{first.geography}"  # `claude-3-5-haiku-eu`, not the whole profile id
    base = "-".join(p for p in (name, g.provider, g.region) if p != PLACEHOLDER)
    base = re.sub(r"[^a-z0-9._-]+", "-", base.lower()).strip("-._")[:80] or "gateway-model"
    candidate, n = base, 2
    while candidate in ids:
        candidate, n = f"{base}-{n}", n + 1
    ids.add(candidate)
    return candidate


def _workload(g: _Group, wid: str, mapping: Any) -> Any:
    first = g.sources[0]
    w = mapping()
    w["id"] = wid
    w["description"] = f"{first.alias or first.model} (imported from a gateway config)"
    w["data"] = [PLACEHOLDER]
    for key in ("purpose", "audience", "commercial"):
        w[key] = PLACEHOLDER
    w["model"] = g.model
    dep = mapping()
    dep["mode"] = g.mode
    dep["provider"] = g.provider
    dep["region"] = g.region
    dep["agreements"] = [PLACEHOLDER]
    w["deployment"] = dep
    w.yaml_add_eol_comment(_citation(g.sources), "id")
    for key, what in (("provider", "provider"), ("region", "region")):
        notes = [str(u) for d in g.sources[:1] for u in d.unknown if u.field == what]
        if what == "region":
            notes[:0] = _geographies(g)
        if notes:
            dep.yaml_add_eol_comment("; ".join(notes)[:300], key)
    model_notes = [str(u) for u in first.unknown if u.field in ("model", "endpoint")]
    if first.model_id is None and first.served is not None:
        model_notes.insert(0, "not in the catalogue: correct it, or declare it under models:")
    w.yaml_add_eol_comment("; ".join([f"as written: {first.model}", *model_notes])[:300], "model")
    return w


def _geographies(g: _Group) -> list[str]:
    """What each processing geography of the group's deployments means (a Bedrock profile
    routes within its area whatever the region the calls are sent to)."""
    out = []
    for geo in dict.fromkeys(d.geography for d in g.sources if d.geography):
        area = GEOGRAPHIES.get(geo, geo) if g.provider == "aws-bedrock" else "any region"
        out.append(f"profile {geo}.: processed in {area}; the region is where calls are sent")
    return out


def _citation(sources: list[GatewayDeployment]) -> str:
    shown = [f"{d.file}:{d.line}" for d in sources[:MAX_CITED]]
    more = f" and {len(sources) - MAX_CITED} more" if len(sources) > MAX_CITED else ""
    return "from " + ", ".join(shown) + more


def import_into(
    output: Path, deployments: list[GatewayDeployment], catalogue: Catalogue | None
) -> tuple[str, int]:
    """The new text of `output` (not written) and how many workloads were added."""
    from clearance.loading.tree import decode_text, read_input_bytes

    text = None
    if output.exists():
        text = decode_text(read_input_bytes(output, str(output)), str(output))
    return merge(text, str(output), plan(deployments, catalogue), catalogue)
