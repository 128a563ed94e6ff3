"""Numerical gradients by centred differences, and the relative error used to compare them.

Centred differences, ``(f(x + h) - f(x - h)) / 2h``, have error of order ``h**2``; with
float64 and ``h = 1e-5`` an exact analytic gradient agrees to about 1e-10 relative error.
Rules of thumb for ``rel_error`` between an analytic and a numerical gradient:
below 1e-7 is right; 1e-7 to 1e-4 is suspicious (fine only at kinks such as ReLU at 0);
above 1e-4 is a bug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cnnlib.validate import shape_of

DEFAULT_FLOOR = 1e-8


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def rel_error(a: Any, b: Any, floor: float = DEFAULT_FLOOR) -> float:
    """Largest element-wise relative error ``|a - b| / max(floor, |a| + |b|)``.

    The floor keeps two values that are both (nearly) zero from dividing by zero; it
    means differences far below ``floor`` count as agreement. Shapes must match.
    """
    a, b = _as_array(a), _as_array(b)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs equal shapes, got {shape_of(a)} and {shape_of(b)}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(floor, np.abs(a) + np.abs(b))))


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Gradient of a scalar function ``f`` at ``x`` (any shape) by centred differences.

    ``x`` is perturbed in place one element at a time and restored, so ``f`` must read
    ``x`` afresh each call. Returns an array shaped like ``x``.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"x must be a floating-point NumPy array, got {type(x).__name__} {shape_of(x)}")
    grad = np.zeros_like(x, dtype=np.float64)
    with np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]]) as it:
        for _ in it:
            i = it.multi_index
            old = x[i]
            x[i] = old + h
            plus = float(f(x))
            x[i] = old - h
            minus = float(f(x))
            x[i] = old
            grad[i] = (plus - minus) / (2 * h)
    return grad


def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Gradient of ``L = sum(f(x) * dout)`` with respect to ``x``: the backward pass a layer should give.

    ``f`` maps an array to an array shaped like ``dout`` (a layer's forward with everything
    else fixed); the result is shaped like ``x``.
    """
    dout = np.asarray(dout, dtype=np.float64)

    def loss(z: np.ndarray) -> float:
        out = np.asarray(f(z), dtype=np.float64)
        if out.shape != dout.shape:
            raise ValueError(f"f(x) has {shape_of(out)} but dout has {shape_of(dout)}")
        return float(np.sum(out * dout))

    return numerical_gradient(loss, x, h)


def check_gradient(name: str, analytic: Any, numeric: Any, tol: float = 1e-7) -> float:
    """Print the relative error between two gradients next to the value it should be below.

    Returns the error so a cell can also assert on it.
    """
    error = rel_error(analytic, numeric)
    verdict = "OK" if error < tol else "TOO LARGE: look for a missing term, a wrong transpose or a sum not taken"
    print(f"{name}: relative error {error:.2e} (should be below {tol:.0e}) {verdict}")
    return error
