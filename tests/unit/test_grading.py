"""cnnlib.grading: checks pass on right answers and fail with messages a student can act on."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cnnlib import grading
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

pytestmark = pytest.mark.unit


def _message(fn) -> str:
    with pytest.raises(AssertionError) as info:
        fn()
    return str(info.value)


def test_check_close_reports_worst_element_and_relative_error():
    expected = np.array([[19.0, 25.0], [37.0, 43.0]])
    got = expected.copy()
    got[1, 0] = 36.0
    message = _message(lambda: grading.check_close("corr2d(X, K)", got, expected, hint="the kernel flip"))
    assert "corr2d(X, K)" in message
    assert "index (1, 0)" in message and "expected 37" in message and "got 36" in message
    assert "relative error 1.37e-02" in message and "1 of 4 elements" in message
    assert "Look at: the kernel flip" in message


def test_check_close_reports_shape_and_none_and_nan():
    assert "expected shape (2, 2), got shape (3, 3)" in _message(
        lambda: grading.check_close("f", np.zeros((3, 3)), np.zeros((2, 2)))
    )
    assert "got None" in _message(lambda: grading.check_close("f", None, np.zeros(2)))
    assert "NaN at index (1,)" in _message(
        lambda: grading.check_close("f", np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    )


def test_check_close_accepts_tensors_and_tolerances():
    grading.check_close("t", torch.tensor([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), rtol=1e-7)
    grading.check_close("t", np.array([0.0]), np.array([1e-12]), atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e6, 1e6)))
def test_check_close_passes_on_equal_arrays(a):
    grading.check_close("same", a.copy(), a)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e3, 1e3)), st.data())
def test_check_close_fails_when_one_element_moves(a, data):
    index = data.draw(st.integers(0, a.size - 1))
    b = a.copy()
    b[index] += 1.0 + abs(a[index])
    message = _message(lambda: grading.check_close("moved", b, a))
    assert f"index ({index},)" in message


def test_check_shape_and_equal_and_type():
    grading.check_shape("out", np.zeros((2, 3)), (2, 3))
    assert "expected shape (2, 4), got shape (2, 3)" in _message(
        lambda: grading.check_shape("out", np.zeros((2, 3)), (2, 4))
    )
    assert "a int" in _message(lambda: grading.check_shape("out", 3, (1,)))
    grading.check_equal("n", 4, 4)
    assert "expected 4, got 5" in _message(lambda: grading.check_equal("conv_output_size", 5, 4))
    assert "expected an instance of int, got float" in _message(lambda: grading.check_type("n", 4.0, int))
    assert "expected an instance of int or tuple, got str" in _message(
        lambda: grading.check_type("n", "4", (int, tuple))
    )


def test_check_true_and_raises():
    grading.check_true("loss", True, "the loss went up")
    assert "the loss went up" in _message(lambda: grading.check_true("loss", False, "the loss went up"))
    grading.check_raises("bad", lambda: int("x"), ValueError)
    assert "returned normally" in _message(lambda: grading.check_raises("bad", lambda: 1, ValueError))
    assert "got KeyError" in _message(lambda: grading.check_raises("bad", lambda: {}["k"], ValueError))


def test_provenance_tells_notebook_code_from_imported_code():
    from cnnlib import conv

    assert grading.provenance(conv.corr2d) == {"module": "cnnlib.conv", "in_notebook": False}
    namespace = {"__name__": "__main__"}
    source = "class Op:\n    @staticmethod\n    def forward(x):\n        return x\n\ndef f(x):\n    return x\n"
    exec(compile(source, "/tmp/ipykernel_4242/1234.py", "exec"), namespace)
    assert grading.provenance(namespace["Op"])["in_notebook"] is True  # staticmethods only, as autograd.Function
    assert grading.provenance(namespace["f"])["in_notebook"] is True
    exec(compile("def g(x):\n    return x\n", "/usr/lib/python3/helpers.py", "exec"), namespace)
    assert grading.provenance(namespace["g"])["in_notebook"] is False


def test_library_calls_names_what_ran_in_a_library_by_its_module_not_by_its_name():
    from cnnlib import layers

    namespace = {"__name__": "__main__", "np": np}
    exec("def relu_forward(x):\n    return np.maximum(x, 0), x\n", namespace)  # the student's own, a library's name
    x = np.array([-1.0, 2.0])
    result, calls = grading.library_calls(namespace["relu_forward"], x)
    assert calls == [] and result[0].tolist() == [0.0, 2.0]
    assert grading.library_calls(layers.relu_forward, x)[1] == ["cnnlib.layers.relu_forward"]
    assert grading.library_calls(torch.sigmoid, torch.zeros(1))[1] == ["torch.sigmoid"]
    assert grading.library_calls(layers.relu_forward, x, libraries=("cnnlib.models",))[1] == []
    assert grading.library_calls(lambda: layers.relu_forward(x), libraries=("cnnlib.layers",))[1] == [
        "cnnlib.layers.relu_forward"
    ]
