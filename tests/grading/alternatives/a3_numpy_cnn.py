"""Correct answers to assignment A3 (a NumPy CNN) written differently from the solution: each keeps every point.

Written as students who read only the released notebook would write them: scalar loops or
loops over kernel offsets, einsum, tensordot or np.add.at, float32 arithmetic, their own helper
functions (one named corr2d like cnnlib's, one named softmax_cross_entropy like the set-up cell's
import), caches of their own design handed from their forward to their backward, parameter dicts
filled in another order, other kernels, epochs, batch sizes, learning rates and momentum in the
training exercise. The runner (tests/grading/course.py) replaces the solution cell ``cell`` with
``source`` and ``also`` replaces further cells at the same time.
"""

from __future__ import annotations


def _alt(name: str, cell: str, source: str, also: dict[str, str] | None = None) -> dict:
    alternative = {"name": name, "cell": cell, "source": source}
    if also:
        alternative["also"] = also
    return alternative


# A forward/backward pair of the loop versions with a cache of their own design (a dict).
_LOOP_FORWARD_DICT_CACHE = """
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * padding - HH) // stride + 1
    W_out = (W + 2 * padding - WW) // stride + 1
    x_pad = np.zeros((N, C, H + 2 * padding, W + 2 * padding))
    x_pad[:, :, padding : padding + H, padding : padding + W] = x
    out = np.empty((N, F, H_out, W_out))
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[n, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
                out[n, :, i, j] = np.einsum("cuv,fcuv->f", window, w) + b
    return out, {"x_pad": x_pad, "w": w, "stride": stride, "padding": padding, "shape": x.shape}
"""

_LOOP_BACKWARD_DICT_CACHE = """
def conv2d_backward(dout, cache):
    x_pad, w, stride, p = cache["x_pad"], cache["w"], cache["stride"], cache["padding"]
    N, C, H, W = cache["shape"]
    _, _, HH, WW = w.shape
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for n in range(dout.shape[0]):
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
                dw += np.einsum("f,cuv->fcuv", dout[n, :, i, j], x_pad[n, :, rows, cols])
                dx_pad[n, :, rows, cols] += np.einsum("f,fcuv->cuv", dout[n, :, i, j], w)
    db = np.array([dout[:, f].sum() for f in range(dout.shape[1])])
    return dx_pad[:, :, p : p + H, p : p + W], dw, db
"""

# A fast pair without im2col: einsum over the windows of sliding_window_view, the windows kept in the cache.
_FAST_FORWARD_WINDOWS = """
def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    F, C, kh, kw = w.shape
    x_pad = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("ncijuv,fcuv->nfij", windows, w, optimize=True) + b.reshape(1, F, 1, 1)
    return out, (x.shape, w, stride, padding, windows)
"""

_FAST_BACKWARD_WINDOWS = """
def conv2d_backward_fast(dout, cache):
    x_shape, w, stride, padding, windows = cache
    N, C, H, W = x_shape
    F, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    db = dout.sum(axis=(0, 2, 3))
    dw = np.einsum("nfij,ncijuv->fcuv", dout, windows, optimize=True)
    dx_pad = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=np.result_type(dout, w))
    for u in range(kh):
        for v in range(kw):
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += np.einsum(
                "nfij,fc->ncij", dout, w[:, :, u, v]
            )
    return dx_pad[:, :, padding : padding + H, padding : padding + W], dw, db
"""

# Max pooling whose cache holds the input and the output; the backward finds the first maximum again.
_POOL_FORWARD_KEEPS_INPUT = """
def maxpool2d_forward(x, size=2, stride=2):
    windows = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    out = windows.max(axis=(4, 5))
    return out, {"x": x, "out": out, "size": size, "stride": stride}
"""

_POOL_BACKWARD_FIRST_MAXIMUM = """
def maxpool2d_backward(dout, cache):
    x, out, size, stride = cache["x"], cache["out"], cache["size"], cache["stride"]
    out_h, out_w = out.shape[2:]
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
    taken = np.zeros(out.shape, dtype=bool)  # each window gives its gradient once, to its first maximum
    for u in range(size):
        for v in range(size):
            candidate = x[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]
            here = (candidate == out) & ~taken
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dout * here
            taken |= here
    return dx
"""

ALTERNATIVES = [
    # ---------------------------------------------------------------- conv2d_forward
    _alt(
        "conv_forward_scalar_loops",
        "conv2d_forward",
        """
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * padding - HH) // stride + 1
    W_out = (W + 2 * padding - WW) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    total = float(b[f])
                    for c in range(C):
                        for u in range(HH):
                            for v in range(WW):
                                r, s = i * stride + u - padding, j * stride + v - padding
                                if 0 <= r < H and 0 <= s < W:  # outside is padding: zero
                                    total += w[f, c, u, v] * x[n, c, r, s]
                    out[n, f, i, j] = total
    return out, (x, w, b, stride, padding)
""",
    ),
    _alt(
        "conv_forward_float32",
        "conv2d_forward",
        """
def conv2d_forward(x, w, b, stride=1, padding=0):
    x32, w32, b32 = x.astype(np.float32), w.astype(np.float32), b.astype(np.float32)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x32, ((0, 0), (0, 0), (padding, padding), (padding, padding)), mode="constant")
    H_out = (H + 2 * padding - HH) // stride + 1
    W_out = (W + 2 * padding - WW) // stride + 1
    out = np.zeros((N, F, H_out, W_out), dtype=np.float32)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    patch = x_pad[n, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
                    out[n, f, i, j] = (patch * w32[f]).sum() + b32[f]
    return out, (x, w, b, stride, padding)
""",
    ),
    _alt(
        "conv_forward_tensordot_per_position",
        "conv2d_forward",
        """
def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    H_out = 1 + (x_pad.shape[2] - HH) // stride
    W_out = 1 + (x_pad.shape[3] - WW) // stride
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride : i * stride + HH, j * stride : j * stride + WW]  # (N, C, HH, WW)
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, stride, padding)
""",
    ),
    _alt(
        "conv_forward_own_helpers_named_corr2d_and_pad",
        "conv2d_forward",
        """
def zero_pad(image, p):
    padded = np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p))
    padded[p : p + image.shape[0], p : p + image.shape[1]] = image
    return padded


def corr2d(image, kernel, stride):
    kh, kw = kernel.shape
    rows = (image.shape[0] - kh) // stride + 1
    cols = (image.shape[1] - kw) // stride + 1
    result = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            result[i, j] = np.sum(image[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel)
    return result


def conv2d_forward(x, w, b, stride=1, padding=0):
    maps = []
    for n in range(x.shape[0]):
        per_kernel = []
        for f in range(w.shape[0]):
            total = sum(corr2d(zero_pad(x[n, c], padding), w[f, c], stride) for c in range(x.shape[1]))
            per_kernel.append(total + b[f])
        maps.append(per_kernel)
    out = np.array(maps)
    return out, (x, w, b, stride, padding)
""",
    ),
    _alt(
        "conv_forward_loops_over_kernel_offsets",
        "conv2d_forward",
        """
def conv2d_forward(x, w, b, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (wd + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding,) * 2, (padding,) * 2))
    out = np.broadcast_to(b[None, :, None, None], (n, f, h_out, w_out)).astype(np.result_type(x, w))
    for u in range(kh):
        for v in range(kw):
            shifted = xp[:, :, u : u + stride * (h_out - 1) + 1 : stride, v : v + stride * (w_out - 1) + 1 : stride]
            out += np.einsum("ncij,fc->nfij", shifted, w[:, :, u, v])
    return out, (x, w, b, stride, padding)
""",
    ),
    # ---------------------------------------------------------------- conv2d_backward
    _alt(
        "conv_backward_scalar_loops",
        "conv2d_backward",
        """
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(b.shape)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for c in range(C):
                        for u in range(HH):
                            for v in range(WW):
                                r, s = i * stride + u - padding, j * stride + v - padding
                                if 0 <= r < H and 0 <= s < W:
                                    dw[f, c, u, v] += g * x[n, c, r, s]
                                    dx[n, c, r, s] += g * w[f, c, u, v]
    return dx, dw, db
""",
    ),
    _alt(
        "conv_backward_loops_over_kernel_offsets",
        "conv2d_backward",
        """
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    H, W = x.shape[2:]
    kh, kw = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for u in range(kh):
        for v in range(kw):
            rows = slice(u, u + stride * (h_out - 1) + 1, stride)
            cols = slice(v, v + stride * (w_out - 1) + 1, stride)
            dw[:, :, u, v] = np.einsum("nfij,ncij->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfij,fc->ncij", dout, w[:, :, u, v])
    db = np.sum(dout, axis=(0, 2, 3))
    return dxp[:, :, padding : padding + H, padding : padding + W], dw, db
""",
    ),
    _alt(
        "conv_backward_float32",
        "conv2d_backward",
        """
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    x, w, dout = x.astype(np.float32), w.astype(np.float32), dout.astype(np.float32)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    r, c = i * stride, j * stride
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, r : r + HH, c : c + WW]
                    dx_pad[n, :, r : r + HH, c : c + WW] += dout[n, f, i, j] * w[f]
    db = dout.sum(axis=(0, 2, 3))
    dx = dx_pad[:, :, padding : padding + H, padding : padding + W]
    return dx, dw, db
""",
    ),
    _alt(
        "conv_backward_with_own_dict_cache",
        "conv2d_backward",
        _LOOP_BACKWARD_DICT_CACHE,
        also={"conv2d_forward": _LOOP_FORWARD_DICT_CACHE},
    ),
    _alt(
        "conv_backward_np_add_at",
        "conv2d_backward",
        """
def conv2d_backward(dout, cache):
    x, w, b, stride, padding = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros(x_pad.shape)
    dw = np.zeros(w.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = np.arange(i * stride, i * stride + HH)
            cols = np.arange(j * stride, j * stride + WW)
            patch = x_pad[:, :, rows[:, None], cols[None, :]]  # (N, C, HH, WW)
            dw += np.tensordot(dout[:, :, i, j], patch, axes=([0], [0]))
            contribution = np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))  # (N, C, HH, WW)
            np.add.at(dx_pad, (slice(None), slice(None), rows[:, None], cols[None, :]), contribution)
    db = dout.sum(axis=0).sum(axis=-1).sum(axis=-1)
    return dx_pad[:, :, padding : padding + H, padding : padding + W], dw, db
""",
    ),
    # ---------------------------------------------------------------- conv2d_forward_fast
    _alt(
        "fast_forward_im2col_by_offsets",
        "conv2d_forward_fast",
        """
def im2col(x, kh, kw, stride, padding):
    N, C, H, W = x.shape
    out_h = (H + 2 * padding - kh) // stride + 1
    out_w = (W + 2 * padding - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    cols = np.empty((C, kh, kw, N, out_h, out_w), dtype=x.dtype)
    for u in range(kh):
        for v in range(kw):
            shifted = xp[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]  # (N, C, oh, ow)
            cols[:, u, v] = shifted.transpose(1, 0, 2, 3)
    return cols.reshape(C * kh * kw, N * out_h * out_w), out_h, out_w


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    F, C, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = (w.reshape(F, -1) @ cols).reshape(F, x.shape[0], out_h, out_w) + b.reshape(F, 1, 1, 1)
    out = np.moveaxis(out, 0, 1)
    return out, (x.shape, w, stride, padding, cols)
""",
    ),
    _alt(
        "fast_forward_tensordot_then_cols",
        "conv2d_forward_fast",
        """
def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    F, C, kh, kw = w.shape
    N = x.shape[0]
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    win = sliding_window_view(padded, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, oh, ow, kh, kw)
    out_h, out_w = win.shape[2], win.shape[3]
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, oh, ow, F)
    out = out.transpose(0, 3, 1, 2) + b[None, :, None, None]
    cols = win.transpose(1, 4, 5, 0, 2, 3).reshape(C * kh * kw, N * out_h * out_w)  # for the backward pass
    return out, (x.shape, w, stride, padding, cols)
""",
    ),
    _alt(
        "fast_forward_float32",
        "conv2d_forward_fast",
        """
def im2col(x, kh, kw, stride, padding):
    n_examples, channels = x.shape[:2]
    x_pad = np.pad(x.astype(np.float32), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(x_pad, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out_h, out_w = windows.shape[2:4]
    cols = windows.transpose(1, 4, 5, 0, 2, 3).reshape(channels * kh * kw, -1)
    return cols, out_h, out_w


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    n_kernels, _, kh, kw = w.shape
    cols, out_h, out_w = im2col(x, kh, kw, stride, padding)
    out = w.reshape(n_kernels, -1).astype(np.float32) @ cols + b.astype(np.float32)[:, None]
    out = out.reshape(n_kernels, x.shape[0], out_h, out_w).transpose(1, 0, 2, 3)
    return out, (x.shape, w, stride, padding, cols)
""",
    ),
    _alt(
        "fast_forward_as_strided",
        "conv2d_forward_fast",
        """
from numpy.lib.stride_tricks import as_strided


def conv2d_forward_fast(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.ascontiguousarray(np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))))
    Ho = (H + 2 * padding - HH) // stride + 1
    Wo = (W + 2 * padding - WW) // stride + 1
    sN, sC, sH, sW = xp.strides
    view = as_strided(xp, shape=(C, HH, WW, N, Ho, Wo), strides=(sC, sH, sW, sN, stride * sH, stride * sW))
    cols = view.reshape(C * HH * WW, N * Ho * Wo)  # reshape copies: the strided view is not contiguous
    out = (w.reshape(F, -1) @ cols + b[:, None]).reshape(F, N, Ho, Wo).swapaxes(0, 1)
    return out, (x.shape, w, stride, padding, cols)
""",
    ),
    _alt(
        "fast_forward_einsum_on_windows",
        "conv2d_forward_fast",
        _FAST_FORWARD_WINDOWS,
        also={"conv2d_backward_fast": _FAST_BACKWARD_WINDOWS},
    ),
    # ---------------------------------------------------------------- conv2d_backward_fast
    _alt(
        "fast_backward_np_add_at",
        "conv2d_backward_fast",
        """
def conv2d_backward_fast(dout, cache):
    x_shape, w, stride, padding, cols = cache
    N, C, H, W = x_shape
    F, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    D = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = D.sum(axis=1)
    dw = (D @ cols.T).reshape(w.shape)
    dcols = (w.reshape(F, -1).T @ D).reshape(C, kh, kw, N, out_h, out_w)
    c, u, v, n, i, j = np.indices(dcols.shape, sparse=True)
    dx_pad = np.zeros((N, C, H + 2 * padding, W + 2 * padding))
    np.add.at(dx_pad, (n, c, i * stride + u, j * stride + v), dcols)
    return dx_pad[:, :, padding : H + padding, padding : W + padding], dw, db
""",
    ),
    _alt(
        "fast_backward_einsum_col2im_in_nchw",
        "conv2d_backward_fast",
        """
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    N, C, H, W = x_shape
    blocks = dcols.reshape(C, kh, kw, N, out_h, out_w)
    dx_pad = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=dcols.dtype)
    for u in range(kh):
        for v in range(kw):
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += blocks[:, u, v].swapaxes(
                0, 1
            )
    return dx_pad[:, :, padding : padding + H, padding : padding + W]


def conv2d_backward_fast(dout, cache):
    x_shape, w, stride, padding, cols = cache
    F, C, kh, kw = w.shape
    out_h, out_w = dout.shape[2], dout.shape[3]
    D = np.einsum("nfij->fnij", dout).reshape(F, -1)
    db = np.einsum("fk->f", D)
    dw = np.einsum("fk,rk->fr", D, cols).reshape(F, C, kh, kw)
    dcols = np.einsum("fr,fk->rk", w.reshape(F, -1), D)
    return col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w), dw, db
""",
    ),
    _alt(
        "fast_backward_float32",
        "conv2d_backward_fast",
        """
def col2im(dcols, x_shape, kh, kw, stride, padding, out_h, out_w):
    n_examples, channels, height, width = x_shape
    dcols = dcols.reshape(channels, kh, kw, n_examples, out_h, out_w)
    dx_pad = np.zeros((channels, n_examples, height + 2 * padding, width + 2 * padding), dtype=np.float32)
    for u in range(kh):
        for v in range(kw):
            dx_pad[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += dcols[:, u, v]
    return dx_pad[:, :, padding : padding + height, padding : padding + width].transpose(1, 0, 2, 3)


def conv2d_backward_fast(dout, cache):
    x_shape, w, stride, padding, cols = cache
    w32, cols32 = w.astype(np.float32), cols.astype(np.float32)
    n_kernels, _, kh, kw = w.shape
    out_h, out_w = dout.shape[2:]
    dout_mat = dout.astype(np.float32).transpose(1, 0, 2, 3).reshape(n_kernels, -1)
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols32.T).reshape(w.shape)
    dx = col2im(w32.reshape(n_kernels, -1).T @ dout_mat, x_shape, kh, kw, stride, padding, out_h, out_w)
    return dx, dw, db
""",
    ),
    _alt(
        "fast_backward_einsum_windows_pair",
        "conv2d_backward_fast",
        _FAST_BACKWARD_WINDOWS,
        also={"conv2d_forward_fast": _FAST_FORWARD_WINDOWS},
    ),
    # ---------------------------------------------------------------- maxpool2d_forward
    _alt(
        "pool_forward_sliding_windows_argmax",
        "maxpool2d_forward",
        """
def maxpool2d_forward(x, size=2, stride=2):
    windows = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    flat = windows.reshape(*windows.shape[:4], size * size)  # offsets in row-major order: u * size + v
    argmax = flat.argmax(axis=-1)  # the first maximum on ties, like PyTorch
    out = np.take_along_axis(flat, argmax[..., None], axis=-1)[..., 0]
    return out, (x.shape, argmax, size, stride)
""",
    ),
    _alt(
        "pool_forward_stacked_candidates",
        "maxpool2d_forward",
        """
def maxpool2d_forward(x, size=2, stride=2):
    H, W = x.shape[2], x.shape[3]
    out_h, out_w = (H - size) // stride + 1, (W - size) // stride + 1
    candidates = np.stack(
        [
            x[:, :, u : u + stride * (out_h - 1) + 1 : stride, v : v + stride * (out_w - 1) + 1 : stride]
            for u in range(size)
            for v in range(size)
        ]
    )
    return candidates.max(axis=0), (x.shape, candidates.argmax(axis=0), size, stride)
""",
    ),
    _alt(
        "pool_forward_float32",
        "maxpool2d_forward",
        """
def maxpool2d_forward(x, size=2, stride=2):
    x = x.astype(np.float32)
    height, width = x.shape[2:]
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    out = np.full((x.shape[0], x.shape[1], out_h, out_w), -np.inf, dtype=np.float32)
    argmax = np.zeros(out.shape, dtype=int)
    for u in range(size):
        for v in range(size):
            candidate = x[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride]
            better = candidate > out
            out = np.where(better, candidate, out)
            argmax = np.where(better, u * size + v, argmax)
    return out, (x.shape, argmax, size, stride)
""",
    ),
    _alt(
        "pool_forward_reshape_when_it_tiles",
        "maxpool2d_forward",
        """
def maxpool2d_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    out_h, out_w = (H - size) // stride + 1, (W - size) // stride + 1
    if stride == size:  # windows tile the image: a reshape finds them
        tiles = x[:, :, : out_h * size, : out_w * size].reshape(N, C, out_h, size, out_w, size)
        flat = tiles.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, out_h, out_w, size * size)
    else:
        flat = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride].reshape(
            N, C, out_h, out_w, size * size
        )
    argmax = np.argmax(flat, axis=-1)
    return np.max(flat, axis=-1), (x.shape, argmax, size, stride)
""",
    ),
    _alt(
        "pool_forward_keeps_input",
        "maxpool2d_forward",
        _POOL_FORWARD_KEEPS_INPUT,
        also={"maxpool2d_backward": _POOL_BACKWARD_FIRST_MAXIMUM},
    ),
    # ---------------------------------------------------------------- maxpool2d_backward
    _alt(
        "pool_backward_np_add_at",
        "maxpool2d_backward",
        """
def maxpool2d_backward(dout, cache):
    x_shape, argmax, size, stride = cache
    N, C, out_h, out_w = dout.shape
    u, v = np.divmod(argmax, size)
    rows = np.arange(out_h)[None, None, :, None] * stride + u
    cols = np.arange(out_w)[None, None, None, :] * stride + v
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    dx = np.zeros(x_shape)
    np.add.at(dx, (n, c, rows, cols), dout)  # add.at sums repeated positions (overlapping windows)
    return dx
""",
    ),
    _alt(
        "pool_backward_one_hot_offsets",
        "maxpool2d_backward",
        """
def maxpool2d_backward(dout, cache):
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[-2:]
    one_hot = argmax[..., None] == np.arange(size * size)  # (N, C, oh, ow, size*size)
    dx = np.zeros(x_shape, dtype=dout.dtype)
    for k in range(size * size):
        u, v = k // size, k % size
        dx[..., u : u + stride * out_h : stride, v : v + stride * out_w : stride] += np.where(one_hot[..., k], dout, 0)
    return dx
""",
    ),
    _alt(
        "pool_backward_float32",
        "maxpool2d_backward",
        """
def maxpool2d_backward(dout, cache):
    x_shape, argmax, size, stride = cache
    out_h, out_w = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=np.float32)
    dout = dout.astype(np.float32)
    for u in range(size):
        for v in range(size):
            dx[:, :, u : u + stride * out_h : stride, v : v + stride * out_w : stride] += np.where(
                argmax == u * size + v, dout, np.float32(0)
            )
    return dx
""",
    ),
    _alt(
        "pool_backward_finds_first_maximum_again",
        "maxpool2d_backward",
        _POOL_BACKWARD_FIRST_MAXIMUM,
        also={"maxpool2d_forward": _POOL_FORWARD_KEEPS_INPUT},
    ),
    # ---------------------------------------------------------------- TinyConvNet
    _alt(
        "tiny_convnet_params_in_another_order",
        "TinyConvNet",
        """
class TinyConvNet:
    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        C, H, W = input_shape
        rng = np.random.default_rng(seed)
        self.pad = (kernel_size - 1) // 2
        D = num_filters * (H // 2) * (W // 2)
        self.params = {}
        self.params["w1"] = (rng.normal(0, np.sqrt(2 / (C * kernel_size**2)), (num_filters, C, kernel_size, kernel_size))).astype(dtype)
        self.params["w2"] = (rng.normal(0, np.sqrt(1 / D), (D, num_classes))).astype(dtype)
        self.params["b2"] = np.zeros(num_classes, dtype)
        self.params["b1"] = np.zeros(num_filters, dtype)

    def forward(self, x):
        h, c1 = conv2d_forward_fast(x, self.params["w1"], self.params["b1"], 1, self.pad)
        h, c2 = relu_forward(h)
        h, c3 = maxpool2d_forward(h, 2, 2)
        s, c4 = affine_forward(h, self.params["w2"], self.params["b2"])
        return s, [c1, c2, c3, c4]

    def loss(self, x, y):
        s, (c1, c2, c3, c4) = self.forward(x)
        loss, ds = softmax_cross_entropy(s, y)
        grads = {}
        dh, grads["w2"], grads["b2"] = affine_backward(ds, c4)
        dh = relu_backward(maxpool2d_backward(dh, c3), c2)
        _, grads["w1"], grads["b1"] = conv2d_backward_fast(dh, c1)
        return loss, grads

    def predict(self, x):
        return np.argmax(self.forward(x)[0], axis=1).astype(np.int64)
""",
    ),
    _alt(
        "tiny_convnet_own_softmax_and_relu",
        "TinyConvNet",
        """
def softmax_cross_entropy(scores, y):  # my own, in place of cnnlib's
    z = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = len(y)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    p[np.arange(n), y] -= 1
    return loss, p / n


class TinyConvNet:
    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        rng = np.random.default_rng(seed)
        c, h, w = input_shape
        flat = num_filters * (h // 2) * (w // 2)
        self.padding = kernel_size // 2
        self.params = {
            "w1": (0.1 * rng.standard_normal((num_filters, c, kernel_size, kernel_size))).astype(dtype),
            "b1": np.zeros(num_filters, dtype=dtype),
            "w2": (0.01 * rng.standard_normal((flat, num_classes))).astype(dtype),
            "b2": np.zeros(num_classes, dtype=dtype),
        }

    def loss(self, x, y):
        p = self.params
        conv, conv_cache = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        active = conv > 0
        pooled, pool_cache = maxpool2d_forward(conv * active, 2, 2)
        flat = pooled.reshape(len(x), -1)
        scores = flat @ p["w2"] + p["b2"]
        loss, dscores = softmax_cross_entropy(scores, y)
        dflat = dscores @ p["w2"].T
        dconv = maxpool2d_backward(dflat.reshape(pooled.shape), pool_cache) * active
        _, dw1, db1 = conv2d_backward_fast(dconv, conv_cache)
        return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}

    def predict(self, x):
        p = self.params
        conv, _ = conv2d_forward_fast(x, p["w1"], p["b1"], stride=1, padding=self.padding)
        pooled, _ = maxpool2d_forward(np.maximum(conv, 0), 2, 2)
        return (pooled.reshape(len(x), -1) @ p["w2"] + p["b2"]).argmax(axis=1)
""",
    ),
    _alt(
        "tiny_convnet_float32_inside",
        "TinyConvNet",
        """
class TinyConvNet:
    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        channels, height, width = input_shape
        rng = np.random.default_rng(seed)
        self.dtype = dtype
        self.k = kernel_size
        fan_in = channels * kernel_size * kernel_size
        d = num_filters * (height // 2) * (width // 2)
        self.params = dict(
            w1=(rng.standard_normal((num_filters, channels, kernel_size, kernel_size)) * np.sqrt(2 / fan_in)).astype(dtype),
            b1=np.zeros(num_filters, dtype),
            w2=(rng.standard_normal((d, num_classes)) * np.sqrt(2 / d)).astype(dtype),
            b2=np.zeros(num_classes, dtype),
        )

    def _forward(self, x):
        p = self.params
        x = np.asarray(x, dtype=np.float32)
        a, ca = conv2d_forward_fast(x, p["w1"].astype(np.float32), p["b1"].astype(np.float32), 1, self.k // 2)
        r, cr = relu_forward(a)
        m, cm = maxpool2d_forward(r, 2, 2)
        s, cs = affine_forward(m, p["w2"].astype(np.float32), p["b2"].astype(np.float32))
        return s, (ca, cr, cm, cs)

    def loss(self, x, y):
        s, (ca, cr, cm, cs) = self._forward(x)
        loss, ds = softmax_cross_entropy(s, y)
        dm, dw2, db2 = affine_backward(ds, cs)
        dr = maxpool2d_backward(dm, cm)
        da = relu_backward(dr, cr)
        _, dw1, db1 = conv2d_backward_fast(da, ca)
        return float(loss), {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}

    def predict(self, x):
        return self._forward(x)[0].argmax(axis=1)
""",
    ),
    _alt(
        "tiny_convnet_with_loop_layers_and_batched_predict",
        "TinyConvNet",
        """
class TinyConvNet:
    def __init__(self, input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=0, dtype=np.float32):
        self.shape, self.k = input_shape, kernel_size
        rng = np.random.default_rng(seed)
        C, H, W = input_shape
        D = num_filters * (H // 2) * (W // 2)
        w1 = rng.standard_normal((num_filters, C, kernel_size, kernel_size)) * (2 / (C * kernel_size**2)) ** 0.5
        w2 = rng.standard_normal((D, num_classes)) / D**0.5
        self.params = {"w1": w1.astype(dtype), "b1": np.zeros(num_filters).astype(dtype)}
        self.params.update({"w2": w2.astype(dtype), "b2": np.zeros(num_classes).astype(dtype)})

    def loss(self, x, y):
        p = self.params
        layers = []
        out, cache = conv2d_forward_fast(x, p["w1"], p["b1"], padding=self.k // 2)
        layers.append(cache)
        out, cache = relu_forward(out)
        layers.append(cache)
        out, cache = maxpool2d_forward(out)
        layers.append(cache)
        scores, cache = affine_forward(out, p["w2"], p["b2"])
        layers.append(cache)
        loss, d = softmax_cross_entropy(scores, y)
        d, dw2, db2 = affine_backward(d, layers.pop())
        d = maxpool2d_backward(d, layers.pop())
        d = relu_backward(d, layers.pop())
        _, dw1, db1 = conv2d_backward_fast(d, layers.pop())
        return loss, {"b1": db1, "b2": db2, "w1": dw1, "w2": dw2}

    def predict(self, x):
        labels = []
        for start in range(0, len(x), 256):
            out, _ = conv2d_forward_fast(x[start : start + 256], self.params["w1"], self.params["b1"], padding=self.k // 2)
            out, _ = maxpool2d_forward(np.maximum(out, 0))
            scores, _ = affine_forward(out, self.params["w2"], self.params["b2"])
            labels.extend(scores.argmax(axis=1).tolist())
        return np.array(labels, dtype=np.int64)
""",
    ),
    # ---------------------------------------------------------------- train_tiny_convnet
    _alt(
        "training_momentum_tqdm",
        "train_tiny_convnet",
        """
from tqdm.auto import tqdm


def train_tiny_convnet(x_train, y_train, seed=0):
    model = TinyConvNet(input_shape=x_train.shape[1:], num_filters=8, kernel_size=3, seed=seed)
    velocity = {key: np.zeros_like(value) for key, value in model.params.items()}
    losses = []
    for epoch in range(2):
        for xb, yb in tqdm(list(batches(x_train, y_train, 32, shuffle=True, seed=seed + epoch)), desc=f"epoch {epoch}"):
            loss, grads = model.loss(xb, yb)
            for key in model.params:
                velocity[key] = 0.9 * velocity[key] - 0.02 * grads[key]
                model.params[key] += velocity[key].astype(model.params[key].dtype)
            losses.append(float(loss))
    return model, losses
""",
    ),
    _alt(
        "training_sixteen_kernels_one_epoch_progress",
        "train_tiny_convnet",
        """
def train_tiny_convnet(x_train, y_train, seed=0):
    model = TinyConvNet(input_shape=x_train.shape[1:], num_filters=16, seed=seed)
    losses = []
    for xb, yb in cnnlib.progress(batches(x_train, y_train, 32, shuffle=True, seed=seed), desc="one epoch"):
        loss, grads = model.loss(xb, yb)
        sgd_step(model.params, grads, 0.2)
        losses.append(loss)
    return model, losses
""",
    ),
    _alt(
        "training_own_shuffle_batches_of_64",
        "train_tiny_convnet",
        """
def train_tiny_convnet(x_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    model = TinyConvNet(input_shape=(1, 28, 28), num_filters=8, kernel_size=3, num_classes=10, seed=seed)
    losses = []
    for epoch in range(3):
        order = rng.permutation(len(x_train))
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            loss, grads = model.loss(x_train[idx], y_train[idx])
            for key, grad in grads.items():
                model.params[key] = model.params[key] - (0.2 * grad).astype(np.float32)
            losses.append(loss)
        print(f"epoch {epoch + 1}: mean loss of its last 100 batches {np.mean(losses[-100:]):.3f}")
    return model, np.array(losses)
""",
    ),
    _alt(
        "training_decaying_learning_rate",
        "train_tiny_convnet",
        """
def train_tiny_convnet(x_train, y_train, seed=0):
    model = TinyConvNet(input_shape=x_train.shape[1:], num_filters=6, kernel_size=3, seed=seed)
    losses = []
    step = 0
    for epoch in range(2):
        for xb, yb in batches(x_train, y_train, 50, shuffle=True, seed=100 + epoch):
            lr = 0.25 / (1 + step / 1000)
            loss, grads = model.loss(xb, yb)
            sgd_step(model.params, grads, lr)
            losses.append(loss)
            step += 1
    return model, losses
""",
    ),
]
