"""`clearance models import`: Hugging Face model cards into a bundle's catalogue.

Every card of the shared corpus either imports (the models file written is
compared with tests/golden/model-cards/) or is refused with a located exit 2;
never a traceback. CLEARANCE_UPDATE_GOLDEN=1 rewrites the golden files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.bundle.load import Bundle, load_bundle
from clearance.errors import ClearanceError
from clearance.gateways.card_import import import_cards
from conftest import Run

CORPUS = Path(os.environ.get("CLEARANCE_CORPUS", "/work/shared/corpus")) / "hf-model-card"
GOLDEN = Path(__file__).parent / "golden" / "model-cards"
CARDS = sorted(p.name for p in CORPUS.glob("*README.md")) if CORPUS.is_dir() else []
TODAY = "2026-11-30"


def new_bundle(path: Path, extra: str = "") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "bundle.yaml").write_text(
        "# the organisation's bundle\nname: acme\nversion: 1.0.0  # keep\n"
        "extends: clearance:default\n" + extra,
        encoding="utf-8",
    )
    return path


def card(path: Path, front: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n# A model\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not CARDS, reason="the shared corpus is not on this machine")
@pytest.mark.parametrize("name", CARDS)
def test_every_corpus_card_imports_as_golden_or_is_refused_where_it_says(
    name: str, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = new_bundle(tmp_path / "bundle")
    monkeypatch.chdir(CORPUS)
    model_id = name.removesuffix("__README.md").replace("__", "/", 1)
    result = run("models", "import", name, "--id", model_id, "--bundle", bundle, "--today", TODAY)
    assert result.code in (0, 2), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    if result.code == 2:
        assert result.err.startswith(f"error: {name}:"), result.err  # file:line:column
        got = f"# exit 2\n{result.err}"
    else:
        got = "# exit 0\n" + (bundle / "catalog" / "models.yaml").read_text(encoding="utf-8")
        assert load_bundle(bundle).catalogue.model(model_id) is not None  # it loads
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("CLEARANCE_UPDATE_GOLDEN") == "1":
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with CLEARANCE_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")


def test_the_id_and_revision_come_from_a_hugging_face_cache_path(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    bundle = new_bundle(tmp_path / "bundle")
    path = card(
        tmp_path / "hub" / "models--acme--tiny-7B" / "snapshots" / "0123abcd" / "README.md",
        "license: apache-2.0\npipeline_tag: text-generation\n",
    )
    assert run("models", "import", path, "--bundle", bundle, "--today", TODAY).code == 0
    [entry] = yaml.safe_load((bundle / "catalog" / "models.yaml").read_text())["models"]
    assert entry["id"] == "acme/tiny-7B"
    assert entry["licence"] == "apache-2.0"
    assert entry["source"]["commit"] == "0123abcd"
    assert entry["source"]["path"] == str(path)
    assert str(entry["source"]["as_of"]) == TODAY


def test_without_an_id_or_a_cache_path_it_asks_for_one(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    path = card(tmp_path / "README.md", "license: mit\n")
    result = run("models", "import", path, "--bundle", new_bundle(tmp_path / "b"))
    assert result.code == 2
    assert "give --id ORG/NAME" in result.err


def test_importing_twice_changes_nothing_and_keeps_comments(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    bundle = new_bundle(tmp_path / "bundle", "catalog: [own]  # our models\n")
    (bundle / "own").mkdir()
    models = bundle / "own" / "models.yaml"
    models.write_text("# reviewed by legal\nmodels: []  # none yet\n", encoding="utf-8")
    path = card(tmp_path / "c" / "README.md", "license: mit\n")
    args = ("models", "import", path, "--id", "acme/x", "--bundle", bundle)
    assert run(*args, "--today", TODAY).code == 0
    first = models.read_text()
    assert first.startswith("# reviewed by legal\n")
    assert "# assumed: the card names no pipeline_tag" in first
    assert "# our models" in (bundle / "bundle.yaml").read_text()
    again = run(*args, "--today", "2027-01-01")  # another day, same card
    assert again.code == 0 and "0 model(s) added, 0 updated, 1 unchanged" in again.err
    assert models.read_text() == first
    card(path, "license: apache-2.0\n")  # the card changed: the entry follows it
    assert run(*args, "--today", TODAY).code == 0
    assert yaml.safe_load(models.read_text())["models"][0]["licence"] == "apache-2.0"


def test_a_new_catalogue_is_created_and_registered(run: Callable[..., Run], tmp_path: Path) -> None:
    bundle = new_bundle(tmp_path / "bundle")
    path = card(tmp_path / "c" / "README.md", "license: mit\n")
    assert run("models", "import", path, "--id", "acme/x", "--bundle", bundle).code == 0
    text = (bundle / "bundle.yaml").read_text()
    assert text.startswith("# the organisation's bundle\n") and "# keep" in text
    assert yaml.safe_load(text)["catalog"] == ["catalog"]


def test_cards_imported_together_may_derive_from_each_other(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    bundle = new_bundle(tmp_path / "bundle")
    base = card(
        tmp_path / "hub" / "models--acme--base" / "snapshots" / "r1" / "README.md",
        "license: other\nlicense_name: mrl\npipeline_tag: text-generation\n",
    )
    quant = card(
        tmp_path / "hub" / "models--acme--base-gguf" / "snapshots" / "r2" / "README.md",
        "license: other\nlicense_name: mrl\nbase_model: acme/base\n"
        "base_model_relation: quantized\n",
    )
    assert run("models", "import", base, quant, "--bundle", bundle).code == 0
    cat = load_bundle(bundle).catalogue
    entry = cat.model("acme/base-gguf")
    assert entry is not None and entry.licence == "mistral-research"
    assert entry.lineage == "quantisation" and entry.base_model == ["acme/base"]
    assert entry.modalities.input == ["text"]  # from its base


@pytest.mark.parametrize(
    ("front", "where", "message"),
    [
        ("license: other\n", "2:10: license", "`license: other` without a `license_name`"),
        ("license: other\nlicense_name: acme-eula\n", "3:15: license_name", "not in the catalogue"),
        ("license: [mit, apache-2.0]\n", "2:10: license", "is not one licence keyword"),
        ("license: unknown\n", "2:10: license", "names no licence"),
        ("license: mitt\n", "2:10: license", "(did you mean mit?)"),
        (
            "license: mit\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: distil\n",
            "4:22: base_model_relation",
            "unknown base_model_relation 'distil'",
        ),
        ("pipeline_tag: text-generation\n", "2:1", "the card names no licence"),
    ],
)
def test_what_cannot_be_read_is_refused_at_its_position(
    run: Callable[..., Run], tmp_path: Path, front: str, where: str, message: str
) -> None:
    path = card(tmp_path / "README.md", front)
    result = run("models", "import", path, "--id", "a/b", "--bundle", new_bundle(tmp_path / "b"))
    assert result.code == 2
    assert result.err.startswith(f"error: {path}:{where}"), result.err
    assert message in result.err
    assert not (tmp_path / "b" / "catalog").exists()  # nothing written


def test_an_alias_of_a_catalogue_model_is_not_imported_as_a_new_model(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    path = card(tmp_path / "README.md", "license: llama3.1\n")
    alias = "meta-llama/Meta-Llama-3.1-70B-Instruct"
    result = run("models", "import", path, "--id", alias, "--bundle", new_bundle(tmp_path / "b"))
    assert result.code == 2
    assert "is an alias of meta-llama/Llama-3.1-70B-Instruct" in result.err


def test_an_imported_model_is_judged_by_its_cards_licence(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    bundle = new_bundle(tmp_path / "bundle")
    path = card(tmp_path / "README.md", "license: cc-by-nc-4.0\n")
    assert run("models", "import", path, "--id", "acme/nc", "--bundle", bundle).code == 0
    manifest = tmp_path / "repo" / "model-usage.yaml"
    manifest.parent.mkdir()
    manifest.write_text(
        "version: 1\nworkloads:\n  - id: w\n    data: [public]\n    commercial: true\n"
        "    model: acme/nc\n    deployment: {mode: self-hosted, provider: aws, "
        "region: eu-central-1}\n"
    )
    result = run("check", manifest, "--policy", bundle)
    assert result.code == 1 and "licensing.non-commercial-use" in result.out


# --- random front matter never crashes the import ----------------------------------

_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "mit",
            "other",
            "llama3.1",
            "mrl",
            "gemma",
            "cc-by-4.0",
            "quantized",
            "merge",
            "meta-llama/Llama-3.1-8B",
            "acme/self",
            "text-generation",
            "",
            "Other",
        ]
    ),
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_KEYS = st.sampled_from(
    [
        "license",
        "license_name",
        "license_link",
        "base_model",
        "base_model_relation",
        "pipeline_tag",
        "tags",
        "library_name",
    ]
)


@pytest.fixture(scope="module")
def shipped() -> Bundle:
    return load_bundle()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    front=st.dictionaries(_KEYS, _VALUE, max_size=6),
    raw=st.text(max_size=40),
    mode=st.integers(0, 3),
)
def test_random_front_matter_never_crashes_the_import(
    front: dict[str, Any],
    raw: str,
    mode: int,
    shipped: Bundle,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    where = tmp_path_factory.mktemp("card")
    text = yaml.safe_dump(front, allow_unicode=True) if front else ""
    if mode == 1:
        text += raw  # a splice of arbitrary text: broken YAML, fences, tabs
    elif mode == 2:
        text = raw
    path = where / "README.md"
    path.write_text(f"---\n{text}\n---\n" if mode != 3 else raw + text, encoding="utf-8")
    bundle = new_bundle(where / "bundle")
    try:
        result = import_cards([path], "acme/self", bundle, shipped.catalogue, date(2026, 11, 30))
    except ClearanceError:
        return  # refused with a message: fine
    for target, written in result.writes:  # what it would write reads back as YAML
        assert target.name in ("bundle.yaml", "models.yaml")
        assert isinstance(yaml.safe_load(written), dict)


def test_a_card_without_front_matter_is_refused_at_its_first_line(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "README.md"
    shutil.copy(Path(__file__), path)
    result = run("models", "import", path, "--id", "a/b", "--bundle", new_bundle(tmp_path / "b"))
    assert result.code == 2 and f"error: {path}:1:1: no YAML front matter" in result.err


def test_a_models_file_that_is_not_a_catalogue_is_refused_not_overwritten(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    bundle = new_bundle(tmp_path / "bundle")  # registers no catalogue yet
    (bundle / "catalog").mkdir()
    (bundle / "catalog" / "models.yaml").write_text("models: {a: 1}\n", encoding="utf-8")
    path = card(tmp_path / "c" / "README.md", "license: mit\n")
    result = run("models", "import", path, "--id", "acme/x", "--bundle", bundle)
    assert result.code == 2 and "'models' is not a list" in result.err
    assert (bundle / "catalog" / "models.yaml").read_text() == "models: {a: 1}\n"
