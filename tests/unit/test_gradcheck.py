"""cnnlib.gradcheck: numerical gradients agree with known derivatives; rel_error has its floor."""

from __future__ import annotations

import numpy as np
import pytest
from cnnlib import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.unit


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 10_000))
def test_numerical_gradient_of_known_functions(rows, cols, seed):
    x = np.random.default_rng(seed).normal(size=(rows, cols))
    grad = gradcheck.numerical_gradient(lambda z: float(np.sum(np.sin(z) * z)), x)
    assert gradcheck.rel_error(grad, np.cos(x) * x + np.sin(x)) < 1e-7


def test_numerical_gradient_restores_input():
    x = np.arange(6, dtype=float).reshape(2, 3)
    before = x.copy()
    gradcheck.numerical_gradient(lambda z: float((z**2).sum()), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_matches_matmul_rule():
    rng = np.random.default_rng(0)
    x, w, dout = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    dx = gradcheck.numerical_gradient_array(lambda z: z @ w, x, dout)
    assert gradcheck.rel_error(dx, dout @ w.T) < 1e-7


def test_rel_error_floor_and_shapes():
    assert gradcheck.rel_error(np.zeros(3), np.full(3, 1e-12)) < 1e-3
    assert gradcheck.rel_error(np.array([1.0]), np.array([1.0 + 1e-3])) == pytest.approx(1e-3 / 2.001, rel=1e-6)
    with pytest.raises(ValueError, match="equal shapes"):
        gradcheck.rel_error(np.zeros(2), np.zeros(3))


def test_bad_input_and_printed_bound(capsys):
    with pytest.raises(ValueError, match="floating-point"):
        gradcheck.numerical_gradient(lambda z: 0.0, np.zeros(3, dtype=int))
    error = gradcheck.check_gradient("dw", np.ones(2), np.ones(2) * (1 + 1e-9))
    out = capsys.readouterr().out
    assert error < 1e-7 and "should be below 1e-07" in out and "OK" in out
