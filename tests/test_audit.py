"""`clearance audit` over a folder of repositories, checked in every format; history; atomic writes."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from audit_repos import TODAY, add_agreement, add_workload, make_repos, organisation_policy
from conftest import EXAMPLES, REPO, Run


@pytest.fixture
def run(
    run: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Run]:
    """`clearance audit` judged by the example organisation's bundle unless told otherwise."""
    policy = organisation_policy(tmp_path_factory.getbasetemp())

    def _run(*args: str | Path) -> Run:
        if args and args[0] == "audit" and "--policy" not in args:
            args = (*args, "--policy", policy)
        return run(*args)

    return _run


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "repos"
    commits = make_repos(root)
    return root, commits


def audit(run: Callable[..., Run], root: Path, out: Path, *args: str) -> Run:
    return run(
        "audit", root, "--today", TODAY, "--progress", "never",
        "--format", f"json={out / 'audit.json'}", "--format", f"csv={out / 'csv'}",
        "--format", f"html={out / 'audit.html'}", *args,
    )  # fmt: skip


def test_every_format_describes_the_same_repositories(
    run: Callable[..., Run], repos: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, commits = repos
    out = tmp_path / "out"
    result = audit(run, root, out)
    assert result.code == 1, result.err  # unwaived errors in beta
    assert result.out == ""  # every format went to a file
    assert "4 repositories, 12 workloads" in result.err
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    repos_by_name = {Path(r["path"]).name: r for r in doc["repositories"]}
    assert set(repos_by_name) == {"alpha", "beta", "gamma", "delta"}
    for name, commit in commits.items():
        assert repos_by_name[name]["commit"] == commit
        assert repos_by_name[name]["branch"] == "main" and repos_by_name[name]["git"]
    assert repos_by_name["beta"]["dirty"] is True
    assert repos_by_name["alpha"]["dirty"] is False and repos_by_name["gamma"]["dirty"] is False
    assert repos_by_name["delta"] == {**repos_by_name["delta"], "git": False, "commit": None,
                                      "dirty": None, "branch": None}  # fmt: skip

    status = {(Path(r["repository"]).name, r["workload"]): r["status"] for r in doc["inventory"]}
    assert status[("beta", "symptom-checker")] == "waived"  # its only finding is waived
    assert status[("beta", "premium-summaries")] == "violating"  # its waiver expired
    assert status[("alpha", "patient-chat")] == "compliant"
    assert doc["audit"]["statuses"] == {"compliant": 8, "violating": 3, "waived": 1}
    chat = next(r for r in doc["inventory"] if r["workload"] == "patient-chat")
    assert chat["licences"][0]["id"] == "llama-3.1" and chat["weights"] == "open"
    assert chat["country"] == "US" and chat["owner"] == "care-team"

    waivers = {w["rule"]: w for w in doc["waivers"]}
    assert waivers["hipaa.phi-needs-baa"]["state"] == "expiring"
    assert waivers["hipaa.phi-needs-baa"]["days_left"] == 21
    assert waivers["licensing.non-commercial-use"]["state"] == "expired"
    assert waivers["licensing.non-commercial-use"]["days_left"] == -9
    assert any(f["rule"] == "waiver.expired" for f in doc["findings"])

    obligations = {(o["workload"], o["obligation"]) for o in doc["obligations"]}
    assert ("patient-chat", "built-with-llama") in obligations
    evidence = doc["evidence"]
    assert evidence["policy"]["digest"].startswith("sha256:") and evidence["today"] == TODAY
    assert len(evidence["manifests"]) == 4 and len(evidence["waiver_files"]) == 1
    assert evidence["command"].startswith(f"clearance audit {root}")
    assert {r["commit"] for r in evidence["repositories"]} == {*commits.values(), None}

    inventory = (out / "csv" / "inventory.csv").read_bytes()
    assert inventory.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.DictReader(inventory.decode("utf-8-sig").splitlines()))
    assert len(rows) == 12
    assert [(Path(r["repository"]).name, r["workload"], r["status"]) for r in rows] == [
        (Path(r["repository"]).name, r["workload"], r["status"]) for r in doc["inventory"]
    ]
    findings = list(csv.DictReader(
        (out / "csv" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))  # fmt: skip
    assert len(findings) == len(doc["findings"])
    assert {f["status"] for f in findings} == {"open", "waived"}

    page = (out / "audit.html").read_text(encoding="utf-8")
    assert page.count('<tr class="waiver-') == 2 and "symptom-checker" in page
    assert commits["beta"] in page


HOSTILE = """
  - id: sums
    owner: =HYPERLINK("http://evil.invalid","click")
    data: [internal]
    purpose: inference
    audience: internal
    commercial: false
    model: openai/gpt-4o-mini
    deployment: {mode: api, provider: openai, region: us}
"""


def test_csv_prefix_and_formula_cells(run: Callable[..., Run], tmp_path: Path) -> None:
    repo = tmp_path / "r"
    shutil.copytree(EXAMPLES / "internal-tools", repo)
    add_workload(repo, HOSTILE)
    result = run("audit", repo, "--progress", "never", "--format", f"csv={tmp_path / 'a.csv'}")
    assert result.code == 0, result.err
    assert sorted(p.name for p in tmp_path.glob("a-*.csv")) == [
        "a-agreements.csv", "a-findings.csv", "a-inventory.csv", "a-obligations.csv", "a-repositories.csv",
        "a-waivers.csv",
    ]  # fmt: skip
    rows = list(csv.DictReader((tmp_path / "a-inventory.csv").read_text(encoding="utf-8-sig")
                               .splitlines()))  # fmt: skip
    [row] = [r for r in rows if r["workload"] == "sums"]
    assert row["owner"] == '\'=HYPERLINK("http://evil.invalid","click")'  # never a formula
    assert (tmp_path / "a-inventory.csv").read_bytes().count(b"\r\n") == len(rows) + 1


def test_csv_needs_a_place(run: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "internal-tools", tmp_path / "r")
    result = run("audit", tmp_path / "r", "--format", "csv")
    assert result.code == 2 and "csv writes several files" in result.err
    result = run("audit", tmp_path / "r", "--format", "pdf")
    assert result.code == 2 and "unknown audit format 'pdf'" in result.err


def test_history_says_what_changed(
    run: Callable[..., Run], repos: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = repos
    history = tmp_path / "audits.sqlite"
    first = run("audit", root, "--today", TODAY, "--history", history, "--format", "json",
                "--progress", "never")  # fmt: skip
    assert first.code == 1, first.err
    doc = json.loads(first.out)
    assert doc["changes"] is None and doc["audit"]["history"] == str(history)

    add_agreement(root / "beta", "eu-coaching", "dpa")  # resolves gdpr.processor-needs-dpa
    add_workload(root / "gamma")  # PHI on AWS without a BAA, with a model not used before
    later = "2027-02-05"  # the expiring waiver (2027-01-31) has expired by then
    second = run("audit", root, "--today", later, "--history", history, "--format", "json",
                 "--progress", "never")  # fmt: skip
    changes = json.loads(second.out)["changes"]
    assert changes["previous_id"] == 1
    resolved = {(c["rule"], c["workload"]) for c in changes["resolved_findings"]}
    assert resolved == {("gdpr.processor-needs-dpa", "eu-coaching")}
    new = {(c["rule"], c["workload"]) for c in changes["new_findings"]}
    assert ("hipaa.phi-needs-baa", "ward-notes") in new
    assert ("waiver.expired", "symptom-checker") in new  # the lapsed waiver is an error now
    assert changes["new_models"] == ["mistralai/Mistral-7B-Instruct-v0.3"]
    assert changes["new_licences"] == ["apache-2.0"]
    assert [(w["rule"], w["expires"]) for w in changes["expired_waivers"]] == [
        ("hipaa.phi-needs-baa", "2027-01-31")
    ]
    with sqlite3.connect(history) as conn:
        assert conn.execute("SELECT count(*) FROM audits").fetchone() == (2,)
        dirty = conn.execute("SELECT path, dirty FROM repositories WHERE audit_id = 2").fetchall()
    assert {(Path(p).name, d) for p, d in dirty} >= {("beta", 1), ("gamma", 1), ("alpha", 0)}


def test_history_file_that_is_not_one(run: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "internal-tools", tmp_path / "r")
    (tmp_path / "h.db").write_text("not a database\n" * 100)
    result = run("audit", tmp_path / "r", "--history", tmp_path / "h.db", "--format", "json")
    assert result.code == 2 and "not a usable clearance history file" in result.err


def test_cyclonedx_is_valid_under_the_librarys_validator(
    run: Callable[..., Run], repos: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    pytest.importorskip("cyclonedx", reason="cyclonedx-python-lib is the optional extra 'audit'")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    root, _ = repos
    bom_path = tmp_path / "bom.cdx.json"
    result = run("audit", root, "--today", TODAY, "--format", f"cyclonedx={bom_path}")
    assert result.code == 1, result.err
    text = bom_path.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    assert bom["specVersion"] == "1.6"
    models = {c["name"]: c for c in bom["components"]}
    assert all(c["type"] == "machine-learning-model" for c in models.values())
    llama = models["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["supplier"]["name"] == "Amazon Web Services"
    assert llama["licenses"][0]["license"]["name"] == "Llama 3.1 Community License Agreement"
    assert llama["modelCard"]["modelParameters"]["inputs"] == [{"format": "text"}]
    card = {p["name"]: p["value"] for p in llama["modelCard"]["properties"]}
    assert card["clearance:released"] == "2024-07-23" and card["clearance:family"] == "llama"
    gpt = models["openai/gpt-4o"]
    assert gpt["supplier"]["name"] == "OpenAI API"
    workloads = [s for svc in bom["services"] for s in svc.get("services", [])]
    assert len(workloads) == 12
    chat = next(s for s in workloads if s["name"] == "symptom-checker")
    assert {d["classification"] for d in chat["data"]} == {"phi", "pii"}
    props = {p["name"]: p["value"] for p in chat["properties"]}
    assert props["clearance:status"] == "waived" and props["clearance:model"] == "openai/gpt-4o"


def test_cyclonedx_missing_library_is_a_clear_exit_2(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_cyclonedx(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("cyclonedx"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_cyclonedx)
    shutil.copytree(EXAMPLES / "internal-tools", tmp_path / "r")
    result = run("audit", tmp_path / "r", "--format", f"cyclonedx={tmp_path / 'b.json'}")
    assert result.code == 2 and "pip install 'clearance[audit]'" in result.err
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("failing", ["render", "write"])
def test_interrupted_audit_leaves_old_files_intact(
    failing: str, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "internal-tools", tmp_path / "r")
    out = tmp_path / "out"
    out.mkdir()
    (out / "audit.html").write_text("OLD HTML\n")
    (out / "audit.json").write_text("OLD JSON\n")
    if failing == "render":  # the second format fails after the first rendered: nothing written
        from clearance.audit.formats import json as json_format

        def boom(audit: object) -> dict[str, str]:
            raise RuntimeError("renderer crashed")

        monkeypatch.setattr(json_format, "render", boom)
    else:  # the disk fails half-way through a file
        import os

        real_fdopen = os.fdopen

        class Half:
            def __init__(self, handle: object) -> None:
                self.handle = handle

            def __enter__(self) -> Half:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()  # type: ignore[attr-defined]

            def write(self, text: str) -> int:
                self.handle.write(text[: len(text) // 2])  # type: ignore[attr-defined]
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda *a, **k: Half(real_fdopen(*a, **k)))
    result = run("audit", tmp_path / "r", "--format", f"html={out / 'audit.html'}",
                 "--format", f"json={out / 'audit.json'}")  # fmt: skip
    assert result.code == 3, result.err
    assert (out / "audit.html").read_text() == "OLD HTML\n"
    assert (out / "audit.json").read_text() == "OLD JSON\n"
    assert sorted(p.name for p in out.iterdir()) == ["audit.html", "audit.json"]  # no temp files


def test_bad_manifest_in_one_repository_is_exit_2(run: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "internal-tools", tmp_path / "repos" / "good")
    bad = tmp_path / "repos" / "bad"
    bad.mkdir()
    (bad / "model-usage.yaml").write_text("version: 1\nworkloads:\n  - id: x\n    modle: y\n")
    result = run("audit", tmp_path / "repos", "--format", f"json={tmp_path / 'a.json'}")
    assert result.code == 2 and "bad/model-usage.yaml:4:5" in result.err
    # the report is written all the same: the good repository audited, the bad one listed
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    status = {Path(r["path"]).name: r["status"] for r in doc["repositories"]}
    assert status == {"good": "audited", "bad": "error"}
    assert doc["summary"]["workloads"] == 3


def test_nothing_to_audit(run: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("audit", tmp_path / "empty").code == 2
    assert run("audit", tmp_path / "missing").code == 2


def test_html_to_standard_output_by_default(run: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "healthcare-startup", tmp_path / "r")
    result = run("audit", tmp_path / "r")
    assert result.code == 0, result.err
    assert result.out.startswith("<!DOCTYPE html>") and "patient-chat" in result.out
    assert "\r" not in result.err  # no progress bar when standard error is not a terminal


DISTILLED = """
  - id: reasoning
    data: [internal]
    purpose: inference
    audience: internal
    commercial: true
    model: deepseek-ai/DeepSeek-R1-Distill-Llama-70B
    deployment: {mode: self-hosted, provider: on-prem, region: dc-virginia}
"""


def test_cyclonedx_names_a_distilled_models_ancestors(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    pytest.importorskip("cyclonedx", reason="cyclonedx-python-lib is the optional extra 'audit'")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    repo = tmp_path / "r"
    shutil.copytree(EXAMPLES / "healthcare-startup", repo)
    add_workload(repo, DISTILLED)
    bom_path = tmp_path / "bom.json"
    assert run("audit", repo, "--format", f"cyclonedx={bom_path}").code in (0, 1)
    text = bom_path.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    [model] = [c for c in json.loads(text)["components"]
               if c["name"] == "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"]  # fmt: skip
    ancestors = [a["name"] for a in model["pedigree"]["ancestors"]]
    assert ancestors and all(a.startswith("meta-llama/") for a in ancestors)
    licences = {lic["license"].get("name") or lic["license"].get("id") for lic in model["licenses"]}
    assert len(licences) >= 2  # its own licence and its Llama ancestor's
    card = {p["name"]: p["value"] for p in model["modelCard"]["properties"]}
    assert card["clearance:lineage"] == "distillation"


def test_a_fact_nobody_set_reads_as_a_sentence_in_csv_and_html(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    # regression: the shipped bundle sets no organisation facts, so GDPR rules cannot
    # tell; the audit's CSV and HTML wrote "organisation.established_in is null"
    repo = tmp_path / "r"
    shutil.copytree(EXAMPLES / "risky-team", repo)
    out = tmp_path / "out"
    result = run(
        "audit", repo, "--progress", "never", "--policy", REPO / "policies",
        "--format", f"csv={out / 'a.csv'}", "--format", f"html={out / 'a.html'}",
    )  # fmt: skip
    assert result.code == 1, result.err  # risky-team violates rules; the audit still writes
    findings = (out / "a-findings.csv").read_text(encoding="utf-8-sig")
    page = (out / "a.html").read_text(encoding="utf-8")
    for text in (findings, page):
        assert "is null" not in text
    assert "organisation.established_in is not set, so this cannot be decided" in findings
    assert "<code>organisation.established_in</code> is not set" in page
