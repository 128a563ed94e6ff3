"""NumPy layers with the course's forward/backward contract, as built in lectures 04-05.

Each forward returns ``(out, cache)``; each backward takes ``(dout, cache)`` and returns
the gradient of the loss with respect to every input, shaped like that input. Lecture 06
and assignment A3 reuse these for the non-convolutional parts of a CNN; the lectures
derive every rule before this file is used.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnlib.validate import require_ndim, require_same, shape_of


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Fully connected layer ``out = x.reshape(N, D) @ w + b``.

    x: (N, d_1, ..., d_k), flattened to (N, D) with D = d_1 * ... * d_k
    w: (D, M)   b: (M,)   out: (N, M)
    """
    require_ndim("w", w, 2)
    require_ndim("b", b, 1)
    x2 = x.reshape(x.shape[0], -1)
    require_same("x's flattened size D", x2.shape[1], "w.shape[0]", w.shape[0], f"x {shape_of(x)}, w {shape_of(w)}")
    require_same("b.shape[0]", b.shape[0], "w.shape[1]", w.shape[1], f"b {shape_of(b)}, w {shape_of(w)}")
    return x2 @ w + b, (x, w)


def affine_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the affine layer: dx = dout w^T (reshaped like x), dw = x^T dout, db = sum_n dout.

    dout: (N, M) -> dx like x, dw (D, M), db (M,)
    """
    x, w = cache
    x2 = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x2.T @ dout, dout.sum(axis=0)


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``out = max(x, 0)`` element-wise; any shape."""
    return np.maximum(x, 0), x


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """The gradient passes where the input was positive and is zero elsewhere.

    dout, cache (the forward input x) and the returned dx all have the same shape as x.
    """
    return dout * (cache > 0)


def softmax_cross_entropy(scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy over the batch and its gradient with respect to the scores.

    scores: (N, K) unnormalised class scores   y: (N,) integer labels in [0, K)
    Returns ``(loss, dscores)`` with dscores (N, K) = (softmax(scores) - onehot(y)) / N.
    Subtracting each row's maximum first keeps ``exp`` from overflowing on large scores.
    """
    require_ndim("scores", scores, 2)
    require_ndim("y", y, 1)
    require_same("len(y)", y.shape[0], "scores.shape[0]", scores.shape[0], "one label per row of scores")
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    return float(loss), dscores / n


def sgd_step(params: dict[str, np.ndarray], grads: dict[str, Any], lr: float) -> None:
    """In-place gradient step ``p -= lr * dp`` for every parameter that has a gradient.

    Each ``grads[name]`` has the same shape as ``params[name]``; a scalar ``lr`` scales all of them.
    """
    for name, grad in grads.items():
        if name not in params:
            raise ValueError(f"gradient {name!r} has no parameter; parameters are {sorted(params)}")
        params[name] -= lr * grad
