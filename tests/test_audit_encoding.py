"""The audit's fast writers say exactly what the plain ones would: JSON and CSV byte for byte."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clearance.audit.audit_data import RowEncoder, row_dict
from clearance.audit.formats import csv as audit_csv
from clearance.audit.records import (
    FileDigest,
    InventoryRow,
    LicenceUse,
    ModelInfo,
    ObligationRow,
    Repository,
    WaiverRow,
)


def plain(row: object) -> str:
    """What the JSON format wrote before rows were encoded by `RowEncoder`."""
    return json.dumps(row_dict(row), ensure_ascii=False, separators=(", ", ": "))


LICENCE = LicenceUse("mit", 'The "MIT" Licence', "permissive", None, "https://x.example/\\", "m", "model-licence")  # fmt: skip


def inventory(text: str, **changes: object) -> InventoryRow:
    fields: dict[str, object] = dict(
        repository="repos/ä", manifest=text, line=7, workload="w\u2028", description=None,
        owner=text, data=(text, "phi"), purpose="inference", audience="external",
        commercial=True, model="m", model_name="M </script>", model_family="f", vendor="v",
        weights="open", licences=(LICENCE, LICENCE), mode="api", provider="p",
        provider_name="P", region="r", country=None, agreements=(), status="compliant",
        errors=0, warnings=2, waived=1, bundle=text,
    )  # fmt: skip
    fields.update(changes)
    return InventoryRow(**fields)  # type: ignore[arg-type]


@given(st.text())
def test_rows_encode_as_json_would(text: str) -> None:
    encoder = RowEncoder()
    rows: list[object] = [
        inventory(text),
        inventory(text, commercial=False, description=text, country="US", licences=()),
        ObligationRow("r", "m", text, "l", "L", "v", "o", "t", text + "\n\t\\", "u"),
        Repository(text, False, None, None, None, (text,), ()),
        Repository("x", True, "abc", "main", False, (), (text, "y")),
        Repository("x", True, None, None, None, (text,), (), text, "error", (text, "a:1:2: b")),
        WaiverRow(
            None,
            "f",
            1,
            "rule",
            "w",
            text,
            "a",
            None,
            date(2027, 1, 31),
            -3,
            "expired",
            False,
            (text,),
        ),
        ModelInfo("m", "M", "v", "f", "l", "open", ("text",), (), None, None, None, ()),
        ModelInfo(
            "m", "M", "v", "f", "l", "open", (), ("x",), date(2024, 7, 23), "8B", "x", ("a",)
        ),
        FileDigest(text, "sha256:00", None),
    ]
    for row in rows * 2:  # the second time from the memos
        assert encoder.row(row) == plain(row)


@dataclass
class Odd:
    """Fields the encoder has no shortcut for go through `json` itself."""

    pairs: tuple[tuple[str, str | None], ...]
    either: int | str
    number: float
    listed: list[str]


def test_other_field_types_fall_back_to_json() -> None:
    row = Odd((("a", None),), "x", 1.5, ["é"])
    assert RowEncoder().row(row) == plain(row)
    assert RowEncoder().row(Odd((), 3, 2.0, [])) == plain(Odd((), 3, 2.0, []))


def plain_csv(rows: list[list[object]]) -> str:
    """What the CSV format wrote before cells were memoised: csv.writer over guarded cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("a", "b", "c"))
    cell = audit_csv._cell  # ints were passed through untouched
    writer.writerows([v if type(v) is int else cell(v) for v in row] for row in rows)
    return audit_csv.BOM + out.getvalue()


CELLS = st.one_of(
    st.text(),
    st.sampled_from(["", " ", "a b", " x", "x ", ",", '"', "=1+2", "-3", "@a", "\t", 'é,"\r\n']),
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.tuples(st.text(), st.text()),
    st.dates(),
)


@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=6))
def test_csv_tables_are_what_csv_writer_writes(rows: list[list[object]]) -> None:
    cells = audit_csv._Cells()
    for _ in range(2):  # the second time from the memo
        assert "".join(audit_csv.table(("a", "b", "c"), rows, cells)) == plain_csv(rows)


def test_escaping_memo_never_mixes_markup_and_text() -> None:
    from clearance.audit.formats.html_parts import Markup, esc, table

    assert esc(Markup("<b>x</b>")) == "<b>x</b>"
    assert esc("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"  # equal to the Markup above as a str
    assert esc(Markup("<b>x</b>")) == "<b>x</b>"
    assert esc("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    html = table("t", "T", ["a", "b", "c"], [["<i>", Markup("<i>"), None], [1, True, "&"]])
    assert "<td>&lt;i&gt;</td><td><i></td><td></td>" in html
    assert "<td>1</td><td>True</td><td>&amp;</td>" in html
