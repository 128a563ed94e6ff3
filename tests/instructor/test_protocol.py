"""The answer exchange between a kernel and the grader (cnnlib.answers, cnninstructor.autograde.protocol)."""

from __future__ import annotations

import base64
import io
import json
import pickle

import numpy as np
import pytest
from cnninstructor.autograde import protocol
from cnnlib import answers
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

pytestmark = pytest.mark.instructor

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(autouse=True)
def grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    answers.take()


@settings(max_examples=60, deadline=None)
@given(value=values)
def test_plain_values_survive_the_round_trip(value):
    answers.record("equal", "v", value)
    (got,) = answers.decode(answers.take())
    assert got["got"] == value


@settings(max_examples=40, deadline=None)
@given(
    array=hnp.arrays(hnp.floating_dtypes() | hnp.integer_dtypes() | hnp.boolean_dtypes(), hnp.array_shapes(max_dims=3))
)
def test_arrays_keep_dtype_shape_and_values(array):
    answers.record("close", "a", array, rtol=1e-7)
    (got,) = answers.decode(answers.take())
    assert got["got"].dtype == array.dtype and got["got"].shape == array.shape
    np.testing.assert_array_equal(got["got"], array)
    assert got["params"] == {"rtol": 1e-7}


def test_tuples_non_finite_floats_and_tensors_are_tagged():
    import torch

    answers.record("equal", "t", (1, float("nan"), float("-inf")), expected=torch.ones(2))
    (got,) = answers.decode(answers.take())
    assert got["got"][0] == 1 and np.isnan(got["got"][1]) and got["got"][2] == float("-inf")
    np.testing.assert_array_equal(got["params"]["expected"], np.ones(2, dtype=np.float32))


def test_nothing_is_recorded_outside_autograding(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    answers.record("equal", "v", 1)
    assert answers.decode(answers.take()) == []


def test_objects_become_type_names_and_are_never_unpickled():
    class Secret:
        pass

    answers.record("equal", "o", Secret())
    (got,) = answers.decode(answers.take())
    assert isinstance(got["got"], answers.Other) and got["got"] == "Secret"
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    hostile = {"$array": base64.b64encode(buffer.getvalue()).decode()}
    message = json.dumps({"protocol": 1, "records": [{"kind": "equal", "name": "x", "got": hostile}], "dropped": 0})
    with pytest.raises(answers.ProtocolError):
        answers.decode(message)
    with pytest.raises(answers.ProtocolError):
        answers.decode(pickle.dumps([1]).hex())


@pytest.mark.parametrize(
    "content",
    [
        {},
        {"user_expressions": {"answers": {"status": "error"}}},
        {"user_expressions": {"answers": {"status": "ok", "data": {"text/plain": "__import__('os')"}}}},
        {"user_expressions": {"answers": {"status": "ok", "data": {"text/plain": "'not json'"}}}},
        {"user_expressions": {"answers": {"status": "ok", "data": {"text/plain": repr('{"protocol": 2}')}}}},
    ],
)
def test_unreadable_replies_mean_no_answers(content):
    assert protocol.decode_reply(content) is None


def test_a_reply_carries_the_records():
    answers.record("true", "ok", True, message="m")
    content = {"user_expressions": {"answers": {"status": "ok", "data": {"text/plain": repr(answers.take())}}}}
    assert protocol.decode_reply(content) == [{"kind": "true", "name": "ok", "got": True, "params": {"message": "m"}}]


def test_too_many_records_are_counted_not_kept(monkeypatch):
    monkeypatch.setattr(answers, "MAX_RECORDS", 3)
    for i in range(5):
        answers.record("equal", str(i), i)
    records = answers.decode(answers.take())
    assert [r["name"] for r in records[:3]] == ["0", "1", "2"] and records[3] == {
        "kind": "dropped",
        "name": "",
        "got": 2,
        "params": {},
    }


def test_reference_files_round_trip(tmp_path):
    refs = {"nb/test_a": {"visible": [{"kind": "close", "name": "n", "got": np.arange(3.0), "params": {"rtol": 1e-5}}]}}
    protocol.save_references(refs, tmp_path / "r.json")
    back = protocol.load_references(tmp_path / "r.json")
    np.testing.assert_array_equal(back["nb/test_a"]["visible"][0]["got"], np.arange(3.0))


def test_zero_dimensional_arrays_stay_zero_dimensional():
    answers.record("close", "scalar", np.asarray(0.75), expected=np.asarray(1.0))
    (got,) = answers.decode(answers.take())
    assert got["got"].shape == () and got["params"]["expected"].shape == ()
