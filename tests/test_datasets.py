"""CSV data and the seeded toy sets: a round trip, and every error names its row and column."""

from __future__ import annotations

import math

import pytest

from gatewise.engine import EngineError
from gatewise.engine.core.limits import Limits
from gatewise.engine.train.datasets import moons, read_csv, spirals, to_csv


def test_csv_round_trip():
    data = moons(40, seed=3)
    text = to_csv(data["X"], data["y"], ["u", "v"], "cls")
    back = read_csv(text, label="cls")
    assert back["X"] == data["X"] and back["y"] == data["y"]
    assert back["features"] == ["u", "v"] and back["label"] == "cls" and back["rows"] == 40
    assert back["task"] == "classification" and back["classes"] == ["0", "1"]


def test_named_classes_semicolons_quotes_and_no_header():
    d = read_csv('a;b;kind\n1;2;"cat"\n3;4;dog\n5;6;cat\n')
    assert d["y"] == [0, 1, 0] and d["classes"] == ["cat", "dog"]
    d = read_csv("1,2,0\n3,4,1\n")
    assert d["features"] == ["x1", "x2"] and d["label"] == "x3" and d["X"] == [[1, 2], [3, 4]]


def test_regression_labels_and_chosen_columns():
    d = read_csv("a,b,c,t\n1,2,3,0.5\n4,5,6,1.25\n", label="t", features=["c", "a"])
    assert d["task"] == "regression" and d["y"] == [0.5, 1.25] and d["X"] == [[3, 1], [6, 4]]
    assert read_csv("a,t\n1,2\n3,4\n", task="regression")["task"] == "regression"


BAD = [
    ("", "empty", None, None),
    ("a,b\n", "no rows", None, None),
    ("a,b,c\n1,2,0\n3,x,1\n", "row 3, column 2 ('b'): 'x' is not a number", 3, 2),
    ("a,b,c\n1,,0\n", "row 2, column 2 ('b') is empty", 2, 2),
    ("a,b,c\n1,nan,0\n", "row 2, column 2 ('b'): 'nan' is not a finite number", 2, 2),
    ("a,b,c\n1,2,0\n1,2\n", "row 3 has 2 fields but the header has 3", 3, 3),
    ("a,b,c\n1,2,0\n1,2,0,9\n", "row 3 has 4 fields but the header has 3", 3, 4),
    ("a,a,c\n1,2,0\n", "the column name 'a' appears twice", 1, 2),
    ("a,b,c\n1,2,\n", "row 2, column 3 ('c') is empty: every sample needs a label", 2, 3),
    ("a,b,c\n1,2,-1\n", "class -1 is not in 0…99", 2, 3),
    ('a,b,c\n1,2,"0\n', "row 2", 2, None),
]


@pytest.mark.parametrize(("text", "message", "row", "column"), BAD)
def test_every_bad_csv_is_a_value_error_naming_row_and_column(text, message, row, column):
    with pytest.raises(EngineError) as err:
        read_csv(text)
    assert message in err.value.message and err.value.kind == "value"
    assert err.value.line == row
    if column is not None:
        assert err.value.column == column


def test_unknown_or_overlapping_columns():
    with pytest.raises(EngineError, match="label column 'z' is not in the CSV; its columns are: a, b"):
        read_csv("a,b\n1,2\n", label="z")
    with pytest.raises(EngineError, match="cannot also be a feature"):
        read_csv("a,b\n1,2\n", label="b", features=["a", "b"])
    with pytest.raises(EngineError, match="at least one feature"):
        read_csv("a\n1\n")


def test_size_is_checked_against_the_element_budget():
    text = "a,b,c\n" + "1,2,0\n" * 40
    with pytest.raises(EngineError, match="the limit is 100") as err:
        read_csv(text, limits=Limits(max_tensor_elements=100))
    assert err.value.kind == "value"
    assert read_csv(text, limits=Limits(max_tensor_elements=120))["rows"] == 40
    # Far over the budget, the table is refused from its line count, before a row is parsed.
    with pytest.raises(EngineError, match="about 3,006 cells"):
        read_csv("a,b,c\n" + "x,y,z\n" * 1000, limits=Limits(max_tensor_elements=100))


def test_nothing_in_the_csv_is_evaluated():
    with pytest.raises(EngineError, match="is not a number"):
        read_csv("a,b\n__import__('os').system('true'),0\n")
    with pytest.raises(EngineError, match="is not a number"):
        read_csv("a,b\n2*3,0\n")


def test_generators_are_seeded_and_shaped():
    assert moons(50, seed=1) == moons(50, seed=1) and moons(50, seed=1) != moons(50, seed=2)
    s = spirals(90, classes=3, seed=0)
    assert len(s["X"]) == 90 and all(len(r) == 2 for r in s["X"]) and sorted(set(s["y"])) == [0, 1, 2]
    assert [s["y"].count(k) for k in range(3)] == [30, 30, 30]


def test_generated_sets_hold_no_negative_zeros():
    s = spirals(90, classes=3, seed=0)
    assert not [v for row in s["X"] for v in row if v == 0 and math.copysign(1, v) < 0]
