"""Output carries no raw control characters (issue 11, item 8).

A `trains:` value holding an escape sequence, a carriage return, U+202E, a C1 CSI
and a line break followed by a GitHub workflow command reaches every report
format. Each shows it as visible text (`\\x1b`, `\\r`, `\\u202e`, `\\n`), never raw:
the only escape sequences in a report are clearance's colours, and the JSON
formats keep the value exact (escaped, it decodes to the same string).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.safe_text import json_text, neutralise
from conftest import Run

TRAINS = "acme/x\x1b[2J\rOK\u202egnp.exe\x9b31m\n::error file=x::pwned"
# the YAML that yields it
TRAINS_YAML = r'"acme/x\e[2J\rOK\u202egnp.exe\u009b31m\n::error file=x::pwned"'
SHOWN = r"acme/x\x1b[2J\rOK\u202egnp.exe\x9b31m\n::error file=x::pwned"

MANIFEST = f"""\
version: 1
workloads:
  - id: w1
    data: [internal]
    purpose: fine-tuning
    commercial: false
    trains: {TRAINS_YAML}
    model: meta-llama/Llama-3.1-70B-Instruct
    deployment:
      mode: self-hosted
      provider: aws
      region: us-east-1
"""
# a rule whose message quotes the value, beside the Llama naming rule that explains it
RULE = """\
rules:
  - id: acme.trains
    title: A rule
    severity: error
    when:
      workload.id: {equals: w1}
    message: "{workload.id} trains {workload.trains}"
    remediation: "rename {workload.trains}"
"""
WAIVERS = f"""\
waivers:
  - rule: acme.trains
    workload: w1
    reason: {TRAINS_YAML}
    approved_by: jane.doe@acme.example
    ticket: COMP-1
    expires: 2026-12-31
"""

# raw characters no report may hold (tab and line feed are a report's own layout)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
COLOUR = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    from conftest import REPO

    shutil.copytree(REPO / "policies", tmp_path / "bundle", ignore=shutil.ignore_patterns("tests"))
    (tmp_path / "bundle" / "acme-rules.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model-usage.yaml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(run: Callable[..., Run], fmt: str, *extra: str) -> str:
    result = run(
        "check", "m/model-usage.yaml", "--policy", "bundle", "--format", fmt,
        "--today", "2026-11-22", *extra,
    )  # fmt: skip
    assert result.code in (0, 1), result.err
    assert not RAW.search(result.err), repr(result.err)
    return result.out


def _no_raw(text: str) -> None:
    found = RAW.search(text)
    assert found is None, f"raw {found.group(0)!r} in {text[max(0, found.start() - 60) : found.end() + 60]!r}"


def test_the_neutraliser() -> None:
    assert neutralise(TRAINS) == SHOWN
    assert neutralise("plain\ttab, ünïcödé, emoji 👍🏽") == "plain\ttab, ünïcödé, emoji 👍🏽"
    assert neutralise("\x00\x7f\u2028\u2066\u200f") == r"\x00\x7f\u2028\u2066\u200f"
    assert neutralise(neutralise(TRAINS)) == SHOWN  # showing twice changes nothing
    assert json.loads(json_text(json.dumps(TRAINS, ensure_ascii=False))) == TRAINS
    _no_raw(json_text(json.dumps(TRAINS, ensure_ascii=False)))


@pytest.mark.usefixtures("repo")
def test_text_shows_the_value_and_holds_only_its_own_colours(run: Callable[..., Run]) -> None:
    out = _check(run, "text", "--color", "always")
    assert SHOWN in out
    _no_raw(COLOUR.sub("", out))
    plain = _check(run, "text", "--color", "never")
    assert "\x1b" not in plain and SHOWN in plain
    assert not any(line.startswith("::") for line in plain.splitlines())


@pytest.mark.usefixtures("repo")
def test_github_annotations_hold_no_forged_command(run: Callable[..., Run]) -> None:
    out = _check(run, "github")
    _no_raw(out)
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), lines
    assert not any(line.startswith("::error file=x") for line in lines)
    # the value is in an annotation's message, as visible text on that one line
    assert any(SHOWN in line for line in lines)


@pytest.mark.usefixtures("repo")
def test_markdown_shows_the_value_as_text(run: Callable[..., Run]) -> None:
    out = _check(run, "markdown")
    _no_raw(out)
    # a line break is a space in Markdown; the rest shows, its backslashes escaped
    assert r"acme/x\\x1b\[2J OK\\u202egnp.exe\\x9b31m ::error file=x::pwned" in out
    assert not any(line.startswith("::") for line in out.splitlines())


@pytest.mark.usefixtures("repo")
def test_junit_messages_are_visible_text(run: Callable[..., Run]) -> None:
    out = _check(run, "junit")
    _no_raw(out)
    failures = [f.get("message") or "" for f in ET.fromstring(out.encode()).iter("failure")]
    assert any(SHOWN in message for message in failures), failures


@pytest.mark.usefixtures("repo")
def test_sarif_messages_are_visible_text_and_the_file_escapes_the_rest(
    run: Callable[..., Run],
) -> None:
    out = _check(run, "sarif")
    _no_raw(out)
    doc = json.loads(out)
    messages = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    assert any(SHOWN in m for m in messages), messages
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert "acme.trains" in rules


@pytest.mark.usefixtures("repo")
def test_json_keeps_the_value_exact_and_escaped(run: Callable[..., Run]) -> None:
    out = _check(run, "json")
    _no_raw(out)
    doc = json.loads(out)
    assert any(TRAINS in f["message"] for f in doc["findings"])  # data, not display: exact


@pytest.mark.usefixtures("repo")
def test_waiver_reasons_are_neutralised_too(run: Callable[..., Run]) -> None:
    Path("m/waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    for fmt in ("text", "github", "markdown", "junit", "sarif"):
        out = _check(run, fmt, "--color", "never")
        _no_raw(out)
        assert "acme/x" in out and "pwned" in out, fmt


# -- audit formats -----------------------------------------------------------------------


def _audit(run: Callable[..., Run], fmt: str, target: Path) -> None:
    result = run(
        "audit", "m", "--policy", "bundle", "--format", f"{fmt}={target}",
        "--today", "2026-11-22", "--progress", "never",
    )  # fmt: skip
    assert result.code in (0, 1), result.err
    _no_raw(result.err)


def test_audit_html_shows_the_value_as_text(run: Callable[..., Run], repo: Path) -> None:
    _audit(run, "html", repo / "audit.html")
    page = (repo / "audit.html").read_text(encoding="utf-8")
    _no_raw(page)
    assert "acme/x\\x1b[2J\\rOK\\u202egnp.exe" in page


def test_audit_csv_cells_are_visible_text(run: Callable[..., Run], repo: Path) -> None:
    _audit(run, "csv", repo / "out")
    texts = {p.name: p.read_text(encoding="utf-8-sig") for p in (repo / "out").glob("*.csv")}
    for text in texts.values():
        _no_raw(text.replace("\r\n", "\n"))  # CSV's own record separator
        list(csv.reader(io.StringIO(text)))  # still CSV
    assert any(SHOWN in text for text in texts.values()), texts.keys()


def test_audit_json_keeps_the_value_exact_and_escaped(
    run: Callable[..., Run], repo: Path
) -> None:
    _audit(run, "json", repo / "audit.json")
    text = (repo / "audit.json").read_text(encoding="utf-8")
    _no_raw(text)
    assert any(TRAINS in value for value in _strings(json.loads(text)))  # exact


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def test_audit_cyclonedx_escapes_the_rest(run: Callable[..., Run], repo: Path) -> None:
    pytest.importorskip("cyclonedx", reason="cyclonedx-python-lib is the optional extra 'audit'")
    _audit(run, "cyclonedx", repo / "bom.json")
    _no_raw((repo / "bom.json").read_text(encoding="utf-8"))


# -- messages on standard error ----------------------------------------------------------


def test_error_messages_show_a_hostile_file_name_as_text(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "r\x1b[2J\u202e\n::error file=x::pwned"
    folder.mkdir()
    (folder / "model-usage.yaml").write_text("version: 1\nworkloads: []\nunknwn: 1\n")
    monkeypatch.chdir(tmp_path)
    result = run("check", folder.name)
    assert result.code == 2, result.err
    _no_raw(result.err.replace("\n", ""))
    lines = result.err.splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    assert "r\\x1b[2J\\u202e\\n::error file=x::pwned/model-usage.yaml:3:1: " in result.err
