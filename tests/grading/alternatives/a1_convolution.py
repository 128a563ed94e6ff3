"""Correct answers to assignment A1 written differently from the solution; each must keep every point.

Written from the released notebook's instructions only: loops or vectorised code, float32, lists as
inputs, the student's own helpers (even one named ``convolve``), aliases, IPython magics in the cell,
other NumPy routines. The runner (tests/grading/course.py) replaces the named solution cell (and the
cells in ``also``) and the grader's own verdict code must give the solution's score.
"""

from __future__ import annotations


def _alt(name: str, cell: str, source: str, also: dict[str, str] | None = None) -> dict:
    return {"name": name, "cell": cell, "source": source, **({"also": also} if also else {})}


ALTERNATIVES = [
    # pmf_of_sum: p[u] q[v] goes to k = u + v
    _alt(
        "pmf_double_loop",
        "pmf_of_sum",
        '''def pmf_of_sum(p, q):
    """PMF of X + Y."""
    r = [0.0] * (len(p) + len(q) - 1)
    for u in range(len(p)):
        for v in range(len(q)):
            r[u + v] += p[u] * q[v]
    return np.array(r)''',
    ),
    _alt(
        "pmf_outer_add_at",
        "pmf_of_sum",
        '''def pmf_of_sum(p, q):
    """PMF of X + Y from the outer product, each entry added at index u + v."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    r = np.zeros(p.size + q.size - 1)
    u, v = np.indices((p.size, q.size))
    np.add.at(r, u + v, np.outer(p, q))
    return r''',
    ),
    _alt(
        "pmf_float32_own_helper_named_convolve",
        "pmf_of_sum",
        '''def convolve(a, b):
    """My own discrete convolution (not NumPy's)."""
    out = np.zeros(len(a) + len(b) - 1, dtype=np.float32)
    for i, x in enumerate(a):
        out[i : i + len(b)] += np.float32(x) * np.asarray(b, dtype=np.float32)
    return out


def pmf_of_sum(p, q):
    """PMF of X + Y."""
    return convolve(p, q)''',
    ),
    _alt(
        "pmf_anti_diagonals",
        "pmf_of_sum",
        '''def pmf_of_sum(p, q):
    """PMF of X + Y: sum the anti-diagonals of the joint table."""
    joint = np.outer(np.asarray(p, float), np.asarray(q, float))[:, ::-1]
    m, n = joint.shape
    return np.array([np.trace(joint, offset=n - 1 - k) for k in range(m + n - 1)])''',
    ),
    # corr2d
    _alt(
        "corr2d_sliding_window",
        "corr2d",
        '''def corr2d(X, K):
    """Valid cross-correlation with sliding windows."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(X, K.shape)
    return np.einsum("ijuv,uv->ij", windows, K)''',
    ),
    _alt(
        "corr2d_float32_loops_and_a_magic",
        "corr2d",
        '''def corr2d(X, K):
    """Valid cross-correlation, float32, four loops."""
    X, K = np.asarray(X, dtype=np.float32), np.asarray(K, dtype=np.float32)
    H, W = X.shape
    kh, kw = K.shape
    Y = np.zeros((H - kh + 1, W - kw + 1), dtype=np.float32)
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            total = np.float32(0)
            for u in range(kh):
                for v in range(kw):
                    total += K[u, v] * X[i + u, j + v]
            Y[i, j] = total
    return Y


%time _ = corr2d(np.ones((5, 5)), np.ones((2, 2)))''',
    ),
    _alt(
        "corr2d_shift_and_add",
        "corr2d",
        '''def corr2d(X, K):
    """Valid cross-correlation as a sum of shifted, weighted copies of X."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for u in range(kh):
        for v in range(kw):
            out += K[u, v] * X[u : u + oh, v : v + ow]
    return out


corr2d.__doc__ += " (shift and add)"''',
    ),
    _alt(
        "corr2d_alias_of_own_function",
        "corr2d",
        '''def _correlate_loops(X, K):
    """Valid cross-correlation."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    kh, kw = K.shape
    return np.array(
        [[np.vdot(X[i : i + kh, j : j + kw], K) for j in range(X.shape[1] - kw + 1)] for i in range(X.shape[0] - kh + 1)]
    )


corr2d = _correlate_loops''',
    ),
    # conv2d_true
    _alt(
        "conv_flip_with_np_flip",
        "conv2d_true",
        '''def conv2d_true(X, K):
    """True convolution: correlate with the kernel flipped on both axes."""
    return corr2d(X, np.flip(np.asarray(K, dtype=float)))''',
    ),
    _alt(
        "conv_rot90_twice",
        "conv2d_true",
        '''def conv2d_true(X, K):
    """True convolution: correlate with the kernel rotated by 180 degrees."""
    return corr2d(X, np.rot90(np.asarray(K, dtype=float), 2))''',
    ),
    _alt(
        "conv_direct_formula",
        "conv2d_true",
        '''def conv2d_true(X, K):
    """Valid true convolution from its definition, sum_{u,v} K[u, v] X[i - u, j - v], shifted to start at 0."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    Y = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            Y[i, j] = sum(K[u, v] * X[i + kh - 1 - u, j + kw - 1 - v] for u in range(kh) for v in range(kw))
    return Y''',
    ),
    _alt(
        "conv_float32_own_flip",
        "conv2d_true",
        '''def conv2d_true(X, K):
    """True convolution in float32."""
    K = np.asarray(K, dtype=np.float32)
    return corr2d(np.asarray(X, dtype=np.float32), K[::-1][:, ::-1])''',
    ),
    # pad2d
    _alt(
        "pad_np_pad",
        "pad2d",
        '''def pad2d(X, p):
    """Zero padding with np.pad."""
    return np.pad(np.asarray(X, dtype=float), p)''',
    ),
    _alt(
        "pad_concatenate",
        "pad2d",
        '''def pad2d(X, p):
    """Zero padding by stacking zero blocks around X."""
    X = np.asarray(X, dtype=float)
    rows = np.zeros((p, X.shape[1]))
    tall = np.vstack([rows, X, rows])
    cols = np.zeros((tall.shape[0], p))
    return np.hstack([cols, tall, cols])''',
    ),
    _alt(
        "pad_float32_loops",
        "pad2d",
        '''def pad2d(X, p):
    """Zero padding, element by element, in float32."""
    h, w = len(X), len(X[0])
    out = np.zeros((h + 2 * p, w + 2 * p), dtype=np.float32)
    for i in range(h):
        for j in range(w):
            out[i + p, j + p] = X[i][j]
    return out''',
    ),
    _alt(
        "pad_zeros_like_then_copy",
        "pad2d",
        '''def pad2d(X, p):
    """Zero padding into a new float array (X is never changed)."""
    X = np.array(X, dtype=float, copy=True)
    if p == 0:
        return X
    out = np.zeros((X.shape[0] + 2 * p, X.shape[1] + 2 * p))
    out[p:-p, p:-p] = X
    return out''',
    ),
    # conv_output_size
    _alt(
        "size_math_floor",
        "conv_output_size",
        '''import math


def conv_output_size(n, k, padding=0, stride=1, dilation=1):
    """Output length with math.floor."""
    return int(math.floor((n + 2 * padding - dilation * (k - 1) - 1) / stride)) + 1''',
    ),
    _alt(
        "size_count_windows",
        "conv_output_size",
        '''def conv_output_size(n, k, padding=0, stride=1, dilation=1):
    """Count the window starts that fit."""
    span = dilation * (k - 1) + 1
    return len(range(0, n + 2 * padding - span + 1, stride))''',
    ),
    _alt(
        "size_numpy_integer",
        "conv_output_size",
        '''def conv_output_size(n, k, padding=0, stride=1, dilation=1):
    """Output length as a NumPy integer."""
    return np.int64(n + 2 * padding - dilation * (k - 1) - 1) // stride + 1''',
    ),
    _alt(
        "size_effective_kernel",
        "conv_output_size",
        '''def conv_output_size(n, k, padding=0, stride=1, dilation=1):
    """Output length via the dilated kernel's extent."""
    extent = (k - 1) * dilation + 1
    padded = n + 2 * padding
    return (padded - extent) // stride + 1''',
    ),
    # corr2d_multi
    _alt(
        "multi_einsum_windows",
        "corr2d_multi",
        '''class ChannelMismatch(ValueError):
    """X and K disagree on the number of channels."""


def corr2d_multi(X, K, b=None, stride=1, padding=0):
    """Multi-channel cross-correlation with windows and einsum."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    if X.shape[0] != K.shape[1]:
        raise ChannelMismatch(f"X has {X.shape[0]} channels, K expects {K.shape[1]}: {X.shape} vs {K.shape}")
    Xp = np.pad(X, ((0, 0), (padding, padding), (padding, padding)))
    win = np.lib.stride_tricks.sliding_window_view(Xp, K.shape[2:], axis=(1, 2))[:, ::stride, ::stride]
    Y = np.einsum("cijuv,ocuv->oij", win, K)
    return Y if b is None else Y + np.asarray(b, dtype=float)[:, None, None]''',
    ),
    _alt(
        "multi_sum_of_corr2d",
        "corr2d_multi",
        '''def corr2d_multi(X, K, b=None, stride=1, padding=0):
    """Sum of single-channel cross-correlations, then stride by slicing."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    if X.shape[0] != K.shape[1]:
        raise ValueError(f"channels differ: X {X.shape}, K {K.shape}")
    out = []
    for o in range(K.shape[0]):
        full = sum(corr2d(pad2d(X[c], padding), K[o, c]) for c in range(X.shape[0]))
        out.append(full[::stride, ::stride] + (0.0 if b is None else b[o]))
    return np.stack(out)''',
    ),
    _alt(
        "multi_float32_six_loops",
        "corr2d_multi",
        '''def corr2d_multi(X, K, b=None, stride=1, padding=0):
    """Every index written out, float32."""
    X, K = np.asarray(X, dtype=np.float32), np.asarray(K, dtype=np.float32)
    C, H, W = X.shape
    O, C2, kh, kw = K.shape
    if C != C2:
        raise ValueError(f"X has {C} channels but K has {C2}")
    Xp = np.zeros((C, H + 2 * padding, W + 2 * padding), dtype=np.float32)
    Xp[:, padding : padding + H, padding : padding + W] = X
    oh = (H + 2 * padding - kh) // stride + 1
    ow = (W + 2 * padding - kw) // stride + 1
    Y = np.zeros((O, oh, ow), dtype=np.float32)
    for o in range(O):
        for i in range(oh):
            for j in range(ow):
                acc = np.float32(0 if b is None else b[o])
                for c in range(C):
                    for u in range(kh):
                        for v in range(kw):
                            acc += K[o, c, u, v] * Xp[c, i * stride + u, j * stride + v]
                Y[o, i, j] = acc
    return Y''',
    ),
    _alt(
        "multi_im2col_matmul",
        "corr2d_multi",
        '''def _columns(Xp, kh, kw, stride, oh, ow):
    """Every window of the padded input as one row."""
    return np.array(
        [Xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw].ravel() for i in range(oh) for j in range(ow)]
    )


def corr2d_multi(X, K, b=None, stride=1, padding=0):
    """im2col, then one matrix product."""
    X, K = np.asarray(X, dtype=float), np.asarray(K, dtype=float)
    if X.shape[0] != K.shape[1]:
        raise ValueError(f"K wants {K.shape[1]} input channels, X has {X.shape[0]} ({X.shape}, {K.shape})")
    O, _, kh, kw = K.shape
    oh = conv_output_size(X.shape[1], kh, padding, stride)
    ow = conv_output_size(X.shape[2], kw, padding, stride)
    Xp = np.pad(X, ((0, 0), (padding,) * 2, (padding,) * 2))
    Y = (_columns(Xp, kh, kw, stride, oh, ow) @ K.reshape(O, -1).T).T.reshape(O, oh, ow)
    return Y if b is None else Y + np.reshape(b, (-1, 1, 1))''',
    ),
    # pool2d
    _alt(
        "pool_reduce_windows",
        "pool2d",
        '''def pool2d(X, size, stride=None, mode="max"):
    """Pooling with sliding windows and a reduction over the last two axes."""
    X = np.asarray(X, dtype=float)
    stride = stride or size
    win = np.lib.stride_tricks.sliding_window_view(X, (size, size))[::stride, ::stride]
    return win.max(axis=(2, 3)) if mode == "max" else win.mean(axis=(2, 3))''',
    ),
    _alt(
        "pool_alias_of_own_loops",
        "pool2d",
        '''def _pool2d_loops(X, size, stride=None, mode="max"):
    """Pooling, window by window."""
    X = np.asarray(X, dtype=float)
    s = size if stride is None else stride
    oh, ow = (X.shape[0] - size) // s + 1, (X.shape[1] - size) // s + 1
    pick = np.max if mode == "max" else np.mean
    return np.array([[pick(X[i * s : i * s + size, j * s : j * s + size]) for j in range(ow)] for i in range(oh)])


pool2d = _pool2d_loops''',
    ),
    _alt(
        "pool_float32_loops",
        "pool2d",
        '''def pool2d(X, size, stride=None, mode="max"):
    """Pooling in float32 with explicit sums."""
    X = np.asarray(X, dtype=np.float32)
    stride = size if stride is None else stride
    oh = conv_output_size(X.shape[0], size, 0, stride)
    ow = conv_output_size(X.shape[1], size, 0, stride)
    Y = np.zeros((oh, ow), dtype=np.float32)
    for i in range(oh):
        for j in range(ow):
            block = X[i * stride : i * stride + size, j * stride : j * stride + size]
            Y[i, j] = block.max() if mode == "max" else block.sum() / np.float32(size * size)
    return Y''',
    ),
    _alt(
        "pool_lists_of_lists",
        "pool2d",
        '''def pool2d(X, size, stride=None, mode="max"):
    """Pooling with Python lists, returned as an array."""
    rows = [list(map(float, row)) for row in np.asarray(X)]
    s = stride or size
    out = []
    for i in range(0, len(rows) - size + 1, s):
        line = []
        for j in range(0, len(rows[0]) - size + 1, s):
            values = [rows[i + u][j + v] for u in range(size) for v in range(size)]
            line.append(max(values) if mode == "max" else sum(values) / len(values))
        out.append(line)
    return np.array(out)''',
    ),
]
