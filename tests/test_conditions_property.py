"""Property: the compiled condition agrees with a plain reference interpreter.

The reference below walks the condition as data, the obvious way, and shares
no code with the compiler; hypothesis draws random conditions and random fact
records and both must give the same answer.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import ProblemCollector
from clearance.policy.conditions import ConditionCompiler
from clearance.schema.facts import SLOT
from helpers import record, reference

WORDS = ["a", "b", "c"]
LIST_FACTS = ["workload.data", "deployment.agreements"]
STR_FACTS = ["workload.purpose", "provider.kind"]
INT_FACTS = ["organisation.monthly_active_users", "provider.retention_days"]

list_value = st.lists(st.sampled_from(WORDS), max_size=3, unique=True)
str_value = st.sampled_from(WORDS)
int_value = st.integers(min_value=-2, max_value=2)


def leaf() -> st.SearchStrategy[dict[str, Any]]:
    on_list = st.tuples(
        st.sampled_from(LIST_FACTS),
        st.one_of(
            st.tuples(st.just("contains"), str_value),
            st.tuples(st.sampled_from(["contains_any", "contains_all", "subset_of"]), list_value),
            st.tuples(st.just("exists"), st.booleans()),
            st.tuples(
                st.sampled_from(["contains_any", "contains_all", "subset_of"]),
                st.sampled_from([{"fact": f} for f in LIST_FACTS]),
            ),
        ),
    )
    on_str = st.tuples(
        st.sampled_from(STR_FACTS),
        st.one_of(
            st.tuples(st.sampled_from(["equals", "not_equals"]), str_value),
            st.tuples(st.sampled_from(["in", "not_in"]), list_value),
            st.tuples(st.just("matches"), st.sampled_from(["^a", "b$", "c"])),
            st.tuples(
                st.sampled_from(["equals", "not_equals"]),
                st.sampled_from([{"fact": f} for f in STR_FACTS]),
            ),
            st.tuples(
                st.sampled_from(["in", "not_in"]),
                st.sampled_from([{"fact": f} for f in LIST_FACTS]),
            ),
        ),
    )
    on_int = st.tuples(
        st.sampled_from(INT_FACTS),
        st.one_of(
            st.tuples(
                st.sampled_from(["gt", "gte", "lt", "lte", "equals", "not_equals"]), int_value
            ),
            st.tuples(
                st.sampled_from(["gt", "gte", "lt", "lte"]),
                st.sampled_from([{"fact": f} for f in INT_FACTS]),
            ),
        ),
    )
    return st.one_of(on_list, on_str, on_int).map(lambda t: {t[0]: {t[1][0]: t[1][1]}})


conditions = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        inner.map(lambda x: {"not": x}),
    ),
    max_leaves=8,
)

facts = st.fixed_dictionaries(
    {},
    optional={
        **{f: list_value for f in LIST_FACTS},
        **{f: str_value for f in STR_FACTS},
        **{f: int_value for f in INT_FACTS},
    },
)


@settings(max_examples=400, deadline=None)
@given(conditions, facts)
def test_compiled_agrees_with_reference(cond: dict[str, Any], env: dict[str, Any]) -> None:
    problems = ProblemCollector()
    compiled = ConditionCompiler("p.yaml", cond, problems).compile(cond, ())
    assert not problems, problems.problems
    assert compiled is not None
    rec = record(**{k.replace(".", "__"): v for k, v in env.items()})
    assert compiled.test(rec) == reference(cond, env)
    # and the explanation never disagrees with the verdict for a single leaf
    results = compiled.results(rec)
    assert results and all(r.leaf.path in SLOT for r in results)
