"""Plausible wrong answers to assignment A1 (convolution), each expected to lose exactly its cells' points.

Every mutant is a solution cell with one mistake students really make, written as one or more
(old, new) replacements of the solution's source (marker lines removed). Building them from the
solution notebook keeps them in step with it: if the solution changes so that a replacement no
longer applies, loading the mutants fails and says which mutant to update.

Dependencies between cells decide ``fails``: the solution's ``conv2d_true`` calls ``corr2d``;
``corr2d_multi`` calls ``pad2d`` and ``conv_output_size``; ``pool2d`` calls ``conv_output_size``.
A mistake in a helper therefore also costs the points of the cells built on it.
"""

from __future__ import annotations


def _mutant(
    name: str, cell: str, edits: list[tuple[str, str]], fails: list[str] | None = None, autograde: bool = False
) -> dict:
    # the runner (tests/grading/course.py) applies each (old, new) edit and checks it occurs once
    return {
        "name": name,
        "cell": cell,
        "patch": [list(edit) for edit in edits],
        "fails": fails or [f"test_{cell}"],
        "autograde": autograde,
    }


CONV = ["test_corr2d", "test_conv2d_true"]  # corr2d is used by conv2d_true
PAD = ["test_pad2d", "test_corr2d_multi"]  # pad2d is used by corr2d_multi
SIZE_ALL = ["test_conv_output_size", "test_corr2d_multi", "test_pool2d"]

_PAD_BODY = "out = np.zeros((h + 2 * p, w + 2 * p))\n    out[p : p + h, p : p + w] = X\n    return out"
_CHANNEL_CHECK = (
    "    if X.shape[0] != c_in:\n"
    '        raise ValueError(f"K expects {c_in} input channels but X has {X.shape[0]}: X {X.shape}, K {K.shape}")\n'
)
_SIZE = "return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1"
_WINDOW = "window = X_pad[:, i * stride : i * stride + kh, j * stride : j * stride + kw]"
_POOL_WINDOW = "X[i * stride : i * stride + size, j * stride : j * stride + size]"

MUTANTS = [
    # ---------------------------------------------------------------- pmf_of_sum
    _mutant(
        "pmf_correlates_instead_of_convolving",
        "pmf_of_sum",
        [("r[u : u + len(q)] += p[u] * q ", "r[u : u + len(q)] += p[u] * q[::-1] ")],
        autograde=True,
    ),
    _mutant(
        "pmf_one_entry_too_long", "pmf_of_sum", [("r = np.zeros(len(p) + len(q) - 1)", "r = np.zeros(len(p) + len(q))")]
    ),
    _mutant("pmf_loop_stops_one_early", "pmf_of_sum", [("for u in range(len(p)):", "for u in range(len(p) - 1):")]),
    _mutant("pmf_loops_over_length_of_q", "pmf_of_sum", [("for u in range(len(p)):", "for u in range(len(q)):")]),
    _mutant("pmf_calls_np_convolve", "pmf_of_sum", [("r = np.zeros(len(p) + len(q) - 1)", "return np.convolve(p, q)")]),
    _mutant(
        "pmf_lists_not_converted",
        "pmf_of_sum",
        [("    p = np.asarray(p, dtype=float)\n    q = np.asarray(q, dtype=float)\n", "")],
    ),
    # ---------------------------------------------------------------- corr2d
    _mutant("corr2d_flips_kernel", "corr2d", [("* K)", "* K[::-1, ::-1])")], fails=CONV, autograde=True),
    _mutant(
        "corr2d_output_one_too_small",
        "corr2d",
        [("X.shape[0] - kh + 1, X.shape[1] - kw + 1", "X.shape[0] - kh, X.shape[1] - kw")],
        fails=CONV,
    ),
    _mutant("corr2d_assumes_square_kernel", "corr2d", [("kh, kw = K.shape", "kh = kw = K.shape[0]")], fails=CONV),
    _mutant("corr2d_transposes_kernel", "corr2d", [("* K)", "* K.T)")], fails=CONV),
    _mutant(
        "corr2d_matrix_product_not_elementwise",
        "corr2d",
        [("X[i : i + kh, j : j + kw] * K)", "X[i : i + kh, j : j + kw] @ K)")],
        fails=CONV,
    ),
    _mutant(
        "corr2d_integer_output_for_integer_input",
        "corr2d",
        [
            ("X = np.asarray(X, dtype=float)", "X = np.asarray(X)"),
            ("Y = np.zeros((out_h, out_w))", "Y = np.zeros((out_h, out_w), dtype=X.dtype)"),
        ],
    ),
    # ---------------------------------------------------------------- conv2d_true
    _mutant("conv_forgets_flip", "conv2d_true", [("K[::-1, ::-1]", "K")]),
    _mutant("conv_flips_rows_only", "conv2d_true", [("K[::-1, ::-1]", "K[::-1]")]),
    _mutant("conv_flips_columns_only", "conv2d_true", [("K[::-1, ::-1]", "K[:, ::-1]")]),
    _mutant("conv_transposes_instead_of_flipping", "conv2d_true", [("K[::-1, ::-1]", "K.T")]),
    _mutant("conv_rotates_by_90_degrees", "conv2d_true", [("K[::-1, ::-1]", "np.rot90(K)")]),
    _mutant(
        "conv_flips_input_instead_of_kernel",
        "conv2d_true",
        [("return corr2d(X, K[::-1, ::-1])", "return corr2d(np.asarray(X)[::-1, ::-1], K)")],
    ),
    # ---------------------------------------------------------------- pad2d
    _mutant(
        "pad_one_side_only", "pad2d", [("np.zeros((h + 2 * p, w + 2 * p))", "np.zeros((h + p, w + p))")], fails=PAD
    ),
    _mutant("pad_input_not_centred", "pad2d", [("out[p : p + h, p : p + w] = X", "out[:h, :w] = X")], fails=PAD),
    _mutant(
        "pad_p_taken_as_total",
        "pad2d",
        [
            ("np.zeros((h + 2 * p, w + 2 * p))", "np.zeros((h + p, w + p))"),
            ("out[p : p + h, p : p + w] = X", "out[p // 2 : p // 2 + h, p // 2 : p // 2 + w] = X"),
        ],
        fails=PAD,
    ),
    _mutant(
        "pad_negative_slice_breaks_p0", "pad2d", [("out[p : p + h, p : p + w] = X", "out[p:-p, p:-p] = X")], fails=PAD
    ),
    _mutant("pad_repeats_edge_values", "pad2d", [(_PAD_BODY, 'return np.pad(X, p, mode="edge")')], fails=PAD),
    _mutant(
        "pad_rows_only",
        "pad2d",
        [
            ("np.zeros((h + 2 * p, w + 2 * p))", "np.zeros((h + 2 * p, w))"),
            ("out[p : p + h, p : p + w] = X", "out[p : p + h, :] = X"),
        ],
        fails=PAD,
    ),
    # ---------------------------------------------------------------- conv_output_size
    _mutant(
        "size_ignores_dilation",
        "conv_output_size",
        [(_SIZE, "return (n + 2 * padding - k) // stride + 1")],
        autograde=True,
    ),
    _mutant(
        "size_dilation_times_k", "conv_output_size", [(_SIZE, "return (n + 2 * padding - dilation * k) // stride + 1")]
    ),
    _mutant(
        "size_padding_on_one_side",
        "conv_output_size",
        [(_SIZE, "return (n + padding - dilation * (k - 1) - 1) // stride + 1")],
        fails=["test_conv_output_size", "test_corr2d_multi"],
    ),
    _mutant(
        "size_true_division",
        "conv_output_size",
        [(_SIZE, "return (n + 2 * padding - dilation * (k - 1) - 1) / stride + 1")],
        fails=SIZE_ALL,
    ),
    _mutant(
        "size_rounds_up",
        "conv_output_size",
        [(_SIZE, "return -(-(n + 2 * padding - dilation * (k - 1) - 1) // stride) + 1")],
        fails=SIZE_ALL,
    ),
    _mutant(
        "size_forgets_plus_one",
        "conv_output_size",
        [(_SIZE, "return (n + 2 * padding - dilation * (k - 1) - 1) // stride")],
        fails=SIZE_ALL,
    ),
    # ---------------------------------------------------------------- corr2d_multi
    _mutant(
        "multi_forgets_bias",
        "corr2d_multi",
        [("Y += np.asarray(b, dtype=float).reshape(-1, 1, 1)", "pass")],
        autograde=True,
    ),
    _mutant(
        "multi_asserts_instead_of_value_error",
        "corr2d_multi",
        [(_CHANNEL_CHECK, "    assert X.shape[0] == c_in, 'channel mismatch'\n")],
    ),
    _mutant(
        "multi_loops_over_kernel_channels_unchecked",
        "corr2d_multi",
        [
            (_CHANNEL_CHECK, ""),
            (
                "Y[:, i, j] = np.tensordot(K, window, axes=3)",
                "Y[:, i, j] = sum(np.tensordot(K[:, c], window[c], axes=2) for c in range(c_in))",
            ),
        ],
    ),
    _mutant("multi_ignores_stride_in_window", "corr2d_multi", [(_WINDOW, "window = X_pad[:, i : i + kh, j : j + kw]")]),
    _mutant(
        "multi_forgets_padding",
        "corr2d_multi",
        [
            ("np.stack([pad2d(channel, padding) for channel in X])", "X"),
            ("conv_output_size(X.shape[1], kh, padding, stride)", "conv_output_size(X.shape[1], kh, 0, stride)"),
            ("conv_output_size(X.shape[2], kw, padding, stride)", "conv_output_size(X.shape[2], kw, 0, stride)"),
        ],
    ),
    _mutant(
        "multi_kernel_axes_swapped",
        "corr2d_multi",
        [("np.tensordot(K, window, axes=3)", "np.tensordot(K.transpose(1, 0, 2, 3), window, axes=3)")],
    ),
    _mutant(
        "multi_window_width_uses_kh",
        "corr2d_multi",
        [(_WINDOW, "window = X_pad[:, i * stride : i * stride + kh, j * stride : j * stride + kh]")],
    ),
    # ---------------------------------------------------------------- pool2d
    _mutant(
        "pool_default_stride_one",
        "pool2d",
        [("stride = size if stride is None else stride", "stride = 1 if stride is None else stride")],
    ),
    _mutant("pool_mode_ignored", "pool2d", [('reduce = np.max if mode == "max" else np.mean', "reduce = np.max")]),
    _mutant(
        "pool_avg_divides_by_size",
        "pool2d",
        [
            (
                'reduce = np.max if mode == "max" else np.mean',
                'reduce = np.max if mode == "max" else (lambda window: np.sum(window) / size)',
            )
        ],
    ),
    _mutant("pool_windows_step_by_one", "pool2d", [(_POOL_WINDOW, "X[i : i + size, j : j + size]")]),
    _mutant(
        "pool_keeps_partial_windows",
        "pool2d",
        [
            ("out_h = conv_output_size(X.shape[0], size, 0, stride)", "out_h = -(-(X.shape[0] - size) // stride) + 1"),
            ("out_w = conv_output_size(X.shape[1], size, 0, stride)", "out_w = -(-(X.shape[1] - size) // stride) + 1"),
        ],
    ),
    _mutant(
        "pool_integer_output",
        "pool2d",
        [
            ("X = np.asarray(X, dtype=float)", "X = np.asarray(X)"),
            ("Y = np.zeros((out_h, out_w))", "Y = np.zeros((out_h, out_w), dtype=X.dtype)"),
        ],
    ),
    # ------------------------------------------- the answer taken from a library inside own code
    _mutant(
        "corr2d_wraps_cnnlib",
        "corr2d",
        [
            (
                "    kh, kw = K.shape\n",
                "    from cnnlib.conv import corr2d as library_corr2d\n\n    return library_corr2d(X, K)\n",
            )
        ],
        fails=CONV,
    ),
    _mutant(
        "conv2d_true_wraps_scipy",
        "conv2d_true",
        [
            (
                "    return corr2d(X, K[::-1, ::-1])",
                '    from scipy.signal import convolve2d\n\n    return convolve2d(np.asarray(X, dtype=float), K, mode="valid")',
            )
        ],
    ),
    _mutant(
        "pad2d_wraps_torch",
        "pad2d",
        [(_PAD_BODY, "return F.pad(torch.from_numpy(X), (p, p, p, p)).numpy()")],
        fails=PAD,
    ),
    _mutant(
        "conv_output_size_wraps_cnnlib",
        "conv_output_size",
        [(_SIZE, "from cnnlib import conv\n\n    return conv.conv_output_size(n, k, padding, stride, dilation)")],
        fails=SIZE_ALL,
    ),
    _mutant(
        "pool2d_wraps_torch",
        "pool2d",
        [
            (
                'reduce = np.max if mode == "max" else np.mean',
                'pool = F.max_pool2d if mode == "max" else F.avg_pool2d\n'
                "    return pool(torch.from_numpy(X)[None, None], size, stride)[0, 0].numpy()",
            )
        ],
    ),
]
