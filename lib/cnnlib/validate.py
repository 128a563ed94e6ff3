"""Argument checks shared by every public function of cnnlib.

Each raises ``ValueError`` whose message names the argument, what was expected and
what came in, so a wrong call fails at the boundary instead of deep inside NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def shape_of(value: Any) -> str:
    """Describe ``value``'s shape for an error message (works for arrays, tensors, scalars)."""
    shape = getattr(value, "shape", None)
    if shape is None:
        return f"a {type(value).__name__} (no shape)"
    return f"shape {tuple(shape)}"


def require_ndim(name: str, value: Any, ndim: int | tuple[int, ...]) -> None:
    """Raise unless ``value`` is an array or tensor with ``ndim`` dimensions (or one of several)."""
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    got = getattr(value, "ndim", None)
    if got not in allowed:
        wanted = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{name} must be a {wanted} array, got {shape_of(value)}")


def require_int(name: str, value: Any, minimum: int = 0) -> int:
    """Return ``value`` as an int, raising unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def require_same(name_a: str, a: int, name_b: str, b: int, context: str = "") -> None:
    """Raise unless two sizes agree, e.g. the channel counts of an input and a kernel bank."""
    if a != b:
        where = f" ({context})" if context else ""
        raise ValueError(f"{name_a} = {a} does not match {name_b} = {b}{where}")


def require_1d_pmf(name: str, p: Any) -> np.ndarray:
    """Return ``p`` as a float array, raising unless it is a 1-D, non-negative, non-empty PMF."""
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of probabilities, got {shape_of(arr)}")
    if np.any(arr < 0) or not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite, non-negative probabilities")
    return arr
