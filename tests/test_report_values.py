"""Values in explanations are shown exactly as JSON would show them, however they are made."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from clearance.report.report_data import json_value as _json

VALUES = st.recursive(
    st.one_of(st.text(), st.none(), st.booleans(), st.integers(), st.dates()),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=8,
)


@given(VALUES)
def test_the_quick_path_shows_what_json_shows(value: Any) -> None:
    assert _json(value) == json.dumps(value, ensure_ascii=False, default=str)


def test_quotes_backslashes_and_controls_are_escaped() -> None:
    for value in ['a"b', "a\\b", "a\nb", "\x00", ["ok", 'q"'], "é", date(2024, 1, 2)]:
        assert _json(value) == json.dumps(value, ensure_ascii=False, default=str)
