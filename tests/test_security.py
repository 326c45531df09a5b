"""Security: nothing clearance reads runs code, and it reads only what it was asked to.

- Object-constructing YAML tags are refused in every kind of file (manifest,
  bundle, organisation, data classes, rules, licence, catalogue, waivers), and
  nothing they name is run.
- A rule's `matches` is only a regular expression; message templates reach fact
  values, never attributes, indexes, conversions or format specs; values with
  braces in them are printed as they are, not formatted again.
- A licence `url` such as file:///etc/passwd is text, never opened.
- A bundle's `licences`, `catalog`, `policies` and `extends` cannot name files
  outside the bundle (or, for `extends`, outside its repository), directly, by
  `..`, by absolute path or through a symbolic link; a bundle named on the
  command line may be anywhere.
- A scanned tree with a symbolic link to `/`, or a loop of links, is walked
  without following them and without hanging; a manifest or waivers file that
  is a link to something outside the tree is not read.

What was opened, listed or run is observed with a Python audit hook
(`sys.addaudithook`), active only inside `audited()`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bounded import assert_clean_refusal, fenced, in_process
from conftest import REPO, WORKLOAD, Run
from helpers import EXAMPLE_ORGANISATION

# -- the audit hook -----------------------------------------------------------------------

_SPAWN = {
    "os.system",
    "subprocess.Popen",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
}
_WATCHED = {
    "open",
    "os.scandir",
    "os.listdir",
    "compile",
    "socket.connect",
    "urllib.Request",
    "pickle.find_class",
    "ctypes.dlopen",
    *_SPAWN,
}
_events: list[tuple[str, tuple[Any, ...]]] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _events is not None and event in _WATCHED:
        _events.append((event, args))


sys.addaudithook(_hook)


class Audit:
    def __init__(self, events: list[tuple[str, tuple[Any, ...]]]) -> None:
        self.events = events

    def paths(self, *kinds: str) -> list[str]:
        out = []
        for event, args in self.events:
            if event in kinds and args and isinstance(args[0], (str, bytes, os.PathLike)):
                path = os.fsdecode(os.fspath(args[0]))
                out.append(os.path.realpath(path))
        return out

    def opened_under(self, *roots: Path | str) -> list[str]:
        """Files opened (after following links) inside any of `roots`."""
        real = [os.path.realpath(r) for r in roots]
        return [
            p
            for p in self.paths("open")
            if any(p == r or p.startswith(r.rstrip(os.sep) + os.sep) for r in real)
        ]

    def spawned(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [(e, a) for e, a in self.events if e in _SPAWN]

    def compiled(self, needle: str) -> list[str]:
        """Sources compiled as Python that contain `needle` (an injected payload)."""
        out = []
        for event, args in self.events:
            if event == "compile" and args:
                source = args[0]
                if isinstance(source, bytes):
                    source = source.decode("utf-8", "replace")
                if isinstance(source, str) and needle in source:
                    out.append(source)
        return out


@contextmanager
def audited() -> Iterator[Audit]:
    global _events
    _events = []
    try:
        yield Audit(_events)
    finally:
        _events = None


# -- scratch repositories -------------------------------------------------------------------


def make_bundle(root: Path) -> Path:
    bundle = root / "bundle"
    shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    return bundle


def make_manifest(root: Path, text: str = WORKLOAD) -> Path:
    path = root / "m" / "model-usage.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


RULE = """\
rules:
  - id: acme.rule
    title: A rule
    severity: error
    when:
      workload.id: {equals: w1}
    message: "{workload.id} is w1"
"""
LICENCE = """\
id: acme-licence
name: Acme Licence
kind: permissive
url: https://acme.example/licence
as_of: 2026-01-01
summary: An organisation's own licence.
sources:
  text:
    url: https://acme.example/licence
    as_of: 2026-01-01
"""
MODELS = """\
models:
  - id: acme/model
    name: Acme Model
    vendor: acme
    family: acme
    licence: acme-licence
    weights: open
    modalities: {input: [text], output: [text]}
    source: {url: "https://acme.example/model", as_of: 2026-01-01}
"""
WAIVERS = """\
waivers:
  - rule: hipaa.phi-needs-baa
    workload: w1
    reason: BAA signed, registry update pending
    approved_by: jane.doe@acme.example
    ticket: COMP-1
    expires: 2027-01-31
"""


# -- 1. YAML tags never run code ----------------------------------------------------------

PAYLOADS = {
    "object/apply os.system": '!!python/object/apply:os.system ["touch {marker}"]',
    "object/apply subprocess": '!!python/object/apply:subprocess.check_call [[touch, "{marker}"]]',
    "object/new Popen": '!!python/object/new:subprocess.Popen [[touch, "{marker}"]]',
    "object/apply exec": "!!python/object/apply:builtins.exec [\"open('{marker}', 'w')\"]",
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "object with state": "!!python/object:argparse.Namespace {{marker: '{marker}'}}",
    "verbatim tag": '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
}
# Each kind of file, with one scalar replaced by the payload: (file in the scratch
# repository, its valid text, the scalar to replace).
TARGETS = {
    "manifest": (
        "m/model-usage.yaml",
        WORKLOAD.replace("commercial: false", "commercial: false\n    description: x"),
        "description: x",
    ),
    "bundle.yaml": (
        "bundle/bundle.yaml",
        (REPO / "policies" / "bundle.yaml").read_text(),
        "name: default",
    ),
    "organisation": (
        "bundle/organisation.yaml",
        EXAMPLE_ORGANISATION,
        "name: Example Organisation",
    ),
    "data classes": (
        "bundle/data-classes.yaml",
        (REPO / "policies" / "data-classes.yaml").read_text(),
        "description: Published or publishable information.",
    ),
    "rules": ("bundle/acme-rules.yaml", RULE, "title: A rule"),
    "licence": ("bundle/lic/acme-licence.yaml", LICENCE, "summary: An organisation's own licence."),
    "catalogue": ("bundle/cat/models.yaml", MODELS, "name: Acme Model"),
    "waivers": ("m/waivers.yaml", WAIVERS, "reason: BAA signed, registry update pending"),
}


def _scratch_with(root: Path, target: str, text: str) -> list[str]:
    bundle = make_bundle(root)
    make_manifest(root)
    append(bundle / "bundle.yaml", "licences: [lic]\ncatalog: [cat]\n")
    for name, body in (("lic/acme-licence.yaml", LICENCE), ("cat/models.yaml", MODELS)):
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_text(body, encoding="utf-8")
    path = root / target
    path.parent.mkdir(parents=True, exist_ok=True)
    if target == "bundle/bundle.yaml":
        text += "licences: [lic]\ncatalog: [cat]\n"
    path.write_text(text, encoding="utf-8")
    return ["check", "m/model-usage.yaml", "--policy", "bundle"]


# every payload in a manifest; in every other kind of file, the two that would run a command
TAG_CASES = [("manifest", payload) for payload in PAYLOADS] + [
    (role, payload)
    for role in TARGETS
    if role != "manifest"
    for payload in ("object/apply os.system", "object/new Popen")
]


@pytest.mark.parametrize(("role", "payload"), TAG_CASES)
def test_object_tags_are_refused_and_run_nothing(
    role: str,
    payload: str,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "PWNED"
    target, text, scalar = TARGETS[role]
    key = scalar.split(":", 1)[0]
    hostile = text.replace(scalar, f"{key}: " + PAYLOADS[payload].format(marker=marker), 1)
    assert hostile != text
    args = _scratch_with(tmp_path, target, hostile)
    monkeypatch.chdir(tmp_path)
    with audited() as audit:
        outcome = in_process(run, *args)
    assert not marker.exists(), "a YAML tag ran code"
    assert audit.spawned() == [], audit.spawned()
    assert audit.compiled(str(marker)) == []
    assert_clean_refusal(outcome)
    assert f"error: {target}:" in outcome.err, outcome.describe()
    assert "is not allowed (only plain data is read)" in outcome.err, outcome.describe()


# -- 2. a `matches` pattern is only a regular expression -------------------------------------


def test_a_matches_pattern_is_only_a_regular_expression(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "PWNED"
    code = f"__import__('os').system('touch {marker}')"
    rule = RULE.replace("workload.id: {equals: w1}", f'workload.id: {{matches: "{code}"}}')
    bundle = make_bundle(tmp_path)
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(tmp_path)
    monkeypatch.chdir(tmp_path)
    with audited() as audit:
        result = run("check", "m/model-usage.yaml", "--policy", "bundle")
    assert result.code in (0, 1), result.err  # a valid (if odd) pattern: it loads and runs
    assert not marker.exists()
    assert audit.spawned() == [] and audit.compiled(str(marker)) == []
    # it was matched as text: the workload id w1 does not match, so acme.rule did not fire
    assert "acme.rule" not in result.out


def test_perl_code_in_a_pattern_is_an_invalid_regular_expression(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = RULE.replace(
        "workload.id: {equals: w1}", "workload.id: {matches: '(?{ system(\"id\") })'}"
    )
    bundle = make_bundle(tmp_path)
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(tmp_path)
    monkeypatch.chdir(tmp_path)
    outcome = in_process(run, "check", "m/model-usage.yaml", "--policy", "bundle")
    assert_clean_refusal(outcome)
    assert "error: bundle/acme-rules.yaml:6:30: " in outcome.err, outcome.describe()
    assert "invalid regular expression" in outcome.err


# -- 3. message templates ------------------------------------------------------------------

TEMPLATE_RULE = """\
rules:
  - id: acme.rule
    title: A rule
    severity: error
    when:
      workload.id: {equals: w1}
    message: "MESSAGE"
    remediation: "REMEDIATION"
    references: ["REFERENCE"]
"""
HOSTILE_TEMPLATES = {
    "attribute": ("{workload.id.__class__}", "unknown placeholder"),
    "attribute chain": ("{workload.id.__class__.__init__.__globals__}", "unknown placeholder"),
    "index": ("{workload.data[0]}", "unknown placeholder"),
    "conversion": ("{workload.id!r}", "may not carry a format or conversion"),
    "format spec": ("{workload.id:>999999999}", "may not carry a format or conversion"),
    "nested format spec": (
        "{workload.id:{workload.owner}}",
        "may not carry a format or conversion",
    ),
    "positional": ("{0}", "unknown placeholder"),
    "empty": ("{}", "unknown placeholder"),
    "builtin": ("{__import__}", "unknown placeholder"),
    "unbalanced": ("{workload.id", "malformed placeholder"),
}
FIELDS = {"message": "7:14", "remediation": "8:18", "references": "9:18"}


# every template in a message; in a remediation and a reference, a few
TEMPLATE_CASES = [(t, "message") for t in HOSTILE_TEMPLATES] + [
    (t, field)
    for field in ("remediation", "references")
    for t in ("attribute chain", "format spec", "unbalanced")
]


@pytest.mark.parametrize(("template", "field"), TEMPLATE_CASES)
def test_templates_reach_fact_values_only(
    template: str,
    field: str,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, fragment = HOSTILE_TEMPLATES[template]
    rule = (
        TEMPLATE_RULE.replace("MESSAGE", "{workload.id} is w1")
        .replace("REMEDIATION", "fix {workload.id}")
        .replace("REFERENCE", "ref")
    )
    placeholder = {
        "message": "{workload.id} is w1",
        "remediation": "fix {workload.id}",
        "references": "ref",
    }[field]
    rule = rule.replace(f'"{placeholder}"', f'"{text}"', 1)
    bundle = make_bundle(tmp_path)
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(tmp_path)
    monkeypatch.chdir(tmp_path)
    outcome = in_process(run, "check", "m/model-usage.yaml", "--policy", "bundle")
    assert_clean_refusal(outcome)
    assert f"error: bundle/acme-rules.yaml:{FIELDS[field]}: " in outcome.err, outcome.describe()
    assert fragment in outcome.err, outcome.describe()
    assert "<class" not in outcome.err and "__globals__'" not in outcome.out


def test_braces_in_data_are_printed_not_formatted(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest value rendered into a message is text, however many braces it holds."""
    description = "{workload.id.__class__.__init__.__globals__} {0} {provider.name} {{x}} %s"
    rule = RULE.replace('"{workload.id} is w1"', '"said: {workload.description}"')
    bundle = make_bundle(tmp_path)
    (bundle / "acme-rules.yaml").write_text(rule, encoding="utf-8")
    make_manifest(
        tmp_path,
        WORKLOAD.replace(
            "commercial: false", f"commercial: false\n    description: '{description}'"
        ),
    )
    monkeypatch.chdir(tmp_path)
    result = run("check", "m/model-usage.yaml", "--policy", "bundle", "--format", "json")
    assert result.code == 1, result.err
    import json

    messages = [
        f["message"] for f in json.loads(result.out)["findings"] if f["rule"] == "acme.rule"
    ]
    assert messages == [f"said: {description}"]


# -- 4. a licence url is text ------------------------------------------------------------------


def test_a_licence_url_is_never_opened(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n")
    url = secret.as_uri()  # file:///.../secret.txt
    licence = (
        LICENCE.replace("https://acme.example/licence", url)
        + "rules:\n  - id: acme-licence.notice\n    title: Notice\n    severity: warning\n"
        "    when:\n      workload.commercial: {equals: false}\n"
        '    message: "{workload.id}: read the licence at {licence.url}"\n'
        "obligations:\n  - id: read-it\n    title: Read it\n"
        f"    text: Read {url} and /etc/passwd\n    source: text\n"
    )
    bundle = make_bundle(tmp_path)
    append(bundle / "bundle.yaml", "licences: [lic]\ncatalog: [cat]\n")
    (bundle / "lic").mkdir()
    (bundle / "lic" / "acme-licence.yaml").write_text(licence, encoding="utf-8")
    (bundle / "cat").mkdir()
    (bundle / "cat" / "models.yaml").write_text(MODELS, encoding="utf-8")
    make_manifest(tmp_path, WORKLOAD.replace("meta-llama/Llama-3.1-70B-Instruct", "acme/model"))
    monkeypatch.chdir(tmp_path)
    with audited() as audit:
        result = run("check", "m/model-usage.yaml", "--policy", "bundle", "--format", "json")
        explained = run("explain", "acme-licence.notice", "--policy", "bundle")
    assert result.code in (0, 1), result.err
    assert f"read the licence at {url}" in result.out  # shown as text
    assert explained.code == 0, explained.err
    assert "TOP-SECRET-CONTENT" not in result.out + result.err + explained.out
    assert audit.opened_under(secret, "/etc/passwd") == []
    assert not [e for e, _ in audit.events if e in ("socket.connect", "urllib.Request")]


# -- 5. a bundle's paths stay inside the bundle ------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the repository, holding files a bundle must not reach."""
    out = tmp_path / "outside"
    (out / "bundle").mkdir(parents=True)
    (out / "rules.yaml").write_text(RULE)
    (out / "models.yaml").write_text(MODELS)
    (out / "acme-licence.yaml").write_text(LICENCE)
    shutil.copytree(
        REPO / "policies",
        out / "bundle",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("tests"),
    )
    return out


ESCAPES = {
    "licences ../../etc": ("licences: [../../etc]", "lies outside the bundle directory"),
    "licences /etc": ("licences: [/etc]", "lies outside the bundle directory"),
    "licences ../../outside": ("licences: [../../outside]", "lies outside the bundle directory"),
    "catalog /etc": ("catalog: [/etc]", "lies outside the bundle directory"),
    "catalog ../../outside": ("catalog: [../../outside]", "lies outside the bundle directory"),
    "catalog via a link": ("catalog: [link-to-outside]", "lies outside the bundle directory"),
    "policies ../x.yaml": ("policies: [../x.yaml]", "is not a policy file inside the bundle"),
    "policies ../../outside": (
        "policies: [../../outside/rules.yaml]",
        "is not a policy file inside the bundle",
    ),
    "policies /etc/passwd": ("policies: [/etc/passwd]", "is not a policy file inside the bundle"),
    "policies through ..": (
        "policies: [hipaa.yaml, sub/../../../outside/rules.yaml]",
        "is not a policy file inside the bundle",
    ),
    "policies via a link": (
        "policies: [link-to-rules.yaml]",
        "is not a policy file inside the bundle",
    ),
}


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_bundle_paths_cannot_leave_the_bundle(
    escape: str,
    outside: Path,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line, fragment = ESCAPES[escape]
    root = tmp_path / "repo"
    bundle = make_bundle(root)
    (root / "x.yaml").write_text(RULE)
    (bundle / "link-to-outside").symlink_to(outside, target_is_directory=True)
    (bundle / "link-to-rules.yaml").symlink_to(outside / "rules.yaml")
    if "link" not in escape:
        (bundle / "link-to-outside").unlink()
        (bundle / "link-to-rules.yaml").unlink()
    append(bundle / "bundle.yaml", line + "\n")
    make_manifest(root)
    monkeypatch.chdir(root)
    with audited() as audit:
        outcome = in_process(run, "check", "m/model-usage.yaml", "--policy", "bundle")
    assert_clean_refusal(outcome)
    assert "error: bundle/bundle.yaml:13:" in outcome.err, outcome.describe()
    assert fragment in outcome.err, outcome.describe()
    assert audit.opened_under(outside, "/etc", root / "x.yaml") == []


def test_a_linked_policy_file_found_by_name_is_refused(
    outside: Path, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `policies:`, every *.yaml of the bundle is a rule file; a link out is not."""
    root = tmp_path / "repo"
    bundle = make_bundle(root)
    (bundle / "zz-linked.yaml").symlink_to(outside / "rules.yaml")
    make_manifest(root)
    monkeypatch.chdir(root)
    with audited() as audit:
        outcome = in_process(run, "check", "m/model-usage.yaml", "--policy", "bundle")
    assert_clean_refusal(outcome)
    assert "is not a policy file inside the bundle" in outcome.err
    assert audit.opened_under(outside) == []


@pytest.mark.parametrize("kind", ["licence", "catalogue"])
def test_linked_files_in_licence_and_catalogue_directories_are_refused(
    kind: str,
    outside: Path,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "repo"
    bundle = make_bundle(root)
    directory = bundle / ("lic" if kind == "licence" else "cat")
    directory.mkdir()
    name = "acme-licence.yaml" if kind == "licence" else "models.yaml"
    (directory / name).symlink_to(outside / name)
    append(bundle / "bundle.yaml", "licences: [lic]\n" if kind == "licence" else "catalog: [cat]\n")
    make_manifest(root)
    monkeypatch.chdir(root)
    with audited() as audit:
        result = run("check", "m/model-usage.yaml", "--policy", "bundle")
    assert audit.opened_under(outside) == [], result.err
    assert result.code == 2


# -- 6. `extends` stays in the repository unless named on the command line ----------------------


def _git_repo(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(path),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-q",
            "-m",
            "bundle",
        ],
        check=True,
    )


EXTENDS = {
    "relative, out of the repository": ("extends: ../../outside/bundle", "lies outside"),
    "absolute": ("extends: {outside}/bundle", "give a path relative to the bundle"),
    "a link in the repository to outside it": ("extends: ../parent-link", "lies outside"),
    "git, a path up out of the export": ("extends: {{git: HEAD, path: ../../..}}", "no bundle at"),
}


@pytest.mark.parametrize("how", list(EXTENDS))
def test_extends_cannot_leave_the_repository(
    how: str,
    outside: Path,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line, fragment = EXTENDS[how]
    root = tmp_path / "repo"
    bundle = make_bundle(root)
    (root / "parent-link").symlink_to(outside / "bundle", target_is_directory=True)
    make_manifest(root)
    _git_repo(root)
    append(bundle / "bundle.yaml", line.format(outside=outside) + "\n")
    monkeypatch.chdir(root)
    with audited() as audit:
        outcome = in_process(run, "check", "m/model-usage.yaml", "--policy", "bundle")
    assert_clean_refusal(outcome)
    assert "error: bundle/bundle.yaml:13:10: extends: " in outcome.err, outcome.describe()
    assert fragment in outcome.err, outcome.describe()
    assert audit.opened_under(outside) == []


def test_a_bundle_named_on_the_command_line_may_be_anywhere(
    outside: Path, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    make_manifest(root)
    monkeypatch.chdir(root)
    result = run("check", "m/model-usage.yaml", "--policy", outside / "bundle")
    assert result.code in (0, 1), result.err


# -- 7. scanned trees: links are not followed, loops do not hang --------------------------------


def test_links_to_the_root_and_loops_are_not_followed(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    make_manifest(root)
    links = root / "links"
    links.mkdir()
    (links / "root").symlink_to("/", target_is_directory=True)
    (links / "self").symlink_to(".", target_is_directory=True)
    (links / "up").symlink_to("..", target_is_directory=True)
    (links / "loop-a").symlink_to("loop-b")
    (links / "loop-b").symlink_to("loop-a")
    (links / "dangling").symlink_to(tmp_path / "nowhere")
    deep = root / "a"
    deep.mkdir()
    (deep / "back").symlink_to(root, target_is_directory=True)
    monkeypatch.chdir(root)
    with audited() as audit:
        outcome = in_process(run, "check", ".", "--format", "json")
    assert outcome.code in (0, 1), outcome.describe()
    import json

    assert [m["path"] for m in json.loads(outcome.out)["manifests"]] == ["m/model-usage.yaml"]
    assert outcome.seconds < 5, outcome.describe()
    listed = [os.path.abspath(p) for p in audit.paths("os.scandir", "os.listdir")]
    followed = [
        p
        for p in listed
        if any(part in ("root", "self", "up", "back") for part in Path(p).parts[-3:])
    ]
    assert followed == [], followed[:5]


def test_a_linked_manifest_outside_the_tree_is_not_read(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request that adds a link named model-usage.yaml to a file elsewhere on the
    CI machine must not make clearance read (and echo) that file."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("version: TOP-SECRET-TOKEN\n")
    root = tmp_path / "repo"
    make_manifest(root)
    (root / "evil").mkdir()
    (root / "evil" / "model-usage.yaml").symlink_to(secret)
    monkeypatch.chdir(root)
    with audited() as audit:
        result = run("check", ".")
    assert "TOP-SECRET-TOKEN" not in result.out + result.err
    assert audit.opened_under(secret) == []


def test_a_linked_waivers_file_outside_the_tree_is_not_read(
    run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("TOP-SECRET-TOKEN: 1\n")
    root = tmp_path / "repo"
    manifest = make_manifest(root)
    (manifest.parent / "waivers.yaml").symlink_to(secret)
    monkeypatch.chdir(root)
    with audited() as audit:
        result = run("check", ".")
    assert "TOP-SECRET-TOKEN" not in result.out + result.err
    assert audit.opened_under(secret) == []


SPECIAL = {
    "link to /dev/zero": lambda path: path.symlink_to("/dev/zero"),
    "link to /dev/urandom": lambda path: path.symlink_to("/dev/urandom"),
    "named pipe": lambda path: os.mkfifo(path),
}


@pytest.mark.parametrize("kind", list(SPECIAL))
def test_special_files_in_a_scanned_tree_neither_hang_nor_fill_memory(
    kind: str, tmp_path: Path
) -> None:
    root = tmp_path / "repo"
    make_manifest(root)
    (root / "dev").mkdir()
    SPECIAL[kind](root / "dev" / "model-usage.yaml")
    # a check of this tree takes well under a second and 150 MB; allow three and 640 MB
    outcome = fenced("check", ".", cwd=root, address_space_mb=640, kill_after=3)
    assert outcome.code is not None, "clearance hung (killed after 3 s)"
    assert outcome.code in (0, 1, 2), outcome.describe()
    assert "internal error" not in outcome.err
    assert outcome.seconds < 3, outcome.describe()


# -- 8. `clearance waive` reads the existing waivers file as safely as `check` does -------------

WAIVE_HOSTILE = {
    "object tag": 'waivers: !!python/object/apply:os.system ["touch {marker}"]\n',
    "syntax error": "waivers: [\n",
    "duplicate key": "waivers: []\nwaivers: []\n",
    "impossible date": "waivers:\n  - expires: 2027-13-01\n",
}


@pytest.mark.parametrize("kind", list(WAIVE_HOSTILE))
def test_waive_refuses_a_hostile_waivers_file(
    kind: str, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "PWNED"
    manifest = make_manifest(
        tmp_path,
        WORKLOAD.replace("data: [internal]", "data: [phi]")
        .replace("mode: self-hosted", "mode: api")
        .replace("meta-llama/Llama-3.1-70B-Instruct", "openai/gpt-4o")
        .replace("provider: aws", "provider: openai")
        .replace("us-east-1", "us"),
    )
    waivers = manifest.parent / "waivers.yaml"
    waivers.write_text(WAIVE_HOSTILE[kind].format(marker=marker), encoding="utf-8")
    before = waivers.read_bytes()
    monkeypatch.chdir(tmp_path)
    with audited() as audit:
        outcome = in_process(
            run,
            "waive",
            "hipaa.phi-needs-baa",
            "--workload",
            "w1",
            "--reason",
            "r",
            "--approved-by",
            "a@acme.example",
            "--ticket",
            "T-1",
            "--expires",
            "2027-01-01",
            "--today",
            "2026-11-22",
            "m",
        )
    assert not marker.exists() and audit.spawned() == []
    assert waivers.read_bytes() == before, "the hostile file was rewritten"
    assert_clean_refusal(outcome)
    assert "error: m/waivers.yaml:" in outcome.err, outcome.describe()


def test_the_bundle_digest_does_not_follow_links_out_of_the_bundle(
    outside: Path, run: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    bundle = make_bundle(root)
    (bundle / "notes").mkdir()
    (bundle / "notes" / "linked.yaml").symlink_to(outside / "rules.yaml")
    make_manifest(root)
    monkeypatch.chdir(root)
    with audited() as audit:
        result = run("check", "m/model-usage.yaml", "--policy", "bundle")
    assert result.code in (0, 1, 2), result.err
    assert audit.opened_under(outside) == []
