"""The convolution arithmetic the lectures derive once and then reuse.

Lecture 02 derives each of these; later lectures import them instead of re-deriving them.
Math order follows NOTATION.md: :math:`(K \\star X)[i, j] = \\sum_{u,v} K[u, v] X[i+u, j+v]`.
"""

from __future__ import annotations

from typing import Any

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
