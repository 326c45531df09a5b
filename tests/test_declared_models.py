"""A manifest's own models (`models:`): named like catalogue models, governed by the licence
the manifest declares, and always reported as the manifest's word; every doubt fails closed."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.bundle.load import load_bundle
from clearance.manifest.load import load_manifest
from clearance.resolve.resolver import Resolver
from clearance.schema.facts import SLOT
from conftest import Run
from test_manifest_check import fast, models

WORKLOAD = """\
  - id: {wid}
    data: [public]
    commercial: {commercial}
    model: {model}
    deployment: {{mode: self-hosted, provider: aws, region: eu-central-1}}
"""


def manifest(
    path: Path, declared: str, model: str = "acme/ft", commercial: bool = True, wid: str = "w"
) -> Path:
    text = "version: 1\nmodels:\n" + textwrap.indent(textwrap.dedent(declared).strip(), "  ")
    text += "\nworkloads:\n" + WORKLOAD.format(
        wid=wid, model=model, commercial=str(commercial).lower()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


NC_MODEL = """\
- id: acme/ft
  licence: cc-by-nc-4.0
  weights: open
"""


def test_a_declared_model_is_judged_by_its_declared_licence_and_says_so(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    path = manifest(tmp_path / "model-usage.yaml", NC_MODEL)
    result = run("check", path, "--format", "json")
    assert result.code == 1, result.err
    [finding] = [f for f in json.loads(result.out)["findings"] if f["severity"] == "error"]
    assert finding["rule"] == "licensing.non-commercial-use"
    assert finding["via"] == f"acme/ft (licence declared by {path})"
    # and the same model used non-commercially passes
    manifest(path, NC_MODEL, commercial=False)
    assert run("check", path).code == 0


@pytest.mark.parametrize(
    ("written", "licence"),
    [
        ("cc-by-nc-4.0", "cc-by-nc-4.0"),  # an id
        ("CC-BY-NC-4.0", "cc-by-nc-4.0"),  # the SPDX id
        ("llama3.1", "llama-3.1"),  # a Hugging Face keyword
        ("llama3", "llama-3"),  # a Hugging Face keyword that is no alias
        ("openrail++", "creativeml-openrail-pp-m"),
        ("Apache 2.0", "apache-2.0"),  # an alias
        ("LicenseRef-scancode-llama-2-license-2023", "llama-2"),  # a ScanCode SPDX ref
    ],
)
def test_a_licence_may_be_written_as_people_write_it(
    tmp_path: Path, written: str, licence: str
) -> None:
    path = manifest(tmp_path / "model-usage.yaml", NC_MODEL.replace("cc-by-nc-4.0", written))
    [rw] = Resolver(load_bundle()).resolve(load_manifest(path))
    assert rw.model.licence == licence
    assert rw.governing[0].licence == licence


def test_the_records_say_the_manifest_declared_the_model(tmp_path: Path) -> None:
    path = manifest(
        tmp_path / "model-usage.yaml",
        """\
        - id: acme/ft
          licence: mit
          weights: open
          base_model: meta-llama/Llama-3.1-8B-Instruct
        """,
    )
    [rw] = Resolver(load_bundle()).resolve(load_manifest(path))
    for record in rw.records:
        assert record[SLOT["model.declared_by"]] == "manifest"
        assert record[SLOT["model.vendor"]] is None  # not said: unknown, not a value
        assert record[SLOT["model.family"]] == "llama"  # its catalogued base's
        assert record[SLOT["model.input_modalities"]] is None
        assert record[SLOT["model.base_models"]] == ("meta-llama/Llama-3.1-8B-Instruct",)
    # the ancestor's licence governs too, named as the catalogue names it
    assert [(g.licence, g.via) for g in rw.governing] == [
        ("mit", f"acme/ft (licence declared by {path})"),
        ("llama-3.1", "meta-llama/Llama-3.1-8B-Instruct"),
    ]
    catalogued = manifest(tmp_path / "b" / "model-usage.yaml", NC_MODEL, "llama3.1:8b")
    [rw] = Resolver(load_bundle()).resolve(load_manifest(catalogued))
    assert rw.records[0][SLOT["model.declared_by"]] == "catalogue"


def test_lineage_runs_through_the_manifests_own_models(tmp_path: Path) -> None:
    path = manifest(
        tmp_path / "model-usage.yaml",
        """\
        - id: acme/merge
          licence: apache-2.0
          weights: open
          base_model: [acme/nc-base]
          family: acme
          modalities: {input: [text, image], output: [text]}
        - id: acme/nc-base
          licence: cc-by-nc-4.0
          weights: open
          base_model: [meta-llama/Llama-3.1-8B]
        """,
        model="acme/merge",
    )
    [rw] = Resolver(load_bundle()).resolve(load_manifest(path))
    assert [g.licence for g in rw.governing] == ["apache-2.0", "cc-by-nc-4.0", "llama-3.1"]
    assert [a.id for a in rw.ancestors] == ["acme/nc-base", "meta-llama/Llama-3.1-8B"]
    record = rw.records[0]
    assert record[SLOT["model.family"]] == "acme"
    assert record[SLOT["model.input_modalities"]] == ("text", "image")


@pytest.mark.parametrize(
    ("declared", "where", "message"),
    [
        pytest.param(
            NC_MODEL.replace("cc-by-nc-4.0", "apache-2.1"),
            "4:14: models[0].licence: unknown licence 'apache-2.1'",
            "(did you mean apache-2.0?)",
            id="unknown licence",
        ),
        pytest.param(
            NC_MODEL.replace("cc-by-nc-4.0", "other"),
            "4:14: models[0].licence: 'other' names no licence",
            "SPDX id or a Hugging Face licence keyword",
            id="other",
        ),
        pytest.param(
            NC_MODEL + "  base_model: [meta-llama/Llama-3.1-8B-Instrukt]\n",
            "6:18: models[0].base_model[0]: unknown base model",
            "(did you mean meta-llama/Llama-3.1-8B-Instruct?)",
            id="unknown base model",
        ),
        pytest.param(
            NC_MODEL + "  base_model: acme/nothing\n",
            "6:17: models[0].base_model: unknown base model 'acme/nothing'",
            "",
            id="unknown base model, one string",
        ),
        pytest.param(
            NC_MODEL + NC_MODEL.replace("acme/ft", "ACME/FT"),
            "6:9: models[1].id: model 'ACME/FT' is declared twice (first at models[0])",
            "",
            id="declared twice",
        ),
    ],
)
def test_doubtful_declarations_fail_closed_where_they_are(
    run: Callable[..., Run], tmp_path: Path, declared: str, where: str, message: str
) -> None:
    path = manifest(tmp_path / "model-usage.yaml", declared)
    result = run("check", path)
    assert result.code == 2, result.out
    assert f"error: {path}:{where}" in result.err
    assert message in result.err
    # a workload naming the refused model is not also told the model is unknown
    assert result.err.count("error:") == 1, result.err


@pytest.mark.parametrize(
    "name", ["meta-llama/Llama-3.1-8B-Instruct", "META-LLAMA/llama-3.1-8b-instruct", "llama3.1:8b"]
)
def test_a_manifest_cannot_relicense_a_catalogue_model(
    run: Callable[..., Run], tmp_path: Path, name: str
) -> None:
    # declaring a catalogued model (by id, in any case, or by an alias) under a laxer
    # licence would be a silent pass: it is an error naming the catalogue's licence
    path = manifest(tmp_path / "model-usage.yaml", NC_MODEL.replace("acme/ft", name), name)
    result = run("check", path)
    assert result.code == 2
    assert f"error: {path}:3:9: models[0].id: '{name}' is already in the catalogue" in result.err
    assert "under licence llama-3.1" in result.err


def test_two_manifests_declaring_one_id_never_share_a_verdict(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    # the resolver builds each model/provider/region context once per run; a declared
    # model's context belongs to its manifest alone
    lax = manifest(tmp_path / "a" / "model-usage.yaml", NC_MODEL.replace("cc-by-nc-4.0", "mit"))
    strict = manifest(tmp_path / "b" / "model-usage.yaml", NC_MODEL)
    for order in ((lax, strict), (strict, lax)):
        result = run("check", *order, "--format", "json")
        assert result.code == 1
        findings = [f for f in json.loads(result.out)["findings"] if f["severity"] == "error"]
        assert [(f["manifest"], f["via"]) for f in findings] == [
            (str(strict), f"acme/ft (licence declared by {strict})")
        ]


def test_a_changed_declaration_is_judged_afresh_by_the_next_run(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    path = manifest(tmp_path / "model-usage.yaml", NC_MODEL.replace("cc-by-nc-4.0", "mit"))
    assert run("check", path).code == 0
    manifest(path, NC_MODEL)  # the parse cache and the policy snapshot both hold a verdict
    assert run("check", path).code == 1


def test_the_fast_and_positioned_readers_agree_on_declared_models(tmp_path: Path) -> None:
    path = manifest(
        tmp_path / "model-usage.yaml",
        NC_MODEL + "  base_model: meta-llama/Llama-3.1-8B\n  modalities: {input: [text], "
        "output: [text]}\n  family: acme\n",
    )
    quick, slow = load_manifest(path), load_manifest(path, fast=False)
    assert quick.manifest == slow.manifest
    assert quick.manifest.models[0].base_model == ["meta-llama/Llama-3.1-8B"]


def test_the_audit_says_the_licence_was_declared_by_the_manifest(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    manifest(
        repo / "model-usage.yaml",
        """\
        - id: acme/ft
          licence: mit
          weights: open
          base_model: acme/base
        - id: acme/base
          licence: apache-2.0
          weights: open
        """,
    )
    result = run("audit", repo, "--progress", "never", "--format", "json")
    assert result.code in (0, 1), result.err
    doc = json.loads(result.out)
    [row] = doc["inventory"]
    shown = row["manifest"]
    assert [use["via"] for use in row["licences"]] == [
        f"acme/ft (licence declared by {shown})",
        f"acme/base (licence declared by {shown})",
    ]
    by_id = {m["id"]: m for m in doc["models"]}
    assert by_id["acme/ft"]["base_models"] == ["acme/base"]
    assert by_id["acme/base"]["base_models"] == []


# --- the plain fast check and pydantic agree on `models:` -----------------------------

_VALUE = st.one_of(
    st.sampled_from(["acme/x", "", "a" * 300, "a" * 301, "mit", "open", "closed", "Open", "text"]),
    st.none(),
    st.integers(-1, 2),
    st.booleans(),
)
_MODALITY_LIST = st.lists(st.sampled_from(["text", "image", "smell", 1]), max_size=3)


@st.composite
def declared_entries(draw: st.DrawFn) -> Any:
    entry: dict[str, Any] = {
        "id": draw(st.sampled_from(["acme/x", "", "a" * 301]) | _VALUE),
        "licence": draw(st.sampled_from(["mit", "x" * 201]) | _VALUE),
        "weights": draw(st.sampled_from(["open", "closed"]) | _VALUE),
    }
    for key in draw(st.sets(st.sampled_from(["base_model", "family", "modalities", "name"]))):
        entry[key] = draw(
            {
                "base_model": st.one_of(_VALUE, st.lists(_VALUE, max_size=2)),
                "family": st.sampled_from(["acme", "Acme", "a" * 201, "-x"]) | _VALUE,
                "modalities": st.one_of(
                    _VALUE,
                    st.fixed_dictionaries({"input": _MODALITY_LIST, "output": _MODALITY_LIST}),
                    st.fixed_dictionaries({"input": _MODALITY_LIST}),
                ),
                "name": _VALUE,
            }[key]
        )
    if draw(st.integers(0, 9)) == 0:
        return draw(_VALUE)
    return entry


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.one_of(st.lists(declared_entries(), max_size=3), _VALUE))
def test_the_fast_check_reads_declared_models_as_pydantic_does(entries: Any) -> None:
    doc = {"version": 1, "models": entries, "workloads": []}
    by_check, by_models = fast(doc), models(doc)
    if by_check is not None:
        assert by_models == by_check
    elif by_models is not None:
        pytest.fail(f"the models accept data the fast check doubts: {doc!r}")


def test_an_example_with_declared_models_reads_the_same_both_ways() -> None:
    doc = yaml.safe_load(
        "version: 1\nmodels:\n- {id: a/b, licence: mit, weights: open, base_model: c/d,"
        " modalities: {input: [text], output: [image]}}\nworkloads: []\n"
    )
    assert fast(doc) == models(doc) is not None


def test_a_manifest_declaring_models_keeps_pydantic_off_the_check_path(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = manifest(
        tmp_path / "model-usage.yaml",
        NC_MODEL + "  base_model: meta-llama/Llama-3.1-8B\n",
        commercial=False,
    )
    env = {**os.environ, "CLEARANCE_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import sys\n"
        "from clearance.cli.main import main\n"
        "code = main(['check', sys.argv[1]])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    for _ in range(2):  # the first run builds the policy snapshot, the second reads it
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path)], env=env, capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr


def test_the_advisor_judges_a_declared_model_as_the_check_does(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    # regression: its options were judged without the manifest's own models, so every
    # one was "blocked by invalid: unknown model"
    path = manifest(tmp_path / "model-usage.yaml", NC_MODEL.replace("cc-by-nc-4.0", "mit"))
    result = run("advise", path, "--format", "json")
    assert result.code == 0, result.err
    assert "unknown model" not in result.out
    doc = json.loads(result.out)
    [workload] = doc["workloads"]
    own = [o for o in workload["options"] if o["model"] == "acme/ft"]
    assert own and all(o["compliant"] for o in own)


def test_a_large_manifest_declaring_models_first_stays_on_the_fast_path(tmp_path: Path) -> None:
    # regression: slices began at the first `- id:` line, a model's, so a manifest over
    # a megabyte with `models:` first was read whole by the slow reader
    # (an id without a slash reads like a workload's `- id:` line)
    head = "version: 1\nmodels:\n  - id: acme-ft\n    licence: mit\n    weights: open\n"
    item = (
        "  - id: w{i}\n    data: [public]\n    commercial: true\n    model: acme-ft\n"
        "    deployment: {{mode: self-hosted, provider: aws, region: eu-central-1}}\n"
    )
    path = tmp_path / "model-usage.yaml"
    path.write_text(head + "workloads:\n" + "".join(item.format(i=i) for i in range(8000)))
    assert path.stat().st_size > 1_000_000
    quick, slow = load_manifest(path), load_manifest(path, fast=False)
    assert quick.fast and not slow.fast
    assert quick.manifest == slow.manifest
    assert quick.position("workloads", 7999) == slow.position("workloads", 7999)
    assert quick.position("models", 0, "licence") == slow.position("models", 0, "licence")
