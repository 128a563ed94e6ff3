"""The convolution arithmetic the lectures derive once and then reuse.

Lecture 02 derives ``corr2d`` and ``conv_output_size``; lecture 03 derives the parameter counts and
``receptive_field``. Later lectures import them instead of re-deriving them. ``assert_matches`` is the
one-line check those lectures use to compare a hand-written result with PyTorch's.
Math order follows NOTATION.md: :math:`(K \\star X)[i, j] = \\sum_{u,v} K[u, v] X[i+u, j+v]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from cnnlib.validate import require_int, require_ndim


def corr2d(X: Any, K: Any) -> np.ndarray:
    """Valid 2-D cross-correlation ``K ⋆ X`` (no kernel flip), what deep-learning libraries call convolution.

    X: (H, W) array, K: (kh, kw) array with kh <= H and kw <= W.
    Returns a float array of shape (H - kh + 1, W - kw + 1) with Y[i, j] = sum_{u,v} K[u, v] X[i + u, j + v].
    """
    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    require_ndim("X", X, 2)
    require_ndim("K", K, 2)
    kh, kw = K.shape
    if kh > X.shape[0] or kw > X.shape[1]:
        raise ValueError(f"kernel of shape {K.shape} is larger than the input of shape {X.shape}")
    windows = np.lib.stride_tricks.sliding_window_view(X, (kh, kw))  # (H', W', kh, kw)
    return np.einsum("ijuv,uv->ij", windows, K)


def conv_output_size(n: int, k: int, padding: int = 0, stride: int = 1, dilation: int = 1) -> int:
    """Output length along one axis of length ``n``: floor((n + 2p - d(k - 1) - 1) / s) + 1 (all scalars)."""
    n, k = require_int("n", n, 1), require_int("k", k, 1)
    padding, stride, dilation = (
        require_int("padding", padding, 0),
        require_int("stride", stride, 1),
        require_int("dilation", dilation, 1),
    )
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(f"a kernel spanning {span} pixels does not fit an input of {n} padded by {padding}")
    return (n + 2 * padding - span) // stride + 1


def conv_parameters(
    in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], bias: bool = True, groups: int = 1
) -> int:
    """Learnable parameters of ``nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias, groups=groups)`` (scalars).

    Each of the ``out_channels`` kernels sees ``in_channels / groups`` input channels over kh x kw positions,
    plus one bias each: out * (in / groups) * kh * kw + out.
    """
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}")
    return out_channels * (in_channels // groups) * kh * kw + (out_channels if bias else 0)


def linear_parameters(in_features: int, out_features: int, bias: bool = True) -> int:
    """Learnable parameters of ``nn.Linear(in_features, out_features, bias=bias)`` (scalars): in * out + out."""
    return in_features * out_features + (out_features if bias else 0)


class ReceptiveField(NamedTuple):
    """Along one axis: ``size`` input positions one output can depend on; ``jump`` input positions between neighbours."""

    size: int
    jump: int


def receptive_field(layers: Sequence[Sequence[int]]) -> ReceptiveField:
    """Receptive field of one output of a stack of sliding-window layers (convolution or pooling), along one axis.

    layers: one ``(k, s)`` or ``(k, s, d)`` per layer, first layer first: window size, stride and dilation
    (default 1). A pooling window counts like a kernel. Padding only moves the field, so it is not needed.
    Starting from one input pixel (size 1, jump 1), layer l reads k_l outputs of layer l - 1 that lie
    d_l * jump apart, so size += d_l (k_l - 1) jump and then jump *= s_l. An empty stack gives (1, 1).
    """
    size, jump = 1, 1
    for index, layer in enumerate(layers):
        if len(layer) not in (2, 3):
            raise ValueError(f"layer {index} must be (k, s) or (k, s, d), got {tuple(layer)!r}")
        k = require_int(f"layer {index} kernel size", layer[0], 1)
        s = require_int(f"layer {index} stride", layer[1], 1)
        d = require_int(f"layer {index} dilation", layer[2], 1) if len(layer) == 3 else 1
        size += d * (k - 1) * jump
        jump *= s
    return ReceptiveField(size, jump)


def assert_matches(name: str, ours: Any, reference: Any, atol: float = 1e-10) -> None:
    """Check a hand-written result against a reference (e.g. PyTorch's) and print one line with the error.

    ours, reference: arrays or tensors of the same shape. Fails unless the shapes agree and the largest
    absolute difference is at most ``atol``. The default suits float64 results of O(1) size: a sum of n
    products carries a rounding error of about n * 2.2e-16 times its largest term, far below 1e-10 for
    the few hundred terms of these examples, while a flipped kernel or a shifted window is off by O(1).
    """
    ours = np.asarray(ours.detach().cpu() if hasattr(ours, "detach") else ours, dtype=float)
    reference = np.asarray(reference.detach().cpu() if hasattr(reference, "detach") else reference, dtype=float)
    if ours.shape != reference.shape:
        raise AssertionError(f"{name}: shape {ours.shape}, reference shape {reference.shape}")
    error = float(np.abs(ours - reference).max()) if ours.size else 0.0
    if not error <= atol:
        raise AssertionError(f"{name}: max |ours - reference| = {error:.2e} > {atol:g}")
    print(f"{name:60s} shape {str(ours.shape):14s} max |ours - reference| = {error:.1e}")
