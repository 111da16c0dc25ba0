"""The safe expression language as the scorer uses it: Σ over lists, compiled evaluation, unparse."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbstd import expressions
from gbstd.expressions import EvaluationError, ExpressionError, evaluate, parse


def production(node, values):
    """The path the scorer takes: inputs are validated first, then compiled with checked=True."""
    return expressions.compile_node(node, checked=True)(values)


@pytest.mark.parametrize("run", [evaluate, production], ids=["evaluate", "checked"])
def test_sum_runs_over_a_list_input(run):
    node = parse("sum(W_n) / A")
    assert run(node, {"W_n": [1200, 300, 450, 50], "A": 60000}) == pytest.approx(1 / 30)
    assert run(parse("max(x, 3)"), {"x": [1, 7, 2]}) == 7
    assert run(parse("sum(x, y)"), {"x": [1, 2], "y": 4}) == 7
    assert expressions.spread_names(node) == {"W_n"}


@pytest.mark.parametrize("text,values,message", [
    ("W / A", {"W": [1, 2], "A": 1}, "只能用在 sum/min/max 中"),
    ("sum(W)", {"W": []}, "列表为空"),
    ("sum(W)", {"W": [1, "2"]}, "各项应为数值"),
    ("a / (b - b)", {"a": 1, "b": 2}, "除数为零"),
    ("a * b", {"a": 1e308, "b": 10}, "不是有限数值"),
    ("a + b", {"a": 1}, "缺少输入 “b”"),
    ("a + 1", {"a": True}, "应为数值"),
])
def test_evaluation_errors_are_messages(text, values, message):
    with pytest.raises(EvaluationError, match=message):
        evaluate(parse(text), values)


@pytest.mark.parametrize("text,values,message", [
    ("W / A", {"W": [1, 2], "A": 1}, "只能用在 sum/min/max 中"),
    ("a / (b - b)", {"a": 1, "b": 2}, "除数为零"),
    ("a * b", {"a": 1e308, "b": 10}, "不是有限数值"),
    ("a + b", {"a": 1}, "缺少输入 “b”"),
])
def test_checked_evaluation_still_reports_what_validation_cannot_catch(text, values, message):
    """Values the scorer has validated can still divide by zero, overflow or be missing."""
    with pytest.raises(EvaluationError, match=message):
        production(parse(text), values)


def test_missing_name_is_named_for_the_scorer():
    with pytest.raises(EvaluationError) as caught:
        expressions.compile_node(parse("a / c"), checked=True)({"a": 1})
    assert caught.value.name == "c"


@pytest.mark.parametrize("text", ["__import__('os')", "a ** 2", "a.b", "x[0]", "eval(a)", "lambda: 1"])
def test_anything_beyond_the_grammar_is_refused(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_rename_and_unparse():
    node = expressions.rename(parse("(S + s) / A * 100"), {"S": "S_A3", "s": "s_A3"})
    assert expressions.unparse(node) == "(S_A3 + s_A3) / A * 100"
    assert expressions.unparse(parse("a - (b - c)")) == "a - (b - c)"
    assert expressions.unparse(parse("-(a + b) * 2")) == "-(a + b) * 2"


NAMES = st.sampled_from(["a", "b", "c", "N_renew"])


def _trees():
    leaves = st.one_of(NAMES.map(lambda n: expressions.Node("name", n)),
                       st.integers(0, 1000).map(lambda n: expressions.Node("num", n)),
                       st.floats(0.001, 1e6, allow_nan=False).map(lambda f: expressions.Node("num", f)))

    def extend(children):
        return st.one_of(
            st.tuples(st.sampled_from("+-*/"), children, children).map(
                lambda t: expressions.Node("bin", t[0], (t[1], t[2]))),
            children.map(lambda c: expressions.Node("neg", None, (c,))),
            st.tuples(st.sampled_from(["min", "max", "sum"]), st.lists(children, min_size=1, max_size=3)).map(
                lambda t: expressions.Node("call", t[0], tuple(t[1]))))
    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(_trees())
def test_unparse_parses_back_to_the_same_tree(tree):
    reparsed = parse(expressions.unparse(tree))
    text = expressions.unparse(reparsed)
    assert parse(text) == reparsed
    values = {"a": 3.5, "b": -2, "c": 7, "N_renew": 0.25}
    try:
        expected = evaluate(tree, values)
    except EvaluationError:
        with pytest.raises(EvaluationError):
            evaluate(reparsed, values)
        with pytest.raises(EvaluationError):
            production(reparsed, values)
        return
    assert evaluate(reparsed, values) == expected
    assert production(reparsed, values) == expected
