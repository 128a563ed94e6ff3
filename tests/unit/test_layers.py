"""cnnlib.layers against PyTorch autograd and numerical gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from cnnlib import gradcheck, layers

pytestmark = pytest.mark.unit


def test_affine_and_relu_match_autograd():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(4, 2, 3)), rng.normal(size=(6, 5)), rng.normal(size=5)
    out, cache = layers.affine_forward(x, w, b)
    a, ca = layers.relu_forward(out)
    dout = rng.normal(size=a.shape)
    dx, dw, db = layers.affine_backward(layers.relu_backward(dout, ca), cache)
    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (x, w, b))
    torch.relu(tx.reshape(4, -1) @ tw + tb).backward(torch.tensor(dout))
    for mine, ref in ((dx, tx.grad), (dw, tw.grad), (db, tb.grad)):
        assert gradcheck.rel_error(mine, ref) < 1e-10


def test_softmax_cross_entropy_matches_torch_and_survives_large_scores():
    rng = np.random.default_rng(1)
    scores, y = rng.normal(size=(5, 4)) * 1000, rng.integers(0, 4, 5)
    loss, dscores = layers.softmax_cross_entropy(scores, y)
    t = torch.tensor(scores, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(t, torch.tensor(y))
    ref.backward()
    assert np.isfinite(loss) and abs(loss - ref.item()) < 1e-8
    assert gradcheck.rel_error(dscores, t.grad) < 1e-8


def test_numerical_gradient_of_softmax_loss():
    rng = np.random.default_rng(2)
    scores, y = rng.normal(size=(3, 5)), rng.integers(0, 5, 3)
    _, dscores = layers.softmax_cross_entropy(scores, y)
    numeric = gradcheck.numerical_gradient(lambda s: layers.softmax_cross_entropy(s, y)[0], scores)
    assert gradcheck.rel_error(dscores, numeric) < 1e-7


def test_bad_shapes_name_the_argument():
    with pytest.raises(ValueError, match="w.shape\\[0\\]"):
        layers.affine_forward(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="len\\(y\\)"):
        layers.softmax_cross_entropy(np.zeros((3, 2)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="has no parameter"):
        layers.sgd_step({"w": np.zeros(2)}, {"v": np.zeros(2)}, 0.1)


def test_sgd_step_descends_in_place():
    params = {"w": np.array([1.0, -2.0]), "b": np.array([0.5])}
    w = params["w"]
    layers.sgd_step(params, {"w": np.array([10.0, -10.0]), "b": np.array([1.0])}, 0.1)
    np.testing.assert_allclose(params["w"], [0.0, -1.0])  # p - lr * dp: a step against the gradient
    np.testing.assert_allclose(params["b"], [0.4])
    assert params["w"] is w, "the update is in place"
