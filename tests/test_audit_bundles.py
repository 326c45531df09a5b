"""`clearance audit` judges each repository by its own `.clearance/` bundle, and lists the
repositories it cannot judge (status `error`, their problems) in every format, exiting 2
after writing every report.

The folder: `own` holds the internal-tools example and a `.clearance/` bundle adding a
rule that forbids OpenAI; `shipped` holds the same manifest and no bundle, so any
difference in their verdicts is the bundle's doing; `broken` names an unknown model;
`badyaml` is not YAML; `badbundle` has a `.clearance/` that is not a bundle; `fifo`'s
manifest is a named pipe, which no reader opens.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from audit_repos import GIT
from conftest import EXAMPLES, REPO, Run

ACME_BUNDLE = "name: acme\nversion: 2.0.0\nextends: clearance:default\n"
ACME_RULE = """\
rules:
  - id: acme.no-openai
    title: Acme sends nothing to OpenAI
    severity: error
    when:
      deployment.provider: {equals: openai}
    require:
      deployment.provider: {not_equals: openai}
    message: "{workload.id} uses OpenAI, which Acme has not approved"
"""
POSITIONED = re.compile(r"^\S+:\d+:\d+: \S")  # file:line:column: message
BROKEN = {"broken", "badyaml", "badbundle", "fifo"}


def make_folder(root: Path) -> Path:
    for name in ("own", "shipped", "broken", "badyaml", "badbundle", "fifo"):
        repo = root / name
        shutil.copytree(EXAMPLES / "internal-tools", repo)
        subprocess.run([*GIT, "init", "-q", str(repo)], check=True)
    (root / "own" / ".clearance").mkdir()
    (root / "own" / ".clearance" / "bundle.yaml").write_text(ACME_BUNDLE, encoding="utf-8")
    (root / "own" / ".clearance" / "acme.yaml").write_text(ACME_RULE, encoding="utf-8")
    manifest = root / "broken" / "model-usage.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("openai/gpt-4o-mini", "openai/gpt-4o-minii"), "utf-8")
    (root / "badyaml" / "model-usage.yaml").write_text("version: 1\nworkloads: [\n", "utf-8")
    (root / "badbundle" / ".clearance").mkdir()  # no bundle.yaml in it
    (root / "fifo" / "model-usage.yaml").unlink()
    os.mkfifo(root / "fifo" / "model-usage.yaml")
    return root


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "repos")


def audit_all(run: Callable[..., Run], root: Path, out: Path, *args: str | Path) -> Run:
    pytest.importorskip("cyclonedx", reason="cyclonedx-python-lib is the optional extra 'audit'")
    return run(
        "audit", root, "--progress", "never", "--format", f"json={out / 'audit.json'}",
        "--format", f"csv={out / 'csv'}", "--format", f"html={out / 'audit.html'}",
        "--format", f"cyclonedx={out / 'bom.json'}", *args,
    )  # fmt: skip


def by_name(rows: list[dict[str, str]], key: str = "path") -> dict[str, dict[str, str]]:
    return {Path(r[key]).name: r for r in rows}


def test_each_repository_by_its_own_bundle_and_broken_ones_listed_in_every_format(
    run: Callable[..., Run], folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = audit_all(run, folder, out)
    assert result.code == 2, result.err  # bad input, said after every report was written
    for part in ("audit.json", "audit.html", "bom.json", "csv/repositories.csv"):
        assert (out / part).is_file(), part
    assert "4 repositories not judged" in result.err
    assert "broken/model-usage.yaml:13:12: workloads[0].model: unknown model" in result.err

    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    repos = by_name(doc["repositories"])
    assert {n for n, r in repos.items() if r["status"] == "error"} == BROKEN
    for name in BROKEN:
        assert repos[name]["problems"] and all(POSITIONED.match(p) for p in repos[name]["problems"])
    assert "did you mean openai/gpt-4o-mini (licence openai-api)" in repos["broken"]["problems"][0]
    assert "invalid YAML" in repos["badyaml"]["problems"][0]
    assert ".clearance:1:1: holds no bundle.yaml" in repos["badbundle"]["problems"][0]
    assert "not a regular file" in repos["fifo"]["problems"][0]
    assert repos["badbundle"]["bundle"] is None  # no bundle could judge it
    own_bundle = repos["own"]["bundle"]
    assert (
        own_bundle.endswith("own/.clearance") and repos["shipped"]["bundle"] == "clearance:default"
    )
    assert doc["audit"]["repository_statuses"] == {"audited": 2, "error": 4}

    # the same manifest, two verdicts: the repository's own rule was the one applied
    status = {(Path(r["repository"]).name, r["workload"]): r for r in doc["inventory"]}
    assert status[("own", "code-review-bot")]["status"] == "violating"
    assert status[("shipped", "code-review-bot")]["status"] == "compliant"
    assert status[("own", "code-review-bot")]["bundle"] == own_bundle
    assert {Path(f["manifest"]).parent.name for f in doc["findings"]
            if f["rule"] == "acme.no-openai"} == {"own"}  # fmt: skip
    assert {Path(r["repository"]).name for r in doc["inventory"]} == {"own", "shipped"}

    bundles = {b["path"]: b for b in doc["evidence"]["bundles"]}
    assert set(bundles) == {own_bundle, "clearance:default"}
    assert bundles[own_bundle]["name"] == "acme" and bundles[own_bundle]["version"] == "2.0.0"
    assert all(b["digest"].startswith("sha256:") for b in bundles.values())
    assert bundles[own_bundle]["digest"] != bundles["clearance:default"]["digest"]
    assert [Path(r).name for r in bundles["clearance:default"]["repositories"]] == ["shipped"]
    assert doc["policy"]["name"] == "2 bundles"  # the report's one policy is the set of them

    rows = list(csv.DictReader(
        (out / "csv" / "repositories.csv").read_text(encoding="utf-8-sig").splitlines()))  # fmt: skip
    csv_repos = by_name(rows)
    assert {n for n, r in csv_repos.items() if r["status"] == "error"} == BROKEN
    assert csv_repos["broken"]["problems"] == repos["broken"]["problems"][0]
    assert csv_repos["own"]["bundle"] == own_bundle and csv_repos["own"]["problems"] == ""
    inventory = list(csv.DictReader(
        (out / "csv" / "inventory.csv").read_text(encoding="utf-8-sig").splitlines()))  # fmt: skip
    assert {(Path(r["repository"]).name, r["bundle"]) for r in inventory} == {
        ("own", own_bundle), ("shipped", "clearance:default")}  # fmt: skip

    page = (out / "audit.html").read_text(encoding="utf-8")
    summary = page.split('id="repo-summary"', 1)[1].split("</table>", 1)[0]
    assert summary.count('<td class="status status-error">error</td>') == 4
    assert summary.count('<td class="num">—</td>') == 4 * 4  # unknown counts, not zeros
    assert "unknown model &#x27;openai/gpt-4o-minii&#x27;: declare it" in summary
    assert "(did you mean openai/gpt-4o-mini (licence openai-api)" in summary
    assert page.index('id="repo-summary"') < page.index('id="inventory"')
    assert "4 repositories not judged" in page and "acme 2.0.0" not in page.split("<nav>")[0]
    assert own_bundle in page.split('id="bundles"', 1)[1]

    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (out / "bom.json").read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    meta = {p["name"]: p["value"] for p in bom["metadata"]["properties"]}
    assert meta[f"clearance:bundle:{own_bundle}"].startswith("acme 2.0.0 sha256:")
    assert {k.rsplit("/", 1)[-1] for k, v in meta.items()
            if k.startswith("clearance:repository-status:") and v == "error"} == BROKEN  # fmt: skip
    unjudged = {
        Path(s["group"]).name: [(p["name"], p["value"]) for p in s["properties"]]
        for s in bom["services"]
        if ("clearance:status", "error") in [(p["name"], p["value"]) for p in s["properties"]]
    }
    assert set(unjudged) == BROKEN
    assert ("clearance:problem", repos["broken"]["problems"][0]) in unjudged["broken"]
    # a manifest's service names its bundle; its workloads' services are nested in it
    judged = {
        Path(s["group"]).name: ({p["name"]: p["value"] for p in s["properties"]},
                                {w["name"] for w in s.get("services", [])})
        for s in bom["services"] if s.get("services")
    }  # fmt: skip
    assert judged["own"][0]["clearance:bundle"] == own_bundle and "docs-search" in judged["own"][1]
    assert judged["shipped"][0]["clearance:bundle"] == "clearance:default"


def test_policy_forces_one_bundle_on_every_repository(
    run: Callable[..., Run], folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = audit_all(run, folder, out, "--policy", folder / "own" / ".clearance")
    assert result.code == 2, result.err  # broken, badyaml and fifo are still broken
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    repos = by_name(doc["repositories"])
    # badbundle's folder is not consulted: --policy judges it, and it passes
    assert {n for n, r in repos.items() if r["status"] == "error"} == BROKEN - {"badbundle"}
    [bundle] = doc["evidence"]["bundles"]
    assert bundle["name"] == "acme"
    assert {Path(r).name for r in bundle["repositories"]} == {"own", "shipped", "badbundle"}
    assert doc["policy"] == {
        "name": "acme",
        "version": "2.0.0",
        "digest": bundle["digest"],
        "path": bundle["path"],
    }
    status = {(Path(r["repository"]).name, r["workload"]): r["status"] for r in doc["inventory"]}
    assert status[("shipped", "code-review-bot")] == "violating"  # the forced rule applies
    assert status[("badbundle", "code-review-bot")] == "violating"


def test_a_broken_policy_given_on_the_command_line_stops_the_audit(
    run: Callable[..., Run], folder: Path, tmp_path: Path
) -> None:
    result = run("audit", folder / "shipped", "--policy", folder / "badbundle" / ".clearance",
                 "--format", f"json={tmp_path / 'a.json'}")  # fmt: skip
    assert result.code == 2 and not (tmp_path / "a.json").exists()


def test_each_distinct_bundle_is_loaded_once(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clearance.audit import judging

    root = make_folder(tmp_path / "repos")
    shutil.copytree(root / "shipped", root / "shipped-too")
    for name in ("broken", "badyaml", "badbundle", "fifo"):
        shutil.rmtree(root / name)
    loaded: list[Path | None] = []
    real = judging.load_bundle_snapshot

    def counting(policy: Path | None) -> object:
        loaded.append(policy)
        return real(policy)

    monkeypatch.setattr(judging, "load_bundle_snapshot", counting)
    result = run("audit", root, "--progress", "never", "--format", f"json={tmp_path / 'a.json'}")
    assert result.code == 1, result.err  # own's rule fails; nothing is broken
    assert sorted(map(str, loaded)) == sorted(["None", str(root / "own" / ".clearance")])
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert doc["audit"]["repository_statuses"] == {"audited": 3, "error": 0}


def test_a_repository_with_an_unknown_model_no_longer_stops_the_audit(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    """Regression: the first unknown model ended the audit with exit 2 and no report at all."""
    root = tmp_path / "repos"
    shutil.copytree(EXAMPLES / "internal-tools", root / "good")
    shutil.copytree(EXAMPLES / "healthcare-startup", root / "typo")
    manifest = root / "typo" / "model-usage.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Llama-9"))
    result = run("audit", root, "--format", f"json={tmp_path / 'a.json'}")
    assert result.code == 2, result.err
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    repos = by_name(doc["repositories"])
    assert repos["good"]["status"] == "audited" and repos["typo"]["status"] == "error"
    assert any("unknown model 'meta-llama/Llama-9'" in p for p in repos["typo"]["problems"])
    assert {Path(r["repository"]).name for r in doc["inventory"]} == {"good"}
    assert "typo/model-usage.yaml:" in result.err


def test_history_does_not_call_a_broken_repositorys_findings_resolved(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    root, history = tmp_path / "repos", tmp_path / "audits.sqlite"
    shutil.copytree(EXAMPLES / "risky-team", root / "risky")
    shutil.copytree(EXAMPLES / "internal-tools", root / "fine")
    args = ("audit", root, "--history", history, "--format", "json", "--progress", "never")
    first = run(*args)
    assert first.code == 1, first.err
    assert json.loads(first.out)["findings"]
    (root / "risky" / "model-usage.yaml").write_text("version: 1\nworkloads: [\n", "utf-8")
    second = run(*args)
    assert second.code == 2, second.err
    changes = json.loads(second.out)["changes"]
    assert changes["previous_id"] == 1
    assert changes["resolved_findings"] == []  # unknown this time, not resolved


def test_where_each_kind_of_repository_finds_its_bundle(tmp_path: Path) -> None:
    """As `clearance check` run at the repository's root would: a git repository's own
    `.clearance`, a plain folder's own, and for a plain folder inside a work tree, the
    work tree's; the audit's shortcut agrees with `repository_bundle` on each."""
    from clearance.audit.discover import discover
    from clearance.audit.judging import _root
    from clearance.bundle.discover import bundle_in, repository_bundle

    mono = tmp_path / "mono"
    for team in ("teams/a", "teams/b"):
        shutil.copytree(EXAMPLES / "internal-tools", mono / team)
    subprocess.run([*GIT, "init", "-q", str(mono)], check=True)
    (mono / ".clearance").mkdir()
    (mono / ".clearance" / "bundle.yaml").write_text(ACME_BUNDLE, encoding="utf-8")
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLES / "internal-tools", plain / "x")
    (plain / "x" / ".clearance").mkdir()
    (plain / "x" / ".clearance" / "bundle.yaml").write_text(ACME_BUNDLE, encoding="utf-8")
    shutil.copytree(EXAMPLES / "internal-tools", plain / "y")
    found = discover([mono / "teams", plain], [])
    where = {repo.root.name: bundle_in(_root(repo)) for repo in found}
    assert where == {"a": mono / ".clearance", "b": mono / ".clearance",
                     "x": plain / "x" / ".clearance", "y": None}  # fmt: skip
    for repo in found:
        assert bundle_in(_root(repo)) == repository_bundle(repo.root, repo.root)


def test_the_shipped_bundle_is_named_as_extends_names_it() -> None:
    from clearance.audit import judging
    from clearance.bundle import layers

    assert judging.SHIPPED == layers.SHIPPED


PROBE = """\
import sys
from clearance.cli.main import main
code = main(sys.argv[1:])
print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'), file=sys.stderr)
raise SystemExit(code)
"""


def test_a_second_audit_judges_from_snapshots_without_pydantic(tmp_path: Path) -> None:
    """Regression: finding each repository's bundle imported the bundle's pydantic
    models, 0.15 s on every audit that the snapshots exist to save."""
    root = make_folder(tmp_path / "repos")
    for name in BROKEN:
        shutil.rmtree(root / name)
    env = {**os.environ, "CLEARANCE_CACHE_DIR": str(tmp_path / "cache")}
    args = ["audit", str(root), "--format", f"json={tmp_path / 'a.json'}", "--progress", "never"]
    for _ in range(2):  # the first writes the snapshots, the second reads them
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                              text=True, check=False)  # fmt: skip
        assert proc.returncode == 1, proc.stderr
    assert "HEAVY []" in proc.stderr
