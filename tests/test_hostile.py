"""The hostile-input corpus: every bad file is refused with exit 2, a position and a
message, in bounded time and memory.

The corpus is `tests/hostile/`: one file per case, indexed by
`tests/hostile/cases.yaml` (what the file is, where it is placed in a scratch
repository, the expected `line:column` and message fragment). Cases too big to
commit (50 MB files, 10 MB scalars, 10,000-level block nesting, a sparse 4 GB
file) are generated here at test time, named by `generate:` in the index.

Small cases run in this process through the `run` fixture. Cases marked
`fenced: true` run in a child process whose address space is capped with
RLIMIT_AS (`max_mb`), so a blow-up fails the test rather than the machine.
A case with `bug:` documents a known clearance bug; it is expected to fail
(`xfail(strict=True)`) until the bug is fixed, and then the marker must go.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bounded import Outcome, assert_clean_refusal, fenced, in_process
from conftest import REPO, WORKLOAD, Run

HOSTILE = Path(__file__).resolve().parent / "hostile"
ROLES = ("manifest", "bundle", "licence", "catalogue", "waivers")
PWNED = "CLEARANCE-PWNED"  # what the object-tag payloads in the corpus try to create


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    place: str
    where: str
    message: str
    what: str = ""
    file: str | None = None
    generate: str | None = None
    suggestion: str | None = None
    absent: tuple[str, ...] = ()
    fenced: bool = False
    max_seconds: float = 5.0
    max_mb: int = 256
    max_output_kb: int = 64
    bug: str | None = None
    slow: bool = False


def load_cases() -> list[Case]:
    index = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
    cases = []
    for entry in index["cases"]:
        entry = dict(entry)
        name = entry.get("file") or entry.get("generate")
        assert name, entry
        entry.setdefault("where", "")
        entry["absent"] = tuple(entry.get("absent", ()))
        entry["where"] = str(entry["where"])
        cases.append(Case(name=name, **entry))
    return cases


CASES = load_cases()


def _param(case: Case) -> Any:
    marks = []
    if case.bug:
        marks.append(pytest.mark.xfail(strict=True, reason=f"BUG: {case.bug}"))
    if case.slow:
        marks.append(pytest.mark.slow)
    return pytest.param(case, id=case.name, marks=marks)


# -- building the scratch repository for one case --------------------------------------


def _bundle(root: Path) -> Path:
    bundle = root / "bundle"
    if not bundle.exists():
        shutil.copytree(REPO / "policies", bundle, ignore=shutil.ignore_patterns("tests"))
    return bundle


def _add_dir_to_bundle(bundle: Path, key: str, directory: str) -> None:
    text = (bundle / "bundle.yaml").read_text(encoding="utf-8")
    if f"{key}: [{directory}]" not in text:
        (bundle / "bundle.yaml").write_text(text + f"{key}: [{directory}]\n", encoding="utf-8")


def stage(case: Case, data: bytes | None, root: Path) -> list[str]:
    """Put the case's file where its role needs it under `root`; the CLI arguments.

    With `data` None the file is left to a generator, which writes `root / place` next.
    """
    target = root / case.place
    parts = Path(case.place).parts
    if case.role == "manifest":
        assert len(parts) == 1, "a manifest case is placed at the top: model-usage.yaml"
        args = ["check", case.place]
    else:
        (root / "m").mkdir(exist_ok=True)
        (root / "m" / "model-usage.yaml").write_text(WORKLOAD, encoding="utf-8")
        args = ["check", "m/model-usage.yaml"]
        if case.role == "waivers":
            assert case.place == "m/waivers.yaml"
        else:
            assert parts[0] == "bundle", case.place
            bundle = _bundle(root)
            if case.role == "licence":
                _add_dir_to_bundle(bundle, "licences", parts[1])
            elif case.role == "catalogue":
                _add_dir_to_bundle(bundle, "catalog", parts[1])
            args += ["--policy", "bundle"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        target.write_bytes(data)
    return args


# -- generated cases: too big to commit ------------------------------------------------

# A valid manifest's workload, to repeat.
_ITEM = WORKLOAD.split("workloads:\n", 1)[1]


def _write_chunks(path: Path, head: str, chunk: str, total: int, tail: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(head)
        written = len(head)
        while written < total:
            handle.write(chunk)
            written += len(chunk)
        handle.write(tail)


def gen_comment_padded_50mb(path: Path) -> None:
    """50 MB: a short manifest, 50 MB of comment lines, then an unknown field."""
    _write_chunks(path, WORKLOAD, "# " + "padding " * 12 + "\n", 50_000_000, "unknwn: 1\n")


def gen_long_scalar_50mb_then_syntax_error(path: Path) -> None:
    """50 MB: one 50 MB quoted scalar, then a flow sequence never closed."""
    _write_chunks(path, 'version: 1\nsystem: "', "y" * 1_000_000, 50_000_000, '"\nworkloads: [\n')


def gen_many_workloads_50mb_last_unknown(path: Path) -> None:
    """50 MB of valid workloads (about 266,000), the last with an unknown model."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nworkloads:\n")
        i = 0
        while handle.tell() < 50_000_000:
            handle.write(_ITEM.replace("id: w1", f"id: w{i}"))
            i += 1
        handle.write(_ITEM.replace("id: w1", "id: last").replace("70B-Instruct", "70B-Nope"))


def gen_many_errors_50mb(path: Path) -> None:
    """50 MB of 2.5 million invalid workloads (each a number)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nworkloads:\n")
        line = "  - 1234567890123456\n"
        handle.write(line * (50_000_000 // len(line)))


def gen_block_mappings_10000_deep(path: Path) -> None:
    """10,000 nested block mappings, one space of indentation each (about 50 MB)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("version: 1\nworkloads:\n")
        for depth in range(1, 10_001):
            handle.write(" " * depth + "k:\n")
        handle.write(" " * 10_001 + "x\n")


def gen_over_the_size_limit_sparse_4gb(path: Path) -> None:
    """A 4 GB sparse file (no disk used): refused by its size before it is read."""
    with path.open("wb") as handle:
        handle.truncate(4 * 1024**3)


def gen_over_the_size_limit_65mb(path: Path) -> None:
    """A real 65 MB file, just over the default 64 MiB limit."""
    _write_chunks(path, WORKLOAD, "#" + "x" * 1023 + "\n", 65 * 1024 * 1024, "")


def gen_long_scalar_10mb_description(path: Path) -> None:
    path.write_text(
        WORKLOAD.replace("commercial: false", "commercial: false\n    description: " + "d" * 10**7)
    )


def gen_long_scalar_10mb_key(path: Path) -> None:
    path.write_text(
        WORKLOAD.replace("commercial: false", "commercial: false\n    " + "k" * 10**7 + ": 1")
    )


def gen_long_scalar_10mb_residency(path: Path) -> None:
    path.write_text(
        WORKLOAD.replace(
            "commercial: false", "commercial: false\n    residency: [" + "X" * 10**7 + "]"
        )
    )


def gen_long_scalar_10mb_rule_operand(path: Path) -> None:
    path.write_text(
        "rules:\n  - id: acme.long\n    title: t\n    severity: error\n    when:\n"
        "      workload.data: {contains: " + "p" * 10**7 + "}\n    message: m\n"
    )


def gen_long_regex_1mb_of_parentheses(path: Path) -> None:
    path.write_text(
        "rules:\n  - id: acme.long\n    title: t\n    severity: error\n    when:\n"
        "      workload.description: {matches: '" + "(" * 10**6 + "'}\n    message: m\n"
    )


def gen_base_model_loop_3000_deep(path: Path) -> None:
    """Models acme/m2999 … acme/m0, each based on the next, m0 on m2999: the deepest first."""
    lines = ["models:"]
    for i in reversed(range(3000)):
        lines += [f"  - id: acme/m{i}", f"    name: m{i}", "    vendor: acme", "    family: acme",
                  "    licence: mit", "    weights: open",
                  "    modalities: {input: [text], output: [text]}",
                  f"    base_model: [acme/m{(i - 1) % 3000}]",
                  '    source: {url: "https://acme.example", as_of: 2026-01-01}']  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {
    name.removeprefix("gen_").replace("_", "-"): fn
    for name, fn in list(globals().items())
    if name.startswith("gen_") and callable(fn)
}


# -- the tests -------------------------------------------------------------------------


def test_the_corpus_is_complete() -> None:
    committed = {
        p.relative_to(HOSTILE).as_posix()
        for p in HOSTILE.rglob("*")
        if p.is_file() and p.name != "cases.yaml"
    }
    indexed = {c.file for c in CASES if c.file}
    assert committed == indexed, (sorted(committed - indexed), sorted(indexed - committed))
    assert {c.generate for c in CASES if c.generate} == set(GENERATORS)
    assert len(CASES) >= 40
    assert {c.role for c in CASES} == set(ROLES)
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input_is_refused(
    case: Case,
    run: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    if case.file:
        data: bytes | None = (HOSTILE / case.file).read_bytes()
    else:
        assert case.generate is not None
        data = None
    args = stage(case, data, root)
    if case.generate:
        GENERATORS[case.generate](root / case.place)
    outcome: Outcome
    if case.fenced:
        outcome = fenced(
            *args,
            cwd=root,
            address_space_mb=case.max_mb,
            kill_after=max(30.0, 4 * case.max_seconds),
        )
    else:
        monkeypatch.chdir(root)
        outcome = in_process(run, *args)
    report = f"{case.name}: {case.what}\n{outcome.describe()}"
    assert not (root / PWNED).exists() and not Path(PWNED).exists(), "a YAML tag ran code"
    assert_clean_refusal(outcome)
    assert f"error: {case.place}:{case.where}: " in outcome.err, report
    assert case.message in outcome.err, report
    if case.suggestion:
        # (a model's suggestion may list further candidates, each with its licence)
        assert f"(did you mean {case.suggestion}" in outcome.err, report
    for fragment in case.absent:
        assert fragment not in outcome.err, report
    assert outcome.seconds < case.max_seconds, report
    assert outcome.peak_mb < case.max_mb, report
    assert len(outcome.err) < case.max_output_kb * 1024, (
        f"{len(outcome.err)} characters of messages"
    )
